// A synthetic report input for the report tests: a seeded random walk of equity with a benchmark.
import { computeMetrics } from '../../src/analytics/metrics.ts';
import type { ReportInput, ReportTrade } from '../../src/analytics/report/types.ts';
import { mulberry32 } from '../support/random.ts';

const MINUTE = 60_000;
const START = Date.UTC(2024, 0, 1);

const rng = mulberry32;

/** items[index], or a thrown error naming what is missing. */
export function at<T>(items: ArrayLike<T>, index: number, what = 'value'): T {
  const item = items[index];
  if (item === undefined) throw new Error(`${what} is missing at ${index}`);
  return item;
}

export function sampleReportInput(n: number, intervalMs = 15 * MINUTE): ReportInput {
  const rand = rng(42);
  const time = new Float64Array(n);
  const equity = new Float64Array(n);
  const bench = new Float64Array(n);
  let e = 10_000;
  let p = 10_000;
  for (let i = 0; i < n; i++) {
    time[i] = START + (i + 1) * intervalMs;
    const market = (rand() - 0.5) * 0.01;
    p *= 1 + market;
    e *= 1 + market * 0.6 + (rand() - 0.495) * 0.004;
    equity[i] = e;
    bench[i] = p;
  }
  const trades: ReportTrade[] = [];
  for (let k = 0; k < 12; k++) {
    const entry = Math.floor((k * n) / 12);
    const exit = Math.min(n - 1, entry + Math.floor(n / 30));
    const entryPrice = 40_000 + k * 350.5;
    const exitPrice = entryPrice * (1 + (rand() - 0.45) * 0.05);
    const qty = 0.05 + k * 0.01;
    trades.push({
      symbol: k % 3 === 0 ? 'ETHUSDT' : 'BTCUSDT',
      entryTime: at(time, entry, 'time'),
      exitTime: at(time, exit, 'time'),
      quantity: qty.toFixed(3),
      entryPrice,
      exitPrice,
      pnl: (exitPrice - entryPrice) * qty - 2.5,
      returnFraction: exitPrice / entryPrice - 1,
    });
  }
  const m = computeMetrics({
    equity, time, initialCapital: 10_000, periodsPerYear: 365 * 96, firstTime: START, trades, barsInPosition: Math.floor(n * 0.4),
  });
  return {
    title: 'Backtest report',
    strategy: 'sma-cross',
    symbols: ['BTCUSDT', 'ETHUSDT'],
    currency: 'USDT',
    parameters: {
      strategy: { name: 'sma-cross', fast: 10, slow: 50 },
      data: { files: ['data/BTCUSDT-15m.csv.gz', 'data/ETHUSDT-15m.csv.gz'], timeframe: '15m' },
      fees: { takerBps: 10, makerBps: 2 },
      seed: 42,
    },
    summary: {
      ...m,
      orders: 26,
      fills: 24,
      realizedPnl: 812.4,
      unrealizedPnl: -35.2,
      feesPaid: 61.75,
      taxesPaid: 0,
    },
    initialCapital: 10_000,
    equity: { time, equity },
    benchmark: { time, equity: bench, label: 'Buy & hold BTCUSDT' },
    trades,
    events: [
      { time: at(time, Math.floor(n * 0.35), 'time'), text: 'Daily loss breaker', color: '#dc2626' },
      { time: at(time, Math.floor(n * 0.7), 'time'), text: 'Kill switch reset' },
    ],
    assumptions: [
      'Market orders fill at the next bar open plus 2 bps slippage.',
      'Limit orders fill when the bar trades through the limit price.',
      'Fees: 10 bps taker, 2 bps maker, charged in the quote currency.',
    ],
  };
}
