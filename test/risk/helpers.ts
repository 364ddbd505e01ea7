// Shared pieces for the risk tests: a kernel on a simulated clock with the real simulated venue and a
// RiskEngine, fed one bar at a time so a test can act between bars (submit, kill switch, reports).
import { SimExecutionClient } from '../../src/adapters/sim/sim-execution-client.ts';
import type { FillModelConfig } from '../../src/adapters/sim/fill-model-config.ts';
import { riskSchema, toRiskConfig } from '../../src/app/config/risk-schema.ts';
import type { Bar } from '../../src/core/bar.ts';
import { numberToMoney } from '../../src/core/decimal.ts';
import type { FeeSchedule } from '../../src/core/fees.ts';
import type { Instrument } from '../../src/core/instrument.ts';
import { barCloseTime, Market } from '../../src/core/market.ts';
import { type Order, OrderEventKind, type OrderRequest, OrderSide, OrderType } from '../../src/core/order.ts';
import type { BreakerEvent } from '../../src/engines/risk/breaker-ladder.ts';
import type { RiskConfig } from '../../src/engines/risk/config.ts';
import { RiskEngine, type RiskEngineOptions } from '../../src/engines/risk/risk-engine.ts';
import { SimulatedClock } from '../../src/common/clock.ts';
import type { OrderEvent } from '../../src/common/events.ts';
import { Kernel } from '../../src/kernel/kernel.ts';
import type { OrderDenial } from '../../src/common/ports.ts';
import { MINUTE, NEXT_OPEN, ScriptStrategy, type ScriptHooks, T0, ZERO_FEES } from '../kernel/helpers.ts';
import { cryptoInstrument } from '../sim/helpers.ts';

export { MINUTE, T0 };
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** A risk config from a partial `risk` section, through the real schema (defaults filled in). */
export function riskConfig(section: unknown = {}): RiskConfig {
  return toRiskConfig(riskSchema.parse(section));
}

/** The real engine, remembering every denial it returns (the kernel passes on only reason and detail). */
export class RecordingRiskEngine extends RiskEngine {
  readonly denials: OrderDenial[] = [];

  override checkSubmit(order: Order): OrderDenial | undefined {
    const denial = super.checkSubmit(order);
    if (denial) this.denials.push(denial);
    return denial;
  }
}

export interface HarnessOptions {
  readonly instruments?: readonly Instrument[];
  readonly capital?: number;
  /** A partial `risk` config section. */
  readonly risk?: unknown;
  readonly engine?: Omit<RiskEngineOptions, 'config'>;
  readonly start?: number;
  readonly fill?: FillModelConfig;
  readonly fees?: (instrument: Instrument) => FeeSchedule;
  readonly hooks?: ScriptHooks;
}

export interface BarInput {
  readonly open?: number;
  readonly high?: number;
  readonly low?: number;
  readonly close: number;
  readonly volume?: number;
  readonly openTime?: number;
  readonly intervalMs?: number;
  readonly preClose?: number;
}

/**
 * Kernel + SimulatedClock + SimExecutionClient (next-open, no fees by default) + RecordingRiskEngine.
 * `bar` delivers one bar at its close, as a replay would; by default consecutive 1-minute bars per
 * symbol that open at the previous close (so next-open fills happen at the last close).
 */
export class Harness {
  readonly clock: SimulatedClock;
  readonly venue: SimExecutionClient;
  readonly kernel: Kernel;
  readonly risk: RecordingRiskEngine;
  readonly strategy: ScriptStrategy;
  readonly instruments: readonly Instrument[];
  private readonly nextOpen = new Map<string, number>();
  private readonly lastClose = new Map<string, number>();

  constructor(options: HarnessOptions = {}) {
    this.instruments = options.instruments ?? [cryptoInstrument()];
    const start = options.start ?? T0;
    this.clock = new SimulatedClock(start);
    this.venue = new SimExecutionClient(options.fill ?? NEXT_OPEN, options.fees ?? ZERO_FEES);
    this.risk = new RecordingRiskEngine({ config: riskConfig(options.risk ?? {}), ...options.engine });
    this.strategy = new ScriptStrategy(options.hooks);
    this.kernel = new Kernel({
      clock: this.clock,
      execution: this.venue,
      instruments: this.instruments,
      currency: this.instruments[0]!.quote,
      initialCapital: numberToMoney(options.capital ?? 100_000),
      strategy: this.strategy,
      risk: this.risk,
    });
    this.kernel.start();
    for (const i of this.instruments) this.nextOpen.set(i.symbol, start);
  }

  get symbol(): string {
    return this.instruments[0]!.symbol;
  }

  /** Deliver one bar of `symbol` (default: the first) at its close; returns it. */
  bar(input: BarInput | number, symbol = this.symbol): Bar {
    const row = typeof input === 'number' ? { close: input } : input;
    const instrument = this.instruments.find((i) => i.symbol === symbol)!;
    const intervalMs = row.intervalMs ?? MINUTE;
    const openTime = row.openTime ?? this.nextOpen.get(symbol)!;
    const open = row.open ?? this.lastClose.get(symbol) ?? row.close;
    const bar: Bar = {
      symbol,
      openTime,
      closeTime: barCloseTime(instrument.market, intervalMs, openTime),
      open,
      high: row.high ?? Math.max(open, row.close),
      low: row.low ?? Math.min(open, row.close),
      close: row.close,
      volume: row.volume ?? 1e9,
      ...(instrument.market === Market.AShare ? { preClose: row.preClose ?? NaN, adjustmentFactor: 1 } : {}),
    };
    this.clock.advanceTo(bar.closeTime);
    this.kernel.onBar(bar);
    this.nextOpen.set(symbol, openTime + intervalMs);
    this.lastClose.set(symbol, row.close);
    return bar;
  }

  /** A 1-minute bar of `symbol` that closes at `time` (the clock moves there). */
  at(time: number, close: number | Omit<BarInput, 'openTime' | 'intervalMs'>, symbol = this.symbol): Bar {
    const row = typeof close === 'number' ? { close } : close;
    return this.bar({ ...row, openTime: time - MINUTE }, symbol);
  }

  /** Several flat bars at `price`. */
  bars(count: number, price: number, symbol = this.symbol): void {
    for (let i = 0; i < count; i++) this.bar(price, symbol);
  }

  submit(request: Partial<OrderRequest> & { quantity: number }): Order {
    return this.strategy.context.submitOrder({ symbol: this.symbol, side: OrderSide.Buy, type: OrderType.Market, ...request });
  }

  buy(quantity: number, extra: Partial<OrderRequest> = {}): Order {
    return this.submit({ side: OrderSide.Buy, quantity, ...extra });
  }

  sell(quantity: number, extra: Partial<OrderRequest> = {}): Order {
    return this.submit({ side: OrderSide.Sell, quantity, ...extra });
  }

  /** DENIED events the strategy received. */
  deniedEvents(): OrderEvent[] {
    return this.strategy.events.filter((e) => e.kind === OrderEventKind.Denied);
  }

  lastDenial(): OrderDenial {
    const denial = this.risk.denials.at(-1);
    if (!denial) throw new Error('no denial recorded');
    return denial;
  }

  get breakerEvents(): BreakerEvent[] {
    return this.kernel.breakerEvents as BreakerEvent[];
  }

  position(symbol = this.symbol): number {
    return this.strategy.context.position(symbol).quantity;
  }

  openOrders(): readonly Order[] {
    return this.kernel.cache.openOrders;
  }
}
