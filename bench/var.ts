// Benchmark: computePortfolioRisk on 100 assets x 1000 bars (historical, parametric, Cornish-Fisher,
// Monte Carlo with 10,000 paths). Import for `benchVar()`; run standalone to print JSON.

import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { computePortfolioRisk, NormalSampler, type PriceSeries, Xoshiro128 } from '../src/analytics/index.ts';

const ASSETS = 100;
const BARS = 1000;
const HOUR_MS = 3_600_000;
const T0 = 1_600_000_000_000 - (1_600_000_000_000 % HOUR_MS);

/** Seeded one-factor returns (so the assets are correlated) turned into close series. */
function makeSeries(seed: number): PriceSeries[] {
  const normals = new NormalSampler(new Xoshiro128(seed));
  const market = new Float64Array(BARS);
  normals.fill(market);
  const time = new Float64Array(BARS + 1);
  for (let t = 0; t <= BARS; t++) time[t] = T0 + t * HOUR_MS;
  const out: PriceSeries[] = [];
  for (let i = 0; i < ASSETS; i++) {
    const beta = 0.3 + (0.9 * i) / ASSETS;
    const close = new Float64Array(BARS + 1);
    close[0] = 100;
    for (let t = 0; t < BARS; t++) {
      const r = 0.0001 + 0.01 * (beta * market[t]! + 0.8 * normals.next());
      close[t + 1] = close[t]! * (1 + r);
    }
    out.push({ symbol: `A${String(i).padStart(3, '0')}`, time, close });
  }
  return out;
}

export async function benchVar(): Promise<{ varMs: number }> {
  const series = makeSeries(7);
  const weights: Record<string, number> = {};
  for (const s of series) weights[s.symbol] = 1 / ASSETS;
  const input = { series, weights, horizonBars: 10, monteCarlo: { paths: 10_000, seed: 42 } };
  computePortfolioRisk(input); // warm-up
  computePortfolioRisk(input);
  let best = Infinity;
  for (let run = 0; run < 7; run++) {
    const t0 = performance.now();
    computePortfolioRisk(input);
    best = Math.min(best, performance.now() - t0);
  }
  return { varMs: Math.round(best * 100) / 100 };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  benchVar().then((r) => process.stdout.write(`${JSON.stringify(r)}\n`));
}
