// Crash test: a journaled paper session on replayed bars is killed with SIGKILL at random moments,
// restarted with --resume each time, and must end with every acknowledged fill journaled exactly
// once, a ledger equal to a replay of the journal, an intact audit chain and a finished run.
// TRAIDER_CRASH_KILLS sets the number of kills (default 20; the long mode runs 100).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { Account } from '../../src/core/account.ts';
import { formatMoney } from '../../src/core/decimal.ts';
import { resolveInstrument } from '../../src/core/instrument-table.ts';
import { Market } from '../../src/core/market.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'bin/traider.js');
const KILLS = Number(process.env.TRAIDER_CRASH_KILLS ?? 20);
const DATA = 'data/BTCUSDT-1m-2021-02-19_2021-02-25.csv';
const dir = mkdtempSync(join(tmpdir(), 'traider-crash-'));
const db = join(dir, 'crash.db');
const RUN = 'crash-run';
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** mulberry32: the kill moments are random but repeatable. */
function seeded(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Attempt {
  readonly acks: string[];
  readonly completed: boolean;
  readonly result?: { cash: string; positions: Record<string, string>; fills: number };
  readonly stderr: string;
}

function runExists(): boolean {
  try {
    const sqlite = new Database(db, { readonly: true, fileMustExist: true });
    try {
      return sqlite.prepare('SELECT 1 FROM runs WHERE id = ?').get(RUN) !== undefined;
    } finally {
      sqlite.close();
    }
  } catch {
    return false;
  }
}

function args(resume: boolean): string[] {
  // Slow enough ("real time") that every kill lands mid-run: the run outlasts all the kills.
  const barDelayMs = String(Math.max(2, Math.ceil(KILLS / 10)));
  return ['replay', '--data', DATA, '--strategy', 'sma-cross', '--params', '{"fast":5,"slow":20}', '--db', db, ...(resume ? ['--resume', RUN] : ['--run-id', RUN]), '--bar-delay-ms', barDelayMs, '--json'];
}

/** Run the session; kill it with SIGKILL after `killAfterMs` (undefined: let it finish). */
function attempt(resume: boolean, killAfterMs: number | undefined): Promise<Attempt> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args(resume)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      const lines = stdout.split('\n');
      const acks = lines.filter((l) => l.startsWith('ack ')).map((l) => l.split(' ')[1]!);
      const last = lines.filter((l) => l.startsWith('{')).pop();
      resolve({ acks, completed: code === 0, result: last ? JSON.parse(last) : undefined, stderr });
    });
  });
}

describe(`a journaled session killed with SIGKILL ${KILLS} times`, () => {
  it('loses no acknowledged fill, duplicates none, and its ledger equals a replay of the journal', async () => {
    const random = seeded(20261121);
    const acknowledged = new Set<string>();
    let kills = 0;
    let finished: Attempt | undefined;
    for (let i = 0; i < KILLS && !finished; i++) {
      // Past the start-up (about half a second), anywhere in the run. A process killed before its run
      // was journaled left nothing to resume: the next one starts the run anew.
      const run = await attempt(runExists(), 600 + Math.floor(random() * 1800));
      run.acks.forEach((id) => acknowledged.add(id));
      if (run.completed) finished = run;
      else kills++;
      expect(run.stderr, 'no error other than being killed').not.toMatch(/^error:/m);
    }
    finished ??= await attempt(runExists(), undefined);
    finished.acks.forEach((id) => acknowledged.add(id));
    expect(finished.completed, `the run completes after the kills: ${finished.stderr.slice(-400)}`).toBe(true);
    console.log(`crash test: ${kills} kills, ${acknowledged.size} acknowledged fills`);
    expect(kills, 'every kill landed mid-run').toBe(KILLS);

    const sqlite = new Database(db, { readonly: true });
    try {
      const fills = sqlite.prepare('SELECT * FROM fills WHERE run_id = ? ORDER BY id').all(RUN) as Array<Record<string, unknown>>;
      const ids = fills.map((f) => String(f.fill_id));
      expect(new Set(ids).size, 'no fill journaled twice').toBe(ids.length);
      const missing = [...acknowledged].filter((id) => !ids.includes(id));
      expect(missing, 'every acknowledged fill is in the journal').toEqual([]);
      // The ledger from the journal alone.
      const instrument = resolveInstrument('BTC/USDT', Market.Crypto);
      const account = new Account('USDT', 1_000_000_000_000n);
      for (const f of fills) {
        account.applyFill(instrument, {
          id: String(f.fill_id), orderId: String(f.order_id), symbol: String(f.symbol), side: f.side as 'BUY' | 'SELL', time: Number(f.time),
          price: Number(f.price), quantity: Number(f.quantity), notional: BigInt(f.notional as number | bigint), fee: BigInt(f.fee as number | bigint), tax: BigInt(f.tax as number | bigint),
          liquidity: 'TAKER', referencePrice: 0, impactBps: 0, slippageBps: 0, reducedForCash: false,
        }, instrument.tradingDay(Number(f.time)));
      }
      expect(formatMoney(account.cash), 'cash equals a replay of the journal').toBe(finished.result!.cash);
      const position = account.positions.get('BTC/USDT');
      const held = position && !position.isFlat ? { 'BTC/USDT': instrument.formatQuantity(position.quantity) } : {};
      expect(held, 'positions equal a replay of the journal').toEqual(finished.result!.positions);
      expect(finished.result!.fills, 'the process booked exactly the journaled fills').toBe(fills.length);
      const run = sqlite.prepare('SELECT status FROM runs WHERE id = ?').get(RUN) as { status: string };
      expect(run.status).toBe('FINISHED');
    } finally {
      sqlite.close();
    }
    const verify = spawnSync(process.execPath, [BIN, 'audit', 'verify', '--db', db], { cwd: ROOT, encoding: 'utf8' });
    expect(verify.status, `audit verify: ${verify.stdout}${verify.stderr}`).toBe(0);
  }, 600_000);
});
