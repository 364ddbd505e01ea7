// Simple moving average: the mean of the last `period` values.
//
//   const sma = new Sma(20);
//   sma.update(close);   // NaN for the first 19 updates, then the mean of the last 20 closes
//
// O(1) per update, no allocation: values sit in a preallocated Float64Array ring buffer and a
// rolling sum is kept. Each time the ring wraps (every `period` updates) the sum is recomputed
// from the buffer, so rounding error never builds up over more than one window.
// warmupPeriod = period. Inputs must be finite numbers.
import { checkPeriod } from './params.ts';

// Fields are `declare`d and assigned only in the constructor: a class-field definition would first
// set them to undefined, which makes V8 box every double written in update().
export class Sma {
  declare readonly period: number;
  /** Updates needed before `value` is defined. */
  declare readonly warmupPeriod: number;
  /** Latest mean; NaN until `warmupPeriod` updates have been seen. */
  declare value: number;
  private declare readonly buffer: Float64Array;
  private declare index: number;
  private declare count: number;
  private declare sum: number;

  constructor(period: number) {
    checkPeriod('period', period);
    this.period = period;
    this.warmupPeriod = period;
    this.value = NaN;
    this.buffer = new Float64Array(period);
    this.index = 0;
    this.count = 0;
    this.sum = 0;
  }

  get isReady(): boolean {
    return this.count === this.period;
  }

  update(x: number): number {
    const n = this.period;
    const buf = this.buffer;
    let i = this.index;
    if (this.count === n) {
      this.sum += x - buf[i]!;
      buf[i] = x;
      if (++i === n) {
        i = 0;
        this.recompute();
      }
      this.index = i;
      return (this.value = this.sum / n);
    }
    // Warming up: just store; the first wrap computes the sum from scratch.
    buf[i] = x;
    if (++i < n) {
      this.index = i;
      this.count = i;
      return NaN;
    }
    this.index = 0;
    this.count = n;
    this.recompute();
    return (this.value = this.sum / n);
  }

  reset(): void {
    this.buffer.fill(0);
    this.index = 0;
    this.count = 0;
    this.sum = 0;
    this.value = NaN;
  }

  private recompute(): void {
    // Four partial sums: four short dependency chains instead of one long one.
    const buf = this.buffer;
    const n = buf.length;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let j = 0;
    for (; j + 3 < n; j += 4) {
      s0 += buf[j]!;
      s1 += buf[j + 1]!;
      s2 += buf[j + 2]!;
      s3 += buf[j + 3]!;
    }
    for (; j < n; j++) s0 += buf[j]!;
    this.sum = s0 + s1 + (s2 + s3);
  }
}
