// Operator controls: what a named person does to the risk engine (kill switch, manual level, reset, symbol halts).
import type { RiskContext } from '../../common/index.ts';
import type { BreakerEvent, BreakerLadder } from './breaker-ladder.ts';
import { BreakerCause, BreakerLevel, levelRank, needsReset } from './codes.ts';
import type { BreakerProfile } from './config.ts';
import type { FeedHealth } from './feed-health.ts';
import type { LossTriggers } from './loss-triggers.ts';
import type { QuietBand } from './quiet-band.ts';

/** A level change read back from a session's journal. */
export type JournaledBreakerChange = Pick<BreakerEvent, 'time' | 'level' | 'previousLevel' | 'cause' | 'value' | 'threshold'> & { actor?: string | null; detail?: string | null };

/** Every control names the person using it: the audit trail records who halted, resumed or reset. */
function requireActor(actor: string, message: string): void {
  if (!actor.trim()) throw new RangeError(message);
}

export class OperatorControls {
  /** Symbols halted on their own (reconciliation found a position the platform does not know), with why. */
  private readonly haltedSymbols = new Map<string, string>();
  private context!: RiskContext;

  constructor(
    private readonly profile: BreakerProfile,
    private readonly ladder: BreakerLadder,
    private readonly band: QuietBand,
    private readonly losses: LossTriggers,
    private readonly feed: FeedHealth,
  ) {}

  attach(context: RiskContext): void {
    this.context = context;
  }

  /** Kill switch: HALT_ALL_TRADING now (EMERGENCY_CLOSE with flatten), open orders canceled in this call. */
  killSwitch(actor: string, options: { flatten?: boolean; reason?: string } = {}): void {
    requireActor(actor, 'the kill switch needs the name of the person using it');
    const level = options.flatten ? BreakerLevel.EmergencyClose : BreakerLevel.HaltAllTrading;
    this.setManualLevel(level, actor, options.reason ?? 'kill switch');
  }

  /** A person sets a level (MANUAL). It stays until `reset`. */
  setManualLevel(level: BreakerLevel, actor: string, detail = 'manual'): void {
    requireActor(actor, 'a manual level change needs the name of the person making it');
    this.band.close();
    this.ladder.setManual(level, this.context.clock.now(), actor, detail);
  }

  /** Halt one symbol (every order on it is denied) until `resumeSymbol`: e.g. an unknown position. */
  haltSymbol(symbol: string, reason: string): void {
    this.haltedSymbols.set(symbol, reason);
  }

  /** A named person lets a halted symbol trade again. */
  resumeSymbol(symbol: string, actor: string): void {
    requireActor(actor, 'resuming a symbol needs the name of the person deciding it');
    this.haltedSymbols.delete(symbol);
  }

  isSymbolHalted(symbol: string): boolean {
    return this.haltedSymbols.has(symbol);
  }

  /** Why `symbol` is halted (undefined: it is not). */
  haltReason(symbol: string): string | undefined {
    return this.haltedSymbols.size === 0 ? undefined : this.haltedSymbols.get(symbol);
  }

  /**
   * A named person clears the manual level and the reset requirement of HALT_ALL_TRADING /
   * EMERGENCY_CLOSE. A drawdown that needed the reset is measured from the equity at the reset from
   * then on (else the flattened account would stay below its old peak, and halted, for ever).
   */
  reset(actor: string): void {
    requireActor(actor, 'reset needs the name of the person doing it');
    this.resetAt(actor, this.context.clock.now());
  }

  /**
   * Resume playback: a journaled level change that the played-back bars and fills cannot cause again
   * happens again at its own time. A person's MANUAL level holds until a reset; a reset resets; a
   * data-quality cause (DATA_STALE, DATA_FAILURES, API_LATENCY) trips with the cooldown its trigger
   * gives from that time and clears once cooled down (live reports trip it again while the fault lasts).
   * Loss, drawdown, VaR and correlation causes are left to the playback, which trips them again.
   */
  replayBreaker(event: JournaledBreakerChange): void {
    const { time, cause } = event;
    this.band.close();
    if (event.detail === 'reset' && event.actor) {
      this.resetAt(event.actor, time);
      return;
    }
    if (levelRank(event.level) <= levelRank(event.previousLevel)) return; // falls follow from cooldowns and resets
    if (cause === BreakerCause.Manual) {
      this.ladder.setManual(event.level, time, event.actor ?? 'unknown', event.detail ?? undefined);
      return;
    }
    this.feed.replayTrip(cause, event.level, event.value, event.threshold, time);
  }

  private resetAt(actor: string, now: number): void {
    if (this.ladder.isActive(BreakerCause.Drawdown) && needsReset(this.profile.drawdown.level)) {
      this.band.disarm();
      this.losses.restartDrawdown(this.context.equity(), now);
    }
    this.band.close();
    this.ladder.reset(actor, now);
  }
}
