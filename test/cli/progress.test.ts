// Long runs report progress while they run, so a bar can move: the backtest use-case calls back every
// PROGRESS_EVERY_BARS bars (and at the end), the replay every REPLAY_PROGRESS_EVERY_BARS, with increasing counts
// that end at the total. The terminal rendering is the CLI's (src/cli/progress.ts); its arithmetic is checked here.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runBacktest } from '../../src/app/backtest/index.ts';
import { defaultConfig } from '../../src/app/config/index.ts';
import { runReplaySession } from '../../src/app/session/index.ts';
import { formatSeconds, progressRates } from '../../src/cli/progress.ts';

const dir = mkdtempSync(join(tmpdir(), 'traider-progress-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** One progress call. */
type Call = { done: number; total: number };

function expectProgress(calls: Call[], total: number, every: number): void {
  expect(calls.length, 'a first call, one per step, one at the end').toBe(Math.ceil(total / every) + 1);
  expect(calls.every((c) => c.total === total), 'the total is known from the start').toBe(true);
  expect(calls.map((c) => c.done)).toEqual([...Array.from({ length: Math.ceil(total / every) }, (_, k) => k * every), total]);
}

describe('backtest progress', () => {
  it('is reported every 16,384 bars while the 58,419-bar hourly file runs, ending at the total', async () => {
    const calls: Call[] = [];
    const outcome = await runBacktest({
      dataFiles: ['data/BTCUSDT-1h-2017-08-17_2024-04-21.csv.gz'],
      strategy: 'sma-cross',
      config: defaultConfig(),
      benchmark: false,
      progress: (done, total) => calls.push({ done, total }),
    });
    expect(outcome.summary.bars).toBe(58_419);
    // 0 (after the first bar), 16384, 32768, 49152, then the end: a bar sees four steps before 100%.
    expectProgress(calls, 58_419, 2 ** 14);
  }, 60_000);
});

describe('replay progress', () => {
  it('is reported every 64 bars of a 300-bar replay, ending at the total', async () => {
    const lines = readFileSync('data/BTCUSDT-1m-2021-02-19_2021-02-25.csv', 'utf8').split('\n');
    const data = join(dir, 'BTCUSDT-1m-short.csv');
    writeFileSync(data, `${lines.slice(0, 301).join('\n')}\n`);
    const calls: Call[] = [];
    const result = await runReplaySession({
      dataFiles: [data],
      strategy: 'buy-and-hold',
      config: defaultConfig(),
      db: join(dir, 'replay.db'),
      runId: 'progress',
      progress: (done, total) => calls.push({ done, total }),
    });
    expect(result.bars).toBe(300);
    expectProgress(calls, 300, 64);
  }, 60_000);
});

describe('the progress line', () => {
  it('bars per second and the time left from the bars done and the time spent', () => {
    expect(progressRates(30_000, 120_000, 1_000, 4_000)).toEqual({ rate: '10,000', eta: '9s' });
    expect(progressRates(1_000, 1_000_000, 0, 1_000)).toEqual({ rate: '1,000', eta: '16m 39s' });
    expect(progressRates(0, 100, 0, 1_000)).toEqual({ rate: '-', eta: '?' });
    expect([formatSeconds(8.4), formatSeconds(75), formatSeconds(4000)]).toEqual(['8s', '1m 15s', '1h 06m']);
  });
});
