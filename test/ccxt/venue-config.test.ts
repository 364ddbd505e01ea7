// The CCXT venue's configuration: exchange by id, URL override for the local exchange, credentials
// from the environment (never echoed), throttle and reconnect settings; the venue clock from server time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncVenueClock, type CcxtMarketApi } from '../../src/adapters/ccxt/ccxt-data-client.ts';
import { createExchange, credentialVariables, VenueConfigError, WS_RECONNECT } from '../../src/adapters/ccxt/exchange-factory.ts';
import type { ExchangeSimHandle } from '../../src/exchange-sim/index.ts';
import { LiveClock } from '../../src/common/clock.ts';
import { DIP_START, exchangeFor, startSim, TEST_ENV } from './helpers.ts';

describe('venue configuration', () => {
  it('reads credentials from TRAIDER_<EXCHANGE>_API_KEY and _API_SECRET', async () => {
    expect(credentialVariables('binance')).toEqual({ key: 'TRAIDER_BINANCE_API_KEY', secret: 'TRAIDER_BINANCE_API_SECRET' });
    expect(credentialVariables('gate.io'), 'characters not allowed in a variable name become _').toEqual({ key: 'TRAIDER_GATE_IO_API_KEY', secret: 'TRAIDER_GATE_IO_API_SECRET' });
    const exchange = await createExchange({ exchange: 'binance', env: TEST_ENV, requireCredentials: true });
    expect(exchange.apiKey).toBe('test-key');
    await exchange.close();
  });

  it('live trading without credentials fails naming the variables, never their values', async () => {
    const error = await createExchange({ exchange: 'binance', env: { TRAIDER_BINANCE_API_KEY: 'key-only-XYZ' }, requireCredentials: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VenueConfigError);
    expect((error as Error).message).toContain('TRAIDER_BINANCE_API_KEY');
    expect((error as Error).message).toContain('TRAIDER_BINANCE_API_SECRET');
    expect((error as Error).message, 'a credential value must never appear in a message').not.toContain('key-only-XYZ');
  });

  it('refuses an unknown exchange id and a malformed URL', async () => {
    await expect(createExchange({ exchange: 'no-such-exchange', env: {} })).rejects.toThrow(/unknown exchange "no-such-exchange"/);
    await expect(createExchange({ exchange: 'binance', url: 'not a url', env: {} })).rejects.toThrow(/--url: not a URL/);
  });

  it('--url points every REST and WebSocket endpoint at the given host', async () => {
    const exchange = await createExchange({ exchange: 'binance', url: 'http://127.0.0.1:8900', env: {} });
    const strings: string[] = [];
    const walk = (node: unknown): void => {
      if (typeof node === 'string') strings.push(node);
      else if (node && typeof node === 'object') for (const value of Object.values(node)) walk(value);
    };
    walk((exchange.urls as { api: unknown }).api);
    const elsewhere = strings.filter((url) => /^(https?|wss?):\/\//.test(url) && !/^(http|ws):\/\/127\.0\.0\.1:8900(\/|$)/.test(url));
    expect(elsewhere, 'no endpoint may still point at the real exchange').toEqual([]);
    await exchange.close();
  });

  it('hands ccxt a throttle and a reconnect back-off that keeps Binance\'s own ws options', async () => {
    const exchange = await createExchange({ exchange: 'binance', env: {}, rateLimitMs: 7, timeoutMs: 1234 });
    expect(exchange.enableRateLimit, 'requests are throttled by their weight').toBe(true);
    expect(exchange.rateLimit).toBe(7);
    expect(exchange.timeout).toBe(1234);
    const ws = (exchange.options as { ws: { cost?: number; backoff?: unknown } }).ws;
    expect(ws.backoff, 'the first redial after a drop comes after a quarter second, not ccxt\'s default second').toEqual(WS_RECONNECT);
    expect(ws.cost, 'deep-merged: Binance\'s subscription cost is kept').toBe(5);
    await exchange.close();
  });
});

describe('the venue clock', () => {
  let fast: ExchangeSimHandle;
  let realTime: ExchangeSimHandle;

  beforeAll(async () => {
    fast = await startSim({ speed: 60, startTime: DIP_START });
    realTime = await startSim({ speed: 1, startTime: DIP_START });
  });
  afterAll(async () => {
    await fast.close();
    await realTime.close();
  });

  it('a replaying exchange: offset and rate (60x) from two server-time samples', async () => {
    const exchange = await exchangeFor(fast);
    const clock = new LiveClock();
    const { rate } = await syncVenueClock(exchange as unknown as CcxtMarketApi, clock, 600);
    expect(Math.abs(rate / 60 - 1), `the rate ${rate} should be the exchange's speed, 60`).toBeLessThan(0.05);
    const error = clock.now() - fast.admin.state().time;
    // 100 ms of wall time is 6 s of venue time at 60x.
    expect(Math.abs(error), `venue clock off by ${error} ms of venue time`).toBeLessThan(6_000);
    await exchange.close();
  });

  it('a real-time exchange: rate exactly 1 and the offset to its clock', async () => {
    const exchange = await exchangeFor(realTime);
    const clock = new LiveClock();
    const { rate } = await syncVenueClock(exchange as unknown as CcxtMarketApi, clock, 300);
    expect(rate, 'measurement noise must not make a real exchange run at 1.01x').toBe(1);
    const error = clock.now() - realTime.admin.state().time;
    expect(Math.abs(error), `the local clock follows the venue's (2021), not the machine's: off by ${error} ms`).toBeLessThan(100);
    await exchange.close();
  });
});
