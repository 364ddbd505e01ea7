// Exponential moving average with alpha = 2 / (period + 1), seeded by the simple mean of the
// first `period` values:
//   value[period-1] = mean(x[0..period-1]);  value[t] = alpha * x[t] + (1 - alpha) * value[t-1]
//
//   const ema = new Ema(20);
//   ema.update(close);   // NaN for the first 19 updates
//
// O(1) per update, no allocation. warmupPeriod = period. Inputs must be finite numbers.
// Note: trading-signals 8's EMA seeds with the first value instead (see docs/indicators.md).
import { checkPeriod } from './params.ts';

// Fields are `declare`d and assigned only in the constructor (the state through reset()): a class-field
// definition would first set them to undefined, which makes V8 box every double written in update().
export class Ema {
  declare readonly period: number;
  /** Updates needed before `value` is defined. */
  declare readonly warmupPeriod: number;
  /** Smoothing factor 2 / (period + 1). */
  declare readonly alpha: number;
  /** Latest average; NaN until `warmupPeriod` updates have been seen. */
  declare value: number;
  private declare readonly beta: number;
  private declare count: number;
  private declare sum: number;

  constructor(period: number) {
    checkPeriod('period', period);
    this.period = period;
    this.warmupPeriod = period;
    this.alpha = 2 / (period + 1);
    this.beta = 1 - this.alpha;
    this.reset();
  }

  get isReady(): boolean {
    return this.count === this.period;
  }

  update(x: number): number {
    if (this.count === this.period) {
      return (this.value = this.alpha * x + this.beta * this.value);
    }
    this.sum += x;
    if (++this.count < this.period) return NaN;
    return (this.value = this.sum / this.period);
  }

  reset(): void {
    this.count = 0;
    this.sum = 0;
    this.value = NaN;
  }
}
