// Feed health: the data breakers (DATA_STALE, DATA_FAILURES, API_LATENCY) from what sessions and data clients report.
import { Market } from '../../core/index.ts';
import type { Clock } from '../../common/index.ts';
import type { BreakerLadder } from './breaker-ladder.ts';
import { BreakerCause, type BreakerLevel } from './codes.ts';
import type { BreakerProfile, TriggerConfig } from './config.ts';
import { cooldownEnd } from './cooldown.ts';
import type { QuietBand } from './quiet-band.ts';

export class FeedHealth {
  private consecutiveFailures = 0;
  private clock!: Clock;
  private market: Market = Market.Crypto;

  /** `backtest`: DATA_STALE does not apply (a backtest's data is as old as it is). */
  constructor(
    private readonly profile: BreakerProfile,
    private readonly backtest: boolean,
    private readonly ladder: BreakerLadder,
    private readonly band: QuietBand,
  ) {}

  attach(clock: Clock, market: Market): void {
    this.clock = clock;
    this.market = market;
  }

  /**
   * A session's staleness check on the clock (each second): the oldest market data in use is `ageMs`
   * old against its own limit (`limitMs`: maxQuoteAgeMs for books and quotes, one interval plus
   * maxBarAgeMs past a bar's close for bars). Past it, DATA_STALE trips; within it, it releases.
   */
  reportStaleness(ageMs: number, limitMs: number): void {
    this.band.close();
    const trigger = this.profile.dataStale;
    if (this.backtest || !trigger.enabled) return;
    const now = this.clock.now();
    if (ageMs > limitMs) this.ladder.trip(BreakerCause.DataStale, trigger.level, ageMs, limitMs, now, this.cooldownEnd(trigger, now));
    else {
      this.ladder.release(BreakerCause.DataStale, ageMs);
      this.ladder.expire(now);
    }
  }

  /** Live data clients report the age of their freshest quote (ms). Not used in backtests. */
  reportDataAge(ageMs: number): void {
    this.band.close();
    const trigger = this.profile.dataStale;
    if (this.backtest || !trigger.enabled) return;
    const now = this.clock.now();
    if (ageMs > trigger.threshold) this.ladder.trip(BreakerCause.DataStale, trigger.level, ageMs, trigger.threshold, now, this.cooldownEnd(trigger, now));
    else {
      this.ladder.release(BreakerCause.DataStale);
      this.ladder.expire(now);
    }
  }

  /** A data request failed (true) or succeeded (false). */
  reportDataResult(failed: boolean): void {
    this.band.close();
    const trigger = this.profile.dataFailures;
    this.consecutiveFailures = failed ? this.consecutiveFailures + 1 : 0;
    if (!trigger.enabled) return;
    const now = this.clock.now();
    if (this.consecutiveFailures >= trigger.threshold) {
      this.ladder.trip(BreakerCause.DataFailures, trigger.level, this.consecutiveFailures, trigger.threshold, now, this.cooldownEnd(trigger, now));
    } else {
      this.ladder.release(BreakerCause.DataFailures);
    }
  }

  /** Round-trip time of a venue request (ms). */
  reportApiLatency(latencyMs: number): void {
    this.band.close();
    const trigger = this.profile.apiLatency;
    if (!trigger.enabled) return;
    const now = this.clock.now();
    if (latencyMs > trigger.threshold) this.ladder.trip(BreakerCause.ApiLatency, trigger.level, latencyMs, trigger.threshold, now, this.cooldownEnd(trigger, now));
    else this.ladder.release(BreakerCause.ApiLatency);
  }

  /**
   * Resume playback of a journaled rise of a data breaker: it trips at its own time with the cooldown
   * its trigger gives from then, and clears once cooled down (live reports trip it again while the
   * fault lasts). Returns false for a cause that is not a data breaker.
   */
  replayTrip(cause: BreakerCause, level: BreakerLevel, value: number, threshold: number, time: number): boolean {
    const p = this.profile;
    const trigger = cause === BreakerCause.DataStale ? p.dataStale : cause === BreakerCause.DataFailures ? p.dataFailures : cause === BreakerCause.ApiLatency ? p.apiLatency : undefined;
    if (trigger === undefined) return false;
    this.ladder.trip(cause, level, value, threshold, time, this.cooldownEnd(trigger, time));
    this.ladder.release(cause);
    return true;
  }

  private cooldownEnd(trigger: TriggerConfig, now: number): number {
    return cooldownEnd(trigger.cooldown, now, this.market);
  }
}
