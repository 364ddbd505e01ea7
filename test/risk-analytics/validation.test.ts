import { describe, expect, it } from 'vitest';
import { computePortfolioRisk, RiskInputError } from '../../src/analytics/risk/index.ts';
import type { PortfolioRiskInput, PriceSeries } from '../../src/analytics/risk/index.ts';
import { at } from './reference.ts';

const HOUR = 3_600_000;
const T0 = Date.UTC(2021, 0, 1);

function series(symbol: string, bars: number, offset = 0): PriceSeries {
  const time = Float64Array.from({ length: bars }, (_, k) => T0 + (k + offset) * HOUR);
  const close = Float64Array.from({ length: bars }, (_, k) => 100 + 5 * Math.sin(k + symbol.length));
  return { symbol, time, close };
}

const base: PortfolioRiskInput = {
  series: [series('BTC', 100), series('ETH', 100)],
  weights: { BTC: 0.6, ETH: 0.4 },
  horizonBars: 1,
  monteCarlo: { paths: 200, seed: 1 },
};

function errorOf(input: unknown): RiskInputError {
  try {
    computePortfolioRisk(input as PortfolioRiskInput);
  } catch (e) {
    expect(e).toBeInstanceOf(RiskInputError);
    return e as RiskInputError;
  }
  throw new Error('expected a RiskInputError');
}

describe('input validation', () => {
  it('accepts a valid input and returns the documented shape', () => {
    const r = computePortfolioRisk(base);
    expect(Object.keys(r)).toEqual(['var', 'es', 'correlation', 'stress', 'observations', 'horizonBars']);
    for (const side of [r.var, r.es]) {
      expect(Object.keys(side)).toEqual(['historical', 'parametric', 'cornishFisher', 'monteCarlo']);
      for (const m of Object.values(side)) expect(Object.keys(m)).toEqual(['95', '99']);
    }
    expect(r.observations).toBe(99);
    expect(r.horizonBars).toBe(1);
  });

  it('rejects weights for symbols not in the series', () => {
    const e = errorOf({ ...base, weights: { BTC: 0.5, XRP: 0.5 } });
    expect(e.field).toBe('weights.XRP');
    expect(e.message).toMatch(/weights\.XRP.*not in series.*BTC, ETH/);
  });

  it('rejects NaN and non-numeric weights', () => {
    const e = errorOf({ ...base, weights: { BTC: Number.NaN, ETH: 0.4 } });
    expect(e.field).toBe('weights.BTC');
    expect(e.message).toContain('NaN');
    expect(errorOf({ ...base, weights: { BTC: '0.6' } }).field).toBe('weights.BTC');
    expect(errorOf({ ...base, weights: { BTC: Infinity } }).message).toContain('Infinity');
  });

  it('rejects fewer than 30 aligned observations', () => {
    // 100 bars each but only 25 timestamps in common -> 24 returns.
    const e = errorOf({ ...base, series: [series('BTC', 100), series('ETH', 100, 75)] });
    expect(e.field).toBe('series');
    expect(e.value).toBe(24);
    expect(e.message).toMatch(/at least 30 aligned returns.*got 24/);
    expect(errorOf({ ...base, series: [series('BTC', 30), series('ETH', 30)] }).value).toBe(29);
    expect(() => computePortfolioRisk({ ...base, series: [series('BTC', 31), series('ETH', 31)] })).not.toThrow();
  });

  it('rejects a horizon below 1, fractional, or longer than the data', () => {
    expect(errorOf({ ...base, horizonBars: 0 }).message).toMatch(/^horizonBars: .*got 0/);
    expect(errorOf({ ...base, horizonBars: -3 }).field).toBe('horizonBars');
    expect(errorOf({ ...base, horizonBars: 1.5 }).message).toContain('1.5');
    expect(errorOf({ ...base, horizonBars: Number.NaN }).message).toContain('NaN');
    expect(errorOf({ ...base, horizonBars: 100 }).message).toMatch(/exceeds the 99 aligned returns/);
  });

  it('rejects malformed series', () => {
    expect(errorOf({ ...base, series: [] }).field).toBe('series');
    expect(errorOf({ ...base, series: [series('BTC', 50), series('BTC', 50)] }).field).toBe('series[1].symbol');
    const short = { ...series('ETH', 50), close: new Float64Array(49).fill(1) };
    expect(errorOf({ ...base, series: [series('BTC', 50), short] }).field).toBe('series[1].close.length');
    const unsorted = series('ETH', 50);
    unsorted.time[10] = at(unsorted.time, 9);
    expect(errorOf({ ...base, series: [series('BTC', 50), unsorted] }).field).toBe('series[1].time[10]');
    const badClose = series('ETH', 50);
    badClose.close[7] = 0;
    expect(errorOf({ ...base, series: [series('BTC', 50), badClose] }).field).toBe('series[1].close[7]');
    const nanClose = series('ETH', 50);
    nanClose.close[3] = Number.NaN;
    expect(errorOf({ ...base, series: [series('BTC', 50), nanClose] }).message).toContain('NaN');
    expect(errorOf({ ...base, series: [{ symbol: 'BTC', time: [1, 2], close: [1, 2] }] }).field).toBe('series[0].time');
  });

  it('rejects bad options', () => {
    expect(errorOf({ ...base, confidence: [0.95, 1] }).field).toBe('confidence[1]');
    expect(errorOf({ ...base, confidence: [0.95, 0.95] }).message).toContain('duplicate');
    expect(errorOf({ ...base, monteCarlo: { paths: 0, seed: 1 } }).field).toBe('monteCarlo.paths');
    expect(errorOf({ ...base, monteCarlo: { paths: 10, seed: 0.5 } }).field).toBe('monteCarlo.seed');
    expect(errorOf({ ...base, correlationLimit: Number.NaN }).field).toBe('correlationLimit');
    expect(errorOf({ ...base, stressWindows: [{ name: 'x', start: 10, end: 5 }] }).field).toBe('stressWindows[0].end');
  });

  it('uses custom confidence levels as keys', () => {
    const r = computePortfolioRisk({ ...base, confidence: [0.9, 0.975] });
    expect(Object.keys(r.var.historical)).toEqual(['90', '97.5']);
  });
});
