// Test helpers for the simulated venue: bar series from arrays, instruments, a scripted strategy, a runner.
import { DEFAULT_FILL_MODEL, type FillModelConfig } from '../../src/adapters/sim/fill-model-config.ts';
import { simulate, type SimulationResult } from '../../src/app/backtest/simulate.ts';
import { type Bar, type BarSeries, barSeriesOf } from '../../src/core/bar.ts';
import type { AShareFeeConfig, CryptoFeeConfig } from '../../src/core/fees.ts';
import type { Fill } from '../../src/core/fill.ts';
import { Instrument, type InstrumentDefinition } from '../../src/core/instrument.ts';
import { Market, MS_PER_DAY, MS_PER_HOUR } from '../../src/core/market.ts';
import type { Order, OrderRequest } from '../../src/core/order.ts';
import type { OrderEvent } from '../../src/common/events.ts';
import { Strategy, type StrategyContext } from '../../src/common/strategy.ts';

export { MS_PER_DAY, MS_PER_HOUR };

/** 2024-01-01 00:00 UTC (a Monday). */
export const T0 = Date.UTC(2024, 0, 1);

export interface SeriesColumns {
  readonly open: readonly number[];
  readonly high?: readonly number[];
  readonly low?: readonly number[];
  readonly close?: readonly number[];
  readonly volume?: readonly number[];
  /** Explicit open times; default: `start + i * intervalMs`. */
  readonly openTime?: readonly number[];
  /** A-shares only: raw previous close per bar. */
  readonly preClose?: readonly number[];
}

export interface SeriesOptions {
  readonly symbol?: string;
  readonly market?: Market;
  readonly intervalMs?: number;
  readonly start?: number;
}

/**
 * A BarSeries from plain arrays. Missing columns default to the open (flat bars) and a volume of 1e9,
 * so that neither the participation cap nor the impact get in the way unless a test asks for them.
 */
export function makeSeries(columns: SeriesColumns, options: SeriesOptions = {}): BarSeries {
  const market = options.market ?? Market.Crypto;
  const symbol = options.symbol ?? (market === Market.Crypto ? 'TEST/USDT' : '600000.SH');
  const intervalMs = options.intervalMs ?? MS_PER_DAY;
  const start = options.start ?? T0;
  const n = columns.open.length;
  const column = (values: readonly number[] | undefined, fallback: (i: number) => number): Float64Array => {
    if (values !== undefined && values.length !== n) throw new RangeError(`column of length ${values.length}, expected ${n}`);
    return Float64Array.from({ length: n }, (_, i) => (values === undefined ? fallback(i) : values[i]!));
  };
  const open = column(columns.open, () => NaN);
  const close = column(columns.close, (i) => open[i]!);
  const high = column(columns.high, (i) => Math.max(open[i]!, close[i]!));
  const low = column(columns.low, (i) => Math.min(open[i]!, close[i]!));
  const volume = column(columns.volume, () => 1e9);
  const openTime = column(columns.openTime, (i) => start + i * intervalMs);
  const ashare =
    market === Market.AShare
      ? {
          preClose: column(columns.preClose, (i) => (i === 0 ? NaN : close[i - 1]!)),
          adjustmentFactor: new Float64Array(n).fill(1),
        }
      : {};
  const timeframe = intervalMs === MS_PER_DAY ? '1d' : intervalMs === MS_PER_HOUR ? '1h' : 'custom';
  return barSeriesOf({ symbol, market, timeframe, intervalMs, openTime, open, high, low, close, volume, ...ashare });
}

/** A crypto pair with a 0.01 tick and a 0.001 lot (quote USDT: fees round to 1e-8). */
export function cryptoInstrument(overrides: Partial<InstrumentDefinition> = {}): Instrument {
  return new Instrument({
    symbol: 'TEST/USDT',
    market: Market.Crypto,
    base: 'TEST',
    quote: 'USDT',
    tickSize: '0.01',
    lotSize: '0.001',
    minNotional: 0,
    ...overrides,
  });
}

/** A main-board A-share (10% daily limit, 100-share lots, 0.01 CNY tick). */
export function ashareInstrument(overrides: Partial<InstrumentDefinition> = {}): Instrument {
  return new Instrument({
    symbol: '600000.SH',
    market: Market.AShare,
    base: '600000.SH',
    quote: 'CNY',
    tickSize: '0.01',
    lotSize: '100',
    minNotional: 0,
    board: 'main',
    ...overrides,
  });
}

export const CRYPTO_FEES: CryptoFeeConfig = { makerBps: 2, takerBps: 10 };
export const ASHARE_FEES: AShareFeeConfig = {
  commissionRate: 0.00025,
  commissionMinimum: 5,
  stampDutyRate: 0.001,
  transferFeeRate: 0.00002,
  exchangeFeeRate: 0.0000487,
};

/** One scripted action: at the close of the `at`-th bar (0-based) of `symbol`, submit `order`. */
export interface ScriptStep {
  readonly at: number;
  readonly order?: OrderRequest;
  /** Mark the submitted order as an emergency (flatten) order. */
  readonly emergency?: boolean;
  /** Anything else to do at that bar (runs after `order` is submitted). */
  readonly run?: (ctx: StrategyContext, bar: Bar) => void;
}

/** Submits given orders at given bars and records everything that comes back. */
export class ScriptedStrategy extends Strategy {
  readonly name = 'scripted';
  readonly submitted: Order[] = [];
  readonly events: OrderEvent[] = [];
  /** Bars seen per symbol. */
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly steps: readonly ScriptStep[],
    /** Symbol whose bar count `at` refers to (default: the first symbol of the run). */
    private readonly clockSymbol?: string,
    private readonly onEvent?: (event: OrderEvent, ctx: StrategyContext) => void,
  ) {
    super();
  }

  get context(): StrategyContext {
    return this.ctx;
  }

  override onBar(bar: Bar): void {
    const symbol = this.clockSymbol ?? this.ctx.symbols[0]!;
    if (bar.symbol !== symbol) return;
    const index = this.seen.get(symbol) ?? 0;
    this.seen.set(symbol, index + 1);
    for (const step of this.steps) {
      if (step.at !== index) continue;
      if (step.order !== undefined) {
        const order = this.ctx.submitOrder(step.order);
        if (step.emergency === true) order.emergency = true;
        this.submitted.push(order);
      }
      step.run?.(this.ctx, bar);
    }
  }

  override onOrderEvent(event: OrderEvent): void {
    this.events.push(event);
    this.onEvent?.(event, this.ctx);
  }
}

export interface RunOptions<T extends Strategy> {
  readonly series: BarSeries | readonly BarSeries[];
  readonly instruments?: readonly Instrument[];
  readonly steps?: readonly ScriptStep[];
  /** Default: a ScriptedStrategy running `steps`. */
  readonly strategy?: T;
  readonly capital?: number;
  readonly fill?: Partial<FillModelConfig>;
}

export interface RunResult<T extends Strategy> {
  readonly result: SimulationResult;
  readonly strategy: T;
  readonly fills: readonly Fill[];
  /** Fills of the i-th order a ScriptedStrategy submitted. */
  fillsOf(i: number): Fill[];
}

/** Run `simulate()` on the given series with a scripted strategy (or the one given). */
export function run<T extends Strategy = ScriptedStrategy>(options: RunOptions<T>): RunResult<T> {
  const series = Array.isArray(options.series) ? (options.series as readonly BarSeries[]) : [options.series as BarSeries];
  const instruments =
    options.instruments ?? series.map((s) => (s.market === Market.AShare ? ashareInstrument({ symbol: s.symbol, base: s.symbol }) : cryptoInstrument()));
  const strategy = options.strategy ?? (new ScriptedStrategy(options.steps ?? []) as unknown as T);
  const result = simulate({
    series,
    instruments,
    strategy,
    capital: options.capital ?? 1_000_000,
    fill: { ...DEFAULT_FILL_MODEL, ...options.fill },
    fees: { crypto: CRYPTO_FEES, ashare: ASHARE_FEES },
  });
  const fills = result.kernel.fills;
  return {
    result,
    strategy,
    fills,
    fillsOf: (i) => {
      if (!(strategy instanceof ScriptedStrategy)) throw new TypeError('fillsOf needs a ScriptedStrategy');
      return fills.filter((f) => f.orderId === strategy.submitted[i]!.id);
    },
  };
}

/** Ledger units (1e-8) of an amount given as a decimal string, exactly. */
export function money(text: string): bigint {
  const [whole, fraction = ''] = text.split('.');
  return BigInt(whole! + fraction.padEnd(8, '0'));
}

/** round(n x rate) half up for non-negative bigints, rate = numerator / denominator. */
export function roundHalfUp(numerator: bigint, denominator: bigint): bigint {
  return (2n * numerator + denominator) / (2n * denominator);
}

/** Price rounded up (buy) or down (sell) to a tick of 0.01, with the same binary-noise guard as the venue. */
export function roundToCent(price: number, direction: 'up' | 'down'): number {
  const cents = direction === 'up' ? Math.ceil(price * 100 - 1e-9) : Math.floor(price * 100 + 1e-9);
  return cents / 100;
}

/** Sample standard deviation. */
export function sampleSd(values: readonly number[]): number {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1));
}
