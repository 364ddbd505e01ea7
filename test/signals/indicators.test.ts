import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import {
  ATR as TsATR,
  BollingerBands as TsBollingerBands,
  EMA as TsEMA,
  MACD as TsMACD,
  RSI as TsRSI,
  SMA as TsSMA,
} from 'trading-signals';
import { describe, expect, it } from 'vitest';
import { Atr, BollingerBands, Ema, Macd, Rsi, Sma } from '../../src/signals/indicators/index.ts';
import { readBtc } from './ohlcv.ts';
import { refAtr, refBollinger, refEma, refMacd, refRsi, refSma } from './reference.ts';

// ---------------------------------------------------------------------------------------------
// Helpers

const REL = 1e-9;
/** Absolute floor for values near zero (MACD histogram, RSI near 0, band width of a flat window). */
const ABS = 1e-9;

function at<T>(xs: readonly T[], i: number): T {
  const x = xs[i];
  if (x === undefined) throw new Error(`index ${i} is out of range (length ${xs.length})`);
  return x;
}

function field<T>(record: Readonly<Record<string, T>>, key: string): T {
  const value = record[key];
  if (value === undefined) throw new Error(`fixture field "${key}" is missing`);
  return value;
}

function near(actual: number, expected: number, rel = REL, abs = ABS): boolean {
  if (Number.isNaN(expected)) return Number.isNaN(actual);
  return Math.abs(actual - expected) <= Math.max(rel * Math.abs(expected), abs);
}

/** Fails with the first differing index (NaN must match NaN). */
function expectSeries(actual: readonly number[], expected: readonly number[], label: string, rel = REL, abs = ABS): void {
  expect(actual.length, `${label}: length`).toBe(expected.length);
  const bad = expected.findIndex((e, i) => !near(at(actual, i), e, rel, abs));
  if (bad >= 0) {
    expect.fail(`${label}: index ${bad}: got ${actual[bad]}, expected ${expected[bad]}`);
  }
}

function runSma(xs: readonly number[], period: number): number[] {
  const ind = new Sma(period);
  return xs.map((x) => ind.update(x));
}
function runEma(xs: readonly number[], period: number): number[] {
  const ind = new Ema(period);
  return xs.map((x) => ind.update(x));
}
function runRsi(xs: readonly number[], period: number): number[] {
  const ind = new Rsi(period);
  return xs.map((x) => ind.update(x));
}
function runMacd(xs: readonly number[], fast: number, slow: number, signal: number) {
  const ind = new Macd(fast, slow, signal);
  const out = { macd: [] as number[], signal: [] as number[], histogram: [] as number[] };
  for (const x of xs) {
    expect(ind.update(x)).toBe(ind.macd);
    out.macd.push(ind.macd);
    out.signal.push(ind.signal);
    out.histogram.push(ind.histogram);
  }
  return out;
}
function runBollinger(xs: readonly number[], period: number, k: number) {
  const ind = new BollingerBands(period, k);
  const out = { middle: [] as number[], upper: [] as number[], lower: [] as number[] };
  for (const x of xs) {
    const m = ind.update(x);
    out.middle.push(m);
    out.upper.push(ind.upper);
    out.lower.push(ind.lower);
  }
  return out;
}
function runAtr(high: readonly number[], low: readonly number[], close: readonly number[], period: number): number[] {
  const ind = new Atr(period);
  return close.map((c, i) => ind.update(at(high, i), at(low, i), c));
}

interface Vectors {
  indicator: string;
  rows: number;
  input: Record<string, number[]>;
  cases: { params: Record<string, number>; expected: Record<string, number[]> }[];
}

function loadVectors(name: string): Vectors {
  const url = new URL(`../fixtures/indicators/${name}.json`, import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8'), (_key, v: unknown) => (v === null ? NaN : v)) as Vectors;
}

const btc300 = readBtc(300);
const btc = readBtc();

// ---------------------------------------------------------------------------------------------
// Published test vectors (test/fixtures/indicators/*.json)

describe('test vectors from data/BTCUSDT-1m (first 300 bars)', () => {
  it('fixture inputs are the first 300 bars of the shipped CSV', () => {
    for (const name of ['sma', 'ema', 'rsi', 'macd', 'bollinger', 'atr']) {
      const v = loadVectors(name);
      expect(v.rows).toBe(300);
      expect(v.input.close).toEqual(btc300.close);
      if (name === 'atr') {
        expect(v.input.high).toEqual(btc300.high);
        expect(v.input.low).toEqual(btc300.low);
      }
    }
  });

  it('SMA', () => {
    const v = loadVectors('sma');
    const close = field(v.input, 'close');
    for (const c of v.cases) {
      const period = field(c.params, 'period');
      expectSeries(runSma(close, period), field(c.expected, 'value'), `sma ${period}`);
    }
  });

  it('EMA', () => {
    const v = loadVectors('ema');
    const close = field(v.input, 'close');
    for (const c of v.cases) {
      const period = field(c.params, 'period');
      expectSeries(runEma(close, period), field(c.expected, 'value'), `ema ${period}`);
    }
  });

  it('RSI', () => {
    const v = loadVectors('rsi');
    const close = field(v.input, 'close');
    for (const c of v.cases) {
      const period = field(c.params, 'period');
      expectSeries(runRsi(close, period), field(c.expected, 'value'), `rsi ${period}`);
    }
  });

  it('MACD', () => {
    const v = loadVectors('macd');
    const close = field(v.input, 'close');
    for (const c of v.cases) {
      const fastPeriod = field(c.params, 'fastPeriod');
      const slowPeriod = field(c.params, 'slowPeriod');
      const signalPeriod = field(c.params, 'signalPeriod');
      const got = runMacd(close, fastPeriod, slowPeriod, signalPeriod);
      for (const key of ['macd', 'signal', 'histogram'] as const) {
        expectSeries(got[key], field(c.expected, key), `macd ${fastPeriod}/${slowPeriod}/${signalPeriod} ${key}`);
      }
    }
  });

  it('Bollinger Bands', () => {
    const v = loadVectors('bollinger');
    const close = field(v.input, 'close');
    for (const c of v.cases) {
      const period = field(c.params, 'period');
      const k = field(c.params, 'k');
      const got = runBollinger(close, period, k);
      for (const key of ['middle', 'upper', 'lower'] as const) {
        expectSeries(got[key], field(c.expected, key), `bb ${period}/${k} ${key}`);
      }
    }
  });

  it('ATR', () => {
    const v = loadVectors('atr');
    const high = field(v.input, 'high');
    const low = field(v.input, 'low');
    const close = field(v.input, 'close');
    for (const c of v.cases) {
      const period = field(c.params, 'period');
      expectSeries(runAtr(high, low, close, period), field(c.expected, 'value'), `atr ${period}`);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Hand-computable cases

describe('hand-computed values', () => {
  it('SMA(3) of 1..5 = NaN, NaN, 2, 3, 4; SMA(5) of 1..5 = 3', () => {
    expect(runSma([1, 2, 3, 4, 5], 3)).toEqual([NaN, NaN, 2, 3, 4]);
    expect(runSma([1, 2, 3, 4, 5], 5)).toEqual([NaN, NaN, NaN, NaN, 3]);
    expect(runSma([7, 8], 1)).toEqual([7, 8]);
  });

  it('EMA(3) of 2, 4, 6, 8, 12: seed 4, then 6, then 9 (alpha = 1/2)', () => {
    expect(runEma([2, 4, 6, 8, 12], 3)).toEqual([NaN, NaN, 4, 6, 9]);
  });

  it('RSI(2) of 1, 2, 3, 2, 4: 100, 50, 83.33', () => {
    // changes +1 +1 -1 +2; seed gain 1 loss 0 -> 100; then gain 0.5 loss 0.5 -> 50;
    // then gain 1.25 loss 0.25, RS 5 -> 100 - 100/6
    const got = runRsi([1, 2, 3, 2, 4], 2);
    expect(got.slice(0, 4)).toEqual([NaN, NaN, 100, 50]);
    expect(got[4]).toBeCloseTo(100 - 100 / 6, 12);
    expect(runRsi([5, 4, 3, 2], 2)).toEqual([NaN, NaN, 0, 0]);
    expect(runRsi([3, 3, 3, 3], 2)).toEqual([NaN, NaN, 50, 50]); // flat: documented choice
  });

  it('MACD(2, 3, 2) of 1, 2, 4, 8, 16', () => {
    // EMA2: 3/2, 19/6, 115/18, 691/54; EMA3: 7/3, 31/6, 127/12
    // macd: 5/6, 11/9, 239/108; signal: seed (5/6 + 11/9)/2 = 37/36, then 589/324
    const m = new Macd(2, 3, 2);
    expect(m.warmupPeriod).toBe(4);
    const got = [1, 2, 4, 8].map((x) => m.update(x));
    expect(got.slice(0, 3)).toEqual([NaN, NaN, NaN]);
    expect(m.macd).toBeCloseTo(11 / 9, 14);
    expect(m.signal).toBeCloseTo(37 / 36, 14);
    expect(m.histogram).toBeCloseTo(7 / 36, 14);
    m.update(16);
    expect(m.macd).toBeCloseTo(239 / 108, 14);
    expect(m.signal).toBeCloseTo(589 / 324, 14);
    expect(m.histogram).toBeCloseTo(32 / 81, 14);
    expect(m.value).toBe(m.macd);
  });

  it('Bollinger(8, 2) of 2, 4, 4, 4, 5, 5, 7, 9: mean 5, sd 2 -> 1 / 5 / 9', () => {
    const bb = new BollingerBands(8, 2);
    for (const x of [2, 4, 4, 4, 5, 5, 7, 9]) bb.update(x);
    expect(bb.middle).toBe(5);
    expect(bb.stdDev).toBe(2);
    expect(bb.upper).toBe(9);
    expect(bb.lower).toBe(1);
    // slide: window 4, 4, 4, 5, 5, 7, 9, 10 -> mean 6, variance (4+4+4+1+1+1+9+16)/8 = 5
    expect(bb.update(10)).toBe(6);
    expect(bb.stdDev).toBeCloseTo(Math.sqrt(5), 14);
    expect(bb.upper).toBeCloseTo(6 + 2 * Math.sqrt(5), 14);
  });

  it('ATR(2): true ranges 2, 2, 5, 12 -> 2, 3.5, 7.75', () => {
    const atr = new Atr(2);
    expect(atr.update(10, 8, 9)).toBeNaN(); // TR = high - low = 2
    expect(atr.trueRange).toBe(2);
    expect(atr.update(11, 9, 10)).toBe(2); // TR 2, seed mean(2, 2)
    expect(atr.update(12, 7, 8)).toBe(3.5); // TR max(5, 2, 3) = 5
    expect(atr.update(20, 18, 19)).toBe(7.75); // gap up: TR |20 - 8| = 12
  });
});

// ---------------------------------------------------------------------------------------------
// Warm-up, reset, parameters

type AnyIndicator = { warmupPeriod: number; value: number; isReady: boolean; reset(): void };
interface Factory {
  name: string;
  make: () => AnyIndicator;
  feed: (ind: AnyIndicator, i: number) => number;
  warmup: number;
}

const closes = btc300.close;
const factories: Factory[] = [
  { name: 'Sma(20)', make: () => new Sma(20), feed: (ind, i) => (ind as Sma).update(at(closes, i)), warmup: 20 },
  { name: 'Ema(20)', make: () => new Ema(20), feed: (ind, i) => (ind as Ema).update(at(closes, i)), warmup: 20 },
  { name: 'Rsi()', make: () => new Rsi(), feed: (ind, i) => (ind as Rsi).update(at(closes, i)), warmup: 15 },
  { name: 'Macd()', make: () => new Macd(), feed: (ind, i) => (ind as Macd).update(at(closes, i)), warmup: 34 },
  {
    name: 'BollingerBands()',
    make: () => new BollingerBands(),
    feed: (ind, i) => (ind as BollingerBands).update(at(closes, i)),
    warmup: 20,
  },
  {
    name: 'Atr()',
    make: () => new Atr(),
    feed: (ind, i) => (ind as Atr).update(at(btc300.high, i), at(btc300.low, i), at(closes, i)),
    warmup: 14,
  },
];

describe('warm-up and reset', () => {
  for (const f of factories) {
    it(`${f.name}: NaN before warmupPeriod (${f.warmup}), defined exactly at it`, () => {
      const ind = f.make();
      expect(ind.warmupPeriod).toBe(f.warmup);
      for (let i = 0; i < f.warmup - 1; i++) {
        expect(f.feed(ind, i)).toBeNaN();
        expect(ind.value).toBeNaN();
        expect(ind.isReady).toBe(false);
      }
      const v = f.feed(ind, f.warmup - 1);
      expect(Number.isFinite(v)).toBe(true);
      expect(ind.value).toBe(v);
      expect(ind.isReady).toBe(true);
      for (let i = f.warmup; i < 100; i++) expect(Number.isFinite(f.feed(ind, i))).toBe(true);
    });

    it(`${f.name}: reset() gives a fresh indicator`, () => {
      const fresh = f.make();
      const expected = closes.slice(0, 120).map((_, i) => f.feed(fresh, i));
      const ind = f.make();
      for (let i = 150; i < 237; i++) f.feed(ind, i); // arbitrary history, not a multiple of any period
      ind.reset();
      expect(ind.isReady).toBe(false);
      expect(ind.value).toBeNaN();
      expect(closes.slice(0, 120).map((_, i) => f.feed(ind, i))).toEqual(expected);
    });
  }

  it('reset also clears the multi-output fields', () => {
    const m = new Macd();
    const bb = new BollingerBands();
    const atr = new Atr();
    for (let i = 0; i < 60; i++) {
      const close = at(closes, i);
      m.update(close);
      bb.update(close);
      atr.update(at(btc300.high, i), at(btc300.low, i), close);
    }
    m.reset();
    bb.reset();
    atr.reset();
    for (const v of [m.macd, m.signal, m.histogram, bb.middle, bb.upper, bb.lower, bb.stdDev, atr.trueRange]) {
      expect(v).toBeNaN();
    }
  });
});

describe('bad parameters throw RangeError naming the parameter', () => {
  const badPeriods = [0, -1, 1.5, NaN, Infinity, -Infinity];
  for (const p of badPeriods) {
    it(`period ${p}`, () => {
      expect(() => new Sma(p)).toThrow(RangeError);
      expect(() => new Sma(p)).toThrow(/^period/);
      expect(() => new Ema(p)).toThrow(/^period/);
      expect(() => new Rsi(p)).toThrow(/^period/);
      expect(() => new BollingerBands(p)).toThrow(/^period/);
      expect(() => new Atr(p)).toThrow(/^period/);
      expect(() => new Macd(p, 26, 9)).toThrow(/^fastPeriod/);
      expect(() => new Macd(12, p, 9)).toThrow(/^slowPeriod/);
      expect(() => new Macd(12, 26, p)).toThrow(/^signalPeriod/);
    });
  }

  it('Bollinger k must be finite and >= 0', () => {
    for (const k of [-1, NaN, Infinity]) {
      expect(() => new BollingerBands(20, k)).toThrow(RangeError);
      expect(() => new BollingerBands(20, k)).toThrow(/^k /);
    }
    expect(new BollingerBands(20, 0).k).toBe(0);
  });

  it('MACD needs fastPeriod < slowPeriod', () => {
    expect(() => new Macd(26, 12, 9)).toThrow(RangeError);
    expect(() => new Macd(12, 12, 9)).toThrow(/fastPeriod must be less than slowPeriod/);
  });

  it('defaults', () => {
    const m = new Macd();
    expect([m.fastPeriod, m.slowPeriod, m.signalPeriod, m.warmupPeriod]).toEqual([12, 26, 9, 34]);
    expect(new Rsi().period).toBe(14);
    expect(new Atr().period).toBe(14);
    const bb = new BollingerBands();
    expect([bb.period, bb.k]).toEqual([20, 2]);
  });
});

// ---------------------------------------------------------------------------------------------
// Numerical robustness of the rolling variance and sums

function twoPassSd(xs: readonly number[], end: number, n: number): number {
  let s = 0;
  for (let j = end - n + 1; j <= end; j++) s += at(xs, j);
  const m = s / n;
  let q = 0;
  for (let j = end - n + 1; j <= end; j++) q += (at(xs, j) - m) * (at(xs, j) - m);
  return Math.sqrt(q / n);
}

describe('rolling variance accuracy', () => {
  it('Bollinger sd matches a two-pass computation to 1e-9 relative over the whole BTC file', () => {
    const xs = btc.close;
    expect(xs.length).toBe(10080);
    const bb = new BollingerBands(20, 2);
    let worst = 0;
    for (const [t, x] of xs.entries()) {
      bb.update(x);
      if (t < 19) continue;
      const sd = twoPassSd(xs, t, 20);
      if (sd > 0) worst = Math.max(worst, Math.abs(bb.stdDev - sd) / sd);
      else expect(bb.stdDev).toBeLessThan(1e-9);
    }
    expect(worst).toBeLessThan(1e-9);
  });

  it('Bollinger sd and SMA stay accurate over 300,000 updates of a random walk near 60,000', () => {
    let seed = 12345;
    const rand = (): number => {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      return seed / 2 ** 32;
    };
    const xs: number[] = [];
    let p = 60_000;
    for (let i = 0; i < 300_000; i++) {
      p += (rand() - 0.5) * 40;
      xs.push(p);
    }
    const bb = new BollingerBands(20, 2);
    const sma = new Sma(20);
    let worstSd = 0;
    let worstMean = 0;
    for (const [t, x] of xs.entries()) {
      bb.update(x);
      sma.update(x);
      if (t < 19 || t % 7 !== 0) continue;
      const sd = twoPassSd(xs, t, 20);
      worstSd = Math.max(worstSd, Math.abs(bb.stdDev - sd) / sd);
      let s = 0;
      for (let j = t - 19; j <= t; j++) s += at(xs, j);
      worstMean = Math.max(worstMean, Math.abs(sma.value - s / 20) / (s / 20));
    }
    expect(worstSd).toBeLessThan(1e-9);
    expect(worstMean).toBeLessThan(1e-13);
  });

  it('a huge outlier stops affecting the SMA and the bands at the next exact recomputation', () => {
    // The sums are recomputed from the buffer every `period` updates, so the cancellation error
    // left by 1e20 (index 3) is gone at the first recomputation after it left the window (t = 8).
    const xs = [1, 2, 3, 1e20, 5, 6, 7, 8, 9, 10, 11, 12, 13];
    const sma = runSma(xs, 3);
    const bb = runBollinger(xs, 3, 1);
    const ref = refSma(xs, 3);
    const refBb = refBollinger(xs, 3, 1);
    for (let t = 8; t < xs.length; t++) {
      expect(sma[t]).toBeCloseTo(at(ref, t), 9);
      expect(bb.upper[t]).toBeCloseTo(at(refBb.upper, t), 9);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Property tests (fast-check)

/** A random walk of prices in a realistic range. */
const priceSeries = (minLength: number, maxLength: number) =>
  fc
    .tuple(
      fc.double({ min: 1, max: 100_000, noNaN: true }),
      fc.array(fc.double({ min: -0.05, max: 0.05, noNaN: true }), { minLength, maxLength }),
    )
    .map(([start, steps]) => {
      const out: number[] = [];
      let p = start;
      for (const s of steps) {
        p *= 1 + s;
        out.push(p);
      }
      return out;
    });

/** Random bars with high >= max(open-ish, close) and low <= close. */
const barSeries = (minLength: number, maxLength: number) =>
  fc
    .tuple(
      priceSeries(minLength, maxLength),
      fc.array(fc.tuple(fc.double({ min: 0, max: 0.02, noNaN: true }), fc.double({ min: 0, max: 0.02, noNaN: true })), {
        minLength: maxLength,
        maxLength,
      }),
    )
    .map(([close, wicks]) => ({
      close,
      high: close.map((c, i) => c * (1 + at(wicks, i)[0])),
      low: close.map((c, i) => c * (1 - at(wicks, i)[1])),
    }));

const period = fc.integer({ min: 1, max: 30 });

// FC_NUM_RUNS=5000 npx vitest run test/signals  for a longer search.
fc.configureGlobal({ numRuns: Number(process.env.FC_NUM_RUNS) || 100 });

describe('properties', () => {
  it('SMA of a constant series equals the constant', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e9, max: 1e9, noNaN: true }), period, fc.integer({ min: 0, max: 100 }), (c, n, extra) => {
        const sma = new Sma(n);
        for (let i = 0; i < n + extra; i++) {
          const v = sma.update(c);
          if (i >= n - 1) expect(Math.abs(v - c)).toBeLessThanOrEqual(1e-14 * Math.abs(c));
        }
      }),
    );
  });

  it('Bollinger upper >= middle >= lower', () => {
    fc.assert(
      fc.property(priceSeries(1, 200), period, fc.double({ min: 0, max: 5, noNaN: true }), (xs, n, k) => {
        const bb = new BollingerBands(n, k);
        for (const x of xs) {
          bb.update(x);
          if (!bb.isReady) continue;
          expect(bb.upper).toBeGreaterThanOrEqual(bb.middle);
          expect(bb.middle).toBeGreaterThanOrEqual(bb.lower);
        }
      }),
    );
  });

  it('Bollinger of a constant series has (rounding-level) zero width', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e9, max: 1e9, noNaN: true }), period, (c, n) => {
        const bb = new BollingerBands(n, 2);
        for (let i = 0; i < 3 * n; i++) bb.update(c);
        // The window mean of n copies of c can be off c by an ulp, hence not always exactly 0.
        expect(bb.stdDev).toBeLessThanOrEqual(4 * Number.EPSILON * Math.abs(c));
      }),
    );
  });

  it('RSI is within [0, 100]', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 200 }),
        period,
        (xs, n) => {
          const rsi = new Rsi(n);
          for (const x of xs) {
            const v = rsi.update(x);
            if (rsi.isReady) {
              expect(v).toBeGreaterThanOrEqual(0);
              expect(v).toBeLessThanOrEqual(100);
            }
          }
        },
      ),
    );
  });

  it('streaming SMA, EMA, RSI equal the reference on random series', () => {
    fc.assert(
      fc.property(priceSeries(0, 150), period, (xs, n) => {
        expectSeries(runSma(xs, n), refSma(xs, n), 'sma');
        expectSeries(runEma(xs, n), refEma(xs, n), 'ema');
        expectSeries(runRsi(xs, n), refRsi(xs, n), 'rsi');
      }),
    );
  });

  it('streaming MACD equals the reference on random series', () => {
    fc.assert(
      fc.property(
        priceSeries(0, 150),
        fc.integer({ min: 1, max: 15 }),
        fc.integer({ min: 1, max: 15 }),
        fc.integer({ min: 1, max: 12 }),
        (xs, fast, extra, signal) => {
          const slow = fast + extra;
          const got = runMacd(xs, fast, slow, signal);
          const ref = refMacd(xs, fast, slow, signal);
          // macd and histogram are differences of prices: tolerance scales with the price level.
          const scale = Math.max(1, ...xs.map(Math.abs));
          for (const key of ['macd', 'signal', 'histogram'] as const) {
            expectSeries(got[key], ref[key], `macd ${key}`, REL, 1e-12 * scale);
          }
        },
      ),
    );
  });

  it('streaming Bollinger Bands equal the reference on random series', () => {
    fc.assert(
      fc.property(priceSeries(0, 150), period, fc.double({ min: 0, max: 4, noNaN: true }), (xs, n, k) => {
        const got = runBollinger(xs, n, k);
        const ref = refBollinger(xs, n, k);
        for (const key of ['middle', 'upper', 'lower'] as const) expectSeries(got[key], ref[key], `bb ${key}`);
      }),
    );
  });

  it('streaming ATR equals the reference on random bars', () => {
    fc.assert(
      fc.property(barSeries(0, 150), period, ({ high, low, close }, n) => {
        expectSeries(runAtr(high, low, close, n), refAtr(high, low, close, n), 'atr');
      }),
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Cross-check against trading-signals 8 (where conventions coincide; see docs/indicators.md)

/** trading-signals returns null before it is ready; map to NaN like ours. */
const orNaN = (v: number | null): number => (v === null ? NaN : v);

describe('cross-check with trading-signals 8 on the whole BTC file', () => {
  const xs = btc.close;

  it('SMA(20) is identical in definition and warm-up', () => {
    const peer = new TsSMA(20);
    expectSeries(runSma(xs, 20), xs.map((x) => orNaN(peer.add(x))), 'sma vs trading-signals');
  });

  it('RSI(14) (Wilder, SMA-seeded) is identical in definition and warm-up', () => {
    const peer = new TsRSI(14);
    expectSeries(runRsi(xs, 14), xs.map((x) => orNaN(peer.add(x))), 'rsi vs trading-signals');
  });

  it('Bollinger(20, 2) (population sd) is identical', () => {
    const peer = new TsBollingerBands(20, 2);
    const ours = runBollinger(xs, 20, 2);
    const theirs = xs.map((x) => peer.add(x));
    for (const key of ['middle', 'upper', 'lower'] as const) {
      expectSeries(ours[key], theirs.map((r) => (r === null ? NaN : r[key])), `bb ${key} vs trading-signals`);
    }
  });

  it('ATR(14) (Wilder, SMA-seeded, first TR = high - low) is identical', () => {
    const peer = new TsATR(14);
    const theirs = xs.map((c, i) => orNaN(peer.add({ high: at(btc.high, i), low: at(btc.low, i), close: c })));
    expectSeries(runAtr(btc.high, btc.low, xs, 14), theirs, 'atr vs trading-signals');
  });

  it('EMA(20): trading-signals seeds with the first value, so values agree only after a burn-in', () => {
    const peer = new TsEMA(20);
    const theirs = xs.map((x) => {
      peer.add(x);
      return peer.isStable ? peer.getResultOrThrow() : NaN;
    });
    const ours = runEma(xs, 20);
    // Same readiness (20 values)...
    expect(theirs.findIndex((v) => !Number.isNaN(v))).toBe(19);
    expect(ours.findIndex((v) => !Number.isNaN(v))).toBe(19);
    // ...different value at the seed, converging as (1 - alpha)^t.
    expect(Math.abs(at(ours, 19) - at(theirs, 19))).toBeGreaterThan(1e-6);
    expectSeries(ours.slice(400), theirs.slice(400), 'ema vs trading-signals after 400 bars');
  });

  it('MACD(12, 26, 9): trading-signals uses first-value-seeded EMAs, so values agree only after a burn-in', () => {
    const peer = new TsMACD(new TsEMA(12), new TsEMA(26), new TsEMA(9));
    const theirs = xs.map((x) => peer.add(x));
    const ours = runMacd(xs, 12, 26, 9);
    let worst = 0;
    for (let t = 1000; t < xs.length; t++) {
      const r = at(theirs, t);
      if (r === null) throw new Error('trading-signals MACD not ready');
      worst = Math.max(
        worst,
        Math.abs(at(ours.macd, t) - r.macd),
        Math.abs(at(ours.signal, t) - r.signal),
        Math.abs(at(ours.histogram, t) - r.histogram),
      );
    }
    expect(worst).toBeLessThan(1e-7); // absolute, on prices around 50,000
  });
});
