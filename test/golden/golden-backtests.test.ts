// Golden backtests: ten `traider backtest` runs (see configurations.ts) whose --json summary, fills and input
// hashes must equal the committed fixtures in test/golden/fixtures/, number for number. A refactor that keeps
// results keeps these green; anything else names the configuration and the first differing path.
//
// A missing fixture fails. To (re)write fixtures: TRAIDER_GOLDEN_UPDATE=1 npx vitest run test/golden
// (or npm run golden:update), then review the diff before committing.
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONFIGURATIONS, prepareInputs } from './configurations.ts';
import { compareFixtures, describeDifference, FIXTURES, fixturePath, readFixture, runAll, UPDATE_ENV, UPDATE_HINT, writeFixture, type RunOutput } from './golden.ts';

const update = process.env[UPDATE_ENV] === '1';
const tmp = mkdtempSync(join(tmpdir(), 'traider-golden-'));
let runs: Map<string, Promise<RunOutput>>;

beforeAll(() => {
  const inputs = prepareInputs(tmp);
  const pending = runAll(CONFIGURATIONS, inputs, tmp);
  // Each test awaits its own run; unhandled rejections of runs a test has not reached yet are not errors here.
  for (const p of pending) p.catch(() => undefined);
  runs = new Map(CONFIGURATIONS.map((c, k) => [c.name, pending[k]!]));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('golden backtests', () => {
  it('has ten configurations with distinct names', () => {
    expect(CONFIGURATIONS).toHaveLength(10);
    expect(new Set(CONFIGURATIONS.map((c) => c.name)).size).toBe(10);
  });

  it('has no fixture without a configuration', () => {
    const names = new Set(CONFIGURATIONS.map((c) => `${c.name}.json`));
    const orphans = existsSync(FIXTURES) ? readdirSync(FIXTURES).filter((f) => f.endsWith('.json') && !names.has(f)) : [];
    expect(orphans, 'fixtures of configurations that no longer exist: delete them').toEqual([]);
  });

  for (const configuration of CONFIGURATIONS) {
    it(configuration.name, async () => {
      const { fixture: actual } = await runs.get(configuration.name)!;
      // A golden that stopped trading would guard nothing.
      expect(actual.fills.count, `${configuration.name}: fills`).toBeGreaterThan(5);
      if (update) {
        writeFixture(actual);
        return;
      }
      const expected = readFixture(configuration.name);
      if (expected === undefined) {
        expect.fail(`golden backtest "${configuration.name}": no fixture at ${fixturePath(configuration.name)}.\nCreate it from the current code with: ${UPDATE_HINT}, review it, and commit it.`);
      }
      const difference = compareFixtures(expected, actual);
      if (difference) expect.fail(describeDifference(configuration.name, difference, expected, actual));
    });
  }
});
