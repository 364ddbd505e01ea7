// A resumed replay is the uninterrupted run: in-process "crashes" (the process stops in the middle of a
// bar's cycle, the run stays RUNNING) at several moments, each resumed, must give the same fills,
// breaker changes and equity checkpoints as the run that never stopped; a resume refuses a run it
// cannot continue (other parameters or data, a finished run, a journal that no longer matches).
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/app/config/index.ts';
import type { InputError } from '../../src/app/errors/index.ts';
import { runReplaySession, type ReplaySessionRequest } from '../../src/app/session/replay-session.ts';
import { flagOf } from '../../src/cli/errors.ts';
import { mulberry32 } from '../support/random.ts';

const dir = mkdtempSync(join(tmpdir(), 'traider-replay-resume-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Two days of the bundled 1m file keep it quick.
const DATA = join(dir, 'BTCUSDT-1m-2021-02-19_2021-02-20.csv');
{
  const lines = (await import('node:fs')).readFileSync('data/BTCUSDT-1m-2021-02-19_2021-02-25.csv', 'utf8').split('\n');
  writeFileSync(DATA, lines.slice(0, 1 + 2 * 1440).join('\n') + '\n');
}
// A tight daily-loss breaker: the run trips it, so its cooldown and the day's start equity matter after a resume.
const CONFIG = join(dir, 'risk.yaml');
writeFileSync(CONFIG, 'risk:\n  breakers:\n    paper:\n      dailyLoss: { threshold: 0.004, level: HALT_NEW_POSITIONS, cooldown: 6h }\n');

class Crash extends Error {}

function request(db: string, runId: string, extra: Partial<ReplaySessionRequest> = {}): ReplaySessionRequest {
  return { dataFiles: [DATA], strategy: 'sma-cross', params: { fast: 5, slow: 20 }, config: loadConfig({ file: CONFIG, env: {} }), db, runId, ...extra };
}

function journal(db: string, runId: string) {
  const sqlite = new Database(db, { readonly: true });
  try {
    const rows = (table: string, columns: string) => sqlite.prepare(`SELECT ${columns} FROM ${table} WHERE run_id = ? ORDER BY id`).all(runId);
    return {
      fills: rows('fills', 'fill_id, time, side, price, quantity, fee'),
      breakers: rows('breaker_events', 'time, level, previous_level, cause'),
      equity: rows('equity', 'time, equity, cash'),
      bars: rows('bars', 'symbol, open_time, close'),
    };
  } finally {
    sqlite.close();
  }
}

/** Run until the `stopAt`-th live bar's hook (or the end). */
async function runUntil(r: ReplaySessionRequest, stopAt?: number) {
  let live = 0;
  try {
    return await runReplaySession({ ...r, onBar: (_bar, replayed) => {
      if (!replayed && ++live === stopAt) throw new Crash();
    } });
  } catch (error) {
    if (error instanceof Crash) return undefined;
    throw error;
  }
}

describe('traider replay --resume', () => {
  const baseDb = join(dir, 'base.db');

  it('after stops at random bars, ends with the fills, breaker changes, checkpoints and bars of the run that never stopped', async () => {
    const base = await runUntil(request(baseDb, 'run'));
    const expected = journal(baseDb, 'run');
    expect(expected.breakers.length, 'the daily-loss breaker trips in this run').toBeGreaterThan(0);
    expect(expected.fills.length).toBeGreaterThan(20);

    const db = join(dir, 'stopped.db');
    const random = mulberry32(11);
    let resumes = 0;
    let result = await runUntil(request(db, 'run'), 1 + Math.floor(random() * 600));
    while (result === undefined) {
      resumes++;
      result = await runUntil(request(db, 'run', { resume: true }), resumes < 4 ? 1 + Math.floor(random() * 600) : undefined);
      if (result) expect(result.resumedFrom).not.toBeNull();
    }
    expect(resumes).toBe(4);
    expect(journal(db, 'run')).toEqual(expected);
    // Everything but when each process started (wall clock) and whether it resumed.
    expect({ ...result, resumedFrom: null, startedAt: 0 }).toEqual({ ...base, startedAt: 0 });
  }, 120_000);

  it('refuses other parameters, other data, a finished run, and a journal that no longer matches', async () => {
    const db = join(dir, 'refusals.db');
    await runUntil(request(db, 'r'), 900);
    // The use-case names fields of its request; the CLI spells them as its flags.
    const refusal = await runReplaySession(request(db, 'r', { resume: true, params: { fast: 6, slow: 20 } })).catch((error: unknown) => error);
    expect(refusal).toMatchObject({ name: 'InputError', field: 'resume' });
    expect((refusal as InputError).describe(flagOf)).toMatch(/--resume: run r was started with --params \{"fast":5,"slow":20\}, not \{"fast":6,"slow":20\}/);
    const other = join(dir, 'BTCUSDT-1m-other.csv');
    copyFileSync(DATA, other);
    await expect(runReplaySession(request(db, 'r', { resume: true, dataFiles: [other] }))).rejects.toThrow(/did not replay .*other\.csv/);
    await expect(runReplaySession(request(db, 'r', { resume: true, config: loadConfig({ env: {} }) }))).rejects.toThrow(/configuration differs/);

    // A journaled fill changed behind the run's back: the resume stops at it and writes nothing.
    const tampered = join(dir, 'tampered.db');
    copyFileSync(db, tampered);
    const sqlite = new Database(tampered);
    const third = sqlite.prepare("SELECT id, fill_id, price FROM fills WHERE run_id = 'r' ORDER BY id LIMIT 1 OFFSET 2").get() as { id: number; fill_id: string; price: number };
    sqlite.prepare('UPDATE fills SET price = ? WHERE id = ?').run(third.price + 1, third.id);
    const rowsBefore = (sqlite.prepare('SELECT count(*) AS n FROM equity').get() as { n: number }).n;
    sqlite.close();
    await expect(runReplaySession(request(tampered, 'r', { resume: true }))).rejects.toThrow(new RegExp(`no longer matches its journal.*fill 3 differs in price: journaled fillId=${third.fill_id}`));
    const after = new Database(tampered, { readonly: true });
    expect((after.prepare('SELECT count(*) AS n FROM equity').get() as { n: number }).n, 'nothing written').toBe(rowsBefore);
    after.close();

    const done = await runUntil(request(db, 'r', { resume: true }));
    expect(done?.resumedFrom).not.toBeNull();
    await expect(runReplaySession(request(db, 'r', { resume: true }))).rejects.toThrow(/run r is FINISHED, nothing to resume/);
  }, 120_000);
});
