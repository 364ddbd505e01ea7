// The one place a kernel is built, for backtest, replay, paper and live: an environment (clock, venue, risk
// settings, strategy, instruments, capital, journal) in, the wired kernel out. The environment's data client
// feeds the kernel, or the journal's sink in front of it (KernelJournal.sinkFor) when bars are journaled.
import { BookExecutionClient, type FillModelConfig, SimExecutionClient } from '../../adapters/sim/index.ts';
import { type AShareFeeConfig, AShareFeeSchedule, type CryptoFeeConfig, CryptoFeeSchedule, type FeeSchedule, type Instrument, Market, numberToMoney } from '../../core/index.ts';
import { RiskEngine } from '../../engines/index.ts';
import type { Clock, ExecutionClient, RiskGate, Strategy } from '../../common/index.ts';
import type { Journal } from '../../audit/index.ts';
import { Kernel } from '../../kernel/index.ts';
import { KernelJournal, type KernelJournalOptions } from './kernel-journal.ts';

export interface Fees {
  readonly crypto: CryptoFeeConfig;
  readonly ashare: AShareFeeConfig;
}

/**
 * Where orders go: the simulated venue filling on bars (backtest, replay), the paper venue filling on the
 * live book (paper), or a venue's own client (live).
 */
export type Venue =
  | { readonly kind: 'bars'; readonly fill: FillModelConfig; readonly fees: Fees }
  | { readonly kind: 'book'; readonly fees: Fees }
  | { readonly kind: 'client'; readonly client: ExecutionClient };

type ClientOf<V extends Venue> = V extends { kind: 'bars' } ? SimExecutionClient : V extends { kind: 'book' } ? BookExecutionClient : V extends { client: infer C } ? C : never;

/** A risk engine's settings: mode, limits, LIVE_SCALED step, backtest or not. */
export type RiskSettings = NonNullable<ConstructorParameters<typeof RiskEngine>[0]>;

export interface JournalTarget extends KernelJournalOptions {
  readonly journal: Journal;
  readonly runId: string;
  /**
   * Sessions: the kernel holds each event from the strategy, logs and subscribers until the group commit
   * holding its record is durable, then delivers it (what that causes waits for the next commit). Otherwise
   * records are appended as events happen and the caller commits (a backtest at its end, a replay per bar).
   */
  readonly deliverWhenDurable?: boolean;
}

export interface Environment<V extends Venue = Venue> {
  readonly clock: Clock;
  readonly venue: V;
  /** All quoted in one currency: the account's. */
  readonly instruments: readonly Instrument[];
  readonly strategy: Strategy;
  /** Starting cash in the account currency. */
  readonly capital: number;
  /** Settings of the risk engine to build, a gate of the caller's own, or none: no pre-trade checks (a benchmark line). */
  readonly risk?: RiskSettings | RiskGate;
  /** Strategies see corporate-action adjusted prices (default true). */
  readonly adjustedPrices?: boolean;
  readonly log?: (line: string) => void;
  /** Journal the kernel's events from the start; a session that plays its journal back first calls journalKernel after. */
  readonly journal?: JournalTarget;
}

export interface BuiltKernel<V extends Venue = Venue> {
  readonly kernel: Kernel;
  readonly currency: string;
  readonly execution: ClientOf<V>;
  /** The kernel's risk engine: built from the environment's settings, or the caller's own (undefined for another gate or none). */
  readonly risk: RiskEngine | undefined;
  readonly journal: KernelJournal | undefined;
}

export function buildKernel<V extends Venue>(environment: Environment<V>): BuiltKernel<V> {
  const { instruments } = environment;
  const currency = accountCurrency(instruments);
  const execution = executionClientFor(environment.venue);
  const settings = environment.risk;
  const gate = settings === undefined || isGate(settings) ? settings : new RiskEngine(settings);
  const kernel = new Kernel({
    clock: environment.clock,
    execution,
    instruments,
    currency,
    initialCapital: numberToMoney(environment.capital),
    strategy: environment.strategy,
    risk: gate,
    adjustedPrices: environment.adjustedPrices,
    log: environment.log,
  });
  const journal = environment.journal === undefined ? undefined : journalKernel(kernel, environment.journal);
  return { kernel, currency, execution, risk: gate instanceof RiskEngine ? gate : undefined, journal };
}

/** From now on every order event, fill and breaker change of `kernel` is journaled (see JournalTarget). */
export function journalKernel(kernel: Kernel, target: JournalTarget): KernelJournal {
  const recorder = new KernelJournal(target.journal, target.runId, target);
  if (target.deliverWhenDurable !== true) {
    kernel.setWriteAhead(recorder.write);
    return recorder;
  }
  const journal = target.journal;
  let scheduled = false;
  kernel.hold();
  kernel.setWriteAhead((item) => {
    recorder.write(item);
    if (scheduled) return;
    scheduled = true;
    void journal.flush().then(
      () => {
        scheduled = false;
        kernel.release(true);
      },
      () => {
        // A failed commit stops the journal: nothing more is acknowledged, and nothing more delivered.
        scheduled = false;
      },
    );
  });
  return recorder;
}

function accountCurrency(instruments: readonly Instrument[]): string {
  const currencies = [...new Set(instruments.map((i) => i.quote))];
  if (currencies.length !== 1) {
    throw new RangeError(`all symbols of one run share one account, so they need one quote currency (got ${currencies.join(', ')})`);
  }
  return currencies[0]!;
}

export function feeScheduleFor(fees: Fees): (instrument: Instrument) => FeeSchedule {
  return (instrument) =>
    instrument.market === Market.AShare ? new AShareFeeSchedule(fees.ashare) : new CryptoFeeSchedule(fees.crypto, instrument.quote);
}

function executionClientFor<V extends Venue>(venue: V): ClientOf<V> {
  const client: ExecutionClient =
    venue.kind === 'bars' ? new SimExecutionClient(venue.fill, feeScheduleFor(venue.fees))
    : venue.kind === 'book' ? new BookExecutionClient(feeScheduleFor(venue.fees))
    : venue.client;
  return client as ClientOf<V>;
}

function isGate(risk: RiskSettings | RiskGate): risk is RiskGate {
  return typeof (risk as RiskGate).checkSubmit === 'function';
}
