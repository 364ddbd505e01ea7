// What the data quality monitor remembers about one source of one symbol, and the PRICE_JUMP check on it.
import type { DataQualityConfig } from './config.ts';
import { IssueCode, type QualityIssue, type QualityLevel, type UpdateKind } from './types.ts';

/** Floating-point slack for "at least the threshold" (0.9 / 1 - 1 is 0.09999999999999998). */
export const THRESHOLD_EPSILON = 1e-12;

export const finitePositive = (x: number): boolean => Number.isFinite(x) && x > 0;
export const pct = (x: number): string => `${(x * 100).toFixed(2)}%`;

/** What the monitor remembers about one source of one symbol. */
export interface SourceState {
  readonly source: string;
  kind: UpdateKind;
  /** Latest finite positive price (NaN before the first). */
  price: number;
  dataTime: number;
  receivedTime: number;
  level: QualityLevel | undefined;
  ageLimitMs: number;
  /** The latest update was not INVALID and no other source has since found this one the outlier. */
  trusted: boolean;
  /** Price of the latest update that was not INVALID: the reference for jumps. */
  lastGood: number;
  /**
   * The latest price other sources agreed with (NaN before any agreement): this source's own history
   * when two sources disagree and one must be blamed.
   */
  agreed: number;
  /** An uncorroborated jump waiting for confirmation by further updates at the new level. */
  pendingJump: { price: number; count: number } | undefined;
  /** Open time of the latest bar (gap check). */
  lastBarOpen: number;
}

/** A source before its first update: no price, not trusted, the quote age limit. */
export function newSourceState(source: string, ageLimitMs: number): SourceState {
  return {
    source,
    kind: 'quote',
    price: NaN,
    dataTime: NaN,
    receivedTime: NaN,
    level: undefined,
    ageLimitMs,
    trusted: false,
    lastGood: NaN,
    agreed: NaN,
    pendingJump: undefined,
    lastBarOpen: -Infinity,
  };
}

/**
 * PRICE_JUMP: a move of at least the threshold from the source's last good price, unless other
 * sources corroborate the new price, or the source confirms it with `jumpConfirmUpdates` consecutive
 * updates within the consensus threshold of the first jumped price (then the last is accepted).
 */
export function priceJump(state: SourceState, price: number, corroborated: boolean, config: DataQualityConfig): QualityIssue | undefined {
  const threshold = config.priceJumpThreshold;
  if (!(state.lastGood > 0)) return undefined;
  const move = Math.abs(price / state.lastGood - 1);
  if (move < threshold - THRESHOLD_EPSILON || corroborated) {
    state.pendingJump = undefined;
    return undefined;
  }
  const pending = state.pendingJump;
  if (pending !== undefined && Math.abs(price / pending.price - 1) <= config.consensusThreshold) pending.count++;
  else state.pendingJump = { price, count: 1 };
  if (state.pendingJump!.count >= config.jumpConfirmUpdates) {
    state.pendingJump = undefined;
    return undefined;
  }
  return {
    code: IssueCode.PriceJump,
    detail: `${pct(move)} from the previous good price ${state.lastGood}`,
    value: move,
    limit: threshold,
  };
}
