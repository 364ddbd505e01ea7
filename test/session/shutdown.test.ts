// Clean shutdown of a paper session, as a user runs it: `traider paper` in a child process against the
// local exchange over loopback; SIGINT cancels the open orders (journaled CANCELED), lists what is still
// held and exits 0; --flatten-on-exit sells the position first; a second signal exits at once with 130;
// `traider live` against an exchange that stops answering still finishes and lists the order left open.
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/app/store/index.ts';
import type { RunJournal } from '../../src/common/store.ts';
import { lastJsonLine, localExchangeForTests, REST_AND_BUY, type SessionProcess, startSession } from './paper-session.ts';

const exchange = localExchangeForTests('traider-shutdown-', { 'rest-and-buy.ts': REST_AND_BUY });

function startPaper(name: string, extra: string[] = [], mode: 'paper' | 'live' = 'paper'): SessionProcess {
  return startSession(exchange, { mode, strategy: 'rest-and-buy.ts', db: name, extra });
}

/** Wait until the session has its resting order and its position: the strategy's line and the market buy's fill. */
async function waitUntilTrading(session: SessionProcess): Promise<void> {
  const deadline = Date.now() + 20_000;
  const ready = (): boolean => /test-strategy placed limit O-\d+ and market O-\d+/.test(session.output()) && /^fill BUY /m.test(session.output());
  while (!ready() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  expect(ready(), `the session should have a resting limit buy and a filled market buy within 20 s; output:\n${session.output()}`).toBe(true);
}

async function exitCode(session: SessionProcess, ms = 20_000): Promise<number | null | 'timeout'> {
  const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), ms));
  const code = await Promise.race([session.exited, timer]);
  if (code === 'timeout') session.child.kill('SIGKILL');
  return code;
}

/** Once trading is on, `signal`: the session shuts down cleanly (exit 0). Its output and JSON summary. */
async function cleanShutdown<Summary>(session: SessionProcess, signal: NodeJS.Signals): Promise<{ output: string; summary: Summary }> {
  await waitUntilTrading(session);
  session.child.kill(signal);
  const code = await exitCode(session);
  const output = session.output();
  expect(code, `a signaled session should shut down cleanly with exit 0; output:\n${output}`).toBe(0);
  return { output, summary: lastJsonLine<Summary>(output) };
}

async function journalOf(db: string): Promise<RunJournal> {
  const store = await openStore(db, { create: false });
  try {
    const runs = await store.listRuns();
    expect(runs.length, 'one run journaled').toBe(1);
    expect(runs[0]!.status, 'the run is marked finished').not.toBe('RUNNING');
    return await store.readRunJournal(runs[0]!.id);
  } finally {
    await store.close();
  }
}

describe('traider paper: clean shutdown on a signal', () => {
  it('SIGINT cancels the open order, lists the open position and exits 0', async () => {
    const session = startPaper('cancel');
    try {
      const { output, summary } = await cleanShutdown<{ openPositions: Array<{ symbol: string; quantity: number; value: number }>; unCanceledOrders: unknown[] }>(session, 'SIGINT');
      expect(summary.openPositions, 'the JSON summary lists the bought position').toEqual([expect.objectContaining({ symbol: 'BTC/USDT', quantity: 0.01 })]);
      expect(summary.openPositions[0]!.value, 'the position is valued at the last price').toBeGreaterThan(100);
      expect(summary.unCanceledOrders, 'the paper venue cancels everything').toEqual([]);
      expect(output, 'the output names the open position').toMatch(/open position BTC\/USDT: 0\.01 \(value \d+\.\d\d USDT/);
      const journal = await journalOf(session.db);
      const limit = journal.orders.find((o) => o.type === 'LIMIT');
      expect(limit, 'the resting limit buy is journaled').toBeDefined();
      expect(limit!.status, "the limit order's last journaled status is CANCELED").toBe('CANCELED');
      const events = journal.orderEvents.filter((e) => e.orderId === limit!.orderId);
      expect(events.at(-1)?.status, "the limit order's last journaled event is the cancel").toBe('CANCELED');
      expect(journal.fills.filter((f) => f.side === 'SELL'), 'without --flatten-on-exit nothing is sold').toEqual([]);
    } finally {
      session.child.kill('SIGKILL');
    }
  }, 60_000);

  it('--flatten-on-exit sells the position before finishing', async () => {
    const session = startPaper('flatten', ['--flatten-on-exit']);
    try {
      const { output, summary } = await cleanShutdown<{ openPositions: unknown[]; unCanceledOrders: unknown[] }>(session, 'SIGTERM');
      expect(summary.openPositions, `--flatten-on-exit leaves no open position; output:\n${output}`).toEqual([]);
      expect(summary.unCanceledOrders, 'no order left open').toEqual([]);
      const journal = await journalOf(session.db);
      const sells = journal.fills.filter((f) => f.side === 'SELL');
      expect(sells.length, 'the journal holds the closing sell fill').toBeGreaterThan(0);
      expect(sells.reduce((sum, f) => sum + f.quantity, 0), 'the sells close the 0.01 bought').toBeCloseTo(0.01, 8);
      const closing = journal.orders.find((o) => o.tag === 'flatten-on-exit');
      expect(closing?.status, 'the closing market order is journaled as FILLED').toBe('FILLED');
      expect(journal.orders.find((o) => o.type === 'LIMIT')?.status, 'the resting limit buy is canceled').toBe('CANCELED');
    } finally {
      session.child.kill('SIGKILL');
    }
  }, 60_000);

  it('a second signal exits at once with 130', async () => {
    // The first shutdown (flatten, fills, closing streams) takes about a second here; the second signal
    // goes as soon as the first one's line appears.
    const session = startPaper('force', ['--flatten-on-exit', '--shutdown-timeout', '30']);
    try {
      await waitUntilTrading(session);
      session.child.kill('SIGINT');
      const deadline = Date.now() + 10_000;
      while (!/SIGINT: stopping/.test(session.output()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      const sent = Date.now();
      session.child.kill('SIGINT');
      const code = await exitCode(session, 5_000);
      const output = session.output();
      expect(code, `the second signal should exit at once with 130; output:\n${output}`).toBe(130);
      expect(Date.now() - sent, 'the forced exit takes well under 5 s').toBeLessThan(5_000);
      expect(output, 'one line says the exit was forced').toMatch(/SIGINT again: exiting at once/);
      expect(output, 'a forced exit prints no summary').not.toMatch(/"openPositions"/);
    } finally {
      session.child.kill('SIGKILL');
    }
  }, 60_000);

  it('live: an order the exchange does not confirm canceled is listed with its id and why', async () => {
    const session = startPaper('live-unconfirmed', ['--confirm-live', '--shutdown-timeout', '1'], 'live');
    try {
      await waitUntilTrading(session);
      exchange.sim.admin.setFaults('timeout=1'); // from now on the exchange answers no request
      const sent = Date.now();
      session.child.kill('SIGINT');
      const code = await exitCode(session, 40_000);
      const output = session.output();
      expect(Date.now() - sent, 'every wait of the shutdown is bounded (1 s each here, a few seconds in all)').toBeLessThan(30_000);
      expect(code, `the shutdown should still finish with exit 0; output:\n${output}`).toBe(0);
      const summary = lastJsonLine(output) as { unCanceledOrders: Array<{ id: string; type: string; reason: string }>; openPositions: unknown[] };
      expect(summary.unCanceledOrders, `the resting limit buy is listed as not canceled; output:\n${output}`).toEqual([expect.objectContaining({ id: expect.stringMatching(/^O-\d+$/), type: 'LIMIT' })]);
      expect(summary.unCanceledOrders[0]!.reason, 'the reason names the missing confirmation').toMatch(/did not confirm|unknown/);
      expect(output, 'the output names the order left open').toMatch(/order O-\d+ BUY LIMIT 0\.01 BTC\/USDT is still open: /);
    } finally {
      exchange.sim.admin.setFaults({});
      session.child.kill('SIGKILL');
    }
  }, 60_000);
});
