// A paper deployment emergency-stopped with no session running is closed in its journal: the open order canceled,
// the position sold at the last journaled close paying the taker fee, the cash after it journaled. Numbers by hand.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Deployments, journalOf, openOrdersOf, positionsOf } from '../../../src/app/deployments/index.ts';
import { followUpEmergency } from '../../../src/app/emergency/index.ts';
import { closingJournalOf } from '../../../src/app/emergency/paper-close.ts';
import { openJournal } from '../../../src/app/store/index.ts';
import { LiveClock, RunKind } from '../../../src/common/index.ts';
import { numberToMoney } from '../../../src/core/index.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A paper deployment `name` of buy-and-hold on `symbols`, attached to a fresh run in a temporary SQLite journal. */
async function paperDeployment(name: string, symbols: string[]) {
  const dir = mkdtempSync(join(tmpdir(), 'traider-paper-close-'));
  dirs.push(dir);
  const clock = new LiveClock();
  const opened = await openJournal(join(dir, 'j.db'), { clock });
  const { store, journal } = opened;
  const deployments = new Deployments(store, journal, clock);
  const by = { name: 'ops', role: 'operator', actor: 'token:ops', tokenId: 't' } as never;
  await deployments.create({ name, strategy: 'buy-and-hold', symbols, exchange: 'binance', capital: 1000, confirm: name }, by);
  const runId = await journal.createRun({ kind: RunKind.Paper, strategy: 'buy-and-hold', symbols });
  await deployments.attachRun(name, runId, 'server');
  return { clock, opened, store, journal, deployments, runId };
}

async function paperDeploymentWithPosition(flatten: boolean) {
  const { clock, opened, store, journal, deployments, runId } = await paperDeployment('p', ['BTC/USDT']);
  const t = 1_613_900_000_000;
  const order = { runId, symbol: 'BTC/USDT', side: 'BUY', type: 'MARKET', quantity: 0.5, price: null, stopPrice: null, timeInForce: 'GTC', tag: null } as const;
  await journal.appendOrderEvents([
    { ...order, time: t, orderId: 'O-1', kind: 'SUBMITTED', status: 'SUBMITTED', filledQuantity: 0, fillId: null, reason: null, detail: null },
    { ...order, time: t, orderId: 'O-1', kind: 'FILLED', status: 'FILLED', filledQuantity: 0.5, fillId: 'F-1', reason: null, detail: null },
    { ...order, time: t, orderId: 'O-2', side: 'SELL', type: 'LIMIT', price: 130, kind: 'ACCEPTED', status: 'ACCEPTED', filledQuantity: 0, fillId: null, reason: null, detail: null },
  ]);
  await journal.appendFills([{ runId, time: t, fillId: 'F-1', orderId: 'O-1', symbol: 'BTC/USDT', side: 'BUY', price: 100, quantity: 0.5, notional: numberToMoney(50), fee: numberToMoney(0.05), tax: 0n, liquidity: 'TAKER', referencePrice: 100, impactBps: 0, slippageBps: 0, reducedForCash: false }]);
  await journal.appendBars([
    { runId, time: t + 60_000, symbol: 'BTC/USDT', openTime: t, closeTime: t + 60_000, open: 100, high: 112, low: 99, close: 108, volume: 3, adjustmentFactor: 1, preClose: null },
    { runId, time: t + 120_000, symbol: 'BTC/USDT', openTime: t + 60_000, closeTime: t + 120_000, open: 108, high: 111, low: 107, close: 110, volume: 2, adjustmentFactor: 1, preClose: null },
  ] as never);
  await journal.appendEquity([{ runId, time: t + 120_000, equity: 1004.95, cash: 949.95 }]);
  await journal.flush();
  const lines: string[] = [];
  await followUpEmergency({ store, journal, clock, env: {}, takerBps: 10 }, await deployments.get('p'), { flatten, actor: 'token:ops', log: (line) => lines.push(line) });
  await journal.flush();
  const after = await journalOf(store, await deployments.get('p'));
  const audit = (await store.readAudit({ afterSeq: 0, limit: 1000 })).filter((e) => e.kind === 'emergency.paper-close').map((e) => ({ actor: e.actor, payload: JSON.parse(e.payload) }));
  return { lines, after, audit, close: opened.close };
}

describe('closing a paper run in its journal', () => {
  it('cancels the open order, sells the position at the last close paying the taker fee, and journals the cash', async () => {
    const { lines, after, audit, close } = await paperDeploymentWithPosition(true);
    try {
      expect(lines).toEqual(['paper SELL 0.5 BTC/USDT at the last price 110 (closed in the journal)', '1 open paper order(s) canceled in the journal']);
      expect(audit).toEqual([{ actor: 'token:ops', payload: expect.objectContaining({ name: 'p', canceled: 1, closed: [{ symbol: 'BTC/USDT', side: 'SELL', quantity: 0.5, price: 110 }], unpriced: [] }) }]);
      expect(positionsOf(after)).toEqual([]);
      expect(openOrdersOf(after)).toEqual([]);
      const sell = after.fills.at(-1)!;
      expect({ side: sell.side, price: sell.price, quantity: sell.quantity, notional: sell.notional, fee: sell.fee }).toEqual({ side: 'SELL', price: 110, quantity: 0.5, notional: numberToMoney(55), fee: numberToMoney(0.055) });
      // 949.95 + 0.5 x 110 - 0.055 (10 bps of 55)
      expect(after.equity.at(-1)).toMatchObject({ equity: 1004.895, cash: 1004.895 });
    } finally {
      await close();
    }
  });

  it('with flatten off cancels the order and keeps the position', async () => {
    const { lines, after, close } = await paperDeploymentWithPosition(false);
    try {
      expect(lines).toEqual(['1 open paper order(s) canceled in the journal']);
      expect(positionsOf(after)).toMatchObject([{ symbol: 'BTC/USDT', quantity: 0.5, averagePrice: 100 }]);
      expect(openOrdersOf(after)).toEqual([]);
    } finally {
      await close();
    }
  });
});

describe('what closing reads of a long run', () => {
  async function twoSymbolRun(btcBarsFirst: number, ethBarsAfter: number) {
    const { opened, store, journal, deployments, runId } = await paperDeployment('q', ['BTC/USDT', 'ETH/USDT']);
    const t = 1_613_900_000_000;
    await journal.appendFills([{ runId, time: t, fillId: 'F-1', orderId: 'O-1', symbol: 'BTC/USDT', side: 'BUY', price: 100, quantity: 0.5, notional: numberToMoney(50), fee: 0n, tax: 0n, liquidity: 'TAKER', referencePrice: 100, impactBps: 0, slippageBps: 0, reducedForCash: false }]);
    const barOf = (symbol: string, i: number, close: number) => ({ runId, symbol, openTime: t + i * 60_000, closeTime: t + (i + 1) * 60_000, open: close, high: close, low: close, close, volume: 1, adjustmentFactor: null, preClose: null });
    // BTC's feed stopped long ago (its last close 104); ETH's bars went on.
    await journal.appendBars(Array.from({ length: btcBarsFirst }, (_, i) => barOf('BTC/USDT', i, 100 + (i % 5))));
    await journal.appendBars(Array.from({ length: ethBarsAfter }, (_, i) => barOf('ETH/USDT', btcBarsFirst + i, 2_000)));
    await journal.appendEquity([{ runId, time: t, equity: 1000, cash: 950 }]);
    await journal.flush();
    return { store, deployment: await deployments.get('q'), close: opened.close };
  }

  it('reads every bar when a symbol held has none among the latest (its feed stopped long ago)', async () => {
    const { store, deployment, close } = await twoSymbolRun(5, 1_000);
    try {
      // 100 bars per symbol of the deployment: the last 200 written, all ETH here, and BTC is held...
      const journal = await closingJournalOf(store, deployment);
      // ...so BTC has no price among them and the whole bar table is read: its last close is 104.
      expect(journal.bars).toHaveLength(1_005);
      expect(journal.bars.filter((b) => b.symbol === 'BTC/USDT').at(-1)!.close).toBe(104);
    } finally {
      await close();
    }
  });

  it('reads only the latest bars when they price every symbol held', async () => {
    const { store, deployment, close } = await twoSymbolRun(1_000, 150);
    try {
      const journal = await closingJournalOf(store, deployment);
      expect(journal.bars, 'the last 200 bars written: 50 BTC, 150 ETH').toHaveLength(200);
      expect(journal.bars.filter((b) => b.symbol === 'BTC/USDT').at(-1)!.close).toBe(100 + (999 % 5));
      expect(journal.fills).toHaveLength(1);
      expect(journal.equity).toEqual([{ runId: deployment.runId, time: 1_613_900_000_000, equity: 1000, cash: 950 }]);
    } finally {
      await close();
    }
  });
});
