// Bollinger Bands, default (period 20, k 2):
//   middle = SMA(period);  upper/lower = middle +/- k * sd
// where sd is the population standard deviation (divide by period) of the last `period` values.
//
//   const bb = new BollingerBands(20, 2);
//   bb.update(close);    // returns bb.middle (NaN for the first 19 updates)
//   bb.upper; bb.lower; bb.stdDev;
//
// O(1) per update, no allocation. The window's mean and sum of squared deviations (M2) are
// updated Welford-style when one value replaces another, and recomputed exactly (two passes over
// the ring buffer) each time the ring wraps, i.e. every `period` updates; so rounding error never
// builds up over more than one window and the bands match a direct two-pass computation to
// ~1e-12 relative on BTC prices. M2 is clamped at 0, so upper >= middle >= lower always holds.
// warmupPeriod = period. Inputs must be finite numbers.
import { checkNonNegative, checkPeriod } from './params.ts';

// Fields are `declare`d and assigned only in the constructor: a class-field definition would first
// set them to undefined, which makes V8 box every double written in update().
export class BollingerBands {
  declare readonly period: number;
  /** Width multiplier applied to the standard deviation. */
  declare readonly k: number;
  /** Updates needed before the outputs are defined. */
  declare readonly warmupPeriod: number;
  /** Same as `middle`. */
  declare value: number;
  /** SMA of the window; NaN until warmupPeriod. */
  declare middle: number;
  /** middle + k * stdDev; NaN until warmupPeriod. */
  declare upper: number;
  /** middle - k * stdDev; NaN until warmupPeriod. */
  declare lower: number;
  /** Population standard deviation of the window; NaN until warmupPeriod. */
  declare stdDev: number;
  private declare readonly buffer: Float64Array;
  private declare readonly invPeriod: number;
  private declare index: number;
  private declare count: number;
  private declare mean: number;
  private declare m2: number;

  constructor(period = 20, k = 2) {
    checkPeriod('period', period);
    checkNonNegative('k', k);
    this.period = period;
    this.k = k;
    this.warmupPeriod = period;
    this.value = NaN;
    this.middle = NaN;
    this.upper = NaN;
    this.lower = NaN;
    this.stdDev = NaN;
    this.buffer = new Float64Array(period);
    this.invPeriod = 1 / period;
    this.index = 0;
    this.count = 0;
    this.mean = 0;
    this.m2 = 0;
  }

  get isReady(): boolean {
    return this.count === this.period;
  }

  update(x: number): number {
    const n = this.period;
    const buf = this.buffer;
    let i = this.index;
    if (this.count === n) {
      const old = buf[i];
      buf[i] = x;
      const d = x - old;
      const mean = this.mean;
      const next = mean + d * this.invPeriod;
      this.m2 += d * (x - next + (old - mean));
      this.mean = next;
      if (++i === n) {
        i = 0;
        this.recompute();
      }
      this.index = i;
    } else {
      // Warming up: just store; the first wrap computes mean and M2 from scratch.
      buf[i] = x;
      if (++i < n) {
        this.index = i;
        this.count = i;
        return NaN;
      }
      this.index = 0;
      this.count = n;
      this.recompute();
    }
    const m2 = this.m2;
    const sd = Math.sqrt(m2 > 0 ? m2 * this.invPeriod : 0);
    const mean = this.mean;
    const w = this.k * sd;
    this.stdDev = sd;
    this.upper = mean + w;
    this.lower = mean - w;
    this.middle = mean;
    return (this.value = mean);
  }

  reset(): void {
    this.buffer.fill(0);
    this.index = 0;
    this.count = 0;
    this.mean = 0;
    this.m2 = 0;
    this.value = NaN;
    this.middle = NaN;
    this.upper = NaN;
    this.lower = NaN;
    this.stdDev = NaN;
  }

  /** Exact two-pass mean and M2 over the whole (full) buffer. */
  private recompute(): void {
    const buf = this.buffer;
    const n = buf.length;
    let s = 0;
    for (let j = 0; j < n; j++) s += buf[j];
    const mean = s / n;
    let m2 = 0;
    for (let j = 0; j < n; j++) {
      const d = buf[j] - mean;
      m2 += d * d;
    }
    this.mean = mean;
    this.m2 = m2;
  }
}
