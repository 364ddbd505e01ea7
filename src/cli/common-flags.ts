// The flags every command that runs a strategy shares (backtest, replay, paper, live, demo): defined once here,
// with one help text and one validation, so `--capital` means and checks the same everywhere. A command takes
// the subset that applies to it; docs/config.md says which command leaves which flag out, and why.
import { type Command, Option } from 'commander';
import type { DeepPartial, TraiderConfig } from '../app/config/index.ts';
import type { Market } from '../core/index.ts';
import { UsageError } from './errors.ts';
import { requireFile } from './paths.ts';

export type RunFlagName = 'capital' | 'feeBps' | 'symbol' | 'market' | 'config' | 'progress' | 'json' | 'statusEvery';

/** The common flags as commander hands them over (numbers still text). */
export interface RunFlags {
  capital?: string;
  feeBps?: string;
  symbol?: string;
  market?: Market;
  config?: string;
  /** false with --no-progress. */
  progress?: boolean;
  json?: boolean;
  /** Sessions: seconds between status lines. */
  statusEvery?: string;
}

const MARKETS = ['crypto', 'ashare'] as const;

const OPTIONS: Readonly<Record<RunFlagName, () => Option>> = {
  capital: () => new Option('--capital <amount>', 'initial capital (paper cash) in the account currency, > 0 (default 10000; config backtest.capital)'),
  feeBps: () => new Option('--fee-bps <bps>', 'crypto maker and taker fee in basis points, 0 to 1000 (default 10; config fees.crypto)'),
  symbol: () => new Option('--symbol <symbol>', 'symbol of a single data file (default: from the file name)'),
  market: () => new Option('--market <market>', 'market of the data files (default: from the file name)').choices(MARKETS),
  config: () => new Option('--config <file>', 'configuration file (JSON or YAML)'),
  progress: () => new Option('--no-progress', 'no progress display on stderr: no progress bar, no periodic status line'),
  json: () => new Option('--json', 'print the result as one JSON object, the last line of stdout (log lines go to stderr)'),
  statusEvery: () =>
    new Option('--status-every <seconds>', 'sessions: a status line on stderr every this many seconds (bars, last price, position, equity, breaker level, data age); 0: none').default('10'),
};

/** Adds the named common flags to `command`, in the order given. */
export function addRunFlags(command: Command, names: readonly RunFlagName[]): Command {
  for (const name of names) command.addOption(OPTIONS[name]());
  return command;
}

/** A number flag: any finite number; its range is the configuration's rule (checked with the rest of the configuration). */
export function parseNumberFlag(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (value.trim() === '' || !Number.isFinite(number)) throw new UsageError(`${flag}: expected a number (got "${value}")`);
  return number;
}

/** Wall milliseconds between a session's status lines: --status-every (default 10 s); 0 with --status-every 0 or --no-progress. */
export function statusEveryMs(flags: RunFlags): number {
  const text = flags.statusEvery ?? '10';
  const seconds = Number(text);
  if (text.trim() === '' || !Number.isFinite(seconds) || seconds < 0) throw new UsageError(`--status-every: expected seconds >= 0, 0 for none (got "${text}")`);
  return flags.progress === false ? 0 : Math.round(seconds * 1000);
}

/** The configuration values the common flags set, and the flag behind each (so a bad value is reported by its flag). */
export function runFlagsToConfig(flags: RunFlags): { values: DeepPartial<TraiderConfig>; flagNames: Record<string, string> } {
  const capital = parseNumberFlag('--capital', flags.capital);
  const feeBps = parseNumberFlag('--fee-bps', flags.feeBps);
  return {
    values: {
      backtest: { capital },
      fees: { crypto: { makerBps: feeBps, takerBps: feeBps } },
    },
    flagNames: { 'backtest.capital': '--capital', 'fees.crypto.makerBps': '--fee-bps', 'fees.crypto.takerBps': '--fee-bps' },
  };
}

/** Deep merge of two partial configurations (the command's own flags over the common ones). */
function mergePartial(base: Record<string, unknown>, extra: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(extra)) {
    const existing = out[key];
    const bothObjects = value !== null && typeof value === 'object' && existing !== null && typeof existing === 'object';
    out[key] = bothObjects ? mergePartial(existing as Record<string, unknown>, value as Record<string, unknown>) : value;
  }
  return out;
}

/**
 * The effective configuration of a run: defaults < --config < TRAIDER_* < the common flags (and `extra`, a
 * command's own flags). A value out of range is reported by its flag: `--capital: must be > 0 (got -5)`.
 */
export async function loadRunConfig(flags: RunFlags, extra: DeepPartial<TraiderConfig> = {}, extraFlagNames: Record<string, string> = {}): Promise<TraiderConfig> {
  if (flags.config !== undefined) requireFile('--config', flags.config);
  const { loadConfig } = await import('../app/config/index.ts');
  const common = runFlagsToConfig(flags);
  const values = mergePartial(common.values as Record<string, unknown>, extra as Record<string, unknown>) as DeepPartial<TraiderConfig>;
  return loadConfig({ file: flags.config, env: process.env, flags: values, flagNames: { ...common.flagNames, ...extraFlagNames } });
}
