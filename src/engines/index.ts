// Engines: data (loading, adjustment, order books, data quality) and risk (pre-trade checks, breakers).
export { ADJUST_BACKWARD_REFUSAL } from './data/adjust.ts';
export { BID, BinanceBookSync, KrakenBook, OrderBook, parseBinanceDiffs, parseBinanceSnapshot, parseBookTicker, parseKrakenBookMessage } from './data/book/index.ts';
export type { BinanceDiffCapture, BinanceSnapshotCapture, BookTickerCapture, ResyncRequest, TopOfBook } from './data/book/index.ts';
export { DataError } from './data/errors.ts';
export { adjustedCloses, loadBarSeries, loadBarSeriesSync, mergeOrder } from './data/index.ts';
export { DEFAULT_DATA_QUALITY_CONFIG, resolveDataQualityConfig } from './data/quality/config.ts';
export type { DataQualityConfig, DataQualityConfigInput } from './data/quality/config.ts';
export { FailoverSelector } from './data/quality/failover.ts';
export type { FailoverEvent } from './data/quality/failover.ts';
export { DataQualityMonitor } from './data/quality/monitor.ts';
export { IssueCode, QualityLevel, invalidates, isUsable, qualityRank } from './data/quality/types.ts';
export type { QualityAssessment, QualityIssue } from './data/quality/types.ts';
export type { BreakerEvent } from './risk/breaker-ladder.ts';
export { BreakerLevel, RiskMode } from './risk/codes.ts';
export { DEFAULT_RISK_CONFIG } from './risk/config.ts';
export type { BreakerProfile, Cooldown, ModeLimits, RiskConfig, TriggerConfig } from './risk/config.ts';
export { RiskEngine } from './risk/risk-engine.ts';
