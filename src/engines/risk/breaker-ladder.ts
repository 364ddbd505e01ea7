// The breaker ladder: active causes, each with its level and cooldown; the level is the worst of them.
import { BreakerCause, BreakerLevel, levelRank, needsReset } from './codes.ts';

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
  readonly rank: number;
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

const CAUSES: readonly BreakerCause[] = Object.values(BreakerCause);
const SLOT_OF = Object.fromEntries(CAUSES.map((cause, i) => [cause, i])) as Record<BreakerCause, number>;

/**
 * Causes live in a fixed slot array (no Map iteration on the per-bar path), and `nextExpiry` lets
 * `expire` return at once until some released cause has cooled down.
 */
export class BreakerLadder {
  private readonly slots: (ActiveCause | undefined)[] = new Array(CAUSES.length).fill(undefined);
  private nextExpiry = Infinity;
  /** Bit i set while cause slot i is active: lets callers skip the ladder when nothing is active. */
  activeMask = 0;
  level: BreakerLevel = BreakerLevel.Normal;
  readonly events: BreakerEvent[] = [];

  constructor(private readonly onChange: (event: BreakerEvent) => void = () => {}) {}

  isActive(cause: BreakerCause): boolean {
    return this.slots[SLOT_OF[cause]] !== undefined;
  }

  activeCauses(): ReadonlyArray<{ cause: BreakerCause; level: BreakerLevel; until: number; awaitingReset: boolean; value: number; threshold: number }> {
    return this.slots.filter((s): s is ActiveCause => s !== undefined).map(({ cause, level, until, awaitingReset, value, threshold }) => ({ cause, level, until, awaitingReset, value, threshold }));
  }

  /**
   * The condition of `cause` holds now. A new cause trips; an active one is kept (its cooldown runs
   * from the first trip and is renewed only once it has run out while the condition still holds).
   */
  trip(cause: BreakerCause, level: BreakerLevel, value: number, threshold: number, time: number, until: number, extra?: { actor?: string; detail?: string }): number {
    const slot = SLOT_OF[cause];
    const current = this.slots[slot];
    const rank = levelRank(level);
    if (current !== undefined && current.rank >= rank) {
      current.value = value;
      current.holding = true;
      if (current.until <= time) current.until = until;
      return current.until;
    }
    this.slots[slot] = { cause, level, rank, value, threshold, until, holding: true, awaitingReset: needsReset(level), ...extra };
    this.activeMask |= 1 << slot;
    this.recompute(time, cause, value, threshold, extra ?? {});
    return until;
  }

  /**
   * Fast path while a condition persists: if `cause` is active and still cooling down, note the
   * reading and return true; otherwise return false and let the caller `trip`.
   */
  hold(cause: BreakerCause, value: number, time: number): boolean {
    const current = this.slots[SLOT_OF[cause]];
    if (current === undefined || current.until <= time) return false;
    current.value = value;
    current.holding = true;
    return true;
  }

  /** The condition of `cause` no longer holds (it may still be cooling down); `value` is the latest reading. */
  release(cause: BreakerCause, value?: number): void {
    if (this.activeMask === 0) return; // nothing is active: nothing to release
    const current = this.slots[SLOT_OF[cause]];
    if (current === undefined) return;
    if (value !== undefined) current.value = value;
    if (!current.holding) return;
    current.holding = false;
    if (!current.awaitingReset && current.until < this.nextExpiry) this.nextExpiry = current.until;
  }

  /** Drop causes that have cooled down, no longer hold and need no reset; report a lower level once. */
  expire(time: number): void {
    if (time < this.nextExpiry) return;
    const dropped = this.dropCooled(time);
    if (dropped) this.recompute(time, dropped.cause, dropped.value, dropped.threshold, {});
  }

  /** Removes the causes `expire` would drop, without reporting; returns the last one dropped. */
  private dropCooled(time: number): ActiveCause | undefined {
    let dropped: ActiveCause | undefined;
    let next = Infinity;
    for (let i = 0; i < this.slots.length; i++) {
      const entry = this.slots[i];
      if (entry === undefined || entry.holding || entry.awaitingReset) continue;
      if (entry.until <= time) {
        this.slots[i] = undefined;
        this.activeMask &= ~(1 << i);
        dropped = entry;
      } else if (entry.until < next) {
        next = entry.until;
      }
    }
    this.nextExpiry = next;
    return dropped;
  }

  /** A person sets the MANUAL level; it holds, whatever the level, until a reset. */
  setManual(level: BreakerLevel, time: number, actor: string, detail?: string): void {
    const rank = levelRank(level);
    this.slots[SLOT_OF[BreakerCause.Manual]] = { cause: BreakerCause.Manual, level, rank, value: rank, threshold: rank, until: Infinity, holding: true, awaitingReset: true, actor, detail };
    this.activeMask |= 1 << SLOT_OF[BreakerCause.Manual];
    this.recompute(time, BreakerCause.Manual, rank, rank, { actor, detail });
  }

  /**
   * A named person resets: the MANUAL level goes, and HALT_ALL_TRADING / EMERGENCY_CLOSE causes no
   * longer wait for a reset; each still clears only after its own cooldown and condition.
   */
  reset(actor: string, time: number): void {
    if (!actor.trim()) throw new RangeError('reset needs the name of the person doing it');
    this.slots[SLOT_OF[BreakerCause.Manual]] = undefined;
    this.activeMask &= ~(1 << SLOT_OF[BreakerCause.Manual]);
    for (const entry of this.slots) if (entry) entry.awaitingReset = false;
    this.nextExpiry = -Infinity;
    // One event for whatever the reset lowers, naming who did it (and the cause it cleared, if any).
    const dropped = this.dropCooled(time);
    this.recompute(time, dropped?.cause ?? BreakerCause.Manual, dropped?.value ?? 0, dropped?.threshold ?? 0, { actor, detail: 'reset' });
  }

  /**
   * Set the level to the worst active cause. A rise names the cause that tripped; a fall names the
   * cause that now holds the level (or, back to NORMAL, the last one that cleared).
   */
  private recompute(time: number, cause: BreakerCause, value: number, threshold: number, extra: { actor?: string; detail?: string }): void {
    let worst: ActiveCause | undefined;
    for (const entry of this.slots) if (entry && (!worst || entry.rank > worst.rank)) worst = entry;
    const level = worst?.level ?? BreakerLevel.Normal;
    if (level === this.level) return;
    const rising = levelRank(level) > levelRank(this.level);
    const why = rising || !worst ? { cause, value, threshold, ...extra } : { cause: worst.cause, value: worst.value, threshold: worst.threshold, detail: worst.detail, ...extra };
    const event: BreakerEvent = { time, level, previousLevel: this.level, ...why };
    this.level = level;
    this.events.push(event);
    this.onChange(event);
  }
}
