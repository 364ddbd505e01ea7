// Shared pieces for the kernel tests: in-memory bar series, a scriptable strategy, a backtest on the real simulated venue.
import { SimExecutionClient } from '../../src/adapters/sim/sim-execution-client.ts';
import { DEFAULT_FILL_MODEL, type FillModelConfig, FillModelName } from '../../src/adapters/sim/fill-model-config.ts';
import { type ReplayOrder, ReplayDataClient } from '../../src/adapters/sim/replay-data-client.ts';
import { type Bar, type BarSeries, barSeriesOf } from '../../src/core/bar.ts';
import { notionalOf } from '../../src/core/account.ts';
import { numberToMoney } from '../../src/core/decimal.ts';
import { AShareFeeSchedule, CryptoFeeSchedule, type FeeSchedule } from '../../src/core/fees.ts';
import { type Fill, fillOf, Liquidity } from '../../src/core/fill.ts';
import type { Instrument } from '../../src/core/instrument.ts';
import { Market } from '../../src/core/market.ts';
import type { OrderSide } from '../../src/core/order.ts';
import { SimulatedClock } from '../../src/common/clock.ts';
import type { OrderEvent } from '../../src/common/events.ts';
import { Kernel } from '../../src/kernel/kernel.ts';
import type { RiskGate } from '../../src/common/ports.ts';
import { Strategy, type StrategyContext } from '../../src/common/strategy.ts';

export const MINUTE = 60_000;
export const T0 = Date.UTC(2024, 0, 1);

export interface Row {
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}

/** A series of consecutive bars of `intervalMs` starting at `start` (open times). */
export function series(symbol: string, market: Market, intervalMs: number, start: number, rows: readonly Row[]): BarSeries {
  const n = rows.length;
  const column = (pick: (row: Row, i: number) => number): Float64Array => Float64Array.from({ length: n }, (_, i) => pick(rows[i]!, i));
  return barSeriesOf({
    symbol,
    market,
    timeframe: intervalMs === MINUTE ? '1m' : intervalMs === 86_400_000 ? '1d' : 'custom',
    intervalMs,
    openTime: column((_, i) => start + i * intervalMs),
    open: column((r) => r.open),
    high: column((r) => r.high),
    low: column((r) => r.low),
    close: column((r) => r.close),
    volume: column((r) => r.volume),
    source: { file: `memory:${symbol}`, sha256: '', rows: n, skipped: 0 },
  });
}

/** The i-th bar of a series as the kernel delivers it. */
export function barAt(s: BarSeries, i: number): Bar {
  return {
    symbol: s.symbol,
    openTime: s.openTime[i]!,
    closeTime: s.closeTime[i]!,
    open: s.open[i]!,
    high: s.high[i]!,
    low: s.low[i]!,
    close: s.close[i]!,
    volume: s.volume[i]!,
  };
}

/** Events in (close time, series index) order, the order a merged replay uses. */
export function replayOrder(all: readonly BarSeries[]): ReplayOrder {
  const events: [number, number, number][] = [];
  all.forEach((s, k) => {
    for (let i = 0; i < s.length; i++) events.push([s.closeTime[i]!, k, i]);
  });
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
  return { seriesIndex: events.map((e) => e[1]), barIndex: events.map((e) => e[2]) };
}

export interface ScriptHooks {
  start?(ctx: StrategyContext): void;
  bar?(ctx: StrategyContext, bar: Bar): void;
  orderEvent?(ctx: StrategyContext, event: OrderEvent): void;
  timer?(ctx: StrategyContext, name: string, time: number): void;
}

/** A strategy whose behaviour is the test's callbacks; it records every event it receives. */
export class ScriptStrategy extends Strategy {
  readonly name = 'script';
  readonly bars: Bar[] = [];
  readonly events: OrderEvent[] = [];
  readonly timers: { name: string; time: number; now: number }[] = [];

  constructor(private readonly hooks: ScriptHooks = {}) {
    super();
  }

  get context(): StrategyContext {
    return this.ctx;
  }

  override onStart(): void {
    this.hooks.start?.(this.ctx);
  }

  override onBar(bar: Bar): void {
    this.bars.push(bar);
    this.hooks.bar?.(this.ctx, bar);
  }

  override onOrderEvent(event: OrderEvent): void {
    this.events.push(event);
    this.hooks.orderEvent?.(this.ctx, event);
  }

  override onTimer(name: string, time: number): void {
    this.timers.push({ name, time, now: this.ctx.now() });
    this.hooks.timer?.(this.ctx, name, time);
  }
}

export const NEXT_OPEN: FillModelConfig = { ...DEFAULT_FILL_MODEL, model: FillModelName.NextOpen };

export const ZERO_FEES = (instrument: Instrument): FeeSchedule => new CryptoFeeSchedule({ makerBps: 0, takerBps: 0 }, instrument.quote);

export const ASHARE_FEES = (): FeeSchedule =>
  new AShareFeeSchedule({ commissionRate: 0.00025, commissionMinimum: 5, stampDutyRate: 0.001, transferFeeRate: 0.00002, exchangeFeeRate: 0.0000487 });

export interface BacktestSetup {
  readonly instruments: readonly Instrument[];
  readonly series: readonly BarSeries[];
  readonly strategy: Strategy;
  readonly capital?: number;
  readonly fill?: FillModelConfig;
  readonly fees?: (instrument: Instrument) => FeeSchedule;
  readonly risk?: RiskGate;
}

/** The real thing: SimulatedClock + ReplayDataClient + SimExecutionClient + Kernel, run to the end of the data. */
export function runBacktest(setup: BacktestSetup): { kernel: Kernel; clock: SimulatedClock; venue: SimExecutionClient } {
  const start = Math.min(...setup.series.map((s) => s.openTime[0]!));
  const clock = new SimulatedClock(start);
  const venue = new SimExecutionClient(setup.fill ?? NEXT_OPEN, setup.fees ?? ZERO_FEES);
  const kernel = new Kernel({
    clock,
    execution: venue,
    instruments: setup.instruments,
    currency: setup.instruments[0]!.quote,
    initialCapital: numberToMoney(setup.capital ?? 1_000_000),
    strategy: setup.strategy,
    risk: setup.risk,
  });
  const replay = new ReplayDataClient(setup.series, replayOrder(setup.series), clock);
  kernel.start();
  replay.start(kernel);
  kernel.stop();
  return { kernel, clock, venue };
}

/** A taker fill of `quantity` at `price` for `order`, built the way venues build theirs (no fee unless given). */
export function takerFill(
  order: { readonly id: string; readonly symbol: string; readonly side: OrderSide; readonly decisionPrice: number },
  instrument: Instrument,
  quantity: number,
  price: number,
  time: number,
  fee = 0,
): Fill {
  const execution = { id: `${order.id}-F-${time}`, time, price, quantity, notional: notionalOf(instrument, price, quantity), fee: numberToMoney(fee), tax: 0n };
  return fillOf(order, { ...execution, liquidity: Liquidity.Taker, referencePrice: price });
}
