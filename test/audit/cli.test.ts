// End to end: a run journaled through the API, read back with `traider runs`, checked and exported with `traider audit`.
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from '../../src/adapters/store/index.ts';
import { openJournal } from '../../src/app/store/index.ts';
import { canonicalJson } from '../../src/audit/index.ts';
import { SimulatedClock } from '../../src/common/clock.ts';
import { RunKind } from '../../src/common/store.ts';
import { Command, CommanderError } from 'commander';
import { auditCommand } from '../../src/cli/audit-command.ts';
import { ExitCode, reportError } from '../../src/cli/errors.ts';
import { runsCommand } from '../../src/cli/runs-command.ts';
import { type CliResult, runCli } from '../cli/run-cli.ts';
import { fill, orderEvent } from '../store/contract.ts';

/**
 * The same commands in this process, with main()'s error handling: a spawned CLI costs seconds
 * (it loads every command), so only a few checks below run the real binary.
 */
async function cli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const io = { out: (text: string) => void (stdout += text), err: (text: string) => void (stderr += text) };
  const program = new Command('traider').exitOverride().configureOutput({ writeOut: io.out, writeErr: io.err });
  program.addCommand(runsCommand(io)).addCommand(auditCommand(io));
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    await program.parseAsync(['node', 'traider', ...args]);
    return { code: ExitCode.Ok, stdout, stderr };
  } catch (error) {
    if (error instanceof CommanderError) return { code: error.exitCode === 0 ? ExitCode.Ok : ExitCode.Usage, stdout, stderr };
    return { code: reportError(error, io.err), stdout, stderr };
  } finally {
    for (const key of Object.keys(env)) if (saved[key] === undefined) delete process.env[key];
    Object.assign(process.env, saved);
  }
}

const T0 = Date.UTC(2024, 0, 2, 9, 30);
const dir = mkdtempSync(join(tmpdir(), 'traider-cli-store-'));
const db = join(dir, 'journal.db');
let runId = '';
let auditCount = 0;

beforeAll(async () => {
  const { journal, close } = await openJournal(db, { clock: new SimulatedClock(T0) });
  runId = await journal.createRun({
    kind: RunKind.Backtest,
    strategy: 'sma-cross',
    symbols: ['BTC/USDT'],
    market: 'crypto',
    timeframe: '1h',
    mode: 'BACKTEST',
    parameters: { strategy: { fast: 10, slow: 30 } },
    dataHashes: { 'BTCUSDT-1h.csv': 'cd'.repeat(32) },
    startedAt: T0,
  });
  const events = [];
  const fills = [];
  for (let i = 1; i <= 8; i++) {
    const time = T0 + i * 3_600_000;
    events.push(orderEvent(runId, `O-${i}`, time, 'SUBMITTED', 'SUBMITTED'), { ...orderEvent(runId, `O-${i}`, time, 'FILLED', 'FILLED', 0.5), fillId: `F-${i}` });
    fills.push(fill(runId, i, { time, orderId: `O-${i}` }));
  }
  void journal.appendOrderEvents(events);
  void journal.appendFills(fills);
  void journal.appendEquity(Array.from({ length: 12 }, (_, i) => ({ runId, time: T0 + i * 3_600_000, equity: 10_000 + i * 1.5, cash: 10_000 - i })));
  void journal.appendDenials([{ runId, time: T0 + 5, orderId: 'O-99', symbol: 'BTC/USDT', reason: 'MAX_NOTIONAL', detail: 'notional 9000 above 5000', value: 9000, limit: 5000 }]);
  void journal.appendBreakerEvents([{ runId, time: T0 + 6, level: 'REDUCE_RISK', previousLevel: 'NORMAL', cause: 'DRAWDOWN', value: 0.11, threshold: 0.1, actor: null, detail: null }]);
  await journal.audit.append({ actor: 'alice', kind: 'note', payload: { text: 'checked by hand' }, time: T0 + 7 });
  await journal.finishRun(runId, { summary: { totalReturn: 0.0421, trades: 4 }, finishedAt: T0 + 86_400_000 });
  auditCount = journal.audit.head.seq;
  await close();
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('traider runs', () => {
  it('lists the run as JSON and as a table', async () => {
    const json = runCli(['runs', 'list', '--db', db, '--json']);
    expect(json.code, json.stderr).toBe(0);
    const runs = JSON.parse(json.stdout) as Array<{ id: string; strategy: string; status: string }>;
    expect(runs).toEqual([expect.objectContaining({ id: runId, strategy: 'sma-cross', status: 'FINISHED' })]);
    const text = await cli(['runs', 'list'], { TRAIDER_DB: db });
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout, 'TRAIDER_DB names the database when --db is absent').toContain(runId.slice(0, 8));
    // Started on the computer's clock (ISO-8601 UTC); no data range in this hand-made summary.
    expect(text.stdout).toMatch(/BACKTEST\s+FINISHED\s+sma-cross\s+BTC\/USDT\s+BACKTEST\s+2024-01-02T09:30:00Z\s+-\s+4\.21%/);
  });

  it('shows a run, found by a prefix of its id, with its whole journal as JSON', async () => {
    const result = runCli(['runs', 'show', runId.slice(0, 6), '--db', db, '--json']);
    expect(result.code, result.stderr).toBe(0);
    const detail = JSON.parse(result.stdout);
    expect(detail.run).toMatchObject({ id: runId, parameters: { strategy: { fast: 10, slow: 30 } }, dataHashes: { 'BTCUSDT-1h.csv': 'cd'.repeat(32) }, summary: { totalReturn: 0.0421, trades: 4 } });
    expect(detail.journal.orders).toHaveLength(8);
    expect(detail.journal.orders[0]).toMatchObject({ orderId: 'O-1', status: 'FILLED', filledQuantity: 0.5 });
    expect(detail.journal.orderEvents).toHaveLength(16);
    expect(detail.journal.fills).toHaveLength(8);
    expect(detail.journal.fills[0], 'ledger amounts as exact decimal strings').toMatchObject({ fillId: 'F-1', notional: '51.66061501', fee: '0.05166062', tax: '0' });
    expect(detail.journal.equity).toHaveLength(12);
    expect(detail.journal.denials[0]).toMatchObject({ reason: 'MAX_NOTIONAL', value: 9000, limit: 5000 });
    expect(detail.journal.breakerEvents[0]).toMatchObject({ level: 'REDUCE_RISK', cause: 'DRAWDOWN' });
  });

  it('shows a run as text with the last rows of each section', async () => {
    const result = await cli(['runs', 'show', runId, '--db', db, '--limit', '3']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`run ${runId}`);
    expect(result.stdout).toContain('journal: 8 orders, 16 order events, 8 fills, 0 position snapshots, 0 balance snapshots, 12 equity points, 1 denials, 1 breaker changes, 0 mode changes');
    expect(result.stdout).toContain('fills (8, last 3)');
    expect(result.stdout).toContain('MAX_NOTIONAL O-99 BTC/USDT: notional 9000 above 5000');
  });

  it('says clearly when a run is not there', async () => {
    const result = await cli(['runs', 'show', 'no-such-run', '--db', db]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('no run no-such-run in');
  });
});

describe('traider audit', () => {
  it('verifies an untouched log: count and head hash, exit 0', async () => {
    const result = runCli(['audit', 'verify', '--db', db]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^audit log intact: ${auditCount} entries, head seq ${auditCount}, head hash [0-9a-f]{64}\\n$`));
    expect(auditCount, 'run, order events, fills, denial, breaker, note, finish').toBe(1 + 16 + 8 + 1 + 1 + 1 + 1);
  });

  it('exports JSON that anyone can verify with SHA-256 and canonical JSON alone', async () => {
    const result = await cli(['audit', 'export', '--format', 'json', '--db', db]);
    expect(result.code, result.stderr).toBe(0);
    const entries = JSON.parse(result.stdout) as Array<{ seq: number; time: number; actor: string; kind: string; payload: unknown; prevHash: string; hash: string }>;
    expect(entries).toHaveLength(auditCount);
    let prev = '0'.repeat(64);
    for (const e of entries) {
      const text = canonicalJson({ seq: e.seq, time: e.time, actor: e.actor, kind: e.kind, payload: e.payload });
      expect(e.prevHash, `seq ${e.seq} links to its predecessor`).toBe(prev);
      expect(createHash('sha256').update(text + e.prevHash).digest('hex'), `seq ${e.seq} hash`).toBe(e.hash);
      prev = e.hash;
    }
    expect(entries[0]).toMatchObject({ seq: 1, kind: 'run.started', actor: 'traider' });
  });

  it('exports CSV by seq range and JSON by time range', async () => {
    const csv = await cli(['audit', 'export', '--format', 'csv', '--from-seq', '2', '--to-seq', '4', '--db', db]);
    expect(csv.code, csv.stderr).toBe(0);
    const lines = csv.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('seq,time,time_utc,actor,kind,payload,prev_hash,hash');
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(['2', '3', '4']);
    expect(lines[1]).toContain('"{""detail"":null,');
    const byTime = await cli(['audit', 'export', '--format', 'json', '--from', '2024-01-02T10:30:00Z', '--to', String(T0 + 3 * 3_600_000), '--db', db]);
    expect(byTime.code, byTime.stderr).toBe(0);
    const entries = JSON.parse(byTime.stdout) as Array<{ time: number }>;
    expect(entries.length, '2 hours x (2 order events + 1 fill)').toBe(6);
    expect(entries.every((e) => e.time >= T0 + 3_600_000 && e.time < T0 + 3 * 3_600_000)).toBe(true);
    expect(await cli(['audit', 'export', '--format', 'json', '--from', 'yesterday', '--db', db])).toMatchObject({ code: 2, stderr: expect.stringContaining('--from: expected an ISO date') });
  });

  it('fails with the first broken seq when a payload digit was changed behind the triggers', async () => {
    const copy = join(dir, 'tampered.db');
    copyFileSync(db, copy);
    const raw = new Database(copy);
    for (const row of raw.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'").all() as Array<{ name: string }>) raw.exec(`DROP TRIGGER "${row.name}"`);
    const payload = (raw.prepare('SELECT payload FROM audit_log WHERE seq = 10').get() as { payload: string }).payload;
    const i = payload.search(/[0-9]/);
    raw.prepare('UPDATE audit_log SET payload = ? WHERE seq = 10').run(payload.slice(0, i) + (payload[i] === '1' ? '2' : '1') + payload.slice(i + 1));
    raw.close();
    const result = runCli(['audit', 'verify', '--db', copy]);
    expect(result.code, 'a broken chain exits non-zero').toBe(1);
    expect(result.stderr).toMatch(/audit log broken at seq 10: changed/);
    const json = await cli(['audit', 'verify', '--db', copy, '--json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, seq: 10, reason: 'changed', checked: 9 });
  });
});

describe('bad --db', () => {
  it('refuses an unsupported URL without touching anything', async () => {
    const result = await cli(['runs', 'list', '--db', 'mysql://root:hunter2@localhost/traider']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: --db mysql:\/\/root:\*\*\*@localhost\/traider: unsupported scheme mysql:/);
    expect(result.stderr).not.toContain('hunter2');
  });

  it('does not create a database for a reader', async () => {
    const missing = join(dir, 'nowhere', 'traider.db');
    const result = await cli(['audit', 'verify', '--db', missing]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`error: --db: no such file: ${missing}`);
    expect(existsSync(join(dir, 'nowhere'))).toBe(false);
  });

  it('refuses a database from a newer schema version', async () => {
    const newer = join(dir, 'newer.db');
    copyFileSync(db, newer);
    const raw = new Database(newer);
    raw.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, 0)').run(SCHEMA_VERSION + 1, 'future');
    raw.close();
    const result = await cli(['runs', 'list', '--db', newer]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`database schema version ${SCHEMA_VERSION + 1} is newer than this traider supports (${SCHEMA_VERSION}); upgrade traider`);
  });
});
