// Daily loss, weekly loss and drawdown: the equity each is measured from, and the floor where each trips.
import { Market, tradingDayOf, tradingWeekOf } from '../../core/index.ts';
import type { BreakerLadder } from './breaker-ladder.ts';
import { BreakerCause } from './codes.ts';
import type { BreakerProfile, TriggerConfig } from './config.ts';
import { cooldownEnd, dayStartTime } from './cooldown.ts';

/**
 * The equity at or below which a loss of `threshold` from `start` may have been reached. Set a hair
 * above start x (1 - threshold): equity that rounds to the threshold itself must reach the exact
 * check ((start - equity) / start >= threshold), not be skipped by a fast path.
 */
function floorOf(start: number, threshold: number): number {
  return start * (1 - threshold) * (1 + 1e-9);
}

/** Whether a loss condition currently holds and until when the ladder has it cooling down. */
interface LossState {
  holding: boolean;
  until: number;
}

export class LossTriggers {
  /** When the current trading day of the account ends (UTC ms): the per-bar path only compares. */
  dayEnds = -Infinity;
  /** The equity of the last bar: the next trading day's losses are measured from it. */
  lastEquity = NaN;
  peakEquity = NaN;
  private week = -1;
  private dayStartEquity = NaN;
  private weekStartEquity = NaN;
  /** Floors are the equity at which each trigger trips; above all of them none can. */
  private dailyFloor = -Infinity;
  private weeklyFloor = -Infinity;
  private drawdownFloor = -Infinity;
  private readonly dailyState: LossState = { holding: false, until: -Infinity };
  private readonly weeklyState: LossState = { holding: false, until: -Infinity };
  private readonly drawdownState: LossState = { holding: false, until: -Infinity };
  /** The account's market: its calendar says when trading days and weeks start. */
  private market: Market = Market.Crypto;

  constructor(
    private readonly profile: BreakerProfile,
    private readonly ladder: BreakerLadder,
  ) {}

  attach(market: Market): void {
    this.market = market;
  }

  /** Loss since the start of the trading day, as a fraction of the equity then (0 before a day has started). */
  dailyLoss(equity: number): number {
    return this.dayStartEquity > 0 ? (this.dayStartEquity - equity) / this.dayStartEquity : 0;
  }

  /** True when `equity` is above every floor: none of the three triggers can trip. */
  clearOf(equity: number): boolean {
    return equity > this.dailyFloor && equity > this.weeklyFloor && equity > this.drawdownFloor;
  }

  highestFloor(): number {
    return Math.max(this.dailyFloor, this.weeklyFloor, this.drawdownFloor);
  }

  /** A new trading day (and maybe week): losses are measured from the equity at its start. */
  startDay(now: number, equity: number): void {
    const day = tradingDayOf(this.market, now);
    this.dayEnds = dayStartTime(day + 1, this.market);
    this.dayStartEquity = Number.isNaN(this.lastEquity) ? equity : this.lastEquity;
    const week = tradingWeekOf(day);
    if (week !== this.week) {
      this.week = week;
      this.weekStartEquity = this.dayStartEquity;
    }
    const p = this.profile;
    this.dailyFloor = p.dailyLoss.enabled ? floorOf(this.dayStartEquity, p.dailyLoss.threshold) : -Infinity;
    this.weeklyFloor = p.weeklyLoss.enabled ? floorOf(this.weekStartEquity, p.weeklyLoss.threshold) : -Infinity;
  }

  raisePeak(equity: number): void {
    this.peakEquity = equity;
    this.drawdownFloor = this.profile.drawdown.enabled ? floorOf(equity, this.profile.drawdown.threshold) : -Infinity;
  }

  /** Each trigger against its threshold: trips, renewals and releases on the ladder. */
  check(equity: number, now: number): void {
    const p = this.profile;
    this.lossTrigger(BreakerCause.DailyLoss, p.dailyLoss, this.dailyState, (this.dayStartEquity - equity) / this.dayStartEquity, now);
    this.lossTrigger(BreakerCause.WeeklyLoss, p.weeklyLoss, this.weeklyState, (this.weekStartEquity - equity) / this.weekStartEquity, now);
    this.lossTrigger(BreakerCause.Drawdown, p.drawdown, this.drawdownState, (this.peakEquity - equity) / this.peakEquity, now);
  }

  /**
   * A reset of a drawdown that needed one: measured from `equity` from now on (else the flattened
   * account would stay below its old peak, and halted, for ever).
   */
  restartDrawdown(equity: number, now: number): void {
    const drawdown = this.profile.drawdown;
    this.peakEquity = equity;
    this.drawdownFloor = floorOf(equity, drawdown.threshold);
    this.lossTrigger(BreakerCause.Drawdown, drawdown, this.drawdownState, 0, now);
  }

  /** The ladder is called only on transitions: while a condition holds inside its cooldown this is two comparisons. */
  private lossTrigger(cause: BreakerCause, trigger: TriggerConfig, state: LossState, loss: number, now: number): void {
    if (!trigger.enabled || loss !== loss) return;
    if (loss >= trigger.threshold) {
      if (!state.holding || now >= state.until) {
        state.until = this.ladder.trip(cause, trigger.level, loss, trigger.threshold, now, cooldownEnd(trigger.cooldown, now, this.market));
        state.holding = true;
      }
    } else if (state.holding) {
      state.holding = false;
      this.ladder.release(cause, loss);
    }
  }
}
