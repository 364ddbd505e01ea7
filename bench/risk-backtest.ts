// Child process of the risk bench: one variant of the 1,000,000-bar sma-cross backtest, in a process of
// its own as a user's backtest would be (its own JIT state). One warm-up run, then `runs` timed runs;
// prints {ms: best, bars, fills} on stdout.
// Variants: on (default risk), off (no risk engine), loose (risk engine whose limits never bind,
// minimum notional waived), offLoose (no risk engine, minimum notional waived).
import { defaultConfig } from '../src/app/config/index.ts';
import { toRiskConfig } from '../src/app/config/risk-schema.ts';
import { simulate } from '../src/app/backtest/simulate.ts';
import { resolveInstrument } from '../src/core/instrument-table.ts';
import { Market } from '../src/core/market.ts';
import { RiskEngine } from '../src/engines/risk/risk-engine.ts';
import { SmaCross } from '../src/strategies/index.ts';
import { benchSeries } from './bars.ts';
import { nonBinding } from './risk-backtest-config.ts';

export type BacktestVariant = 'on' | 'off' | 'loose' | 'offLoose';

const variant = (process.argv[2] ?? 'on') as BacktestVariant;
const runs = Number(process.argv[3] ?? 4);
const { series } = benchSeries();
const config = defaultConfig();
const defaults = toRiskConfig(config.risk);
// As fees eat this account its orders fall under BTC/USDT's 5 USDT minimum; the non-binding pair waives it.
const waived = variant === 'loose' || variant === 'offLoose';
const instrument = resolveInstrument('BTC/USDT', Market.Crypto, waived ? { minNotional: 0 } : undefined);

let best = Infinity;
let fills = 0;
for (let r = 0; r <= runs; r++) {
  const risk = variant === 'on' ? new RiskEngine({ config: defaults }) : variant === 'loose' ? new RiskEngine({ config: nonBinding(defaults) }) : undefined;
  const t0 = performance.now();
  const result = simulate({ series: [series], instruments: [instrument], strategy: new SmaCross({ fast: 10, slow: 30, fraction: 0.95 }), capital: 10_000, fill: config.fill, fees: config.fees, risk });
  const ms = performance.now() - t0;
  if (r > 0) best = Math.min(best, ms); // run 0 warms the JIT
  fills = result.kernel.fills.length;
}
process.stdout.write(`${JSON.stringify({ ms: best, bars: series.length, fills })}\n`);
