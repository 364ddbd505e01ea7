// MACD (moving average convergence/divergence), default (12, 26, 9):
//   macd      = EMA(fastPeriod) - EMA(slowPeriod)      both EMAs seeded by the SMA of their first values
//   signal    = EMA(signalPeriod) of the macd values   seeded by the SMA of the first signalPeriod macd values
//   histogram = macd - signal
// The first macd value exists after slowPeriod updates, the first signal after
// slowPeriod + signalPeriod - 1 updates (34 for the defaults) = warmupPeriod. All three outputs
// (and `value`, which mirrors `macd`) stay NaN until warmupPeriod, then are defined together.
//
//   const m = new Macd();        // 12, 26, 9
//   m.update(close);             // returns m.macd (NaN for the first 33 updates)
//   m.signal; m.histogram;
//
// O(1) per update, no allocation (the three EMAs are inlined). Requires fastPeriod < slowPeriod.
// Inputs must be finite numbers.
import { checkPeriod } from './params.ts';

// Fields are `declare`d and assigned only in the constructor (the state through reset()): a class-field
// definition would first set them to undefined, which makes V8 box every double written in update().
export class Macd {
  declare readonly fastPeriod: number;
  declare readonly slowPeriod: number;
  declare readonly signalPeriod: number;
  /** Updates needed before the outputs are defined: slowPeriod + signalPeriod - 1. */
  declare readonly warmupPeriod: number;
  /** Same as `macd`. */
  declare value: number;
  /** EMA(fast) - EMA(slow); NaN until warmupPeriod. */
  declare macd: number;
  /** EMA(signalPeriod) of macd; NaN until warmupPeriod. */
  declare signal: number;
  /** macd - signal; NaN until warmupPeriod. */
  declare histogram: number;
  private declare readonly fastAlpha: number;
  private declare readonly fastBeta: number;
  private declare readonly slowAlpha: number;
  private declare readonly slowBeta: number;
  private declare readonly signalAlpha: number;
  private declare readonly signalBeta: number;
  private declare count: number;
  private declare fastEma: number;
  private declare slowEma: number;
  private declare signalEma: number;

  constructor(fastPeriod = 12, slowPeriod = 26, signalPeriod = 9) {
    checkPeriod('fastPeriod', fastPeriod);
    checkPeriod('slowPeriod', slowPeriod);
    checkPeriod('signalPeriod', signalPeriod);
    if (fastPeriod >= slowPeriod) {
      throw new RangeError(
        `fastPeriod must be less than slowPeriod, got fastPeriod=${fastPeriod}, slowPeriod=${slowPeriod}`,
      );
    }
    this.fastPeriod = fastPeriod;
    this.slowPeriod = slowPeriod;
    this.signalPeriod = signalPeriod;
    this.warmupPeriod = slowPeriod + signalPeriod - 1;
    this.fastAlpha = 2 / (fastPeriod + 1);
    this.fastBeta = 1 - this.fastAlpha;
    this.slowAlpha = 2 / (slowPeriod + 1);
    this.slowBeta = 1 - this.slowAlpha;
    this.signalAlpha = 2 / (signalPeriod + 1);
    this.signalBeta = 1 - this.signalAlpha;
    this.reset();
  }

  get isReady(): boolean {
    return this.count === this.warmupPeriod;
  }

  update(x: number): number {
    if (this.count !== this.warmupPeriod) return this.warmUp(x);
    const fast = (this.fastEma = this.fastAlpha * x + this.fastBeta * this.fastEma);
    const slow = (this.slowEma = this.slowAlpha * x + this.slowBeta * this.slowEma);
    const macd = fast - slow;
    const signal = (this.signalEma = this.signalAlpha * macd + this.signalBeta * this.signalEma);
    this.signal = signal;
    this.histogram = macd - signal;
    this.macd = macd;
    return (this.value = macd);
  }

  reset(): void {
    this.count = 0;
    // While warming up these hold running sums of the inputs (the SMA seeds).
    this.fastEma = 0;
    this.slowEma = 0;
    this.signalEma = 0;
    this.value = NaN;
    this.macd = NaN;
    this.signal = NaN;
    this.histogram = NaN;
  }

  private warmUp(x: number): number {
    const c = ++this.count;
    const fp = this.fastPeriod;
    const sp = this.slowPeriod;
    if (c < fp) {
      this.fastEma += x;
    } else if (c === fp) {
      this.fastEma = (this.fastEma + x) / fp;
    } else {
      this.fastEma = this.fastAlpha * x + this.fastBeta * this.fastEma;
    }
    if (c < sp) {
      this.slowEma += x;
      return NaN;
    }
    if (c === sp) {
      this.slowEma = (this.slowEma + x) / sp;
    } else {
      this.slowEma = this.slowAlpha * x + this.slowBeta * this.slowEma;
    }
    const macd = this.fastEma - this.slowEma;
    if (c < this.warmupPeriod) {
      this.signalEma += macd;
      return NaN;
    }
    const signal = (this.signalEma = (this.signalEma + macd) / this.signalPeriod);
    this.signal = signal;
    this.histogram = macd - signal;
    this.macd = macd;
    return (this.value = macd);
  }
}
