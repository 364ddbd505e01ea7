// ccxt.pro binance over WebSocket: the diff-depth order book stays consistent, own orders arrive via the
// WebSocket API user data stream (executionReport, outboundAccountPosition), public streams flow.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExchangeSimHandle } from '../../src/exchange-sim/index.ts';
import { amount, proClient, rawWs, startSim } from './helpers.ts';

describe('exchange-sim WebSocket with ccxt.pro binance', () => {
  let sim: ExchangeSimHandle;
  let ex: Awaited<ReturnType<typeof proClient>>;

  beforeAll(async () => {
    sim = await startSim({ speed: 60 });
    ex = await proClient(sim);
    await ex.loadMarkets();
  });
  afterAll(async () => {
    await ex.close();
    await sim.close();
  });

  it('watchOrderBook keeps a consistent book from depth diffs (U/u) and updates keep arriving', async () => {
    const nonces: number[] = [];
    const bests: number[] = [];
    for (let i = 0; i < 15; i++) {
      const book = await ex.watchOrderBook('BTC/USDT');
      expect(book.bids.length).toBeGreaterThanOrEqual(20);
      expect(book.asks.length).toBeGreaterThanOrEqual(20);
      expect(book.bids[0]![0]!).toBeLessThan(book.asks[0]![0]!);
      nonces.push(book.nonce!);
      bests.push(book.bids[0]![0]!);
    }
    expect(new Set(nonces).size).toBeGreaterThan(5);
    // Freeze the data time: once the last diffs are in, the local book equals the published one.
    sim.admin.clock({ speed: 0 });
    await new Promise((resolve) => setTimeout(resolve, 400));
    const local = ex.orderbooks['BTC/USDT']!;
    const snapshot = await ex.fetchOrderBook('BTC/USDT', 1000);
    expect(local.nonce).toBe(snapshot.nonce);
    expect(local.bids.length).toBe(snapshot.bids.length);
    expect([...local.bids]).toEqual(snapshot.bids);
    expect([...local.asks]).toEqual(snapshot.asks);
    sim.admin.clock({ speed: 60 });
    expect(new Set(bests).size).toBeGreaterThan(1);
  });

  it('watchOrders receives the fill of a market order; watchBalance the new balances', async () => {
    const first = ex.watchOrders('BTC/USDT');
    // Subscribing happens on the first call; give it a moment before trading.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const order = await ex.createOrder('BTC/USDT', 'market', 'buy', 0.001, undefined, { clientOrderId: 'ws-fill-1' });
    let seen = await first;
    for (let i = 0; i < 10 && !seen.some((o) => o.id === order.id && o.status === 'closed'); i++) seen = await ex.watchOrders('BTC/USDT');
    const update = seen.find((o) => o.id === order.id && o.status === 'closed')!;
    expect(update).toBeDefined();
    expect(update.clientOrderId).toBe('ws-fill-1');
    expect(update.filled).toBe(0.001);
    expect(update.side).toBe('buy');

    const balancePromise = ex.watchBalance();
    await new Promise((resolve) => setTimeout(resolve, 100));
    await ex.createOrder('BTC/USDT', 'market', 'sell', 0.001);
    const balance = await balancePromise;
    expect(amount(balance, 'free', 'USDT')).toBeGreaterThan(0);
  });

  it('watchTrades and watchOHLCV stream the replay', async () => {
    const trades = await ex.watchTrades('BTC/USDT');
    expect(trades.length).toBeGreaterThan(0);
    expect(trades[0]!.price).toBeGreaterThan(50_000);
    const candles = await ex.watchOHLCV('BTC/USDT', '1m');
    expect(candles.length).toBeGreaterThan(0);
    expect(candles[candles.length - 1]![4]).toBeGreaterThan(50_000);
    const ticker = await ex.watchBidsAsks(['BTC/USDT']);
    expect(ticker['BTC/USDT']!.bid!).toBeLessThan(ticker['BTC/USDT']!.ask!);
  });

  it('raw streams: SUBSCRIBE acks, kline_1m closes each bar (x: true), bookTicker and trade flow, combined streams wrap', async () => {
    const ws = await rawWs(sim.port, '/ws');
    try {
      ws.send({ method: 'SUBSCRIBE', params: ['btcusdt@kline_1m', 'btcusdt@bookTicker', 'btcusdt@trade'], id: 7 });
      ws.send({ method: 'LIST_SUBSCRIPTIONS', id: 8 });
      const deadline = Date.now() + 5000;
      const closedKline = (): boolean => ws.messages.some((m) => (m as { e?: string; k?: { x: boolean } }).e === 'kline' && (m as { k: { x: boolean } }).k.x);
      while (!closedKline() && Date.now() < deadline) await ws.waitFor(ws.messages.length + 1);
      expect(ws.messages[0]).toEqual({ result: null, id: 7 });
      expect(ws.messages[1]).toEqual({ result: ['btcusdt@kline_1m', 'btcusdt@bookTicker', 'btcusdt@trade'], id: 8 });
      expect(closedKline()).toBe(true);
      expect(ws.messages.some((m) => (m as { e?: string }).e === 'trade')).toBe(true);
      expect(ws.messages.some((m) => 'u' in (m as object) && 'b' in (m as object) && !('e' in (m as object)))).toBe(true);
    } finally {
      ws.close();
    }
    const combined = await rawWs(sim.port, '/stream?streams=btcusdt@depth@100ms');
    try {
      await combined.waitFor(1);
      expect(combined.messages[0]).toMatchObject({ stream: 'btcusdt@depth@100ms', data: { e: 'depthUpdate', s: 'BTCUSDT' } });
    } finally {
      combined.close();
    }
  });
});
