// Bollinger Bands, default (period 20, k 2):
//   middle = SMA(period);  upper/lower = middle +/- k * sd
// where sd is the population standard deviation (divide by period) of the last `period` values.
//
//   const bb = new BollingerBands(20, 2);
//   bb.update(close);    // returns bb.middle (NaN for the first 19 updates)
//   bb.upper; bb.lower; bb.stdDev;
//
// O(1) per update (amortised), no allocation. The window's mean and sum of squared deviations
// (M2) are kept for the values shifted by an anchor (a recent input), so the rounding error of an
// update scales with the spread of the window, not with the price level, and are updated
// Welford-style when one value replaces another. They are recomputed exactly (two passes over the
// ring buffer, re-anchored on the newest value) every `period` updates, and also as soon as M2
// falls below 1e-4 of its largest value since the last recomputation (e.g. an outlier leaving the
// window), where the cancellation would otherwise leave noise of the old size in the small new
// variance. So the bands match a direct two-pass computation to ~1e-12 relative on BTC prices.
// M2 is clamped at 0, so upper >= middle >= lower always holds.
// warmupPeriod = period. Inputs must be finite numbers.
import { checkNonNegative } from './params.ts';
import { RingWindow } from './ring-window.ts';

/** Recompute exactly when M2 falls below this fraction of its peak since the last recomputation. */
const COLLAPSE = 1e-4;

// Fields are `declare`d and assigned only in the constructor and reset(), as in RingWindow.
/** Bollinger Bands over the last `period` inputs; `value` equals `middle`. */
export class BollingerBands extends RingWindow {
  /** Width multiplier applied to the standard deviation. */
  declare readonly k: number;
  /** SMA of the window; NaN until warmupPeriod. */
  declare middle: number;
  /** middle + k * stdDev; NaN until warmupPeriod. */
  declare upper: number;
  /** middle - k * stdDev; NaN until warmupPeriod. */
  declare lower: number;
  /** Population standard deviation of the window; NaN until warmupPeriod. */
  declare stdDev: number;
  private declare readonly invPeriod: number;
  /** Shift applied to the window before the mean and M2 are formed. */
  private declare anchor: number;
  /** Mean of (x - anchor) over the window. */
  private declare meanY: number;
  private declare m2: number;
  private declare m2Peak: number;

  constructor(period = 20, k = 2) {
    super(period);
    checkNonNegative('k', k);
    this.k = k;
    this.invPeriod = 1 / period;
    this.reset();
  }

  update(x: number): number {
    const n = this.period;
    const buf = this.buffer;
    let i = this.index;
    if (this.count === n) {
      const old = buf[i]!;
      buf[i] = x;
      const anchor = this.anchor;
      const y = x - anchor;
      const yOld = old - anchor;
      const d = y - yOld;
      const mean = this.meanY;
      const next = mean + d * this.invPeriod;
      const m2 = this.m2 + d * (y - next + (yOld - mean));
      const peak = this.m2Peak;
      if (++i === n) {
        i = 0;
        this.recompute(x);
      } else if (m2 < peak * COLLAPSE) {
        this.recompute(x);
      } else {
        this.meanY = next;
        this.m2 = m2;
        // max(peak, m2) without a branch; only a threshold, so its rounding does not matter.
        this.m2Peak = 0.5 * (peak + m2 + Math.abs(peak - m2));
      }
      this.index = i;
    } else {
      // Warming up: just store; the first wrap computes mean and M2 from scratch.
      if (!this.warmUp(x)) return NaN;
      this.recompute(x);
    }
    const m2 = this.m2;
    const sd = Math.sqrt(m2 > 0 ? m2 * this.invPeriod : 0);
    const middle = this.anchor + this.meanY;
    const w = this.k * sd;
    this.stdDev = sd;
    this.upper = middle + w;
    this.lower = middle - w;
    this.middle = middle;
    return (this.value = middle);
  }

  override reset(): void {
    super.reset();
    this.anchor = 0;
    this.meanY = 0;
    this.m2 = 0;
    this.m2Peak = 0;
    this.middle = NaN;
    this.upper = NaN;
    this.lower = NaN;
    this.stdDev = NaN;
  }

  /** Exact two-pass mean and M2 over the whole (full) buffer, re-anchored on `anchor`. */
  private recompute(anchor: number): void {
    // Two partial sums per pass: two short dependency chains instead of one long one.
    const buf = this.buffer;
    const n = buf.length;
    const odd = n & 1;
    let s0 = 0;
    let s1 = 0;
    for (let j = odd; j < n; j += 2) {
      s0 += buf[j]! - anchor;
      s1 += buf[j + 1]! - anchor;
    }
    if (odd === 1) s0 += buf[0]! - anchor;
    const mean = (s0 + s1) / n;
    let q0 = 0;
    let q1 = 0;
    for (let j = odd; j < n; j += 2) {
      const d0 = buf[j]! - anchor - mean;
      const d1 = buf[j + 1]! - anchor - mean;
      q0 += d0 * d0;
      q1 += d1 * d1;
    }
    if (odd === 1) {
      const d = buf[0]! - anchor - mean;
      q0 += d * d;
    }
    const m2 = q0 + q1;
    this.anchor = anchor;
    this.meanY = mean;
    this.m2 = m2;
    this.m2Peak = m2;
  }
}
