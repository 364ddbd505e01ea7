// Running a golden configuration through the real `traider backtest` command and turning its output into the
// canonical JSON kept in test/golden/fixtures/<name>.json; comparing two of them down to the first differing path.
//
// Why a child process and not runBacktest() in-process: the goldens must pass unchanged through refactors that
// move and split src/ (engines, use-cases). The command line, its --json object and the files of --out
// (fills.csv, run.json) are the documented interface; import paths inside src/ are not.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCliAsync } from '../cli/run-cli.ts';
import type { GoldenConfiguration, GoldenInputs } from './configurations.ts';

export const FIXTURES = fileURLToPath(new URL('./fixtures', import.meta.url));
export const UPDATE_ENV = 'TRAIDER_GOLDEN_UPDATE';
export const UPDATE_HINT = `TRAIDER_GOLDEN_UPDATE=1 npx vitest run test/golden  (or: npm run golden:update)`;

/** The fills.csv columns kept, in this order (picked by header name, so new or reordered columns do not matter). */
export const FILL_COLUMNS = [
  'time', 'orderId', 'fillId', 'symbol', 'side', 'quantity', 'price', 'notional', 'fee', 'tax',
  'liquidity', 'referencePrice', 'impactBps', 'slippageBps', 'reducedForCash',
] as const;
/** Fixtures list every fill up to this many; beyond, the first and last FILL_EDGE (the SHA-256 covers all). */
const MAX_LISTED_FILLS = 1000;
const FILL_EDGE = 10;

/** Summary keys that could differ between identical runs (none today: the --json object is deterministic). */
const VOLATILE_KEY = /^(runId|run_id|wall\w*|\w*(Duration|Elapsed)(Ms|Seconds)?|duration\w*|elapsed\w*|startedAt|finishedAt|createdAt|hostname|pid)$/i;

export interface GoldenFixture {
  configuration: string;
  covers: string;
  /** What went in: the data files (name, SHA-256, rows) and the strategy's effective parameters. */
  inputs: {
    data: Array<{ file: string; symbol: string; market: string; timeframe: string; rows: number; skipped: number; bars: number; sha256: string }>;
    parameters: unknown;
  };
  /** The object `traider backtest --json` prints, minus volatile keys. */
  summary: Record<string, unknown>;
  fills: {
    count: number;
    /** SHA-256 of the header and rows below joined with "\n" (all rows, also when only the edges are listed). */
    sha256: string;
    columns: string[];
    /** Every fill as one line of the columns above, or the first FILL_EDGE when there are too many. */
    rows?: string[];
    first?: string[];
    last?: string[];
  };
  /** How to reproduce: the command line, with the temporary folder written as $TMP. */
  command: string[];
}

export interface RunOutput {
  readonly fixture: GoldenFixture;
  readonly ms: number;
}

function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return runCliAsync(args, { env });
}

/** The environment without TRAIDER_* (config layers, --db): a golden run sees only its flags. */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.toUpperCase().startsWith('TRAIDER_')));
}

function stripVolatile(value: unknown, tmp: string): unknown {
  if (Array.isArray(value)) return value.map((v) => stripVolatile(v, tmp));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([k]) => !VOLATILE_KEY.test(k)).map(([k, v]) => [k, stripVolatile(v, tmp)]));
  }
  return typeof value === 'string' ? value.split(tmp).join('$TMP') : value;
}

function parseCsv(text: string): { header: string[]; rows: string[][] } {
  const lines = text.split(/\r?\n/).filter((line) => line !== '');
  return { header: lines[0]?.split(',') ?? [], rows: lines.slice(1).map((line) => line.split(',')) };
}

/** Runs one configuration (inputs already written under `tmp`) and returns its canonical fixture. */
export async function runConfiguration(configuration: GoldenConfiguration, inputs: GoldenInputs, tmp: string): Promise<RunOutput> {
  const out = join(tmp, 'out', configuration.name);
  const args = ['backtest', ...configuration.args(inputs), '--json', '--no-progress', '--out', out];
  const started = performance.now();
  const result = await run(args, cleanEnv());
  const ms = performance.now() - started;
  if (result.code !== 0) throw new Error(`golden ${configuration.name}: traider ${args.join(' ')} exited with ${result.code}\n${result.stderr}`);
  const jsonLines = result.stdout.split('\n').filter((line) => line.trim() !== '');
  if (jsonLines.length !== 1) throw new Error(`golden ${configuration.name}: expected exactly one JSON line on stdout, got ${jsonLines.length}:\n${result.stdout}`);
  const summary = stripVolatile(JSON.parse(jsonLines[0]!), tmp) as Record<string, unknown>;

  const record = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as { parameters: unknown; data: Array<Record<string, unknown>> };
  const data = record.data.map((d) => ({
    file: basename(String(d.file)),
    symbol: String(d.symbol),
    market: String(d.market),
    timeframe: String(d.timeframe),
    rows: Number(d.rows),
    skipped: Number(d.skipped),
    bars: Number(d.bars),
    sha256: String(d.sha256),
  }));

  const csv = parseCsv(readFileSync(join(out, 'fills.csv'), 'utf8'));
  const index = FILL_COLUMNS.map((column) => {
    const k = csv.header.indexOf(column);
    if (k < 0) throw new Error(`golden ${configuration.name}: fills.csv has no column "${column}" (header: ${csv.header.join(',')})`);
    return k;
  });
  const rows = csv.rows.map((fields) => index.map((k) => fields[k]).join(','));
  const sha256 = createHash('sha256').update([FILL_COLUMNS.join(','), ...rows].join('\n')).digest('hex');
  const listed = rows.length <= MAX_LISTED_FILLS ? { rows } : { first: rows.slice(0, FILL_EDGE), last: rows.slice(-FILL_EDGE) };

  return {
    ms,
    fixture: {
      configuration: configuration.name,
      covers: configuration.covers,
      inputs: { data, parameters: record.parameters },
      summary,
      fills: { count: rows.length, sha256, columns: [...FILL_COLUMNS], ...listed },
      command: ['traider', ...args.slice(0, -2)].map((a) => (a.includes(tmp) ? a.split(tmp).join('$TMP').replaceAll('\\', '/') : a)),
    },
  };
}

/** Runs every configuration, at most `parallel` at a time; results in the configurations' order. */
export function runAll(configurations: readonly GoldenConfiguration[], inputs: GoldenInputs, tmp: string, parallel = defaultParallelism()): Array<Promise<RunOutput>> {
  const slots: Array<Promise<unknown>> = [];
  return configurations.map((configuration, k) => {
    const previous = k >= parallel ? slots[k - parallel]! : Promise.resolve();
    const running = previous.catch(() => undefined).then(() => runConfiguration(configuration, inputs, tmp));
    slots.push(running);
    return running;
  });
}

export function defaultParallelism(): number {
  return Math.max(2, Math.min(4, availableParallelism()));
}

export function fixturePath(name: string): string {
  return join(FIXTURES, `${name}.json`);
}

export function formatFixture(fixture: GoldenFixture): string {
  return `${JSON.stringify(fixture, null, 2)}\n`;
}

export function readFixture(name: string): GoldenFixture | undefined {
  const file = fixturePath(name);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as GoldenFixture) : undefined;
}

export function writeFixture(fixture: GoldenFixture): void {
  mkdirSync(FIXTURES, { recursive: true });
  writeFileSync(fixturePath(fixture.configuration), formatFixture(fixture));
}

export interface Difference {
  path: string;
  expected: unknown;
  actual: unknown;
}

const pathOf = (base: string, key: string | number): string => (typeof key === 'number' ? `${base}[${key}]` : base === '' ? key : `${base}.${key}`);

/** The first place where `actual` differs from `expected` (expected's key order first, then keys only in actual). */
export function firstDifference(expected: unknown, actual: unknown, path = ''): Difference | undefined {
  if (Object.is(expected, actual)) return undefined;
  if (Array.isArray(expected) && Array.isArray(actual)) {
    for (let k = 0; k < Math.min(expected.length, actual.length); k++) {
      const d = firstDifference(expected[k], actual[k], pathOf(path, k));
      if (d) return d;
    }
    if (expected.length !== actual.length) return { path: `${path}.length`, expected: expected.length, actual: actual.length };
    return undefined;
  }
  if (expected !== null && actual !== null && typeof expected === 'object' && typeof actual === 'object' && !Array.isArray(expected) && !Array.isArray(actual)) {
    const e = expected as Record<string, unknown>;
    const a = actual as Record<string, unknown>;
    for (const key of Object.keys(e)) {
      if (!(key in a)) return { path: pathOf(path, key), expected: e[key], actual: '(missing)' };
      const d = firstDifference(e[key], a[key], pathOf(path, key));
      if (d) return d;
    }
    for (const key of Object.keys(a)) if (!(key in e)) return { path: pathOf(path, key), expected: '(missing)', actual: a[key] };
    return undefined;
  }
  return { path, expected, actual };
}

/**
 * The first difference between two fixtures, looking where it says most first: the inputs, the summary, the fill
 * rows (so a changed fill is named, not just its hash or the count), then everything else.
 */
export function compareFixtures(expected: GoldenFixture, actual: GoldenFixture): Difference | undefined {
  const e = expected as unknown as Record<string, Record<string, unknown>>;
  const a = actual as unknown as Record<string, Record<string, unknown>>;
  for (const [section, key] of [['inputs'], ['summary'], ['fills', 'columns'], ['fills', 'rows'], ['fills', 'first'], ['fills', 'last']] as const) {
    const path = key === undefined ? section : `${section}.${key}`;
    const d = key === undefined ? firstDifference(e[section], a[section], path) : firstDifference(e[section]?.[key], a[section]?.[key], path);
    if (d) return d;
  }
  return firstDifference(expected, actual);
}

const show = (value: unknown): string => {
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 300 ? `${text.slice(0, 300)}...` : text;
};

/** The failure message for a mismatch: configuration, first differing path, both values, and for a fill the columns that differ. */
export function describeDifference(name: string, d: Difference, expected: GoldenFixture, actual: GoldenFixture): string {
  const lines = [
    `golden backtest "${name}" differs from test/golden/fixtures/${name}.json`,
    `  first difference at ${d.path}`,
    `    expected: ${show(d.expected)}`,
    `    actual:   ${show(d.actual)}`,
  ];
  const fill = /^fills\.(rows|first|last)\[(\d+)\]$/.exec(d.path);
  if (fill && typeof d.expected === 'string' && typeof d.actual === 'string') {
    const e = d.expected.split(',');
    const a = d.actual.split(',');
    const columns = expected.fills?.columns ?? [];
    const changed = columns.flatMap((c, k) => (e[k] === a[k] ? [] : [`${c}: ${e[k]} -> ${a[k]}`]));
    lines.push(`    fill columns that differ: ${changed.join('; ')}`);
  }
  if (d.path.startsWith('inputs.')) {
    lines.push('  The INPUTS differ (data bytes or strategy parameters), not only the results: was test/golden/configurations.ts,');
    lines.push('  test/support or data/ changed?');
  }
  if (!d.path.startsWith('fills.')) {
    const fills = compareFixtures({ ...expected, inputs: actual.inputs, summary: actual.summary }, actual);
    if (fills?.path.startsWith('fills.')) lines.push(`  first differing fill data: ${fills.path} (expected ${show(fills.expected)}, actual ${show(fills.actual)})`);
  }
  if (d.path !== 'fills.count' && expected.fills?.count !== actual.fills.count) lines.push(`  fills: ${expected.fills?.count} expected, ${actual.fills.count} now`);
  lines.push(`  If the change is intended, regenerate the fixtures with: ${UPDATE_HINT}, and review the diff.`);
  return lines.join('\n');
}
