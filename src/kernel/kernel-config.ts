// What a kernel is built from: the clock, the venue, the instruments and account, the strategy and an optional risk gate.
import type { Instrument } from '../core/index.ts';
import type { Clock, ExecutionClient, MessageBus, RiskGate, Strategy } from '../common/index.ts';

export interface KernelConfig {
  readonly clock: Clock;
  readonly execution: ExecutionClient;
  readonly instruments: readonly Instrument[];
  /** Account currency (the instruments' quote currency). */
  readonly currency: string;
  /** Ledger units (10^-8 of the currency). */
  readonly initialCapital: bigint;
  readonly strategy: Strategy;
  readonly risk?: RiskGate;
  readonly bus?: MessageBus;
  readonly log?: (message: string) => void;
  /**
   * Bars that carry a corporate-action factor (A-shares) reach strategies and their indicators adjusted
   * by it (default true); false shows raw prices. Trading, the ledger and risk always use raw prices.
   */
  readonly adjustedPrices?: boolean;
}
