// Data quality: the closed lists (quality levels, issue codes) and the shapes of updates and assessments.
import type { Bar } from '../../../core/index.ts';

/** Quality of one update, best first. product.md §5. */
export const QualityLevel = {
  Excellent: 'EXCELLENT',
  Good: 'GOOD',
  Fair: 'FAIR',
  Poor: 'POOR',
  Stale: 'STALE',
  Invalid: 'INVALID',
} as const;
export type QualityLevel = (typeof QualityLevel)[keyof typeof QualityLevel];

export const QUALITY_ORDER: readonly QualityLevel[] = [
  QualityLevel.Excellent,
  QualityLevel.Good,
  QualityLevel.Fair,
  QualityLevel.Poor,
  QualityLevel.Stale,
  QualityLevel.Invalid,
];

const QUALITY_RANK = Object.fromEntries(QUALITY_ORDER.map((level, i) => [level, i])) as Record<QualityLevel, number>;

/** 0 for EXCELLENT up to 5 for INVALID: lower is better. */
export function qualityRank(level: QualityLevel): number {
  return QUALITY_RANK[level];
}

/** STALE and INVALID data must not be traded on: failover leaves a provider at these levels. */
export function isUsable(level: QualityLevel): boolean {
  return level !== QualityLevel.Stale && level !== QualityLevel.Invalid;
}

/** What a check found. */
export const IssueCode = {
  /** Older than the staleness limit (value: age ms, limit: the limit). */
  Stale: 'STALE',
  /** Moved at least the jump threshold from the source's previous good price (fractions). */
  PriceJump: 'PRICE_JUMP',
  /** Bar shape: high/low bounds, negative volume, close time not after open time. */
  Ohlc: 'OHLC',
  /** Missing bars before this one (value: how many; limit 0). Informational: does not change the level. */
  Gap: 'GAP',
  /** Outlier against the other sources (value: deviation fraction, limit: threshold). */
  Consensus: 'CONSENSUS',
  /** Bid above ask (value: bid, limit: ask). */
  Crossed: 'CROSSED',
  /** NaN or infinite number, or a price that is not positive (value: the number, limit 0). */
  NotFinite: 'NOT_FINITE',
} as const;
export type IssueCode = (typeof IssueCode)[keyof typeof IssueCode];

export interface QualityIssue {
  readonly code: IssueCode;
  readonly detail: string;
  readonly value: number;
  readonly limit: number;
}

/** Issues that make an update INVALID. STALE gives STALE; GAP is informational. */
export function invalidates(code: IssueCode): boolean {
  return code !== IssueCode.Stale && code !== IssueCode.Gap;
}

/** A live quote (ticker or trade) from one source. Times are UTC ms. */
export interface QuoteUpdate {
  readonly source: string;
  readonly symbol: string;
  /** Last or mid price. */
  readonly price: number;
  readonly bid?: number;
  readonly ask?: number;
  /** The venue's timestamp of the quote. */
  readonly exchangeTime: number;
  /** When we received it (the kernel clock). */
  readonly receivedTime: number;
}

/** A completed bar from one source. */
export interface BarUpdate {
  readonly source: string;
  readonly bar: Bar;
  /** When we received it (the kernel clock). */
  readonly receivedTime: number;
  /**
   * Expected spacing of open times for the gap check. Default: the config's `barIntervalMs`, else the
   * bar's own closeTime - openTime.
   */
  readonly intervalMs?: number;
  /**
   * Prices the market allows this bar to reach (A-shares: the day's limit-down and limit-up from the
   * previous close). A close inside the band is a legal move, never a PRICE_JUMP.
   */
  readonly legalBand?: { readonly down: number; readonly up: number };
}

export type UpdateKind = 'quote' | 'bar';

/** The verdict on one update (or, from `DataQualityMonitor.assessAge`, on a feed's silence). */
export interface QualityAssessment {
  readonly kind: UpdateKind;
  readonly symbol: string;
  readonly source: string;
  /** When the assessment was made: the update's receivedTime (or the time asked for). */
  readonly time: number;
  /** The data's own time: a quote's exchangeTime, a bar's closeTime. */
  readonly dataTime: number;
  /** Quote price or bar close (NaN when unusable). */
  readonly price: number;
  /** time - dataTime, floored at 0 (at receipt this is the latency). */
  readonly ageMs: number;
  /** The staleness limit that applies to this kind of data. */
  readonly ageLimitMs: number;
  readonly level: QualityLevel;
  readonly issues: readonly QualityIssue[];
  /**
   * Other sources this update's consensus check found to be the outlier (two-source rule). Empty
   * almost always; failover treats them as unusable until their next good update.
   */
  readonly outliers: readonly string[];
}
