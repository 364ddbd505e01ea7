// Average true range (Wilder), default period 14.
//   TR[0] = high - low;  TR[t] = max(high - low, |high - prevClose|, |low - prevClose|)
//   ATR[period-1] = mean(TR[0..period-1]);  ATR[t] = (ATR[t-1] * (period-1) + TR[t]) / period
//
//   const atr = new Atr(14);
//   atr.update(high, low, close);   // NaN for the first 13 bars
//
// O(1) per update, no allocation. warmupPeriod = period. Inputs must be finite numbers with
// high >= low.
import { checkPeriod } from './params.ts';

// Fields are `declare`d and assigned only in the constructor (the state through reset()): a class-field
// definition would first set them to undefined, which makes V8 box every double written in update().
export class Atr {
  declare readonly period: number;
  /** Bars needed before `value` is defined. */
  declare readonly warmupPeriod: number;
  /** Latest ATR; NaN until `warmupPeriod` bars have been seen. */
  declare value: number;
  /** True range of the latest bar (defined from the first bar). */
  declare trueRange: number;
  private declare readonly decay: number;
  private declare readonly invPeriod: number;
  private declare count: number;
  private declare prevClose: number;
  private declare sum: number;

  constructor(period = 14) {
    checkPeriod('period', period);
    this.period = period;
    this.warmupPeriod = period;
    this.decay = (period - 1) / period;
    this.invPeriod = 1 / period;
    this.reset();
  }

  get isReady(): boolean {
    return this.count === this.period;
  }

  update(high: number, low: number, close: number): number {
    let tr = high - low;
    if (this.count !== 0) {
      // For high >= low, max(high - low, |high - pc|, |low - pc|)
      //   = (high - low + |high - pc| + |low - pc|) / 2
      // (pc inside the bar: both sides give high - low; above: pc - low; below: high - pc). The
      // branch-free form avoids mispredicted comparisons on gaps; it differs from the max form by
      // at most an ulp of the sum.
      const pc = this.prevClose;
      tr = (tr + Math.abs(high - pc) + Math.abs(low - pc)) * 0.5;
    }
    this.prevClose = close;
    this.trueRange = tr;
    if (this.count === this.period) {
      return (this.value = this.value * this.decay + tr * this.invPeriod);
    }
    this.sum += tr;
    if (++this.count < this.period) return NaN;
    return (this.value = this.sum / this.period);
  }

  reset(): void {
    this.count = 0;
    this.prevClose = 0;
    this.sum = 0;
    this.trueRange = NaN;
    this.value = NaN;
  }
}
