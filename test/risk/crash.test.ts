// A crash day trips DAILY_LOSS, on a synthetic crash written here (the real BTC 1m data of 2024-08-05:
// test/real-data/crash-2024-08-05.test.ts). buy-and-hold 0.95 shows it in the backtest JSON; a strategy that
// keeps trying to buy opens no new position until the cooldown is over.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runBacktest } from '../../src/app/backtest/run-backtest.ts';
import { defaultConfig } from '../../src/app/config/index.ts';
import type { BreakerEvent } from '../../src/engines/risk/breaker-ladder.ts';
import { buyAndHoldJson, expectNoNewPositionUntilCooldown } from './crash-day.ts';
import { DAY, MINUTE } from './helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'traider-risk-crash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Monday 2024-03-04 00:00 UTC. */
const SYNTHETIC_START = Date.UTC(2024, 2, 4);

/**
 * Three days of 1-minute bars: ~100 on day 0, a fall to 94 between 02:00 and 04:00 of day 1, then
 * ~94 to the end. buy-and-hold at 0.95 loses ~5.7% that day: past the 3% daily limit, short of the
 * 7% weekly and 10% drawdown triggers.
 */
function writeSyntheticCrash(): string {
  const lines = ['timestamp,open,high,low,close,volume'];
  const n = 3 * 24 * 60;
  const price = (i: number): number => {
    const minute = i - 24 * 60;
    const base = minute < 120 ? 100 : minute < 240 ? 100 - (6 * (minute - 120)) / 120 : 94;
    return Math.round((base + 0.05 * Math.sin(i / 7)) * 100) / 100;
  };
  let previous = price(0);
  for (let i = 0; i < n; i++) {
    const close = price(i);
    lines.push(`${SYNTHETIC_START + i * MINUTE},${previous},${Math.max(previous, close)},${Math.min(previous, close)},${close},100000`);
    previous = close;
  }
  const file = join(dir, 'CRASHUSDT-1m-2024-03-04_2024-03-06.csv');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

describe('a synthetic crash day (in-repo)', () => {
  const file = writeSyntheticCrash();

  it('buy-and-hold 0.95 trips DAILY_LOSS -> HALT_NEW_POSITIONS, listed in the JSON breakerEvents, cleared at 00:00 UTC', () => {
    const summary = buyAndHoldJson(file);
    expect(summary.riskMode).toBe('BACKTEST');
    const dayOfCrash = SYNTHETIC_START + DAY;
    expect(summary.breakerEvents).toHaveLength(2);
    const [trip, clear] = summary.breakerEvents;
    expect(trip).toMatchObject({ level: 'HALT_NEW_POSITIONS', cause: 'DAILY_LOSS', threshold: 0.03 });
    expect(trip!.value).toBeGreaterThanOrEqual(0.03);
    expect(trip!.value).toBeLessThan(0.031);
    expect(trip!.time).toBeGreaterThan(dayOfCrash + 2 * 60 * MINUTE);
    expect(trip!.time).toBeLessThan(dayOfCrash + 4 * 60 * MINUTE);
    expect(clear).toMatchObject({ time: dayOfCrash + DAY, level: 'NORMAL', cause: 'DAILY_LOSS' });
  });

  it('lists every level change published on the bus in the summary breakerEvents, in order, with its numbers', async () => {
    const outcome = await runBacktest({ dataFiles: [file], strategy: 'buy-and-hold', params: { fraction: 0.95 }, config: defaultConfig(), benchmark: false });
    const published = outcome.simulation.kernel.breakerEvents as BreakerEvent[];
    expect(published.map((e) => [e.previousLevel, e.level])).toEqual([
      ['NORMAL', 'HALT_NEW_POSITIONS'],
      ['HALT_NEW_POSITIONS', 'NORMAL'],
    ]);
    expect(outcome.summary.breakerEvents).toHaveLength(published.length);
    published.forEach((e, i) => expect(outcome.summary.breakerEvents[i]).toMatchObject({ time: e.time, level: e.level, cause: e.cause, value: e.value, threshold: e.threshold }));
  });

  it('a strategy that keeps trying to buy opens no new position until the cooldown passes', async () => {
    const { cooldownEnd } = await expectNoNewPositionUntilCooldown(file);
    expect(cooldownEnd).toBe(SYNTHETIC_START + 2 * DAY);
  });
});
