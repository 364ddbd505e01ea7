// loadConfig: defaults < config file < TRAIDER_* environment < command-line flags, then one strict validation.
import { stringify } from 'yaml';
import { configSchema, SECTION_NAMES } from './schema.ts';
import type { TraiderConfig } from './schema.ts';
import { ConfigError, fromZodIssue } from './errors.ts';
import type { ConfigIssue } from './errors.ts';
import { configVariables, objectAt } from './env.ts';
import { mergeInto, SourceMap } from './merge.ts';
import type { DeepPartial, PlainObject } from './merge.ts';
import { readConfigFile } from './file.ts';

/** Layer name recorded for values given as command-line flags. */
export const FLAGS_SOURCE = 'command-line flags';

export interface LoadConfigOptions {
  /** Path of a JSON or YAML config file (`--config FILE`). */
  file?: string;
  /** The environment; only TRAIDER_<SECTION>__... variables are read. Pass process.env from the CLI. */
  env: Readonly<Record<string, string | undefined>>;
  /** Values from command-line flags, already structured like the config; `undefined` leaves a value alone. */
  flags?: DeepPartial<TraiderConfig>;
  /**
   * The flag that set a value, by dotted path ({'backtest.capital': '--capital'}): a problem with that value
   * names the flag, as the user typed it. Values of unnamed flags come from FLAGS_SOURCE.
   */
  flagNames?: Readonly<Record<string, string>>;
}

export interface ResolvedConfig {
  config: TraiderConfig;
  /** Dotted path -> layer that set it (file path, env var name or FLAGS_SOURCE); defaults are absent. */
  sourceOf(path: string | readonly PropertyKey[]): string | undefined;
}

/** Like loadConfig, also telling which layer each value came from. Throws ConfigError listing every problem. */
export function resolveConfig(options: LoadConfigOptions): ResolvedConfig {
  const merged: PlainObject = {};
  const sources = new SourceMap();
  const issues: ConfigIssue[] = [];

  if (options.file !== undefined) mergeInto(merged, readConfigFile(options.file), options.file, sources);

  const env = configVariables(options.env, SECTION_NAMES);
  issues.push(...env.issues);
  for (const v of env.variables) mergeInto(merged, objectAt(v.path, v.value), v.name, sources);

  if (options.flags !== undefined) {
    mergeInto(merged, options.flags as PlainObject, FLAGS_SOURCE, sources);
    for (const [path, flag] of Object.entries(options.flagNames ?? {})) {
      const segments = path.split('.');
      const value = objectAtPath(options.flags as PlainObject, segments);
      if (value !== undefined) sources.set(segments, flag, value);
    }
  }

  const result = configSchema.safeParse(merged, { reportInput: true });
  if (!result.success) {
    for (const issue of result.error.issues) issues.push(...fromZodIssue(issue, (p) => sources.lookup(p)));
  }
  if (issues.length > 0 || !result.success) throw new ConfigError(issues);
  return {
    config: result.data,
    sourceOf: (path) => sources.lookup(typeof path === 'string' ? path.split('.') : path),
  };
}

function objectAtPath(root: PlainObject, segments: readonly string[]): unknown {
  let value: unknown = root;
  for (const segment of segments) value = value !== null && typeof value === 'object' ? (value as PlainObject)[segment] : undefined;
  return value;
}

/** The effective configuration. Throws ConfigError listing every problem at once. */
export function loadConfig(options: LoadConfigOptions): TraiderConfig {
  return resolveConfig(options).config;
}

/** The configuration as text for `traider config show`; the output is itself a valid config file. */
export function formatConfig(config: TraiderConfig, format: 'yaml' | 'json'): string {
  if (format === 'json') return `${JSON.stringify(config, null, 2)}\n`;
  return stringify(config, { lineWidth: 0 });
}
