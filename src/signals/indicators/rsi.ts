// Relative strength index (Wilder). For each change c = x[t] - x[t-1]: gain = max(c, 0),
// loss = max(-c, 0). Average gain/loss are seeded by the simple mean of the first `period`
// changes (so `period + 1` values are needed), then smoothed as avg = (prev * (period-1) + x) / period.
//   RSI = 100 - 100 / (1 + avgGain / avgLoss)   (computed as 100 * avgGain / (avgGain + avgLoss))
// Degenerate cases: avgLoss == 0 and avgGain > 0 -> 100; both 0 (a flat series) -> 50.
// The result is always within [0, 100].
//
//   const rsi = new Rsi(14);
//   rsi.update(close);   // NaN for the first 14 updates, defined from the 15th
//
// O(1) per update, no allocation. warmupPeriod = period + 1. Inputs must be finite numbers.
import { checkPeriod } from './params.ts';

// Fields are `declare`d and assigned only in the constructor (the state through reset()): a class-field
// definition would first set them to undefined, which makes V8 box every double written in update().
export class Rsi {
  declare readonly period: number;
  /** Updates needed before `value` is defined (period + 1). */
  declare readonly warmupPeriod: number;
  /** Latest RSI in [0, 100]; NaN until `warmupPeriod` updates have been seen. */
  declare value: number;
  /** Wilder-smoothed average gain (NaN while warming up). */
  declare avgGain: number;
  /** Wilder-smoothed average loss (NaN while warming up). */
  declare avgLoss: number;
  private declare readonly decay: number;
  private declare readonly invPeriod: number;
  private declare count: number;
  private declare prev: number;
  private declare gainSum: number;
  private declare lossSum: number;

  constructor(period = 14) {
    checkPeriod('period', period);
    this.period = period;
    this.warmupPeriod = period + 1;
    this.decay = (period - 1) / period;
    this.invPeriod = 1 / period;
    this.reset();
  }

  get isReady(): boolean {
    return this.count === this.warmupPeriod;
  }

  update(x: number): number {
    const change = x - this.prev;
    this.prev = x;
    // max(change, 0) and max(-change, 0) without branches (a random walk mispredicts them half the
    // time). Exact: for change > 0, change + |change| = 2 * change; otherwise the sum is 0.
    const abs = Math.abs(change);
    const gain = (change + abs) * 0.5;
    const loss = (abs - change) * 0.5;
    let ag: number;
    let al: number;
    if (this.count === this.warmupPeriod) {
      ag = this.avgGain * this.decay + gain * this.invPeriod;
      al = this.avgLoss * this.decay + loss * this.invPeriod;
    } else {
      if (++this.count === 1) return NaN; // first value: no change yet
      this.gainSum += gain;
      this.lossSum += loss;
      if (this.count < this.warmupPeriod) return NaN;
      ag = this.gainSum / this.period;
      al = this.lossSum / this.period;
    }
    this.avgGain = ag;
    this.avgLoss = al;
    const total = ag + al;
    // ag / total <= 1 in floating point (ag <= total, al >= 0), so the value never exceeds 100.
    return (this.value = total > 0 ? 100 * (ag / total) : 50);
  }

  reset(): void {
    this.count = 0;
    this.prev = 0;
    this.gainSum = 0;
    this.lossSum = 0;
    this.avgGain = NaN;
    this.avgLoss = NaN;
    this.value = NaN;
  }
}
