// `traider runs list|show`: read back the journaled backtests, paper and live sessions.
import { Command, Option } from 'commander';
import type { RunDetail, RunListing } from '../app/store/index.ts';
// Light (core/decimal.ts only); the store modules behind app/store/index.ts load when a command runs.
import type { RunKind, RunRecord, Store } from '../common/index.ts';
import { UsageError } from './errors.ts';
import { DB_HELP, requireExistingDb } from './paths.ts';
import { textTable } from './text-table.ts';

type Io = { out: (s: string) => void; err: (s: string) => void };

function parseCount(flag: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new UsageError(`--${flag}: expected a positive integer (got "${text}")`);
  return value;
}

/** Opens the store for reading, runs `work`, always closes it. */
export async function withStore<T>(db: string | undefined, work: (store: Store) => Promise<T>): Promise<T> {
  const { openStore, resolveStoreTarget } = await import('../app/store/index.ts');
  const target = resolveStoreTarget(db, process.env);
  requireExistingDb(db === undefined && process.env.TRAIDER_DB ? 'TRAIDER_DB' : '--db', target);
  const store = await openStore(target, { create: false });
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

function utc(time: number | null): string {
  return time === null ? '-' : new Date(time).toISOString().slice(0, 19).replace('T', ' ');
}

/**
 * A float from the journal as a person reads it: at most 8 decimals, without float noise or an exponent (an
 * average price, a breaker's measured value). Local rather than from analytics: this command loads light.
 */
function readable(x: number): string {
  return Number.isFinite(x) ? (Math.round(x * 1e8) / 1e8).toFixed(8).replace(/\.?0+$/, '') : String(x);
}

function totalReturn(run: RunRecord): string {
  const summary = run.summary;
  if (summary === null || typeof summary !== 'object' || Array.isArray(summary)) return '-';
  // A backtest's summary has totalReturn; a session's has its initial capital and final equity.
  const { initialCapital, finalEquity } = summary;
  const value = typeof summary.totalReturn === 'number' ? summary.totalReturn : typeof initialCapital === 'number' && typeof finalEquity === 'number' && initialCapital > 0 ? finalEquity / initialCapital - 1 : undefined;
  return value === undefined ? '-' : `${(value * 100).toFixed(2)}%`;
}

/** ISO-8601 UTC to the second: 2025-03-01T14:05:09Z. */
function iso(time: number): string {
  return new Date(time).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The data's time range: "2021-02-21 00:00 -> 2021-02-21 05:00" (minutes: bars are minutes or longer). */
function dataRange(run: RunListing): string {
  if (run.dataStart === null || run.dataEnd === null) return '-';
  const minute = (t: number): string => new Date(t).toISOString().slice(0, 16).replace('T', ' ');
  return `${minute(run.dataStart)} -> ${minute(run.dataEnd)}`;
}

/**
 * STARTED is when the run was started on this computer's clock (ISO-8601 UTC), whatever clock the run traded on;
 * DATA is the time range of the bars it acted on (for a session on the local exchange, a replayed past).
 */
export function formatRunList(runs: readonly RunListing[], location: string): string {
  if (runs.length === 0) return `no runs in ${location}\n`;
  const rows = runs.map((r) => [r.id.slice(0, 8), r.kind, r.status, r.strategy, r.symbols.join(','), r.mode ?? '-', iso(r.startedAt), dataRange(r), totalReturn(r)]);
  return `${textTable(['ID', 'KIND', 'STATUS', 'STRATEGY', 'SYMBOLS', 'MODE', 'STARTED (UTC, wall clock)', 'DATA (UTC)', 'RETURN'], rows)}\n`;
}

function section<T>(title: string, rows: readonly T[], limit: number, line: (row: T) => string): string[] {
  if (rows.length === 0) return [];
  const shown = rows.length > limit ? rows.slice(rows.length - limit) : rows;
  const head = rows.length > limit ? `${title} (${rows.length}, last ${limit})` : `${title} (${rows.length})`;
  return ['', head, ...shown.map((r) => `  ${line(r)}`)];
}

export function formatRunDetail({ run, journal }: RunDetail, limit: number, moneyReplacer: (key: string, value: unknown) => unknown): string {
  const lines = [
    `run ${run.id}`,
    `  ${run.kind} ${run.status}, strategy ${run.strategy} on ${run.symbols.join(', ')}${run.market ? ` (${run.market}${run.timeframe ? `, ${run.timeframe}` : ''})` : ''}, mode ${run.mode ?? '-'}, by ${run.actor}`,
    `  started ${utc(run.startedAt)} UTC, finished ${utc(run.finishedAt)}${run.finishedAt === null ? '' : ' UTC'}${run.error ? `, error: ${run.error}` : ''}`,
    `  parameters ${JSON.stringify(run.parameters)}`,
  ];
  for (const [file, hash] of Object.entries(run.dataHashes)) lines.push(`  data ${file} sha256 ${hash}`);
  if (run.summary !== null) lines.push(`  summary ${JSON.stringify(run.summary)}`);
  const j = journal;
  lines.push(
    '',
    `journal: ${j.orders.length} orders, ${j.orderEvents.length} order events, ${j.fills.length} fills, ${j.positions.length} position snapshots, ${j.balances.length} balance snapshots, ${j.equity.length} equity points, ${j.denials.length} denials, ${j.breakerEvents.length} breaker changes, ${j.modeChanges.length} mode changes, ${j.bars.length} bars`,
  );
  lines.push(...section('orders', j.orders, limit, (o) => `${o.orderId} ${o.side} ${o.type} ${o.quantity} ${o.symbol}${o.price === null ? '' : ` @ ${o.price}`} ${o.status} filled ${o.filledQuantity} (${utc(o.createdAt)} -> ${utc(o.updatedAt)})`));
  lines.push(...section('fills', j.fills, limit, (f) => `${utc(f.time)} ${f.fillId} ${f.orderId} ${f.side} ${f.quantity} ${f.symbol} @ ${f.price} fee ${moneyReplacer('', f.fee)}${f.feeQuantity ? ` (${f.feeQuantity} kept in the coin)` : ''} tax ${moneyReplacer('', f.tax)} ${f.liquidity} slippage ${f.slippageBps.toFixed(2)} bps`));
  lines.push(...section('equity', j.equity, limit, (e) => `${utc(e.time)} equity ${e.equity.toFixed(2)} cash ${e.cash.toFixed(2)}`));
  lines.push(...section('positions', j.positions, limit, (p) => `${utc(p.time)} ${p.symbol} ${p.quantity}${p.averagePrice === null ? '' : ` @ ${readable(p.averagePrice)}`} realized ${moneyReplacer('', p.realizedPnl)}`));
  lines.push(...section('balances', j.balances, limit, (b) => `${utc(b.time)} ${b.currency} total ${moneyReplacer('', b.total)} free ${moneyReplacer('', b.free)}`));
  lines.push(...section('risk denials', j.denials, limit, (d) => `${utc(d.time)} ${d.reason}${d.orderId ? ` ${d.orderId}` : ''}${d.symbol ? ` ${d.symbol}` : ''}: ${d.detail}${d.value === null && d.limit === null ? '' : ` (value ${d.value === null ? '-' : readable(d.value)}, limit ${d.limit === null ? '-' : readable(d.limit)})`}`));
  lines.push(...section('breaker changes', j.breakerEvents, limit, (b) => `${utc(b.time)} ${b.previousLevel} -> ${b.level} (${b.cause} ${readable(b.value)} vs ${readable(b.threshold)})${b.actor ? ` by ${b.actor}` : ''}`));
  lines.push(...section('mode changes', j.modeChanges, limit, (m) => `${utc(m.time)} ${m.fromMode} -> ${m.toMode} by ${m.actor}${m.reason ? `: ${m.reason}` : ''}`));
  lines.push(
    ...section('bars', j.bars, limit, (b) => `${utc(b.openTime)} ${b.symbol} O ${b.open} H ${b.high} L ${b.low} C ${b.close} V ${b.volume}${b.adjustmentFactor === null ? '' : ` factor ${b.adjustmentFactor}`}${b.preClose === null ? '' : ` pre-close ${b.preClose}`}`),
  );
  return `${lines.join('\n')}\n`;
}

export function runsCommand(io: Io): Command {
  const runs = new Command('runs').description('read back journaled backtests, paper and live sessions');
  runs
    .command('list')
    .description('list runs, newest first')
    .option('--db <url|path>', DB_HELP)
    .addOption(new Option('--kind <kind>', 'only runs of this kind').choices(['backtest', 'paper', 'live']))
    .option('--limit <n>', 'at most this many runs (default 100)')
    .option('--json', 'print one JSON array of runs (full ids, parameters, data hashes, summaries)')
    .action(async (flags: { db?: string; kind?: string; limit?: string; json?: boolean }) => {
      const { listRuns } = await import('../app/store/index.ts');
      const limit = parseCount('limit', flags.limit, 100);
      const kind = flags.kind?.toUpperCase() as RunKind | undefined;
      await withStore(flags.db, async (store) => {
        const list = await listRuns(store, { limit, kind });
        io.out(flags.json ? `${JSON.stringify(list)}\n` : formatRunList(list, store.location));
      });
    });
  runs
    .command('show')
    .description('one run with its orders, order events, fills, positions, balances, equity, denials, breaker and mode changes, and bars')
    .argument('<id>', 'run id, or a prefix that matches one run')
    .option('--db <url|path>', DB_HELP)
    .option('--limit <n>', 'rows per section in the text output, the last ones (default 10)')
    .option('--json', 'print one JSON object: {run, journal}; money in ledger fields as exact decimal strings')
    .action(async (id: string, flags: { db?: string; limit?: string; json?: boolean }) => {
      const { moneyReplacer, showRun } = await import('../app/store/index.ts');
      const limit = parseCount('limit', flags.limit, 10);
      await withStore(flags.db, async (store) => {
        const detail = await showRun(store, id);
        io.out(flags.json ? `${JSON.stringify(detail, moneyReplacer)}\n` : formatRunDetail(detail, limit, moneyReplacer));
      });
    });
  // Missing or bad options become CommanderErrors that main() turns into the usage exit code.
  for (const command of runs.commands) command.exitOverride();
  return runs;
}
