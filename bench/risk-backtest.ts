// Child process of the risk bench: the 1,000,000-bar sma-cross backtest, with and without a risk
// engine. Prints one JSON line on stdout.
//   risk-backtest.ts VARIANT [RUNS]       one variant, one warm-up then RUNS timed runs: {ms, bars, fills}
//   risk-backtest.ts pair WITH WITHOUT    both variants in this process, alternating: {ratios, ...}
// Variants: on (default risk), off (no risk engine), loose (risk engine whose limits never bind,
// minimum notional waived), offLoose (no risk engine, minimum notional waived).
import { defaultConfig } from '../src/app/config/index.ts';
import { toRiskConfig } from '../src/app/config/index.ts';
import { simulate } from '../src/app/backtest/index.ts';
import { Market, resolveInstrument } from '../src/core/index.ts';
import { RiskEngine } from '../src/engines/index.ts';
import { SmaCross } from '../src/strategies/index.ts';
import { benchSeries } from './bars.ts';
import { nonBinding } from './risk-backtest-config.ts';

export type BacktestVariant = 'on' | 'off' | 'loose' | 'offLoose';

const { series } = benchSeries();
const config = defaultConfig();
const defaults = toRiskConfig(config.risk);
// As fees eat this account its orders fall under BTC/USDT's 5 USDT minimum; the non-binding pair waives it.
const waivedInstrument = resolveInstrument('BTC/USDT', Market.Crypto, { minNotional: 0 });
const instrument = resolveInstrument('BTC/USDT', Market.Crypto);

/** One timed backtest of `variant`: milliseconds and fills. */
function runOnce(variant: BacktestVariant): { ms: number; fills: number } {
  const risk = variant === 'on' ? new RiskEngine({ config: defaults }) : variant === 'loose' ? new RiskEngine({ config: nonBinding(defaults) }) : undefined;
  const waived = variant === 'loose' || variant === 'offLoose';
  const t0 = performance.now();
  const result = simulate({ series: [series], instruments: [waived ? waivedInstrument : instrument], strategy: new SmaCross({ fast: 10, slow: 30, fraction: 0.95 }), capital: 10_000, fill: config.fill, fees: config.fees, risk });
  return { ms: performance.now() - t0, fills: result.kernel.fills.length };
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

if (process.argv[2] === 'pair') {
  const withRisk = process.argv[3] as BacktestVariant;
  const without = process.argv[4] as BacktestVariant;
  const pairs = Number(process.argv[5] ?? 12);
  for (let i = 0; i < 3; i++) {
    runOnce(withRisk);
    runOnce(without);
  }
  const ratios: number[] = [];
  let bestWith = Infinity;
  let bestWithout = Infinity;
  const fills: [number, number] = [0, 0];
  for (let i = 0; i < pairs; i++) {
    // Alternate which goes first, so a drift in machine speed favours neither.
    const order = i % 2 === 0 ? [withRisk, without] : [without, withRisk];
    const times = new Map<BacktestVariant, number>();
    for (const variant of order) {
      const { ms, fills: n } = runOnce(variant);
      times.set(variant, ms);
      fills[variant === withRisk ? 0 : 1] = n;
    }
    ratios.push(times.get(without)! / times.get(withRisk)!);
    bestWith = Math.min(bestWith, times.get(withRisk)!);
    bestWithout = Math.min(bestWithout, times.get(without)!);
  }
  process.stdout.write(`${JSON.stringify({ ratio: median(ratios), bestWith, bestWithout, bars: series.length, fills })}\n`);
} else {
  const variant = (process.argv[2] ?? 'on') as BacktestVariant;
  const runs = Number(process.argv[3] ?? 4);
  let best = Infinity;
  let fills = 0;
  for (let r = 0; r <= runs; r++) {
    const result = runOnce(variant);
    if (r > 0) best = Math.min(best, result.ms); // run 0 warms the JIT
    fills = result.fills;
  }
  process.stdout.write(`${JSON.stringify({ ms: best, bars: series.length, fills })}\n`);
}
