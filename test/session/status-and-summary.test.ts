// A paper session says what it is doing and what it leaves: `traider paper` against the local exchange prints a
// status line every --status-every seconds on stderr (bars, last price, position, equity, breaker level, data age);
// its final summary (JSON and text) lists the open position (quantity, average and last price, value) and the
// orders open at the stop (id, side, quantity, price); --capital and --fee-bps reach the paper account; `runs list`
// shows when the run was started on this computer's clock, apart from the (replayed) data's time range.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SessionSummary } from '../../src/app/session/index.ts';
import { formatSessionSummary } from '../../src/cli/session-summary.ts';
import { runCli } from '../cli/run-cli.ts';
import { lastJsonLine, localExchangeForTests, REST_AND_BUY, startSession } from './paper-session.ts';

const exchange = localExchangeForTests('traider-status-', { 'rest-and-buy.ts': REST_AND_BUY });

/** A 5-second paper session, to its end. */
async function paper(name: string, extra: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const session = startSession(exchange, { strategy: 'rest-and-buy.ts', db: name, extra: ['--duration', '5', ...extra] });
  const code = await session.exited;
  return { code, stdout: session.stdout(), stderr: session.stderr() };
}

const STATUS = /^status: (\d+) bars \| BTC\/USDT last ([\d.]+), position ([\d.]+) \| equity ([\d.]+) USDT \| breaker (\w+) \| data age (\d+) ms$/;

describe('traider paper: status lines and the final summary', () => {
  it('prints status lines, lists the open position and the orders open at the stop; runs list shows the wall-clock start', async () => {
    const startedBefore = Date.now();
    const [run, quiet] = await Promise.all([paper('talking', ['--status-every', '1', '--capital', '5000', '--fee-bps', '5']), paper('quiet', ['--status-every', '1', '--no-progress'])]);
    const startedAfter = Date.now();
    expect(run.code, run.stderr.slice(-1500)).toBe(0);
    expect(quiet.code, quiet.stderr.slice(-1500)).toBe(0);

    // Status lines, about one a second over the 5 s, with every field.
    const statuses = run.stderr.split('\n').filter((l) => l.startsWith('status:'));
    expect(statuses.length, run.stderr).toBeGreaterThanOrEqual(3);
    for (const line of statuses) expect(line).toMatch(STATUS);
    const bars = statuses.map((l) => Number(STATUS.exec(l)![1]));
    expect(bars.every((n, i) => i === 0 || n >= bars[i - 1]!), `bars seen never go down: ${bars.join(', ')}`).toBe(true);
    expect(quiet.stderr, '--no-progress: no status line').not.toMatch(/^status:/m);

    // --fee-bps 5 is the fee charged: "fill BUY <quantity> BTC/USDT @ <price> fee <fee> USDT" (the market buy, sized
    // down by the paper risk limits to what 5,000 USDT of capital allows).
    const fills = [...run.stderr.matchAll(/^fill BUY ([\d.]+) BTC\/USDT @ ([\d.]+) fee ([\d.]+) USDT/gm)];
    expect(fills, run.stderr).toHaveLength(1);
    const [quantity, price, fee] = fills[0]!.slice(1).map(Number) as [number, number, number];
    expect(fee).toBeCloseTo(quantity * price * 0.0005, 4);
    const last = STATUS.exec(statuses.at(-1)!)!;
    expect(Number(last[3]), 'the last status shows the position bought').toBe(quantity);

    const summary = lastJsonLine<SessionSummary>(run.stdout);
    expect(summary.initialCapital, '--capital is the paper cash').toBe(5000);
    expect(summary.openPositions).toHaveLength(1);
    const position = summary.openPositions[0]!;
    expect(position).toMatchObject({ symbol: 'BTC/USDT', quantity, averagePrice: price });
    expect(position.value, 'valued at the last price').toBeCloseTo(quantity * position.lastPrice, 6);
    expect(position.lastPrice).toBeGreaterThan(price * 0.95);
    expect(summary.openOrders, 'the resting limit buy, canceled at the stop').toEqual([
      expect.objectContaining({ side: 'BUY', type: 'LIMIT', quantity: 0.01, status: 'CANCELED', price: expect.any(Number) }),
    ]);
    const order = summary.openOrders[0]!;
    expect(order.price!).toBeLessThan(price * 0.97);
    expect(summary.unCanceledOrders).toEqual([]);
    expect(summary.startedAt).toBeGreaterThanOrEqual(startedBefore - 1000);
    expect(summary.startedAt).toBeLessThanOrEqual(startedAfter);
    expect(summary.dataStart!, 'the replayed data is from 2021').toBeLessThan(Date.UTC(2022, 0, 1));

    // The text summary says the same.
    const text = formatSessionSummary(summary);
    expect(text).toContain(`positions  1 still open at the end`);
    expect(text).toContain(`  BTC/USDT ${quantity} @ average ${position.averagePrice}, last price ${position.lastPrice}, value ${position.value.toFixed(2)} USDT`);
    expect(text).toContain(`orders     1 open at the stop:\n  ${order.id} BUY LIMIT 0.01 BTC/USDT @ ${order.price}: canceled at the stop`);

    // runs list: STARTED on this computer's clock (ISO-8601 UTC, within the test's run), DATA the venue's 2021 range.
    const list = runCli(['runs', 'list', '--db', join(exchange.dir, 'talking.db')]);
    expect(list.code, list.stderr).toBe(0);
    const row = /PAPER\s+FINISHED\s+\S*rest-and-buy\S*\s+BTC\/USDT\s+PAPER\s+(\S+)\s+(2021-\d\d-\d\d \d\d:\d\d) -> (2021-\d\d-\d\d \d\d:\d\d)\s/.exec(list.stdout);
    expect(row, list.stdout).not.toBeNull();
    expect(row![1]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const started = Date.parse(row![1]!);
    expect(started, `started ${row![1]} while the test ran`).toBeGreaterThanOrEqual(Math.floor(startedBefore / 1000) * 1000 - 1000);
    expect(started).toBeLessThanOrEqual(startedAfter);
  }, 90_000);
});
