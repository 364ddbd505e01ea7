// The differential crash test, shared by `npm test` (10 kills) and `npm run test:long` (more): a journaled
// replay killed with SIGKILL at random moments after it has traded, resumed each time, must end with
// exactly the fills (ids, times, prices, quantities) and cash of the same run uninterrupted.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatMoney } from '../../src/core/decimal.ts';
import { BIN, cashFromJournal, journaledFills, killedAndResumed, replay, ROOT, runStatus } from './replay-crash.ts';

const CAPITAL = 10_000n * 100_000_000n;

export function resumeDifferential(kills: number, seed: number): void {
  const dir = mkdtempSync(join(tmpdir(), 'traider-resume-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  describe(`a journaled replay killed with SIGKILL ${kills} times after it has traded, resumed each time`, () => {
    it('ends with exactly the fills and cash of the uninterrupted run', async () => {
      const baseDb = join(dir, 'uninterrupted.db');
      const base = await replay(baseDb, { id: 'run', resume: false });
      expect(base.code, base.stderr.slice(-400)).toBe(0);
      const expected = journaledFills(baseDb, 'run');
      expect(expected.length, 'the uninterrupted run trades').toBeGreaterThan(100);

      const db = join(dir, 'killed.db');
      // Each process may acknowledge up to this many fills before its kill: together they stay inside the run.
      const fillsPerKill = Math.max(1, Math.floor((0.8 * expected.length) / kills));
      const { attempts, final } = await killedAndResumed(db, 'run', kills, seed, fillsPerKill);

      const acknowledged: string[] = [];
      attempts.forEach((attempt, i) => {
        const label = `process ${i + 1}`;
        expect(attempt.code, `${label} was killed, not finished: ${attempt.stderr.slice(-300)}`).toBeNull();
        expect(attempt.stderr, `${label}: no error other than being killed`).not.toMatch(/^error:/m);
        expect(attempt.acksAtKill ?? 0, `${label} was killed after it had traded (acknowledged a new fill)`).toBeGreaterThan(0);
        if (i > 0) {
          const resumed = /resumed run run at \S+ after running (\d+) journaled bars again: (\d+) fills/.exec(attempt.stderr);
          expect(resumed, `${label} really resumed: ${attempt.stderr.slice(0, 300)}`).not.toBeNull();
          expect(Number(resumed![1]), `${label} ran the journaled bars again`).toBeGreaterThan(0);
          expect(Number(resumed![2]), `${label} resumed with every fill acknowledged before it`).toBeGreaterThanOrEqual(new Set(acknowledged).size);
        }
        acknowledged.push(...attempt.acks);
      });
      expect(final.code, `the final process finishes: ${final.stderr.slice(-400)}`).toBe(0);
      expect(final.result!.resumedFrom, 'the final process resumed').not.toBeNull();
      acknowledged.push(...final.acks);

      const fills = journaledFills(db, 'run');
      const view = (f: (typeof fills)[number]) => ({ id: f.id, time: f.time, side: f.side, price: f.price, quantity: f.quantity });
      expect(fills.map(view), 'the same fills as the uninterrupted run').toEqual(expected.map(view));
      expect(final.result!.cash, 'the same cash').toBe(base.result!.cash);
      expect(final.result!.positions, 'the same positions').toEqual(base.result!.positions);
      expect(new Set(acknowledged).size, 'no fill acknowledged twice').toBe(acknowledged.length);
      expect(acknowledged.filter((id) => !fills.some((f) => f.id === id)), 'every acknowledged fill is journaled').toEqual([]);
      // Extras: the ledger equals the journal, the run is finished, the audit chain holds.
      expect(formatMoney(cashFromJournal(fills, CAPITAL)), 'cash equals the journaled fills applied by hand').toBe(final.result!.cash);
      expect(runStatus(db, 'run')).toBe('FINISHED');
      const verify = spawnSync(process.execPath, [BIN, 'audit', 'verify', '--db', db], { cwd: ROOT, encoding: 'utf8' });
      expect(verify.status, `audit verify: ${verify.stdout}${verify.stderr}`).toBe(0);
      console.log(`resume differential: ${kills} kills at ${attempts.map((a) => a.acksAtKill).join(',')} new fills; ${fills.length} fills, cash ${final.result!.cash}`);
    }, 600_000);
  });
}
