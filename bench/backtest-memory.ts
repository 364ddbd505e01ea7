// Child process of the backtest bench: one 1,000,000-bar sma-cross backtest, then its peak RSS in MB
// on stdout. A process of its own, so the figure is one backtest's footprint, not the bench's.
import { defaultConfig } from '../src/app/config/index.ts';
import { simulate } from '../src/app/backtest/index.ts';
import { Market, resolveInstrument } from '../src/core/index.ts';
import { SmaCross } from '../src/strategies/index.ts';
import { benchSeries } from './bars.ts';

const { series } = benchSeries();
const config = defaultConfig();
const run = simulate({
  series: [series],
  instruments: [resolveInstrument('BTC/USDT', Market.Crypto)],
  strategy: new SmaCross({ fast: 10, slow: 30, fraction: 0.95 }),
  capital: 10_000,
  fill: config.fill,
  fees: config.fees,
});
process.stdout.write(`${JSON.stringify({ bars: run.bars, fills: run.kernel.fills.length, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) })}\n`);
