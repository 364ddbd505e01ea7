// The WebSocket API at /ws-api/v3 spoken raw: signed user data subscription, events, signed requests, errors.
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExchangeSimHandle } from '../../src/exchange-sim/index.ts';
import { rawWs, startSim } from './helpers.ts';

function signed(params: Record<string, string | number>, secret = 'test-secret'): Record<string, string | number> {
  const all: Record<string, string | number> = { apiKey: 'test-key', timestamp: Date.now(), ...params };
  const payload = Object.keys(all)
    .sort()
    .map((k) => `${k}=${all[k]}`)
    .join('&');
  return { ...all, signature: createHmac('sha256', secret).update(payload).digest('hex') };
}

describe('exchange-sim WebSocket API', () => {
  let sim: ExchangeSimHandle;

  beforeAll(async () => {
    sim = await startSim({ speed: 60 });
  });
  afterAll(async () => {
    await sim.close();
  });

  it('subscribes to user data by signature and pushes executionReport and outboundAccountPosition', async () => {
    const ws = await rawWs(sim.port, '/ws-api/v3');
    try {
      ws.send({ id: 'bad', method: 'userDataStream.subscribe.signature', params: signed({}, 'wrong') });
      ws.send({ id: 'sub', method: 'userDataStream.subscribe.signature', params: signed({}) });
      await ws.waitFor(2);
      expect(ws.messages[0]).toMatchObject({ id: 'bad', status: 400, error: { code: -1022 } });
      expect(ws.messages[1]).toMatchObject({ id: 'sub', status: 200, result: { subscriptionId: expect.any(Number) } });
      ws.send({ id: 'place', method: 'order.place', params: signed({ symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.001', newClientOrderId: 'wsapi-1' }) });
      await ws.waitFor(6);
      const events = ws.messages.filter((m): m is { event: Record<string, unknown> } => typeof m === 'object' && m !== null && 'event' in m).map((m) => m.event);
      const reports = events.filter((e) => e.e === 'executionReport');
      expect(reports[0]).toMatchObject({ x: 'NEW', X: 'NEW', c: 'wsapi-1', s: 'BTCUSDT', S: 'BUY', o: 'MARKET' });
      expect(reports.at(-1)).toMatchObject({ x: 'TRADE', X: 'FILLED', z: '0.00100000', N: 'BTC' });
      const position = events.find((e) => e.e === 'outboundAccountPosition') as { B: Array<{ a: string; f: string }> };
      expect(position.B.map((b) => b.a).sort()).toEqual(['BTC', 'USDT']);
      expect(position.B.find((b) => b.a === 'BTC')!.f).toBe('1.00099900');
      const reply = ws.messages.find((m) => (m as { id?: string }).id === 'place') as { status: number; result: { status: string } };
      expect(reply.status).toBe(200);
      expect(reply.result.status).toBe('FILLED');
    } finally {
      ws.close();
    }
  });

  it('answers ping and time, and rejects an expired timestamp with -1021', async () => {
    const ws = await rawWs(sim.port, '/ws-api/v3');
    try {
      ws.send({ id: 1, method: 'ping' });
      ws.send({ id: 2, method: 'time' });
      const old = signed({ timestamp: Date.now() - 60_000 });
      ws.send({ id: 3, method: 'account.status', params: old });
      ws.send({ id: 4, method: 'no.such.method' });
      await ws.waitFor(4);
      const byId = new Map(ws.messages.map((m) => [(m as { id: number }).id, m as Record<string, unknown>]));
      expect(byId.get(1)).toMatchObject({ status: 200, result: {} });
      expect((byId.get(2)!.result as { serverTime: number }).serverTime).toBeGreaterThanOrEqual(1613692800000);
      expect(byId.get(3)).toMatchObject({ status: 400, error: { code: -1021 } });
      expect(byId.get(4)).toMatchObject({ status: 400 });
    } finally {
      ws.close();
    }
  });
});
