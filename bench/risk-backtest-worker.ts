// Worker of the risk bench: one variant of the 1,000,000-bar sma-cross backtest in an isolate of its own
// (its own JIT state, as a process would have), run once per 'run' message; replies {ms, fills}.
// Variants: on (default risk), off (no risk engine), loose (risk engine whose limits never bind,
// minimum notional waived), offLoose (no risk engine, minimum notional waived).
import { parentPort, workerData } from 'node:worker_threads';
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

const variant = (workerData as { variant: BacktestVariant }).variant;
const { series } = benchSeries();
const config = defaultConfig();
const defaults = toRiskConfig(config.risk);
// As fees eat this account its orders fall under BTC/USDT's 5 USDT minimum; the non-binding pair waives it.
const waived = variant === 'loose' || variant === 'offLoose';
const instrument = resolveInstrument('BTC/USDT', Market.Crypto, waived ? { minNotional: 0 } : undefined);

function runOnce(): { ms: number; fills: number } {
  const risk = variant === 'on' ? new RiskEngine({ config: defaults }) : variant === 'loose' ? new RiskEngine({ config: nonBinding(defaults) }) : undefined;
  const t0 = performance.now();
  const result = simulate({ series: [series], instruments: [instrument], strategy: new SmaCross({ fast: 10, slow: 30, fraction: 0.95 }), capital: 10_000, fill: config.fill, fees: config.fees, risk });
  return { ms: performance.now() - t0, fills: result.kernel.fills.length };
}

parentPort!.on('message', (message: string) => {
  if (message === 'run') parentPort!.postMessage(runOnce());
});
parentPort!.postMessage({ ready: true, bars: series.length });
