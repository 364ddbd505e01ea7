import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  choleskyWithJitter,
  computePortfolioRisk,
  cornishFisherRisk,
  historicalRisk,
  horizonReturns,
  meanAndCovariance,
  monteCarloRisk,
  normInv,
  normPdf,
  NormalSampler,
  parametricRisk,
  quantileSorted,
  Xoshiro128,
} from '../../src/analytics/risk/index.ts';
import type { PlainSeries } from './reference.ts';
import { at, referenceHistorical, referenceParametric, referencePortfolio, testRandom, toTyped, valueAt } from './reference.ts';

const HOUR = 3_600_000;
const T0 = 1_577_836_800_000; // 2020-01-01T00:00Z

/** Random correlated price series; each asset drops a few random timestamps so the join matters. */
function randomSeries(seed: number, assets: number, bars: number, dropRate = 0.02): PlainSeries[] {
  const rnd = testRandom(seed);
  const market: number[] = [];
  for (let t = 0; t < bars; t++) market.push(rnd.normal());
  const out: PlainSeries[] = [];
  for (let i = 0; i < assets; i++) {
    const time: number[] = [];
    const close: number[] = [];
    let c = 50 + 100 * rnd.uniform();
    for (let t = 0; t < bars; t++) {
      c *= 1 + 0.0002 + 0.012 * (0.6 * at(market, t) + 0.8 * rnd.normal());
      if (rnd.uniform() < dropRate) continue;
      time.push(T0 + t * HOUR);
      close.push(c);
    }
    out.push({ symbol: `S${i}`, time, close });
  }
  return out;
}

describe('historical quantile and ES, by hand', () => {
  const r = Float64Array.from([0.05, -0.02, 0.01, -0.08, 0.03, -0.01, 0.02, -0.05, 0.0, 0.04]);

  it('interpolates between order statistics like numpy and averages the tail at or below q', () => {
    // sorted: -0.08 -0.05 -0.02 -0.01 0 0.01 0.02 0.03 0.04 0.05
    const estimates = historicalRisk(r, 1, [0.95, 0.99, 0.8]);
    const c95 = at(estimates, 0);
    const c99 = at(estimates, 1);
    const c80 = at(estimates, 2);
    // alpha 0.05: h = 0.45, q = -0.08 + 0.45 * 0.03 = -0.0665; only -0.08 is at or below.
    expect(c95.var).toBeCloseTo(0.0665, 15);
    expect(c95.es).toBeCloseTo(0.08, 15);
    // alpha 0.01: h = 0.09, q = -0.08 + 0.09 * 0.03 = -0.0773.
    expect(c99.var).toBeCloseTo(0.0773, 15);
    expect(c99.es).toBeCloseTo(0.08, 15);
    // alpha 0.2: h = 1.8, q = -0.05 + 0.8 * 0.03 = -0.026; tail {-0.08, -0.05}.
    expect(c80.var).toBeCloseTo(0.026, 15);
    expect(c80.es).toBeCloseTo(0.065, 15);
  });

  it('compounds overlapping windows for N > 1', () => {
    expect(Array.from(horizonReturns([0.1, -0.1, 0.2], 2))).toEqual([1.1 * 0.9 - 1, 0.9 * 1.2 - 1]);
    expect(Array.from(horizonReturns([0.1, -0.1, 0.2], 1))).toEqual([0.1, -0.1, 0.2]);
    expect(quantileSorted([1, 2, 3, 4], 1)).toBe(4);
    expect(quantileSorted([1, 2, 3, 4], 0)).toBe(1);
    expect(quantileSorted([7], 0.05)).toBe(7);
  });
});

describe('historical and parametric against the plain reference', () => {
  for (const [seed, horizon] of [
    [1, 1],
    [2, 5],
    [3, 24],
  ] as const) {
    it(`seed ${seed}, horizon ${horizon}`, () => {
      const plain = randomSeries(seed, 4, 1500);
      const weights = { S0: 0.4, S1: 0.3, S2: -0.1, S3: 0.25 };
      const report = computePortfolioRisk({ series: plain.map(toTyped), weights, horizonBars: horizon, monteCarlo: { paths: 2000, seed: 1 } });
      const port = referencePortfolio(plain, weights);
      expect(report.observations).toBe(port.length);
      for (const c of [0.95, 0.99]) {
        const key = String(c * 100);
        const h = referenceHistorical(port, horizon, c);
        const p = referenceParametric(port, horizon, c);
        expect(Math.abs(valueAt(report.var.historical, key) - h.var)).toBeLessThan(1e-12);
        expect(Math.abs(valueAt(report.es.historical, key) - h.es)).toBeLessThan(1e-12);
        expect(Math.abs(valueAt(report.var.parametric, key) - p.var)).toBeLessThan(1e-12);
        expect(Math.abs(valueAt(report.es.parametric, key) - p.es)).toBeLessThan(1e-12);
      }
    });
  }

  it('ES >= VaR and 99% >= 95% for historical (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -0.5, max: 0.5, noNaN: true }), { minLength: 2, maxLength: 200 }), fc.integer({ min: 1, max: 5 }), (xs, n) => {
        fc.pre(xs.length >= n);
        const estimates = historicalRisk(Float64Array.from(xs), n, [0.95, 0.99]);
        const a = at(estimates, 0);
        const b = at(estimates, 1);
        return a.es >= a.var - 1e-15 && b.es >= b.var - 1e-15 && b.var >= a.var - 1e-15 && b.es >= a.es - 1e-15;
      }),
      { numRuns: 200 },
    );
  });
});

describe('Cornish-Fisher', () => {
  it('reduces to the parametric normal when S = K = 0', () => {
    for (const [m, s, n] of [
      [0, 0.01, 1],
      [0.0004, 0.02, 10],
      [-0.001, 0.05, 3],
    ] as const) {
      const cf = cornishFisherRisk(m, s, 0, 0, n, [0.95, 0.99, 0.975]);
      const pn = parametricRisk(m, s, n, [0.95, 0.99, 0.975]);
      cf.forEach((e, i) => {
        const normal = at(pn, i);
        expect(Math.abs(e.var - normal.var)).toBeLessThan(1e-12);
        expect(Math.abs(e.es - normal.es)).toBeLessThan(1e-6);
        expect(Math.abs(e.es - normal.es)).toBeLessThan(1e-12); // the z-space quadrature is much tighter
      });
    }
  });

  it('ES quadrature matches the closed form of the integral for S, K != 0', () => {
    // integral_{-inf}^{a} of z pdf = -pdf(a), (z^2-1) pdf = -a pdf(a), (z^3-3z) pdf = (1-a^2) pdf(a),
    // (2z^3-5z) pdf = (1-2a^2) pdf(a).
    const [m, s, barS, barK, n] = [0.0002, 0.015, -0.8, 4.5, 4];
    // The expansion uses the horizon's moments: skewness / sqrt(N), excess kurtosis / N.
    const S = barS / Math.sqrt(n);
    const K = barK / n;
    for (const c of [0.95, 0.99]) {
      const alpha = 1 - c;
      const a = normInv(alpha);
      const f = normPdf(a);
      const integralZcf = -f + (S / 6) * (-a * f) + (K / 24) * (1 - a * a) * f - ((S * S) / 36) * (1 - 2 * a * a) * f;
      const mN = m * n;
      const sN = s * Math.sqrt(n);
      const es = -(mN * alpha + sN * integralZcf) / alpha;
      const zcf = a + ((a * a - 1) * S) / 6 + ((a ** 3 - 3 * a) * K) / 24 - ((2 * a ** 3 - 5 * a) * S * S) / 36;
      const got = at(cornishFisherRisk(m, s, barS, barK, n, [c]), 0);
      expect(Math.abs(got.es - es)).toBeLessThan(1e-12);
      expect(Math.abs(got.var - -(mN + zcf * sN))).toBeLessThan(1e-15);
    }
  });

  it('negative skew and fat tails raise the 99% VaR above the normal one', () => {
    const cf = at(cornishFisherRisk(0, 0.01, -0.5, 3, 1, [0.99]), 0);
    const pn = at(parametricRisk(0, 0.01, 1, [0.99]), 0);
    expect(cf.var).toBeGreaterThan(pn.var);
  });
});

describe('Monte Carlo', () => {
  it('is within 2% of the parametric VaR and ES on normal returns with 100k paths', () => {
    const plain = randomSeries(11, 3, 3000, 0);
    const weights = { S0: 0.5, S1: 0.3, S2: 0.2 };
    const report = computePortfolioRisk({ series: plain.map(toTyped), weights, horizonBars: 10 });
    for (const key of ['95', '99']) {
      expect(Math.abs(valueAt(report.var.monteCarlo, key) / valueAt(report.var.parametric, key) - 1)).toBeLessThan(0.02);
      expect(Math.abs(valueAt(report.es.monteCarlo, key) / valueAt(report.es.parametric, key) - 1)).toBeLessThan(0.02);
    }
  });

  it('w . (N mu + sqrt(N) L z) path by path equals the O(k) shortcut', () => {
    const k = 5;
    const rnd = testRandom(5);
    const returns = Array.from({ length: k }, () => Float64Array.from({ length: 400 }, () => 0.01 * rnd.normal()));
    const { mean, cov } = meanAndCovariance(returns);
    const weights = Float64Array.from([0.3, -0.2, 0.5, 0.1, 0.3]);
    const horizon = 7;
    const paths = 5000;
    const got = monteCarloRisk({ mean, cov, weights, horizon, paths, seed: 9, confidences: [0.95, 0.99] });
    expect(got.jitter).toBe(0);
    const { l } = choleskyWithJitter(cov, k);
    const sampler = new NormalSampler(new Xoshiro128(9));
    const port: number[] = [];
    for (let p = 0; p < paths; p++) {
      const z = Array.from({ length: k }, () => sampler.next());
      let total = 0;
      for (let i = 0; i < k; i++) {
        let lz = 0;
        for (let j = 0; j <= i; j++) lz += at(l, i * k + j) * at(z, j);
        total += at(weights, i) * (horizon * at(mean, i) + Math.sqrt(horizon) * lz);
      }
      port.push(total);
    }
    port.sort((x, y) => x - y);
    for (const e of got.estimates) {
      const q = quantileSorted(port, 1 - e.confidence);
      const tail = port.filter((x) => x <= q);
      expect(Math.abs(e.var - -q)).toBeLessThan(1e-12);
      expect(Math.abs(e.es - -(tail.reduce((s, x) => s + x, 0) / tail.length))).toBeLessThan(1e-12);
    }
  });

  it('is reproducible for a seed and differs across seeds', () => {
    const plain = randomSeries(12, 2, 200, 0);
    const input = { series: plain.map(toTyped), weights: { S0: 0.5, S1: 0.5 }, horizonBars: 1, monteCarlo: { paths: 3000, seed: 42 } };
    const a = computePortfolioRisk(input);
    const b = computePortfolioRisk(input);
    const c = computePortfolioRisk({ ...input, monteCarlo: { paths: 3000, seed: 43 } });
    expect(a.var.monteCarlo).toEqual(b.var.monteCarlo);
    expect(a.var.monteCarlo['95']).not.toBe(c.var.monteCarlo['95']);
  });

  it('adds a diagonal jitter to a singular covariance (duplicate asset) and still runs', () => {
    const plain = randomSeries(13, 1, 300, 0);
    const first = at(plain, 0, 'series');
    const twin = { ...first, symbol: 'TWIN' };
    const series = [first, twin].map(toTyped);
    const { mean, cov } = meanAndCovariance(series.map((s) => Float64Array.from(s.close.subarray(1), (c, t) => c / at(s.close, t) - 1)));
    const res = monteCarloRisk({ mean, cov, weights: [0.5, 0.5], horizon: 1, paths: 20000, seed: 42, confidences: [0.99] });
    expect(res.jitter).toBeGreaterThan(0);
    const variance = at(cov, 0);
    expect(res.jitter).toBeLessThan(1e-9 * variance);
    const pn = at(parametricRisk(at(mean, 0), Math.sqrt(variance), 1, [0.99]), 0);
    expect(Math.abs(at(res.estimates, 0).var / pn.var - 1)).toBeLessThan(0.05);
    const report = computePortfolioRisk({ series, weights: { S0: 0.5, TWIN: 0.5 }, horizonBars: 1, monteCarlo: { paths: 1000, seed: 1 } });
    expect(Number.isFinite(report.var.monteCarlo['99'])).toBe(true);
  });
});
