// Data quality settings with the defaults of product.md §5 (staleness, jumps, latency levels) and of
// the failover rules (provider health, hysteresis). docs/data-quality.md describes each one.

export interface LatencyLevels {
  /** Latency below this is EXCELLENT. */
  readonly excellentMs: number;
  /** Below this GOOD. */
  readonly goodMs: number;
  /** Below this FAIR; at or above it POOR (until the staleness limit, then STALE). */
  readonly fairMs: number;
}

export interface HealthCriteria {
  /** Results kept for the success rate and the latency statistics. */
  readonly windowSize: number;
  /** This many failures in a row make a provider unhealthy. */
  readonly maxConsecutiveFailures: number;
  /** A success rate below this (once `minSamples` results are in the window) is unhealthy. */
  readonly minSuccessRate: number;
  /** A p95 latency above this (once `minSamples` successes are in the window) is unhealthy. */
  readonly maxP95LatencyMs: number;
  /** Results needed before the rate and the p95 are judged. */
  readonly minSamples: number;
}

export interface FailoverConfig {
  /** Consecutive usable updates the primary needs before the selector returns to it (hysteresis). */
  readonly returnAfterUpdates: number;
  /**
   * A provider that has never reported is not failed over from until this long after the selector
   * first heard of the symbol (start-up grace), and is never switched to.
   */
  readonly noDataTimeoutMs: number;
}

export interface DataQualityConfig {
  /** A live quote older than this (receivedTime - exchangeTime, or now - exchangeTime) is STALE. */
  readonly quoteStaleMs: number;
  /** A bar older than this, measured from its close, is STALE. */
  readonly barStaleMs: number;
  /** Fixed bar spacing for the gap check; null: each bar's closeTime - openTime. */
  readonly barIntervalMs: number | null;
  /** A move of at least this fraction from the source's previous good price is a PRICE_JUMP. */
  readonly priceJumpThreshold: number;
  /**
   * A jump nobody corroborates is accepted as a new level on the Nth consecutive update of the same
   * source that stays within `consensusThreshold` of the first jumped price.
   */
  readonly jumpConfirmUpdates: number;
  /** Deviation (fraction) from the other sources above which a source is an outlier. */
  readonly consensusThreshold: number;
  /** Other sources' prices count for consensus when their data time is within this of the update's. */
  readonly consensusWindowMs: number;
  readonly latency: LatencyLevels;
  readonly health: HealthCriteria;
  readonly failover: FailoverConfig;
}

export const DEFAULT_DATA_QUALITY_CONFIG: DataQualityConfig = {
  quoteStaleMs: 5_000,
  barStaleMs: 60_000,
  barIntervalMs: null,
  priceJumpThreshold: 0.1,
  jumpConfirmUpdates: 3,
  consensusThreshold: 0.01,
  consensusWindowMs: 5_000,
  latency: { excellentMs: 100, goodMs: 500, fairMs: 2_000 },
  health: { windowSize: 100, maxConsecutiveFailures: 3, minSuccessRate: 0.8, maxP95LatencyMs: 2_000, minSamples: 10 },
  failover: { returnAfterUpdates: 10, noDataTimeoutMs: 5_000 },
};

/** Overrides: any top-level field, and any field of the nested groups. */
export interface DataQualityConfigInput {
  readonly quoteStaleMs?: number;
  readonly barStaleMs?: number;
  readonly barIntervalMs?: number | null;
  readonly priceJumpThreshold?: number;
  readonly jumpConfirmUpdates?: number;
  readonly consensusThreshold?: number;
  readonly consensusWindowMs?: number;
  readonly latency?: Partial<LatencyLevels>;
  readonly health?: Partial<HealthCriteria>;
  readonly failover?: Partial<FailoverConfig>;
}

function positive(name: string, value: number): void {
  if (!(value > 0) || !Number.isFinite(value)) throw new RangeError(`data quality config: ${name} must be a finite number > 0 (got ${value})`);
}

function positiveInteger(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`data quality config: ${name} must be an integer >= 1 (got ${value})`);
}

/** The defaults with `input` laid over them, validated. Throws RangeError naming the bad field. */
export function resolveDataQualityConfig(input: DataQualityConfigInput = {}): DataQualityConfig {
  const d = DEFAULT_DATA_QUALITY_CONFIG;
  const config: DataQualityConfig = {
    quoteStaleMs: input.quoteStaleMs ?? d.quoteStaleMs,
    barStaleMs: input.barStaleMs ?? d.barStaleMs,
    barIntervalMs: input.barIntervalMs === undefined ? d.barIntervalMs : input.barIntervalMs,
    priceJumpThreshold: input.priceJumpThreshold ?? d.priceJumpThreshold,
    jumpConfirmUpdates: input.jumpConfirmUpdates ?? d.jumpConfirmUpdates,
    consensusThreshold: input.consensusThreshold ?? d.consensusThreshold,
    consensusWindowMs: input.consensusWindowMs ?? d.consensusWindowMs,
    latency: { ...d.latency, ...input.latency },
    health: { ...d.health, ...input.health },
    failover: { ...d.failover, ...input.failover },
  };
  positive('quoteStaleMs', config.quoteStaleMs);
  positive('barStaleMs', config.barStaleMs);
  if (config.barIntervalMs !== null) positive('barIntervalMs', config.barIntervalMs);
  positive('priceJumpThreshold', config.priceJumpThreshold);
  positiveInteger('jumpConfirmUpdates', config.jumpConfirmUpdates);
  positive('consensusThreshold', config.consensusThreshold);
  if (!(config.consensusWindowMs >= 0)) throw new RangeError(`data quality config: consensusWindowMs must be >= 0 (got ${config.consensusWindowMs})`);
  const { excellentMs, goodMs, fairMs } = config.latency;
  positive('latency.excellentMs', excellentMs);
  if (!(excellentMs <= goodMs && goodMs <= fairMs) || !Number.isFinite(fairMs)) {
    throw new RangeError(`data quality config: latency levels must satisfy excellentMs <= goodMs <= fairMs (got ${excellentMs}, ${goodMs}, ${fairMs})`);
  }
  const h = config.health;
  positiveInteger('health.windowSize', h.windowSize);
  positiveInteger('health.maxConsecutiveFailures', h.maxConsecutiveFailures);
  if (!(h.minSuccessRate >= 0 && h.minSuccessRate <= 1)) throw new RangeError(`data quality config: health.minSuccessRate must be in [0, 1] (got ${h.minSuccessRate})`);
  if (!(h.maxP95LatencyMs > 0)) throw new RangeError(`data quality config: health.maxP95LatencyMs must be > 0 (Infinity: no latency limit; got ${h.maxP95LatencyMs})`);
  positiveInteger('health.minSamples', h.minSamples);
  positiveInteger('failover.returnAfterUpdates', config.failover.returnAfterUpdates);
  if (!(config.failover.noDataTimeoutMs >= 0)) throw new RangeError(`data quality config: failover.noDataTimeoutMs must be >= 0 (got ${config.failover.noDataTimeoutMs})`);
  return config;
}
