// The ring buffer under the windowed indicators (SMA, Bollinger Bands): the last `period` inputs in a
// preallocated Float64Array, and the warm-up that fills it before the first output.
import { checkPeriod } from './params.ts';

// Fields are `declare`d and assigned only in constructors (the state through reset()): a class-field
// definition would first set them to undefined, which makes V8 box every double written in update().
export abstract class RingWindow {
  declare readonly period: number;
  /** Updates needed before `value` is defined. */
  declare readonly warmupPeriod: number;
  /** Latest output; NaN until `warmupPeriod` updates have been seen. */
  declare value: number;
  protected declare readonly buffer: Float64Array;
  /** Where the next input goes (the oldest value once the window is full). */
  protected declare index: number;
  /** Inputs held, up to `period`. */
  protected declare count: number;

  constructor(period: number) {
    checkPeriod('period', period);
    this.period = period;
    this.warmupPeriod = period;
    this.buffer = new Float64Array(period);
  }

  get isReady(): boolean {
    return this.count === this.period;
  }

  reset(): void {
    this.buffer.fill(0);
    this.index = 0;
    this.count = 0;
    this.value = NaN;
  }

  /** Stores `x` while warming up; true when it completed the window (compute from the whole buffer then). */
  protected warmUp(x: number): boolean {
    const i = this.index;
    this.buffer[i] = x;
    if (i + 1 < this.period) {
      this.index = i + 1;
      this.count = i + 1;
      return false;
    }
    this.index = 0;
    this.count = this.period;
    return true;
  }
}
