import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  computeMetrics,
  drawdownSeries,
  MS_PER_YEAR,
  periodsPerYear,
} from '../../src/analytics/metrics.ts';
import type { MetricsInput, PerformanceMetrics } from '../../src/analytics/metrics.ts';

const DAY = 86_400_000;

function input(equity: number[], over: Partial<MetricsInput> = {}): MetricsInput {
  const time = new Float64Array(equity.length);
  for (let i = 0; i < equity.length; i++) time[i] = (i + 1) * DAY;
  return {
    equity: Float64Array.from(equity),
    time,
    initialCapital: 100,
    periodsPerYear: 365,
    firstTime: 0,
    trades: [],
    barsInPosition: 0,
    ...over,
  };
}

describe('periodsPerYear', () => {
  it('crypto counts 365 days around the clock', () => {
    expect(periodsPerYear('crypto', DAY)).toBe(365);
    expect(periodsPerYear('crypto', 3_600_000)).toBe(365 * 24); // 8760
    expect(periodsPerYear('crypto', 60_000)).toBe(365 * 1440); // 525600
  });
  it('A-shares count 252 days of 240 minutes', () => {
    expect(periodsPerYear('ashare', DAY)).toBe(252);
    expect(periodsPerYear('ashare', 60_000)).toBe(252 * 240); // 60480
    expect(periodsPerYear('ashare', 5 * 60_000)).toBe(252 * 48); // 12096
    expect(periodsPerYear('ashare', 3_600_000)).toBe(252 * 4); // 1008
  });
  it('rejects a non-positive interval', () => {
    expect(() => periodsPerYear('crypto', 0)).toThrow(RangeError);
    expect(() => periodsPerYear('ashare', Number.NaN)).toThrow(RangeError);
  });
});

describe('computeMetrics on hand-computed series', () => {
  it('equity [100, 110, 99, 108.9] from capital 100', () => {
    // Times: bar closes at day 1, 2, 3 and day 365.25, first bar opens at 0 -> exactly one year.
    const time = Float64Array.from([DAY, 2 * DAY, 3 * DAY, MS_PER_YEAR]);
    const dd = new Float64Array(4);
    const m = computeMetrics(
      input([100, 110, 99, 108.9], { time, periodsPerYear: 4, barsInPosition: 3 }),
      dd,
    );
    // Returns: 100/100-1 = 0; 110/100-1 = 0.1; 99/110-1 = -0.1; 108.9/99-1 = 0.1.
    // mean = (0 + 0.1 - 0.1 + 0.1) / 4 = 0.025
    expect(m.meanReturn).toBeCloseTo(0.025, 14);
    // deviations -0.025, 0.075, -0.125, 0.075; squares 0.000625 + 0.005625 + 0.015625 + 0.005625 = 0.0275
    // sample variance 0.0275 / 3 = 0.0091666..., sd = 0.0957427107756338
    // sharpe = 0.025 / 0.0957427107756338 x sqrt(4) = 0.522232967867093
    expect(m.sharpe).toBeCloseTo(0.522232967867093, 12);
    // volatility = 0.0957427107756338 x 2 = 0.191485421551268
    expect(m.volatility).toBeCloseTo(0.191485421551268, 12);
    // downside: only -0.1 is negative; sqrt(0.01 / 4) = 0.05; sortino = 0.025 / 0.05 x 2 = 1
    expect(m.sortino).toBeCloseTo(1, 12);
    // totalReturn = 108.9 / 100 - 1 = 0.089; years = 1 so cagr = 1.089^1 - 1 = 0.089
    expect(m.totalReturn).toBeCloseTo(0.089, 12);
    expect(m.years).toBe(1);
    expect(m.cagr).toBeCloseTo(0.089, 12);
    // peaks 100, 110, 110, 110: drawdowns 0, 0, (110-99)/110 = 0.1, (110-108.9)/110 = 0.01
    expect(m.maxDrawdown).toBeCloseTo(0.1, 12);
    // bars 3 and 4 are below the peak of 110: two bars underwater
    expect(m.maxDrawdownDurationBars).toBe(2);
    expect(Array.from(dd).map((x) => +x.toFixed(12))).toEqual([0, 0, -0.1, -0.01]);
    expect(Array.from(drawdownSeries(Float64Array.from([100, 110, 99, 108.9]), 100))).toEqual(Array.from(dd));
    // calmar = 0.089 / 0.1 = 0.89
    expect(m.calmar).toBeCloseTo(0.89, 12);
    // exposure = 3 bars in position / 4 bars = 0.75
    expect(m.exposure).toBe(0.75);
    expect(m.bars).toBe(4);
    expect(m.finalEquity).toBe(108.9);
    expect(m.winRate).toBeNull();
    expect(m.profitFactor).toBeNull();
  });

  it('first return is measured against the initial capital', () => {
    // capital 100, equity [90, 99]: returns 90/100-1 = -0.1, 99/90-1 = 0.1; mean 0
    // drawdown: peak stays 100 -> 0.1 then 0.01, two bars underwater
    const m = computeMetrics(input([90, 99]));
    expect(m.meanReturn).toBeCloseTo(0, 15);
    expect(m.maxDrawdown).toBeCloseTo(0.1, 12);
    expect(m.maxDrawdownDurationBars).toBe(2);
    // sharpe = 0 / sd = 0 (sd = sqrt(((-0.1)^2 + 0.1^2) / 1) = 0.1414...)
    expect(m.sharpe).toBeCloseTo(0, 12);
  });

  it('a flat series has no ratios', () => {
    const m = computeMetrics(input([100, 100, 100, 100, 100]));
    // every return is 100/100-1 = 0: sd 0 -> sharpe null; no negative return -> sortino null
    expect(m.totalReturn).toBe(0);
    expect(m.meanReturn).toBe(0);
    expect(m.volatility).toBe(0);
    expect(m.sharpe).toBeNull();
    expect(m.sortino).toBeNull();
    expect(m.maxDrawdown).toBe(0);
    expect(m.maxDrawdownDurationBars).toBe(0);
    // years = 5 days / 365.25 days > 0, cagr = 1^(...) - 1 = 0; drawdown 0 -> calmar null
    expect(m.cagr).toBe(0);
    expect(m.calmar).toBeNull();
    expect(m.exposure).toBe(0);
  });

  it('a monotone rising series has no drawdown and no calmar', () => {
    // capital 100, equity 101, 103, 106, 110: returns 0.01, 2/101, 3/103, 4/106, all positive
    const m = computeMetrics(input([101, 103, 106, 110], { periodsPerYear: 365 }));
    expect(m.maxDrawdown).toBe(0);
    expect(m.maxDrawdownDurationBars).toBe(0);
    expect(m.calmar).toBeNull();
    expect(m.sortino).toBeNull(); // nothing below zero: downside deviation 0
    expect(m.sharpe).not.toBeNull();
    expect(m.sharpe!).toBeGreaterThan(0);
    // 4 days: years = 4 / 365.25, cagr = 1.1^(365.25/4) - 1
    expect(m.cagr).toBeCloseTo(Math.pow(1.1, 365.25 / 4) - 1, 6);
    expect(m.totalReturn).toBeCloseTo(0.1, 12);
  });

  it('no bars: neutral numbers and nulls', () => {
    const m = computeMetrics(input([]));
    expect(m.bars).toBe(0);
    expect(m.finalEquity).toBe(100);
    expect(m.totalReturn).toBe(0);
    expect(m.cagr).toBeNull();
    expect(m.sharpe).toBeNull();
    expect(m.sortino).toBeNull();
    expect(m.meanReturn).toBeNull();
    expect(m.exposure).toBe(0);
  });

  it('one bar: no sharpe (fewer than 2 returns), years <= 0 gives null cagr', () => {
    // capital 100, equity 95: return -0.05; downside sqrt(0.0025 / 1) = 0.05; sortino = -0.05 / 0.05 x sqrt(365)
    const m = computeMetrics(input([95], { time: Float64Array.from([0]) }));
    expect(m.sharpe).toBeNull();
    expect(m.volatility).toBeNull();
    expect(m.sortino).toBeCloseTo(-Math.sqrt(365), 12);
    expect(m.years).toBe(0);
    expect(m.cagr).toBeNull();
    expect(m.calmar).toBeNull();
    expect(m.maxDrawdown).toBeCloseTo(0.05, 12);
  });

  it('a wipe-out gives cagr -1 and skips returns against non-positive equity', () => {
    // returns: 50/100-1 = -0.5, -10/50-1 = -1.2; the bar after -10 has no defined return
    const m = computeMetrics(input([50, -10, 5]));
    expect(m.cagr).toBe(-1);
    expect(m.meanReturn).toBeCloseTo(-0.85, 12);
    // drawdown (100 - (-10)) / 100 = 1.1: beyond 100 % once equity is negative
    expect(m.maxDrawdown).toBeCloseTo(1.1, 12);
    expect(Number.isFinite(m.sharpe!)).toBe(true);
  });

  it('rejects bad input', () => {
    expect(() => computeMetrics(input([1], { initialCapital: 0 }))).toThrow(RangeError);
    expect(() => computeMetrics(input([1], { time: new Float64Array(2) }))).toThrow(RangeError);
    expect(() => computeMetrics(input([1], { periodsPerYear: 0 }))).toThrow(RangeError);
    expect(() => computeMetrics(input([1, 2]), new Float64Array(1))).toThrow(RangeError);
  });
});

describe('trade statistics', () => {
  it('win rate and profit factor', () => {
    // pnl 10, -5, 20, 0, -15: wins 2 (10, 20), losses 2, the 0 trade counts as a trade but neither
    // winRate = 2 / 5 = 0.4; gross profit 30, gross loss |-5 - 15| = 20; profit factor 30 / 20 = 1.5
    const m = computeMetrics(input([100], { trades: [{ pnl: 10 }, { pnl: -5 }, { pnl: 20 }, { pnl: 0 }, { pnl: -15 }] }));
    expect(m.trades).toBe(5);
    expect(m.winningTrades).toBe(2);
    expect(m.losingTrades).toBe(2);
    expect(m.winRate).toBe(0.4);
    expect(m.grossProfit).toBe(30);
    expect(m.grossLoss).toBe(20);
    expect(m.profitFactor).toBe(1.5);
  });
  it('nothing lost: profit factor null, win rate 1', () => {
    const m = computeMetrics(input([100], { trades: [{ pnl: 3 }, { pnl: 4 }] }));
    expect(m.winRate).toBe(1);
    expect(m.grossLoss).toBe(0);
    expect(m.profitFactor).toBeNull();
  });
  it('only losses: profit factor 0, win rate 0', () => {
    const m = computeMetrics(input([100], { trades: [{ pnl: -3 }] }));
    expect(m.winRate).toBe(0);
    expect(m.profitFactor).toBe(0);
  });
  it('no trades: both null', () => {
    const m = computeMetrics(input([100]));
    expect(m.trades).toBe(0);
    expect(m.winRate).toBeNull();
    expect(m.profitFactor).toBeNull();
  });
});

describe('properties', () => {
  // Equity in whole cents, so that scaling cannot merge two different values by rounding.
  const positiveEquity = fc.array(fc.integer({ min: 1, max: 100_000_000 }), { minLength: 1, maxLength: 200 });

  it('maxDrawdown is within [0, 1] for positive equity', () => {
    fc.assert(
      fc.property(positiveEquity, fc.integer({ min: 1, max: 100_000_000 }), (cents, capitalCents) => {
        const m = computeMetrics(input(cents.map((c) => c / 100), { initialCapital: capitalCents / 100 }));
        expect(m.maxDrawdown).toBeGreaterThanOrEqual(0);
        expect(m.maxDrawdown).toBeLessThanOrEqual(1);
        const dd = drawdownSeries(Float64Array.from(cents.map((c) => c / 100)), capitalCents / 100);
        for (const x of dd) expect(x <= 0 && x >= -1).toBe(true);
        expect(-Math.min(0, ...dd)).toBeCloseTo(m.maxDrawdown, 12);
      }),
    );
  });

  it('the sign of sharpe is the sign of the mean return', () => {
    const returns = fc.array(fc.double({ min: -0.5, max: 0.5, noNaN: true }), { minLength: 2, maxLength: 200 });
    fc.assert(
      fc.property(returns, (rs) => {
        const equity: number[] = [];
        let e = 100;
        for (const r of rs) {
          e *= 1 + r;
          equity.push(e);
        }
        const m = computeMetrics(input(equity));
        // recompute the mean return from the equity, independently of the implementation
        let sum = 0;
        let prev = 100;
        for (const x of equity) {
          sum += x / prev - 1;
          prev = x;
        }
        const mean = sum / equity.length;
        fc.pre(Math.abs(mean) > 1e-9 && m.sharpe !== null);
        expect(Math.sign(m.sharpe!)).toBe(Math.sign(mean));
        expect(Math.sign(m.sharpe!)).toBe(Math.sign(m.meanReturn!));
      }),
    );
  });

  it('scaling equity and capital by a constant changes no ratio', () => {
    // Relative tolerance 1e-6: a return of ~1e-8 (two close cent values) carries a relative rounding
    // error of ~1e-8 from e/prev - 1, and ratios with it in the denominator inherit it.
    const close = (a: number | null, b: number | null): boolean =>
      a === null || b === null ? a === b : Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(a), Math.abs(b));
    const ratios: Array<keyof PerformanceMetrics> = [
      'totalReturn', 'cagr', 'meanReturn', 'volatility', 'sharpe', 'sortino', 'maxDrawdown',
      'maxDrawdownDurationBars', 'calmar', 'exposure', 'winRate', 'profitFactor',
    ];
    fc.assert(
      fc.property(
        positiveEquity,
        fc.integer({ min: 1, max: 100_000_000 }),
        fc.double({ min: 1e-3, max: 1e3, noNaN: true }),
        fc.array(fc.integer({ min: -1000, max: 1000 }), { maxLength: 20 }),
        (cents, capitalCents, k, pnls) => {
          const base = input(cents.map((c) => c / 100), {
            initialCapital: capitalCents / 100,
            trades: pnls.map((p) => ({ pnl: p })),
            barsInPosition: Math.floor(cents.length / 2),
          });
          const scaled: MetricsInput = {
            ...base,
            equity: base.equity.map((x) => x * k),
            initialCapital: base.initialCapital * k,
            trades: base.trades.map((t) => ({ pnl: t.pnl * k })),
          };
          const a = computeMetrics(base);
          const b = computeMetrics(scaled);
          for (const key of ratios) {
            const x = a[key];
            const y = b[key];
            if (!close(x, y)) throw new Error(`${key}: ${x} vs ${y} (k=${k})`);
          }
        },
      ),
    );
  });
});

describe('speed', () => {
  it('handles 1M bars quickly', () => {
    const n = 1_000_000;
    const equity = new Float64Array(n);
    const time = new Float64Array(n);
    let e = 10_000;
    let seed = 7;
    for (let i = 0; i < n; i++) {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      e *= 1 + (seed / 2147483648 - 0.5) * 0.002;
      equity[i] = e;
      time[i] = (i + 1) * 60_000;
    }
    const dd = new Float64Array(n);
    const t0 = performance.now();
    const m = computeMetrics({ equity, time, initialCapital: 10_000, periodsPerYear: 525_600, firstTime: 0, trades: [], barsInPosition: n }, dd);
    const ms = performance.now() - t0;
    expect(m.bars).toBe(n);
    expect(m.sharpe).not.toBeNull();
    expect(ms).toBeLessThan(1000);
  });
});
