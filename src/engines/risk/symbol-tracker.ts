// What the risk engine follows per symbol: its trading day and last close, A-share daily limits, volatility.
import { type Bar, DailyLimitTracker, type Instrument, Market, MS_PER_DAY, SHANGHAI_OFFSET_MS } from '../../core/index.ts';
import { Atr, Sma } from '../../signals/index.ts';
import type { PortfolioMonitor } from './portfolio-monitor.ts';
import type { SymbolLimits } from './pre-trade.ts';

/** ATR(14) of a symbol and its 100-bar average, the volatility norm. Kept only under a mode's limits. */
export class VolatilityTracker {
  private readonly atr = new Atr(14);
  private readonly average = new Sma(100);
  value = NaN;
  norm = NaN;

  update(high: number, low: number, close: number): void {
    this.value = this.atr.update(high, low, close);
    if (this.value === this.value) this.norm = this.average.update(this.value);
  }
}

/** Per-symbol state in typed arrays by symbol index: the per-bar path reads them without a lookup. */
export class SymbolTracker {
  /** 1 where every bar needs symbol work (A-share limits, volatility under a mode). */
  readonly needsWork: Uint8Array;
  /** When each symbol's current trading day ends (UTC ms): a bar opening at or after it starts a new day. */
  readonly dayEnds: Float64Array;
  /** Last close per symbol (the close of its day when the next day's first bar arrives). */
  readonly closes: Float64Array;
  /** Per symbol: the market's UTC offset for trading days (A-shares: Shanghai). */
  private readonly dayOffset: Float64Array;
  private readonly day: Float64Array;
  /** The corporate-action factor of the last bar. */
  private readonly lastFactor: Float64Array;
  private readonly limitTrackers: readonly (DailyLimitTracker | undefined)[];
  private readonly volatility: readonly (VolatilityTracker | undefined)[];

  constructor(
    instruments: readonly Instrument[],
    withVolatility: boolean,
    private readonly monitor: PortfolioMonitor,
  ) {
    const n = instruments.length;
    this.limitTrackers = instruments.map((i) => (i.market === Market.AShare ? new DailyLimitTracker(i) : undefined));
    this.volatility = instruments.map(() => (withVolatility ? new VolatilityTracker() : undefined));
    this.needsWork = Uint8Array.from(instruments, (_, i) => (this.limitTrackers[i] !== undefined || this.volatility[i] !== undefined ? 1 : 0));
    this.dayOffset = Float64Array.from(instruments, (i) => (i.market === Market.AShare ? SHANGHAI_OFFSET_MS : 0));
    this.day = new Float64Array(n).fill(-1);
    this.closes = new Float64Array(n).fill(NaN);
    this.dayEnds = new Float64Array(n).fill(-Infinity);
    this.lastFactor = new Float64Array(n).fill(1);
  }

  /** The trading day of `time` for the symbol at `index`. */
  dayOf(index: number, time: number): number {
    return Math.floor((time + this.dayOffset[index]!) / MS_PER_DAY);
  }

  /**
   * A bar's symbol work, before its close is recorded: the day roll, the limits, the volatility.
   * Returns true when the day that ended completed a day in the monitor (the portfolio checks are due).
   */
  update(bar: Bar, index: number): boolean {
    let completed = false;
    // The symbol's trading day changes rarely: compare with when it ends instead of dividing each bar.
    if (bar.openTime >= this.dayEnds[index]!) {
      const day = this.dayOf(index, bar.openTime);
      // The day that just ended completes in the monitor with its last close, adjusted by the factor of
      // its bar (an ex-rights gap is no return; 1 where nothing adjusts).
      const close = this.closes[index]! * this.lastFactor[index]!;
      if (this.day[index]! >= 0 && this.monitor.completeDay(index, this.day[index]!, close)) completed = true;
      this.day[index] = day;
      this.dayEnds[index] = (day + 1) * MS_PER_DAY - this.dayOffset[index]!;
    }
    const factor = bar.adjustmentFactor ?? 1;
    this.lastFactor[index] = factor;
    const tracker = this.limitTrackers[index];
    if (tracker !== undefined) {
      tracker.onBar(this.day[index]!, bar.preClose, bar.close);
    }
    const volatility = this.volatility[index];
    if (volatility !== undefined) volatility.update(bar.high * factor, bar.low * factor, bar.close * factor);
    return completed;
  }

  /** The ATR of the symbol on adjusted prices (undefined without a mode's limits). */
  volatilityOf(index: number): VolatilityTracker | undefined {
    return this.volatility[index];
  }

  /** The corporate-action factor of the symbol's last bar: adjusted prices over raw ones. */
  factorOf(index: number): number {
    return this.lastFactor[index]!;
  }

  /**
   * A-shares: the limits an order placed at `now` meets, as the simulated venue sees them (the one
   * DailyLimitTracker of core): today's until the 15:00 close, the next session's after it. Undefined
   * for symbols without daily limits.
   */
  limits(index: number, now: number): SymbolLimits | undefined {
    return this.limitTrackers[index]?.limitsAt(now);
  }
}
