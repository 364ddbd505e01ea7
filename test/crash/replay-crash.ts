// The differential crash test's parts: a journaled `traider replay` run uninterrupted, the same run
// killed with SIGKILL at random moments after it has traded and resumed each time, and what their
// journals hold, read with plain SQL (not the code under test).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { mulberry32 } from '../support/random.ts';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = join(ROOT, 'bin/traider.js');
export const DATA = 'data/BTCUSDT-1m-2021-02-19_2021-02-25.csv';
const STRATEGY = ['--strategy', 'sma-cross', '--params', '{"fast":5,"slow":20}'];

export interface Attempt {
  readonly code: number | null;
  /** Fill ids this process acknowledged (printed `ack <id>`). */
  readonly acks: string[];
  readonly result?: { resumedFrom: number | null; cash: string; positions: Record<string, string>; fills: number };
  readonly stderr: string;
  /** When killed: the number of acknowledgements it had printed at the moment of the kill. */
  readonly acksAtKill?: number;
}

/**
 * One process of the run. With `kill`, SIGKILL once it has acknowledged `kill.afterAcks` new fills, a
 * further `kill.delayMs` later (so kills land anywhere in a bar's cycle, not only right after a print).
 */
export function replay(db: string, run: { id: string; resume: boolean }, kill?: { afterAcks: number; delayMs: number }): Promise<Attempt> {
  const args = ['replay', '--data', DATA, ...STRATEGY, '--db', db, run.resume ? '--resume' : '--run-id', run.id, '--json'];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timer: NodeJS.Timeout | undefined;
    let acksAtKill: number | undefined;
    const acks = (): string[] => stdout.split('\n').filter((l) => l.startsWith('ack ')).map((l) => l.split(' ')[1]!);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (kill && timer === undefined && acks().length >= kill.afterAcks) {
        timer = setTimeout(() => {
          acksAtKill = acks().length;
          child.kill('SIGKILL');
        }, kill.delayMs);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => {
      clearTimeout(timer);
      const last = stdout.split('\n').filter((l) => l.startsWith('{')).pop();
      resolve({ code, acks: acks(), result: last ? JSON.parse(last) : undefined, stderr, acksAtKill });
    });
  });
}

export interface JournaledFill {
  readonly id: string;
  readonly time: number;
  readonly side: string;
  readonly price: number;
  readonly quantity: number;
  readonly notional: bigint;
  readonly fee: bigint;
  readonly tax: bigint;
}

/** The run's fills in journal order. */
export function journaledFills(db: string, runId: string): JournaledFill[] {
  const sqlite = new Database(db, { readonly: true });
  sqlite.defaultSafeIntegers(true);
  try {
    const rows = sqlite.prepare('SELECT fill_id, time, side, price, quantity, notional, fee, tax FROM fills WHERE run_id = ? ORDER BY id').all(runId) as Array<Record<string, unknown>>;
    return rows.map((r) => ({
      id: String(r.fill_id),
      time: Number(r.time),
      side: String(r.side),
      price: Number(r.price),
      quantity: Number(r.quantity),
      notional: BigInt(r.notional as bigint),
      fee: BigInt(r.fee as bigint),
      tax: BigInt(r.tax as bigint),
    }));
  } finally {
    sqlite.close();
  }
}

export function runStatus(db: string, runId: string): string | undefined {
  const sqlite = new Database(db, { readonly: true });
  try {
    return (sqlite.prepare('SELECT status FROM runs WHERE id = ?').get(runId) as { status: string } | undefined)?.status;
  } finally {
    sqlite.close();
  }
}

export interface KilledRun {
  readonly attempts: Attempt[];
  readonly final: Attempt;
}

/**
 * The run killed `kills` times, each time after it had acknowledged at least one new fill (so after it
 * had traded, and for a resumed process after it had resumed), then resumed until it finishes.
 * `fillsPerKill` bounds the fills each attempt may acknowledge before its kill.
 */
export async function killedAndResumed(db: string, runId: string, kills: number, seed: number, fillsPerKill: number): Promise<KilledRun> {
  const random = mulberry32(seed);
  const attempts: Attempt[] = [];
  for (let i = 0; i < kills; i++) {
    const afterAcks = 1 + Math.floor(random() * fillsPerKill);
    const delayMs = Math.floor(random() * 40);
    attempts.push(await replay(db, { id: runId, resume: i > 0 }, { afterAcks, delayMs }));
  }
  const final = await replay(db, { id: runId, resume: true });
  return { attempts, final };
}

/** Cash after applying the journaled fills to the starting capital, by hand (the ledger-equals-journal check). */
export function cashFromJournal(fills: readonly JournaledFill[], capital: bigint): bigint {
  let cash = capital;
  for (const f of fills) cash += f.side === 'BUY' ? -(f.notional + f.fee + f.tax) : f.notional - f.fee - f.tax;
  return cash;
}
