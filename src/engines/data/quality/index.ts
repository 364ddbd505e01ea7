// Public API of data quality: checks on every update, provider health, failover, breaker wiring.
export { DEFAULT_DATA_QUALITY_CONFIG, resolveDataQualityConfig } from './config.ts';
export type { DataQualityConfig, DataQualityConfigInput, FailoverConfig, HealthCriteria, LatencyLevels } from './config.ts';
export { ProviderHealth } from './provider-health.ts';
export type { HealthSnapshot } from './provider-health.ts';
export { DataQualityMonitor } from './monitor.ts';
export type { SourceSnapshot } from './monitor.ts';
export { FailoverReason, FailoverSelector } from './failover.ts';
export type { FailoverEvent, FailoverSelectorOptions } from './failover.ts';
export { RiskDataBridge } from './risk-bridge.ts';
export type { DataRiskSink } from './risk-bridge.ts';
export { DataQualityHub } from './hub.ts';
export type { DataQualityHubOptions, HubResult, RequestResult } from './hub.ts';
export { invalidates, isUsable, IssueCode, QUALITY_ORDER, QualityLevel, qualityRank } from './types.ts';
export type { BarUpdate, QualityAssessment, QualityIssue, QuoteUpdate, UpdateKind } from './types.ts';
