// The breaker ladder: active causes, each with its level and cooldown; the level is the worst of them.
import { type BreakerCause, BreakerLevel, levelRank, needsReset } from './codes.ts';

/** A level change, with the cause behind it and the numbers that tripped it. */
export interface BreakerEvent {
  readonly time: number;
  readonly level: BreakerLevel;
  readonly previousLevel: BreakerLevel;
  readonly cause: BreakerCause;
  /** The measured value (loss fraction, VaR fraction, correlation, count, ms). */
  readonly value: number;
  readonly threshold: number;
  /** Who did it, for MANUAL changes and resets. */
  readonly actor?: string;
  readonly detail?: string;
}

interface ActiveCause {
  readonly cause: BreakerCause;
  readonly level: BreakerLevel;
  value: number;
  readonly threshold: number;
  /** The cause may not clear before this time. */
  until: number;
  /** True while the triggering condition still holds. */
  holding: boolean;
  /** HALT_ALL_TRADING and EMERGENCY_CLOSE stay until a person resets them. */
  awaitingReset: boolean;
  actor?: string;
  detail?: string;
}

export class BreakerLadder {
  private readonly active = new Map<BreakerCause, ActiveCause>();
  level: BreakerLevel = BreakerLevel.Normal;
  readonly events: BreakerEvent[] = [];

  constructor(private readonly onChange: (event: BreakerEvent) => void = () => {}) {}

  isActive(cause: BreakerCause): boolean {
    return this.active.has(cause);
  }

  activeCauses(): ReadonlyArray<{ cause: BreakerCause; level: BreakerLevel; until: number; awaitingReset: boolean; value: number; threshold: number }> {
    return [...this.active.values()].map(({ cause, level, until, awaitingReset, value, threshold }) => ({ cause, level, until, awaitingReset, value, threshold }));
  }

  /**
   * The condition of `cause` holds now. A new cause trips; an active one is kept (its cooldown runs
   * from the first trip and is renewed only once it has run out while the condition still holds).
   */
  trip(cause: BreakerCause, level: BreakerLevel, value: number, threshold: number, time: number, until: number, extra: { actor?: string; detail?: string } = {}): void {
    const current = this.active.get(cause);
    if (current && levelRank(current.level) >= levelRank(level)) {
      current.value = value;
      current.holding = true;
      if (current.until <= time) current.until = until;
      return;
    }
    this.active.set(cause, { cause, level, value, threshold, until, holding: true, awaitingReset: needsReset(level), ...extra });
    this.recompute(time, cause, value, threshold, extra);
  }

  /** The condition of `cause` no longer holds (it may still be cooling down). */
  release(cause: BreakerCause): void {
    const current = this.active.get(cause);
    if (current) current.holding = false;
  }

  /** Drop causes that have cooled down, no longer hold and need no reset; report a lower level. */
  expire(time: number): void {
    if (this.active.size === 0) return;
    for (const entry of this.active.values()) {
      if (entry.until <= time && !entry.holding && !entry.awaitingReset) {
        this.active.delete(entry.cause);
        this.recompute(time, entry.cause, entry.value, entry.threshold, {});
      }
    }
  }

  /** A person sets the MANUAL level; it holds, whatever the level, until a reset. */
  setManual(level: BreakerLevel, time: number, actor: string, detail?: string): void {
    const rank = levelRank(level);
    this.active.set('MANUAL', { cause: 'MANUAL', level, value: rank, threshold: rank, until: Infinity, holding: true, awaitingReset: true, actor, detail });
    this.recompute(time, 'MANUAL', rank, rank, { actor, detail });
  }

  /**
   * A named person resets: the MANUAL level goes, and HALT_ALL_TRADING / EMERGENCY_CLOSE causes no
   * longer wait for a reset; each still clears only after its own cooldown and condition.
   */
  reset(actor: string, time: number): void {
    if (!actor.trim()) throw new RangeError('reset needs the name of the person doing it');
    this.active.delete('MANUAL');
    for (const entry of this.active.values()) entry.awaitingReset = false;
    for (const entry of [...this.active.values()]) if (entry.until <= time && !entry.holding) this.active.delete(entry.cause);
    this.recompute(time, 'MANUAL', 0, 0, { actor, detail: 'reset' });
  }

  private recompute(time: number, cause: BreakerCause, value: number, threshold: number, extra: { actor?: string; detail?: string }): void {
    let worst: BreakerLevel = BreakerLevel.Normal;
    for (const entry of this.active.values()) if (levelRank(entry.level) > levelRank(worst)) worst = entry.level;
    if (worst === this.level) return;
    const event: BreakerEvent = { time, level: worst, previousLevel: this.level, cause, value, threshold, ...extra };
    this.level = worst;
    this.events.push(event);
    this.onChange(event);
  }
}
