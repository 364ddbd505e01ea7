// Bench: sma-cross with the realistic fill model through the whole kernel, against a plain
// typed-array loop that computes the same signals, fills and fees in the same process.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { defaultConfig } from '../src/app/config/index.ts';
import { simulate } from '../src/app/backtest/index.ts';
import { Market, resolveInstrument } from '../src/core/index.ts';
import { SmaCross } from '../src/strategies/index.ts';
import { benchSeries } from './bars.ts';
import { referenceSmaCross } from './reference-loop.ts';

export interface BacktestBench {
  barsPerSecond: number;
  referenceBarsPerSecond: number;
  /** Kernel speed over reference speed: the median of the rounds' ratios. */
  ratio: number;
  roundRatios: number[];
  peakRssMb: number;
  bars: number;
  fills: number;
  referenceFills: number;
  finalEquity: number;
  referenceFinalEquity: number;
  data: string;
}

const FAST = 10;
const SLOW = 30;
const CAPITAL = 10_000;

export async function benchBacktest(rounds = 5): Promise<BacktestBench> {
  const { series, source } = benchSeries();
  const config = defaultConfig();
  const instrument = resolveInstrument('BTC/USDT', Market.Crypto);
  // Each run keeps only its figures, so earlier runs' arrays can be collected (peak RSS stays honest).
  const kernelRun = () => {
    const run = simulate({
      series: [series],
      instruments: [instrument],
      strategy: new SmaCross({ fast: FAST, slow: SLOW, fraction: 0.95 }),
      capital: CAPITAL,
      fill: config.fill,
      fees: config.fees,
    });
    return { fills: run.kernel.fills.length, finalEquity: run.equity[run.equity.length - 1]! };
  };
  const referenceRun = () => {
    const run = referenceSmaCross(series, {
      fast: FAST,
      slow: SLOW,
      fraction: 0.95,
      capital: CAPITAL,
      feeRate: config.fees.crypto.takerBps / 10_000,
      halfSpread: config.fill.spreadBps.crypto / 20_000,
      impactCoefficient: config.fill.impactCoefficient,
      days: config.fill.volatilityDays,
      cap: config.fill.participationCap,
      tick: 0.01,
      lot: 0.00001,
    });
    return { fills: run.fills, finalEquity: run.finalEquity };
  };
  // Rounds alternate the kernel and the reference, so both see the same machine state; the ratio is the
  // median of the rounds' ratios, the speeds the best round of each.
  let best = Infinity;
  let bestReference = Infinity;
  let result = kernelRun();
  let reference = referenceRun();
  const roundRatios: number[] = [];
  // With --expose-gc (npm run bench), each timed run starts from a collected heap: the kernel's garbage
  // would otherwise be collected during the reference loop and charged to it.
  const collect = (globalThis as { gc?: () => void }).gc ?? (() => {});
  for (let r = 0; r < rounds; r++) {
    collect();
    let t0 = performance.now();
    result = kernelRun();
    const kernelMs = performance.now() - t0;
    collect();
    t0 = performance.now();
    reference = referenceRun();
    const referenceMs = performance.now() - t0;
    best = Math.min(best, kernelMs);
    bestReference = Math.min(bestReference, referenceMs);
    roundRatios.push(referenceMs / kernelMs);
  }
  const barsPerSecond = series.length / (best / 1000);
  const referenceBarsPerSecond = series.length / (bestReference / 1000);
  const sorted = [...roundRatios].sort((x, y) => x - y);
  return {
    barsPerSecond: Math.round(barsPerSecond),
    referenceBarsPerSecond: Math.round(referenceBarsPerSecond),
    ratio: Number(sorted[Math.floor(sorted.length / 2)]!.toFixed(4)),
    roundRatios: roundRatios.map((x) => Number(x.toFixed(4))),
    peakRssMb: peakRssOfOneBacktest(),
    bars: series.length,
    fills: result.fills,
    referenceFills: reference.fills,
    finalEquity: Number(result.finalEquity.toFixed(2)),
    referenceFinalEquity: Number(reference.finalEquity.toFixed(2)),
    data: source,
  };
}

/** Peak RSS of a process that loads 1M bars and runs one backtest (bench/backtest-memory.ts). */
function peakRssOfOneBacktest(): number {
  const child = fileURLToPath(new URL('./backtest-memory.ts', import.meta.url));
  const out = execFileSync(process.execPath, ['--import', 'tsx', child], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  return (JSON.parse(out) as { peakRssMb: number }).peakRssMb;
}
