// `traider risk`: VaR, ES, correlation and stress losses of a constant-weight portfolio over CSV data.
import { Command, Option } from 'commander';
import type { StressResult } from '../analytics/index.ts';
import type { RiskReport } from '../app/risk/index.ts';
import type { Market } from '../core/index.ts';
import { UsageError } from './errors.ts';
import { listOption } from './list-option.ts';
import { requireFiles } from './paths.ts';

interface RiskFlags {
  data: string[];
  weights: string;
  horizonBars?: string;
  confidence?: string[];
  paths?: string;
  seed?: string;
  correlationLimit?: string;
  symbol?: string;
  market?: Market;
  timeframe?: string;
  json?: boolean;
}

const MAX_PATHS = 10_000_000;

function parseInteger(flag: string, value: string | undefined, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (value.trim() === '' || !Number.isSafeInteger(number) || number < min || number > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `from ${min} to ${max}`;
    throw new UsageError(`--${flag}: expected an integer ${range} (got "${value}")`);
  }
  return number;
}

/** `--weights '{"BTC/USDT":0.6,"ETH/USDT":0.4}'` -> { "BTC/USDT": 0.6, ... }, naming the field at fault. */
export function parseWeights(text: string): Record<string, number> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--weights: not valid JSON (${(error as Error).message}): ${text}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new UsageError(`--weights: expected a JSON object mapping symbol to weight, e.g. '{"BTC/USDT":0.6,"ETH/USDT":0.4}' (got ${text})`);
  }
  const weights: Record<string, number> = {};
  for (const [symbol, weight] of Object.entries(parsed)) {
    if (typeof weight !== 'number' || !Number.isFinite(weight)) {
      throw new UsageError(`--weights: weight of ${JSON.stringify(symbol)} must be a number (got ${JSON.stringify(weight)})`);
    }
    weights[symbol] = weight;
  }
  if (Object.keys(weights).length === 0) throw new UsageError('--weights: give a weight for at least one symbol (got {})');
  return weights;
}

/** `--confidence 95,99` or `--confidence 95 --confidence 99` (percent) -> [0.95, 0.99]. */
export function parseConfidence(given: string | readonly string[] | undefined): number[] | undefined {
  if (given === undefined) return undefined;
  const parts = typeof given === 'string' ? given.split(',') : given;
  const text = parts.join(',');
  const levels = parts.map((part) => {
    const percent = Number(part);
    if (part.trim() === '' || !Number.isFinite(percent) || percent < 50 || percent >= 100) {
      throw new UsageError(`--confidence: each level is a percentage from 50 to below 100, e.g. 95,99 (got "${part}" in "${text}")`);
    }
    return percent / 100;
  });
  if (new Set(levels).size !== levels.length) throw new UsageError(`--confidence: duplicate level (got "${text}")`);
  return levels;
}

function parseCorrelationLimit(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const limit = Number(text);
  if (text.trim() === '' || !Number.isFinite(limit) || limit < -1 || limit > 1) {
    throw new UsageError(`--correlation-limit: expected a number from -1 to 1 (got "${text}")`);
  }
  return limit;
}

/** Request fields of the risk analytics -> the flag that sets them. */
function flagOf(field: string): string | undefined {
  if (field.startsWith('weights')) return '--weights';
  if (field.startsWith('horizonBars')) return '--horizon-bars';
  if (field.startsWith('confidence')) return '--confidence';
  if (field.startsWith('monteCarlo.paths')) return '--paths';
  if (field.startsWith('monteCarlo.seed')) return '--seed';
  if (field.startsWith('correlationLimit')) return '--correlation-limit';
  if (field.startsWith('series')) return '--data';
  return undefined;
}

function pct(value: number | null | undefined, digits = 2): string {
  return value === null || value === undefined || !Number.isFinite(value) ? 'n/a' : `${(value * 100).toFixed(digits)}%`;
}

function utc(t: number): string {
  return new Date(t).toISOString().slice(0, 16).replace('T', ' ');
}

const METHODS: ReadonlyArray<[keyof RiskReport['var'], string]> = [
  ['historical', 'historical'],
  ['parametric', 'parametric normal'],
  ['cornishFisher', 'Cornish-Fisher'],
  ['monteCarlo', 'Monte Carlo'],
];

function stressRow(s: StressResult): string {
  const name = s.name.padEnd(26);
  if (s.kind === 'historical') {
    if (s.covered === false) return `${name}${'n/a'.padStart(9)}  ${'n/a'.padStart(12)}  (not covered by the data)`;
    return `${name}${pct(s.loss).padStart(9)}  ${pct(s.maxDrawdown).padStart(12)}`;
  }
  return `${name}${pct(s.loss).padStart(9)}`;
}

/** The human-readable report: VaR and ES by method and confidence, the correlation matrix, stress rows. */
export function formatRiskReport(r: RiskReport): string {
  const keys = r.confidence.map((c) => String(Number((c * 100).toFixed(8))));
  const holdings = Object.entries(r.weights).map(([s, w]) => `${s} ${w}`).join(', ');
  const lines = [
    `portfolio         ${holdings}, cash ${Number(r.cash.toFixed(12))} (${r.market}, ${r.timeframe} bars)`,
    `period            ${utc(r.start)} -> ${utc(r.end)} UTC, ${r.observations} aligned returns, horizon ${r.horizonBars} bar${r.horizonBars === 1 ? '' : 's'}`,
    `Monte Carlo       ${r.monteCarlo.paths} paths, seed ${r.monteCarlo.seed}`,
    '',
  ];
  const header = `${''.padEnd(20)}${keys.map((k) => `${k}%`.padStart(9)).join('')}`;
  for (const [title, table] of [
    ['VaR (loss, % of portfolio value)', r.var],
    ['ES (mean loss beyond VaR, % of portfolio value)', r.es],
  ] as const) {
    lines.push(title, header);
    for (const [method, label] of METHODS) lines.push(`${label.padEnd(20)}${keys.map((k) => pct(table[method][k]).padStart(9)).join('')}`);
    lines.push('');
  }
  const { symbols, matrix, limit, breaches } = r.correlation;
  const width = Math.max(10, ...symbols.map((s) => s.length + 2));
  lines.push(`correlation of bar returns (limit ${limit})`);
  lines.push(`${''.padEnd(width)}${symbols.map((s) => s.padStart(width)).join('')}`);
  symbols.forEach((s, i) => {
    lines.push(`${s.padEnd(width)}${matrix[i]!.map((v) => (Number.isFinite(v) ? v.toFixed(3) : 'n/a').padStart(width)).join('')}`);
  });
  lines.push(breaches.length === 0 ? 'no pair above the limit' : `above the limit: ${breaches.map((b) => `${b.a} / ${b.b} ${b.value.toFixed(3)}`).join(', ')}`);
  lines.push('');
  lines.push(`${'stress scenario'.padEnd(26)}${'loss'.padStart(9)}  ${'max drawdown'.padStart(12)}`);
  for (const s of r.stress) lines.push(stressRow(s));
  return `${lines.join('\n')}\n`;
}

export function riskCommand(io: { out: (s: string) => void; err: (s: string) => void }): Command {
  return new Command('risk')
    .description('VaR, ES, correlation matrix and stress losses of a constant-weight portfolio over historical bars')
    .addOption(listOption('--data <files>', 'CSV file(s), plain or .gz, header timestamp,open,high,low,close,volume').makeOptionMandatory())
    .requiredOption('--weights <json>', 'weight per symbol as a fraction of portfolio value, e.g. \'{"BTC/USDT":0.6,"ETH/USDT":0.4}\'')
    .option('--horizon-bars <n>', 'horizon in bars of the data interval (default 1)')
    .addOption(listOption('--confidence <levels>', 'confidence levels in percent (default 95,99)'))
    .option('--paths <n>', 'Monte Carlo paths (default 100000)')
    .option('--seed <n>', 'Monte Carlo seed (default 42)')
    .option('--correlation-limit <x>', 'list pairs whose correlation is above this (default 0.7)')
    .option('--symbol <symbol>', 'symbol of a single data file (default: from the file name)')
    .addOption(new Option('--market <market>', 'market (default: from the file name)').choices(['crypto', 'ashare']))
    .option('--timeframe <tf>', 'aggregate bars to a higher timeframe first: 5m, 15m, 1h, 4h, 1d')
    .option('--json', 'print exactly one JSON object on stdout')
    .action(async (flags: RiskFlags) => {
      requireFiles('--data', flags.data);
      const [{ RiskInputError }, { runRisk }] = await Promise.all([import('../analytics/index.ts'), import('../app/risk/index.ts')]);
      const weights = parseWeights(flags.weights);
      const horizonBars = parseInteger('horizon-bars', flags.horizonBars, 1);
      const confidence = parseConfidence(flags.confidence);
      const paths = parseInteger('paths', flags.paths, 1, MAX_PATHS);
      const seed = parseInteger('seed', flags.seed, Number.MIN_SAFE_INTEGER);
      const correlationLimit = parseCorrelationLimit(flags.correlationLimit);
      let report: RiskReport;
      try {
        report = await runRisk({
          dataFiles: flags.data,
          weights,
          horizonBars,
          confidence,
          paths,
          seed,
          correlationLimit,
          symbol: flags.symbol,
          market: flags.market,
          timeframe: flags.timeframe,
        });
      } catch (error) {
        if (error instanceof RiskInputError) {
          const flag = flagOf(error.field);
          throw new UsageError(flag ? `${flag}: ${error.message}` : error.message);
        }
        throw error;
      }
      // JSON.stringify writes NaN (uncovered stress windows, correlation with a constant series) as null.
      io.out(flags.json ? `${JSON.stringify(report)}\n` : formatRiskReport(report));
    });
}
