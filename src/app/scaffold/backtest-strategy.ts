// A strategy instance over bars held in memory, with the defaults of `traider backtest`: what a strategy's own
// test runs (the starter's test reaches it as `backtestStrategy` from 'traider'). The CLI's backtest is the same
// kernel, venue and risk engine, built by the same buildKernel; this one keeps what a test asserts on (every
// order event, every order and fill, the log) instead of curves, metrics and files.
import { ReplayDataClient } from '../../adapters/sim/index.ts';
import { barSeriesOf, type Fill, Market, type Order, resolveInstrument, RiskMode, TIMEFRAME_MS } from '../../core/index.ts';
import { type OrderEvent, type PositionView, SimulatedClock, type Strategy, Topic } from '../../common/index.ts';
import { defaultConfig, toRiskConfig } from '../config/index.ts';
import { buildKernel } from '../environment/index.ts';

/** One bar: `time` is its open time (UTC ms); bars follow each other at the timeframe's interval. */
export interface BarRow {
  readonly time: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}

export interface StrategyBacktestRequest {
  readonly strategy: Strategy;
  /** Oldest first, at least one. */
  readonly bars: readonly BarRow[];
  /** Default BTC/USDT (its tick, lot and minimum notional apply). */
  readonly symbol?: string;
  /** Default crypto. */
  readonly market?: Market;
  /** Interval of the bars: 1m, 5m, 15m, 1h, 4h, 1d, ... (default 1h). */
  readonly timeframe?: string;
  /** Starting cash in the quote currency (default: the backtest default, 10000). */
  readonly capital?: number;
}

export interface StrategyBacktest {
  /** Every order event the strategy was sent, in order (DENIED ones included, with reason and detail). */
  readonly events: readonly OrderEvent[];
  /** Every order the strategy submitted, by creation; each in its final state. */
  readonly orders: readonly Order[];
  readonly fills: readonly Fill[];
  /** The strategy's ctx.log lines: `<bar time, ISO-8601> [<name>] <message>`. */
  readonly log: readonly string[];
  /** The position at the end. */
  readonly position: PositionView;
  readonly cash: number;
  /** Cash plus the position at the last close. */
  readonly equity: number;
}

function checkBars(bars: readonly BarRow[], intervalMs: number): void {
  if (bars.length === 0) throw new RangeError('bars: give at least one bar');
  bars.forEach((bar, i) => {
    for (const field of ['time', 'open', 'high', 'low', 'close', 'volume'] as const) {
      if (typeof bar[field] !== 'number' || !Number.isFinite(bar[field])) throw new RangeError(`bars[${i}].${field}: expected a finite number (got ${String(bar[field])})`);
    }
    if (bar.low > Math.min(bar.open, bar.close) || bar.high < Math.max(bar.open, bar.close)) {
      throw new RangeError(`bars[${i}]: low <= open, close <= high does not hold (${bar.low}, ${bar.open}, ${bar.close}, ${bar.high})`);
    }
    const previous = bars[i - 1];
    if (previous !== undefined && bar.time - previous.time < intervalMs) {
      throw new RangeError(`bars[${i}].time: ${bar.time} is less than one interval (${intervalMs} ms) after the previous bar's ${previous.time}`);
    }
  });
}

export function backtestStrategy(request: StrategyBacktestRequest): StrategyBacktest {
  const { strategy, bars } = request;
  const market = request.market ?? Market.Crypto;
  const symbol = request.symbol ?? 'BTC/USDT';
  const timeframe = request.timeframe ?? '1h';
  const intervalMs = TIMEFRAME_MS[timeframe];
  if (intervalMs === undefined) throw new RangeError(`timeframe: unknown "${timeframe}" (use one of ${Object.keys(TIMEFRAME_MS).join(', ')})`);
  checkBars(bars, intervalMs);
  const column = (field: keyof BarRow): Float64Array => Float64Array.from(bars, (bar) => bar[field]);
  const series = barSeriesOf({
    symbol,
    market,
    timeframe,
    intervalMs,
    openTime: column('time'),
    open: column('open'),
    high: column('high'),
    low: column('low'),
    close: column('close'),
    volume: column('volume'),
  });
  const config = defaultConfig();
  const clock = new SimulatedClock(bars[0]!.time);
  const log: string[] = [];
  const { kernel } = buildKernel({
    clock,
    venue: { kind: 'bars', fill: config.fill, fees: config.fees },
    instruments: [resolveInstrument(symbol, market)],
    capital: request.capital ?? config.backtest.capital,
    strategy,
    risk: { config: toRiskConfig(config.risk), mode: RiskMode.Backtest, backtest: true },
    log: (line) => log.push(line),
  });
  const events: OrderEvent[] = [];
  kernel.bus.subscribe<OrderEvent>(Topic.OrderEvent, (event) => events.push(event));
  kernel.start();
  new ReplayDataClient([series], undefined, clock).start(kernel);
  kernel.stop();
  return {
    events,
    orders: [...kernel.cache.orders.values()],
    fills: [...kernel.fills],
    log,
    position: kernel.portfolio.positionView(symbol, clock.now(), 1),
    cash: kernel.cash(),
    equity: kernel.equity(),
  };
}
