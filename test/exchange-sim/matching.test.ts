// The matching engine through the REST API: resting limits filled when the replay crosses them (maker),
// price-time priority between user orders and the synthetic book, IOC / FOK / LIMIT_MAKER, locked funds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExchangeSimHandle } from '../../src/exchange-sim/index.ts';
import { amount, restClient, startSim } from './helpers.ts';

const ACCOUNTS = [
  { apiKey: 'test-key', secret: 'test-secret', balances: { USDT: 1_000_000, BTC: 10 } },
  { apiKey: 'bob', secret: 'bob-secret', balances: { USDT: 1_000_000, BTC: 10 } },
];

describe('exchange-sim matching', () => {
  let sim: ExchangeSimHandle;
  let alice: ReturnType<typeof restClient>;
  let bob: ReturnType<typeof restClient>;

  beforeAll(async () => {
    // Frozen data time: the tests move the clock themselves.
    sim = await startSim({ speed: 0, accounts: ACCOUNTS });
    alice = restClient(sim);
    bob = restClient(sim, { apiKey: 'bob', secret: 'bob-secret' });
    await alice.loadMarkets();
    await bob.loadMarkets();
  });
  afterAll(async () => {
    await alice.close();
    await bob.close();
    await sim.close();
  });

  const replay = () => sim.admin.core.markets.get('BTCUSDT')!.replay;

  it('a resting buy fills as maker at its price once the replayed price trades down through it', async () => {
    const t0 = sim.admin.state().time;
    const price = Math.round(replay().priceAt(t0) - 60);
    const order = await alice.createOrder('BTC/USDT', 'limit', 'buy', 0.01, price);
    expect(order.status).toBe('open');
    // Walk the clock a minute at a time until the replay's low reaches the price.
    let t = t0;
    let crossedAt: number | undefined;
    for (let i = 0; i < 24 * 60 && crossedAt === undefined; i++) {
      const range = replay().rangeBetween(t, t + 60_000);
      t += 60_000;
      if (range.low <= price) crossedAt = t;
    }
    expect(crossedAt).toBeDefined();
    sim.admin.clock({ set: crossedAt! - 60_000 });
    expect((await alice.fetchOrder(order.id!, 'BTC/USDT')).status).toBe('open');
    sim.admin.clock({ set: crossedAt! });
    const filled = await alice.fetchOrder(order.id!, 'BTC/USDT');
    expect(filled.status).toBe('closed');
    expect(filled.average).toBe(price);
    const trades = await alice.fetchMyTrades('BTC/USDT');
    const fill = trades.find((tr) => tr.order === order.id)!;
    expect(fill.takerOrMaker).toBe('maker');
    expect(fill.fee?.cost).toBeCloseTo(0.00001, 10);
    expect(fill.timestamp).toBe(crossedAt);
  });

  it('user orders match each other with price-time priority ahead of worse synthetic prices', async () => {
    const book = await alice.fetchOrderBook('BTC/USDT', 5);
    const bid = book.bids[0]![0]!;
    const ask = book.asks[0]![0]!;
    const inside = Number((ask - 0.01).toFixed(2));
    expect(inside).toBeGreaterThan(bid);
    const first = await bob.createOrder('BTC/USDT', 'limit', 'sell', 0.002, inside);
    const second = await bob.createOrder('BTC/USDT', 'limit', 'sell', 0.002, inside);
    const balanceBefore = await bob.fetchBalance();
    expect(amount(balanceBefore, 'used', 'BTC')).toBeCloseTo(0.004, 8);
    const take = await alice.createOrder('BTC/USDT', 'market', 'buy', 0.003);
    expect(take.status).toBe('closed');
    expect(take.trades.map((tr) => tr.price)).toEqual([inside, inside]);
    expect((await bob.fetchOrder(first.id!, 'BTC/USDT')).status).toBe('closed');
    const rest = await bob.fetchOrder(second.id!, 'BTC/USDT');
    expect(rest.status).toBe('open');
    expect(rest.filled).toBe(0.001);
    const bobTrades = await bob.fetchMyTrades('BTC/USDT');
    expect(bobTrades.every((tr) => tr.takerOrMaker === 'maker')).toBe(true);
    await bob.cancelOrder(second.id!, 'BTC/USDT');
    expect(amount(await bob.fetchBalance(), 'used', 'BTC')).toBe(0);
  });

  it('IOC fills what it can and expires the rest; FOK fills completely or not at all', async () => {
    const book = await alice.fetchOrderBook('BTC/USDT', 5);
    const [askPrice, askQty] = book.asks[0]! as [number, number];
    const ioc = await alice.createOrder('BTC/USDT', 'limit', 'buy', Number((askQty + 1).toFixed(5)), askPrice, { timeInForce: 'IOC' });
    expect(ioc.status).toBe('expired');
    expect(ioc.filled).toBeCloseTo(askQty, 8);
    const fok = await alice.createOrder('BTC/USDT', 'limit', 'sell', 5, book.bids[0]![0]!, { timeInForce: 'FOK' });
    expect(fok.status).toBe('expired');
    expect(fok.filled).toBe(0);
    expect(amount(await alice.fetchBalance(), 'used', 'USDT')).toBe(0);
  });

  it('post-only (LIMIT_MAKER) orders that would take are rejected', async () => {
    const book = await alice.fetchOrderBook('BTC/USDT', 5);
    const error = await alice.createOrder('BTC/USDT', 'limit', 'buy', 0.001, book.asks[1]![0]!, { postOnly: true }).catch((e: unknown) => e);
    expect(String((error as Error).message)).toContain('Order would immediately match and take.');
    const maker = await alice.createOrder('BTC/USDT', 'limit', 'buy', 0.001, book.bids[2]![0]!, { postOnly: true });
    expect(maker.status).toBe('open');
    await alice.cancelOrder(maker.id!, 'BTC/USDT');
  });

  it('filters: tick size, lot size and minimum notional', async () => {
    const send = (amountValue: number, price: number) => alice.createOrder('BTC/USDT', 'limit', 'buy', amountValue, price, { clientOrderId: `f-${amountValue}-${price}` });
    const tiny = await send(0.00001, 40_000).catch((e: unknown) => e);
    expect(String((tiny as Error).message)).toContain('NOTIONAL');
  });
});
