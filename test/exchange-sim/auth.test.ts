// Signed requests: HMAC-SHA256 over the parameter string, API key header, timestamp within recvWindow
// of wall time; Binance's error codes for each failure, and what ccxt makes of them.
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExchangeSimHandle } from '../../src/exchange-sim/index.ts';
import { raw, restClient, startSim } from './helpers.ts';

const sign = (query: string, secret = 'test-secret'): string => createHmac('sha256', secret).update(query).digest('hex');

describe('exchange-sim request signing', () => {
  let sim: ExchangeSimHandle;

  beforeAll(async () => {
    sim = await startSim({ speed: 60 });
  });
  afterAll(async () => {
    await sim.close();
  });

  it('accepts a correctly signed GET and POST', async () => {
    const query = `timestamp=${Date.now()}&recvWindow=5000`;
    const account = await raw(sim, 'GET', `/api/v3/account?${query}&signature=${sign(query)}`, { headers: { 'X-MBX-APIKEY': 'test-key' } });
    expect(account.status).toBe(200);
    expect((account.json as { balances: Array<{ asset: string; free: string }> }).balances).toContainEqual({ asset: 'USDT', free: '100000.00000000', locked: '0.00000000' });
    const body = `symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.001&price=40000&newClientOrderId=raw-1&timestamp=${Date.now()}`;
    const order = await raw(sim, 'POST', '/api/v3/order', {
      body: `${body}&signature=${sign(body)}`,
      headers: { 'X-MBX-APIKEY': 'test-key', 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    expect(order.status).toBe(200);
    expect(order.json).toMatchObject({ symbol: 'BTCUSDT', clientOrderId: 'raw-1', status: 'NEW', price: '40000.00000000', origQty: '0.00100000' });
  });

  it('rejects a wrong signature with -1022', async () => {
    const query = `timestamp=${Date.now()}`;
    const res = await raw(sim, 'GET', `/api/v3/account?${query}&signature=${sign(query, 'not-the-secret')}`, { headers: { 'X-MBX-APIKEY': 'test-key' } });
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ code: -1022, msg: 'Signature for this request is not valid.' });
  });

  it('rejects a timestamp outside recvWindow (wall time) with -1021, and one too far ahead', async () => {
    const old = `timestamp=${Date.now() - 10_000}&recvWindow=5000`;
    const expired = await raw(sim, 'GET', `/api/v3/account?${old}&signature=${sign(old)}`, { headers: { 'X-MBX-APIKEY': 'test-key' } });
    expect(expired.status).toBe(400);
    expect(expired.json).toEqual({ code: -1021, msg: 'Timestamp for this request is outside of the recvWindow.' });
    const wide = `timestamp=${Date.now() - 10_000}&recvWindow=20000`;
    expect((await raw(sim, 'GET', `/api/v3/account?${wide}&signature=${sign(wide)}`, { headers: { 'X-MBX-APIKEY': 'test-key' } })).status).toBe(200);
    const future = `timestamp=${Date.now() + 5000}`;
    const ahead = await raw(sim, 'GET', `/api/v3/account?${future}&signature=${sign(future)}`, { headers: { 'X-MBX-APIKEY': 'test-key' } });
    expect((ahead.json as { code: number }).code).toBe(-1021);
  });

  it('rejects missing and unknown API keys and a missing signature', async () => {
    const query = `timestamp=${Date.now()}`;
    const noKey = await raw(sim, 'GET', `/api/v3/account?${query}&signature=${sign(query)}`);
    expect(noKey.status).toBe(401);
    expect((noKey.json as { code: number }).code).toBe(-2014);
    const unknown = await raw(sim, 'GET', `/api/v3/account?${query}&signature=${sign(query)}`, { headers: { 'X-MBX-APIKEY': 'who' } });
    expect((unknown.json as { code: number }).code).toBe(-2015);
    const unsigned = await raw(sim, 'GET', `/api/v3/account?${query}`, { headers: { 'X-MBX-APIKEY': 'test-key' } });
    expect((unsigned.json as { code: number }).code).toBe(-1102);
  });

  it('ccxt with a wrong secret raises AuthenticationError', async () => {
    const ex = restClient(sim, { apiKey: 'test-key', secret: 'wrong-secret' });
    const error = await ex.fetchBalance().catch((e: unknown) => e);
    expect((error as Error).constructor.name).toBe('AuthenticationError');
    expect(String((error as Error).message)).toContain('-1022');
    await ex.close();
  });

  it('an accounts list replaces the test account', async () => {
    const other = await startSim({ accounts: [{ apiKey: 'alice', secret: 's3cret', balances: { USDT: 500, ETH: 2 } }] });
    try {
      const ex = restClient(other, { apiKey: 'alice', secret: 's3cret' });
      const balance = await ex.fetchBalance();
      expect(balance.total).toMatchObject({ USDT: 500, ETH: 2 });
      const bad = restClient(other);
      expect(((await bad.fetchBalance().catch((e: unknown) => e)) as Error).constructor.name).toBe('AuthenticationError');
      await ex.close();
      await bad.close();
    } finally {
      await other.close();
    }
  });
});
