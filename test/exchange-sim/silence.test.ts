// The silence fault: the market-data feed goes quiet (market streams send nothing, market-data REST
// requests hang) while clock, exchangeInfo, account, orders and the user data stream keep working; once it
// is off the feed resumes, and ccxt.pro's order book resynchronises through the gap silence left in U/u.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatFaults, parseFaults, type ExchangeSimHandle } from '../../src/exchange-sim/index.ts';
import { amount, proClient, raw, rawWs, sleep, startSim, type RawWs } from './helpers.ts';

type Outcome<T> = { settled: false } | { settled: true; value?: T; error?: unknown };

/** How `promise` stands after `ms`: still pending, or settled with a value or an error. */
function within<T>(promise: Promise<T>, ms: number): Promise<Outcome<T>> {
  return Promise.race([
    promise.then(
      (value): Outcome<T> => ({ settled: true, value }),
      (error: unknown): Outcome<T> => ({ settled: true, error }),
    ),
    sleep(ms).then((): Outcome<T> => ({ settled: false })),
  ]);
}

interface SilenceState {
  faults: { spec: { silence: number }; text: string; injected: { silence: number }; silenced: { messages: number; requests: number } };
}

/** The combined streams a raw client watches: every kind of market stream. */
const STREAMS = ['btcusdt@depth@100ms', 'btcusdt@depth@1000ms', 'btcusdt@kline_1m', 'btcusdt@bookTicker', 'btcusdt@trade', 'btcusdt@aggTrade', 'btcusdt@depth5', 'btcusdt@ticker'];

/** The stream a combined message came from (undefined for replies to requests). */
function streamOf(message: unknown): string | undefined {
  return (message as { stream?: string }).stream;
}

describe('exchange-sim silence fault', () => {
  let sim: ExchangeSimHandle;
  let pro: Awaited<ReturnType<typeof proClient>>;
  let feed: RawWs;
  let feedClosed = false;
  /** Watches started while silence was on, still pending when it ends. */
  let pendingOhlcv: Promise<unknown>;
  let pendingBook: Promise<unknown>;
  /** The last depth diff the raw client received before silence. */
  let lastDiffBefore: { U: number; u: number };

  beforeAll(async () => {
    sim = await startSim({ speed: 60, seed: 11 });
    pro = await proClient(sim);
    await pro.loadMarkets();
    feed = await rawWs(sim.port, `/stream?streams=${STREAMS.join('/')}`);
    void feed.closed.then(() => (feedClosed = true));
  });
  afterAll(async () => {
    feed.close();
    await pro.close();
    await sim.close();
  });

  it('silence is a switch: 1/on, 0/off; anything else is an error naming the fault, the value and the rule', async () => {
    expect(parseFaults('silence=1').silence).toBe(1);
    expect(parseFaults('silence=on').silence).toBe(1);
    expect(parseFaults('gap=0.1, silence=off').silence).toBe(0);
    expect(parseFaults('silence=0').silence).toBe(0);
    expect(parseFaults({ silence: 1 }).silence).toBe(1);
    expect(parseFaults({ silence: 'off' }).silence).toBe(0);
    expect(parseFaults('').silence).toBe(0);
    expect(formatFaults(parseFaults('silence=on,latency=5ms'))).toBe('latency=5ms,silence=1');
    for (const bad of ['silence=2', 'silence=yes', 'silence=0.5', 'silence=']) {
      expect(() => parseFaults(bad), bad).toThrow(`fault silence: expected a switch: 1 or on, 0 or off (got "${bad.slice('silence='.length)}")`);
    }
    expect(() => parseFaults({ silence: true })).toThrow('fault silence: expected a switch');
    const res = await raw(sim, 'POST', '/admin/faults', { body: 'silence=2' });
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ error: 'fault silence: expected a switch: 1 or on, 0 or off (got "2")' });
    expect(sim.admin.getFaults().silence).toBe(0);
  });

  it('while on, the market streams send nothing and stay open; requests on the stream endpoint are still answered', async () => {
    // A working feed first: ccxt's candles and order book, and every raw stream.
    await pro.watchOHLCV('BTC/USDT', '1m');
    await pro.watchOrderBook('BTC/USDT');
    const deadline = Date.now() + 3000;
    while (!STREAMS.every((s) => feed.messages.some((m) => streamOf(m) === s)) && Date.now() < deadline) await feed.waitFor(feed.messages.length + 1);
    expect(STREAMS.filter((s) => !feed.messages.some((m) => streamOf(m) === s))).toEqual([]);

    const on = await raw(sim, 'POST', '/admin/faults', { body: 'silence=on' });
    expect(on.status).toBe(200);
    expect((on.json as { silence: number }).silence).toBe(1);
    await sleep(100); // what was written before silence began
    const diffs = feed.messages.filter((m) => streamOf(m) === 'btcusdt@depth@100ms') as Array<{ data: { U: number; u: number } }>;
    lastDiffBefore = diffs[diffs.length - 1]!.data;
    const before = feed.messages.length;

    pendingOhlcv = pro.watchOHLCV('BTC/USDT', '1m');
    pendingBook = pro.watchOrderBook('BTC/USDT');
    // 1.5 s, where candles and diffs otherwise come every 100 ms.
    expect((await within(pendingOhlcv, 1500)).settled, 'watchOHLCV got a message while silenced').toBe(false);
    expect((await within(pendingBook, 0)).settled, 'watchOrderBook got a message while silenced').toBe(false);
    expect(feed.messages.length, 'raw streams got messages while silenced').toBe(before);
    expect(feedClosed, 'the connection stays open').toBe(false);

    // The client's own requests on the stream endpoint are answered: only market data is silenced.
    feed.send({ method: 'LIST_SUBSCRIPTIONS', id: 42 });
    await feed.waitFor(before + 1, 1000);
    expect(feed.messages.slice(before)).toEqual([{ result: STREAMS, id: 42 }]);

    const state = (await raw(sim, 'GET', '/admin/state')).json as SilenceState;
    expect(state.faults.spec.silence).toBe(1);
    expect(state.faults.text).toBe('silence=1');
    expect(state.faults.silenced.messages).toBeGreaterThan(20);
    expect(state.faults.injected.silence).toBe(state.faults.silenced.messages + state.faults.silenced.requests);
  });

  it('while on, market-data REST requests time out; ping, time and exchangeInfo answer', async () => {
    const requestsBefore = sim.admin.state().faults.silenced.requests;
    pro.timeout = 500;
    try {
      const ohlcv = await pro.fetchOHLCV('BTC/USDT', '1m', undefined, 5).catch((e: unknown) => e);
      expect((ohlcv as Error).constructor.name).toBe('RequestTimeout');
      const depth = await pro.fetchOrderBook('BTC/USDT', 5).catch((e: unknown) => e);
      expect((depth as Error).constructor.name).toBe('RequestTimeout');
      expect(await pro.fetchTime()).toBeGreaterThan(0);
    } finally {
      pro.timeout = 10_000;
    }
    const ticker = await fetch(`${sim.url}/api/v3/ticker/price?symbol=BTCUSDT`, { signal: AbortSignal.timeout(300) }).catch((e: unknown) => e);
    expect((ticker as Error).name).toBe('TimeoutError');
    expect((await raw(sim, 'GET', '/api/v3/ping')).status).toBe(200);
    const info = await raw(sim, 'GET', '/api/v3/exchangeInfo?symbol=BTCUSDT');
    expect((info.json as { symbols: Array<{ symbol: string }> }).symbols[0]!.symbol).toBe('BTCUSDT');
    expect(sim.admin.state().faults.silenced.requests).toBe(requestsBefore + 3);
  });

  it('while on, balances, orders and the user data stream keep working', async () => {
    const firstUpdate = pro.watchOrders('BTC/USDT');
    await sleep(300); // the user data subscription (WebSocket API) is made on the first call
    const balance = await pro.fetchBalance();
    expect(amount(balance, 'free', 'USDT')).toBeGreaterThan(0);
    const order = await pro.createOrder('BTC/USDT', 'market', 'buy', 0.001, undefined, { clientOrderId: 'silence-buy-1' });
    expect(order.status).toBe('closed');
    expect(order.filled).toBe(0.001);
    const updates = await within(firstUpdate, 2000);
    expect(updates.settled && updates.error === undefined, 'watchOrders delivers while silenced').toBe(true);
    expect((updates as { value: Array<{ clientOrderId: string }> }).value.some((o) => o.clientOrderId === 'silence-buy-1')).toBe(true);
    const limit = await pro.createOrder('BTC/USDT', 'limit', 'buy', 0.001, 30_000);
    expect((await pro.cancelOrder(limit.id!, 'BTC/USDT')).status).toBe('canceled');
    expect(sim.admin.state().faults.spec.silence).toBe(1);
  });

  it('after silence off, the streams resume with current data and ccxt resynchronises its order book through the gap', async () => {
    const before = feed.messages.length;
    // Off, and in the same tick the book's update id and the data time at that moment: whatever was
    // dropped during silence is at or before them, whatever is sent from now on after them.
    expect(sim.admin.setFaults('silence=off').silence).toBe(0);
    const { time: offTime, symbols } = sim.admin.state();
    const offUpdateId = symbols[0]!.lastUpdateId;

    // The candle watch made during silence is answered by the first message after it.
    const ohlcv = await within(pendingOhlcv, 1500);
    expect(ohlcv.settled && ohlcv.error === undefined, 'watchOHLCV delivers after silence').toBe(true);
    expect((ohlcv as { value: number[][] }).value.length).toBeGreaterThan(0);
    expect((await pro.watchOHLCV('BTC/USDT', '1m')).length).toBeGreaterThan(0);

    // The diffs dropped during silence leave a gap: ccxt notices (ChecksumError), resubscribes and
    // rebuilds its book from a new snapshot plus diffs.
    const stale = await within(pendingBook, 1500);
    expect(stale.settled).toBe(true);
    expect((stale as { error: Error }).error.constructor.name).toBe('ChecksumError');
    const book = await pro.watchOrderBook('BTC/USDT');
    expect(book.bids[0]![0]!).toBeLessThan(book.asks[0]![0]!);
    const nonce = book.nonce!; // ccxt updates the same book object in place
    expect((await pro.watchOrderBook('BTC/USDT')).nonce).toBeGreaterThan(nonce);

    // Every raw stream delivers again (the 24h ticker within a second).
    const deadline = Date.now() + 3000;
    const resumed = (): string[] => STREAMS.filter((s) => feed.messages.slice(before).some((m) => streamOf(m) === s));
    while (resumed().length < STREAMS.length && Date.now() < deadline) await feed.waitFor(feed.messages.length + 1);
    expect(resumed()).toEqual(STREAMS);
    const resumedDiffs = feed.messages.slice(before).filter((m) => streamOf(m) === 'btcusdt@depth@100ms') as Array<{ data: { U: number; u: number } }>;
    expect(resumedDiffs[0]!.data.U, 'the first diff after silence does not follow the last one before it').toBeGreaterThan(lastDiffBefore.u + 1);
    // Dropped, not queued: nothing from the silent period arrives late (nor merged into a 1000 ms diff).
    const slowDiffs = feed.messages.slice(before).filter((m) => streamOf(m) === 'btcusdt@depth@1000ms') as Array<{ data: { U: number; u: number } }>;
    expect([...resumedDiffs, ...slowDiffs].filter((m) => m.data.U <= offUpdateId)).toEqual([]);
    const late = feed.messages.slice(before).filter((m) => ((m as { data: { E?: number } }).data.E ?? offTime) < offTime);
    expect(late).toEqual([]);
    expect(feedClosed).toBe(false);

    const candles = await pro.fetchOHLCV('BTC/USDT', '1m', undefined, 5);
    expect(candles).toHaveLength(5);

    // Freeze the data time: once the last diffs are in, ccxt's book equals the published one.
    sim.admin.clock({ speed: 0 });
    try {
      await sleep(400);
      const local = pro.orderbooks['BTC/USDT']!;
      const snapshot = await pro.fetchOrderBook('BTC/USDT', 1000);
      expect(local.nonce).toBe(snapshot.nonce);
      expect([...local.bids]).toEqual(snapshot.bids);
      expect([...local.asks]).toEqual(snapshot.asks);
    } finally {
      sim.admin.clock({ speed: 60 });
    }
    const state = sim.admin.state().faults;
    expect(state.text).toBe('none');
    expect(state.injected.silence).toBeGreaterThan(0);
  });

  it('a top of book that moved during silence is sent once silence ends, even if it does not move again', async () => {
    sim.admin.clock({ speed: 0 });
    const ws = await rawWs(sim.port, '/ws/btcusdt@bookTicker');
    try {
      sim.admin.clock({ advance: 60_000 }); // moves the top
      await ws.waitFor(1);
      sim.admin.setFaults('silence=1');
      sim.admin.clock({ advance: 120_000 }); // moves it again, unseen
      await sleep(300);
      const seen = ws.messages.length;
      const moved = sim.admin.state().symbols[0]!;
      sim.admin.setFaults('');
      await ws.waitFor(seen + 1, 1000); // the data time stands still: only the resumed feed sends this
      expect(ws.messages.slice(seen)).toEqual([expect.objectContaining({ s: 'BTCUSDT', b: moved.bidPrice, a: moved.askPrice })]);
    } finally {
      ws.close();
      sim.admin.clock({ speed: 60 });
    }
  });
});
