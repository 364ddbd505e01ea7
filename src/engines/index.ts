// Engines: data (aggregation, adjustment, merge, order book, data quality), risk (pre-trade checks, breakers), execution (orders and their lifecycle) and portfolio (positions, cash, equity).
export { ASK, BID, OrderBook } from './data/book/index.ts';
export type { Ladder, TopOfBook } from './data/book/index.ts';
export {
  ADJUST_BACKWARD_REFUSAL,
  ADJUST_MODES,
  adjustedCloses,
  aggregateSeries,
  bucketCloseOf,
  computeAShareAdjustment,
  DataError,
  DataOptionError,
  formatDuration,
  mergeOrder,
  targetTimeframeMs,
} from './data/index.ts';
export type { AdjustMode } from './data/index.ts';
export { DEFAULT_DATA_QUALITY_CONFIG, resolveDataQualityConfig } from './data/quality/config.ts';
export type { DataQualityConfig, DataQualityConfigInput } from './data/quality/config.ts';
export { FailoverSelector } from './data/quality/failover.ts';
export type { FailoverEvent } from './data/quality/failover.ts';
export { DataQualityMonitor } from './data/quality/monitor.ts';
export { IssueCode, QualityLevel, invalidates, isUsable, qualityRank } from './data/quality/types.ts';
export type { QualityAssessment, QualityIssue } from './data/quality/types.ts';
export { ExecutionEngine, KernelDenial } from './execution/index.ts';
export type { GatedMessage } from './execution/index.ts';
export { Portfolio } from './portfolio/index.ts';
export type { CorporateAction } from './portfolio/index.ts';
export type { BreakerEvent } from './risk/breaker-ladder.ts';
export { BreakerLevel, RiskMode } from './risk/codes.ts';
export { DEFAULT_RISK_CONFIG } from './risk/config.ts';
export type { BreakerProfile, Cooldown, ModeLimits, RiskConfig, TriggerConfig } from './risk/config.ts';
export { RiskEngine } from './risk/risk-engine.ts';
