// Layered, validated configuration: defaults < config file < TRAIDER_* env < command-line flags.
export { configSchema, defaultConfig, SECTION_NAMES } from './schema.ts';
export type { TraiderConfig, InstrumentConfig } from './schema.ts';
export { ConfigError, problemsOf } from './errors.ts';
export type { ConfigIssue } from './errors.ts';
export type { DeepPartial } from './merge.ts';
export { loadConfig, resolveConfig, formatConfig, FLAGS_SOURCE } from './load.ts';
export type { LoadConfigOptions, ResolvedConfig } from './load.ts';
export { toRiskConfig } from './risk-schema.ts';
