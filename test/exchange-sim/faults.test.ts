// Fault injection: 5xx, lost responses (processed, never answered), timeouts, 429/418, latency, dropped
// WebSockets and duplicated / reordered / missing depth diffs; the admin endpoint that sets them.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ExchangeSimHandle } from '../../src/exchange-sim/index.ts';
import { proClient, raw, rawWs, restClient, sleep, startSim } from './helpers.ts';

interface DepthMessage {
  U: number;
  u: number;
}

describe('exchange-sim faults', () => {
  let sim: ExchangeSimHandle;
  let ex: ReturnType<typeof restClient>;

  beforeAll(async () => {
    sim = await startSim({ speed: 60, seed: 3 });
    ex = restClient(sim);
    await ex.loadMarkets();
  });
  afterEach(() => {
    sim.admin.setFaults({});
  });
  afterAll(async () => {
    await ex.close();
    await sim.close();
  });

  it('5xx=1: every REST call fails before processing and ccxt raises ExchangeNotAvailable', async () => {
    const res = await raw(sim, 'POST', '/admin/faults', { body: '5xx=1' });
    expect(res.status).toBe(200);
    const error = await ex.fetchTicker('BTC/USDT').catch((e: unknown) => e);
    expect((error as Error).constructor.name).toBe('ExchangeNotAvailable');
    const before = sim.admin.state().accounts[0]!.orders.length;
    await ex.createOrder('BTC/USDT', 'market', 'buy', 0.001).catch(() => undefined);
    expect(sim.admin.state().accounts[0]!.orders.length).toBe(before);
    const state = (await raw(sim, 'GET', '/admin/state')).json as { faults: { injected: Record<string, number> } };
    expect(state.faults.injected['5xx']).toBeGreaterThanOrEqual(2);
  });

  it('lost=1: the order is placed but the answer never comes; the client finds it by client id', async () => {
    await raw(sim, 'POST', '/admin/faults', { body: JSON.stringify({ lost: 1 }) });
    const error = await ex.createOrder('BTC/USDT', 'market', 'buy', 0.001, undefined, { clientOrderId: 'lost-1' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(['NetworkError', 'ExchangeNotAvailable', 'RequestTimeout']).toContain((error as Error).constructor.name);
    sim.admin.setFaults('');
    const order = await ex.fetchOrder(undefined as unknown as string, 'BTC/USDT', { clientOrderId: 'lost-1' });
    expect(order.status).toBe('closed');
    expect(order.filled).toBe(0.001);
    // Retrying with the same client id is rejected as a duplicate, so the retry cannot double-fill.
    const retry = await ex.createOrder('BTC/USDT', 'market', 'buy', 0.001, undefined, { clientOrderId: 'lost-1' }).catch((e: unknown) => e);
    expect(String((retry as Error).message)).toContain('Duplicate order sent.');
    expect(sim.admin.state().faults.injected.lost).toBe(1);
  });

  it('timeout=1: the request hangs unprocessed and ccxt raises RequestTimeout', async () => {
    sim.admin.setFaults('timeout=1');
    ex.timeout = 400;
    try {
      const error = await ex.createOrder('BTC/USDT', 'market', 'buy', 0.001, undefined, { clientOrderId: 'hang-1' }).catch((e: unknown) => e);
      expect((error as Error).constructor.name).toBe('RequestTimeout');
    } finally {
      ex.timeout = 10_000;
    }
    sim.admin.setFaults({});
    const missing = await ex.fetchOrder(undefined as unknown as string, 'BTC/USDT', { clientOrderId: 'hang-1' }).catch((e: unknown) => e);
    expect((missing as Error).constructor.name).toBe('OrderNotFound');
  });

  it('429 and ban answer with Retry-After and Binance -1003; ccxt raises DDoSProtection', async () => {
    sim.admin.setFaults('429=1');
    const limited = await raw(sim, 'GET', '/api/v3/time');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    expect((limited.json as { code: number }).code).toBe(-1003);
    expect(((await ex.fetchTime().catch((e: unknown) => e)) as Error).constructor.name).toBe('DDoSProtection');
    sim.admin.setFaults({ ban: 1 });
    const banned = await raw(sim, 'GET', '/api/v3/time');
    expect(banned.status).toBe(418);
    expect(Number(banned.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('latency delays every response', async () => {
    sim.admin.setFaults('latency=250ms');
    const started = performance.now();
    const res = await raw(sim, 'GET', '/api/v3/ping');
    expect(res.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(240);
  });

  it('rejects an unknown fault name', async () => {
    const res = await raw(sim, 'POST', '/admin/faults', { body: 'meteor=1' });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.json)).toContain('unknown fault');
  });

  it('dup / gap / reorder act on depth diffs', async () => {
    sim.admin.setFaults('dup=1');
    const dup = await rawWs(sim.port, '/ws');
    dup.send({ method: 'SUBSCRIBE', params: ['btcusdt@depth@100ms'], id: 1 });
    await dup.waitFor(7);
    dup.close();
    const dupDiffs = dup.messages.slice(1) as DepthMessage[];
    expect(dupDiffs[0]!.u).toBe(dupDiffs[1]!.u);
    expect(dupDiffs[2]!.u).toBe(dupDiffs[3]!.u);

    sim.admin.setFaults('gap=0.5');
    const gap = await rawWs(sim.port, '/ws');
    gap.send({ method: 'SUBSCRIBE', params: ['btcusdt@depth@100ms'], id: 1 });
    await gap.waitFor(8);
    gap.close();
    const gapDiffs = gap.messages.slice(1) as DepthMessage[];
    const breaks = gapDiffs.slice(1).filter((m, i) => m.U !== gapDiffs[i]!.u + 1).length;
    expect(breaks).toBeGreaterThan(0);

    sim.admin.setFaults('reorder=1');
    const reorder = await rawWs(sim.port, '/ws');
    reorder.send({ method: 'SUBSCRIBE', params: ['btcusdt@depth@100ms'], id: 1 });
    await reorder.waitFor(7);
    reorder.close();
    const swapped = reorder.messages.slice(1) as DepthMessage[];
    expect(swapped[1]!.u).toBeLessThan(swapped[0]!.U);
  });

  it('ccxt detects a depth gap (ChecksumError) and the stream recovers on resubscription', async () => {
    const pro = await proClient(sim);
    try {
      await pro.loadMarkets();
      await pro.watchOrderBook('BTC/USDT');
      sim.admin.setFaults('gap=0.5');
      let error: unknown;
      for (let i = 0; i < 30 && error === undefined; i++) error = await pro.watchOrderBook('BTC/USDT').then(() => undefined, (e: unknown) => e);
      expect((error as Error).constructor.name).toBe('ChecksumError');
      sim.admin.setFaults({});
      const book = await pro.watchOrderBook('BTC/USDT');
      expect(book.bids[0]![0]!).toBeLessThan(book.asks[0]![0]!);
    } finally {
      await pro.close();
    }
  });

  it('drop-ws closes WebSockets after the interval', async () => {
    sim.admin.setFaults('drop-ws=400ms');
    const ws = await rawWs(sim.port, '/ws/btcusdt@trade');
    const started = performance.now();
    await ws.closed;
    expect(performance.now() - started).toBeGreaterThanOrEqual(300);
    expect(ws.messages.length).toBeGreaterThan(0);
    expect(sim.admin.state().faults.injected['drop-ws']).toBeGreaterThanOrEqual(1);
    await sleep(10);
  });
});
