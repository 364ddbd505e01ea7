import { describe, expect, it } from 'vitest';
import { computePortfolioRisk, hypotheticalShocks, replayWindow } from '../../src/analytics/risk/index.ts';
import type { PriceSeries } from '../../src/analytics/risk/index.ts';
import { at, testRandom } from './reference.ts';

const HOUR = 3_600_000;
const DAY = 86_400_000;
const T0 = Date.UTC(2020, 2, 11); // 2020-03-11T00:00Z

function hourly(bars: number): Float64Array {
  return Float64Array.from({ length: bars }, (_, k) => T0 + k * HOUR);
}

describe('correlation', () => {
  const rnd = testRandom(3);
  const n = 200;
  const time = hourly(n);
  const x = Float64Array.from({ length: n }, () => 100 * (1 + 0.01 * rnd.normal()));
  // Returns of the mirror series are exactly the negation of x's returns: c_t = 2 c_{t-1} - x_t ... built from returns.
  const rx = Float64Array.from({ length: n - 1 }, (_, t) => at(x, t + 1) / at(x, t) - 1);
  const mirror = new Float64Array(n);
  mirror[0] = 100;
  for (let t = 1; t < n; t++) mirror[t] = at(mirror, t - 1) * (1 - at(rx, t - 1));
  const other = Float64Array.from({ length: n }, () => 100 * (1 + 0.01 * rnd.normal()));
  const series: PriceSeries[] = [
    { symbol: 'X', time, close: x },
    { symbol: 'XCOPY', time, close: x.map((c) => 3 * c) },
    { symbol: 'NEG', time, close: mirror },
    { symbol: 'OTHER', time, close: other },
  ];
  const report = computePortfolioRisk({ series, weights: { X: 1 }, horizonBars: 1, monteCarlo: { paths: 500, seed: 1 } });
  const m = report.correlation.matrix;
  const corr = (i: number, j: number): number => at(at(m, i, 'correlation row'), j, 'correlation');

  it('is 1 with itself (and a scaled copy) and -1 with its negation', () => {
    expect(report.correlation.symbols).toEqual(['X', 'XCOPY', 'NEG', 'OTHER']);
    for (let i = 0; i < 4; i++) expect(corr(i, i)).toBe(1);
    expect(corr(0, 1)).toBeCloseTo(1, 12);
    expect(corr(0, 2)).toBeCloseTo(-1, 12);
    expect(corr(1, 2)).toBeCloseTo(-1, 12);
    expect(Math.abs(corr(0, 3))).toBeLessThan(0.3);
    for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) expect(corr(i, j)).toBe(corr(j, i));
  });

  it('lists the pairs above the limit', () => {
    expect(report.correlation.limit).toBe(0.7);
    expect(report.correlation.breaches.map((b) => [b.a, b.b])).toEqual([['X', 'XCOPY']]);
    const loose = computePortfolioRisk({ series, weights: { X: 1 }, horizonBars: 1, correlationLimit: -2, monteCarlo: { paths: 500, seed: 1 } });
    expect(loose.correlation.breaches).toHaveLength(6);
  });
});

describe('historical stress replay', () => {
  // 3 days of hourly bars. A falls on day 2 (k = 24..47), B rises from k = 30.
  const n = 72;
  const time = hourly(n);
  const a = Float64Array.from({ length: n }, (_, k) => (k < 24 ? 100 : k === 24 ? 90 : k === 25 ? 80 : k === 26 ? 95 : 85));
  const b = Float64Array.from({ length: n }, (_, k) => (k < 30 ? 50 : 60));
  const weights = [0.5, 0.3]; // 0.2 in cash
  const day2 = { name: 'day 2', start: T0 + DAY, end: T0 + 2 * DAY - 1 };

  it('computes buy-and-hold loss and max drawdown over a whole UTC day', () => {
    // prev bar k = 23: A 100, B 50. Values 0.95, 0.9, 0.975, 0.925 x3, then 0.985 (B +20%).
    const r = replayWindow(time, [a, b], weights, day2);
    expect(r.covered).toBe(true);
    expect(r.loss).toBeCloseTo(0.015, 14);
    expect(r.maxDrawdown).toBeCloseTo(0.1, 14);
  });

  it('tracks the running peak inside the window', () => {
    // Window k = 26..29, prev k = 25 (A 80): values 1.09375, 1.03125, 1.03125, 1.03125.
    const r = replayWindow(time, [a, b], weights, { name: 'bounce', start: at(time, 26), end: at(time, 29) });
    expect(r.loss).toBeCloseTo(-0.03125, 14);
    expect(r.maxDrawdown).toBeCloseTo(0.0625 / 1.09375, 14);
  });

  it('reports windows the data does not cover instead of failing', () => {
    const cases = [
      { name: 'first day (no bar before it)', start: T0, end: T0 + DAY - 1 },
      { name: 'runs past the data', start: T0 + 2 * DAY, end: T0 + 3 * DAY + 5 * HOUR },
      { name: 'long after', start: T0 + 10 * DAY, end: T0 + 11 * DAY - 1 },
      { name: 'long before', start: T0 - 10 * DAY, end: T0 - 9 * DAY - 1 },
    ];
    for (const w of cases) {
      const r = replayWindow(time, [a, b], weights, w);
      expect(r.covered, w.name).toBe(false);
      expect(r.loss).toBeNaN();
    }
    // The last whole day ends with the data and is covered.
    expect(replayWindow(time, [a, b], weights, { name: 'day 3', start: T0 + 2 * DAY, end: T0 + 3 * DAY - 1 }).covered).toBe(true);
  });

  it('runs through computePortfolioRisk, followed by the hypothetical shocks', () => {
    const report = computePortfolioRisk({
      series: [
        { symbol: 'A', time, close: a },
        { symbol: 'B', time, close: b },
      ],
      weights: { A: 0.5, B: 0.3 },
      horizonBars: 1,
      monteCarlo: { paths: 500, seed: 1 },
      stressWindows: [day2, { name: 'missing', start: T0 + 20 * DAY, end: T0 + 21 * DAY - 1 }],
    });
    expect(report.stress[0]).toMatchObject({ name: 'day 2', kind: 'historical', covered: true });
    expect(at(report.stress, 0).loss).toBeCloseTo(0.015, 14);
    expect(report.stress[1]).toMatchObject({ name: 'missing', kind: 'historical', covered: false });
    const hypo = report.stress.slice(2);
    expect(hypo.map((s) => s.name)).toEqual([
      'shock -10%',
      'shock -10% A',
      'shock -10% B',
      'shock -20%',
      'shock -20% A',
      'shock -20% B',
      'shock -30%',
      'shock -30% A',
      'shock -30% B',
    ]);
    expect(hypo.every((s) => s.kind === 'hypothetical')).toBe(true);
    expect(at(hypo, 0).loss).toBeCloseTo(0.08, 15);
    expect(at(hypo, 1).loss).toBeCloseTo(0.05, 15);
    expect(at(hypo, 8).loss).toBeCloseTo(0.09, 15);
  });
});

describe('hypothetical shocks', () => {
  it('equal the shock for fully invested weights and scale with each weight', () => {
    const s = hypotheticalShocks(['BTC', 'ETH'], [0.6, 0.4]);
    expect(at(s, 0).loss).toBeCloseTo(0.1, 15);
    expect(at(s, 3).loss).toBeCloseTo(0.2, 15);
    expect(at(s, 6).loss).toBeCloseTo(0.3, 15);
    expect(s[7]).toEqual({ name: 'shock -30% BTC', kind: 'hypothetical', loss: 0.6 * 0.3 });
    expect(at(s, 8).loss).toBeCloseTo(0.12, 15);
    expect(at(hypotheticalShocks(['X'], [0]), 1).loss).toBe(0);
  });
});
