// Simple moving average: the mean of the last `period` values.
//
//   const sma = new Sma(20);
//   sma.update(close);   // NaN for the first 19 updates, then the mean of the last 20 closes
//
// O(1) per update, no allocation: values sit in a preallocated Float64Array ring buffer and a
// rolling sum is kept. Each time the ring wraps (every `period` updates) the sum is recomputed
// from the buffer, so rounding error never builds up over more than one window.
// warmupPeriod = period. Inputs must be finite numbers.
import { RingWindow } from './ring-window.ts';

export class Sma extends RingWindow {
  private declare sum: number;

  constructor(period: number) {
    super(period);
    this.reset();
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
    if (!this.warmUp(x)) return NaN;
    this.recompute();
    return (this.value = this.sum / n);
  }

  override reset(): void {
    super.reset();
    this.sum = 0;
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
