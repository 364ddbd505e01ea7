// The real ccxt binance client against the simulator's REST API: market data, orders, balances, trades.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExchangeSimHandle } from '../../src/exchange-sim/index.ts';
import { amount, restClient, startSim } from './helpers.ts';

describe('exchange-sim REST with ccxt binance', () => {
  let sim: ExchangeSimHandle;
  let ex: ReturnType<typeof restClient>;

  beforeAll(async () => {
    sim = await startSim({ speed: 60, accounts: [{ apiKey: 'test-key', secret: 'test-secret', balances: { USDT: 10_000_000, BTC: 100 } }] });
    ex = restClient(sim);
    await ex.loadMarkets();
  });
  afterAll(async () => {
    await ex.close();
    await sim.close();
  });

  it('loads the spot market with Binance filters', () => {
    const market = ex.market('BTC/USDT');
    expect(market.id).toBe('BTCUSDT');
    expect(market.spot).toBe(true);
    expect(market.precision.price).toBe(0.01);
    expect(market.precision.amount).toBe(0.00001);
    expect(market.limits.cost?.min).toBe(5);
  });

  it('serves the virtual time (data time, starting at the first bar)', async () => {
    const time = await ex.fetchTime();
    expect(time).toBeGreaterThanOrEqual(1613692800000);
    expect(time).toBeLessThan(1613692800000 + 3_600_000);
  });

  it('fetches ticker, order book, klines and trades around the replayed price', async () => {
    const ticker = await ex.fetchTicker('BTC/USDT');
    expect(ticker.last).toBeGreaterThan(50_000);
    expect(ticker.bid!).toBeLessThan(ticker.ask!);
    const book = await ex.fetchOrderBook('BTC/USDT', 20);
    expect(book.bids.length).toBe(20);
    expect(book.asks.length).toBe(20);
    expect(book.bids[0]![0]!).toBeLessThan(book.asks[0]![0]!);
    expect(Math.abs(book.bids[0]![0]! - ticker.last!) / ticker.last!).toBeLessThan(0.002);
    expect(book.nonce).toBeGreaterThan(0);
    const spreadTicks = Math.round((book.asks[0]![0]! - book.bids[0]![0]!) / 0.01);
    expect(spreadTicks).toBeGreaterThanOrEqual(2);
    expect(spreadTicks).toBeLessThanOrEqual(4);
    const candles = await ex.fetchOHLCV('BTC/USDT', '1m', undefined, 5);
    expect(candles.length).toBeGreaterThan(0);
    expect(candles[0]![0]).toBe(1613692800000);
    expect(candles[0]![1]).toBe(51552.61);
    const trades = await ex.fetchTrades('BTC/USDT');
    expect(trades.length).toBeGreaterThan(0);
    expect(trades[0]!.price).toBeGreaterThan(50_000);
  });

  it('creates, fetches, lists and cancels a limit order, locking and releasing the quote', async () => {
    const ticker = await ex.fetchTicker('BTC/USDT');
    const before = await ex.fetchBalance();
    const price = Math.round(ticker.bid! * 0.9);
    const order = await ex.createOrder('BTC/USDT', 'limit', 'buy', 0.01, price, { clientOrderId: 'rest-limit-1' });
    expect(order.status).toBe('open');
    expect(order.clientOrderId).toBe('rest-limit-1');
    const locked = await ex.fetchBalance();
    expect(amount(locked, 'used', 'USDT')).toBeCloseTo(price * 0.01, 6);
    expect(amount(locked, 'free', 'USDT')).toBeCloseTo(amount(before, 'free', 'USDT') - price * 0.01, 6);
    const fetched = await ex.fetchOrder(order.id!, 'BTC/USDT');
    expect(fetched.price).toBe(price);
    expect(fetched.amount).toBe(0.01);
    const byClientId = await ex.fetchOrder(undefined as unknown as string, 'BTC/USDT', { clientOrderId: 'rest-limit-1' });
    expect(byClientId.id).toBe(order.id);
    const open = await ex.fetchOpenOrders('BTC/USDT');
    expect(open.map((o) => o.id)).toContain(order.id);
    const canceled = await ex.cancelOrder(order.id!, 'BTC/USDT');
    expect(canceled.status).toBe('canceled');
    const after = await ex.fetchBalance();
    expect(amount(after, 'used', 'USDT')).toBe(0);
    expect(amount(after, 'free', 'USDT')).toBeCloseTo(amount(before, 'free', 'USDT'), 6);
    const all = await ex.fetchOrders('BTC/USDT');
    expect(all.find((o) => o.id === order.id)?.status).toBe('canceled');
    await expect(ex.cancelOrder(order.id!, 'BTC/USDT')).rejects.toThrow(/-2011/);
  });

  it('market buy and sell move balances by the fills and a 0.1% taker fee', async () => {
    const b0 = await ex.fetchBalance();
    const buy = await ex.createOrder('BTC/USDT', 'market', 'buy', 0.002);
    expect(buy.status).toBe('closed');
    expect(buy.filled).toBe(0.002);
    const cost = buy.cost!;
    const b1 = await ex.fetchBalance();
    expect(amount(b1, 'total', 'BTC') - amount(b0, 'total', 'BTC')).toBeCloseTo(0.002 * 0.999, 8);
    expect(amount(b0, 'total', 'USDT') - amount(b1, 'total', 'USDT')).toBeCloseTo(cost, 6);
    expect(buy.fee?.currency).toBe('BTC');
    expect(buy.fee?.cost).toBeCloseTo(0.000002, 10);

    const sell = await ex.createOrder('BTC/USDT', 'market', 'sell', 0.001);
    expect(sell.status).toBe('closed');
    const b2 = await ex.fetchBalance();
    expect(amount(b1, 'total', 'BTC') - amount(b2, 'total', 'BTC')).toBeCloseTo(0.001, 8);
    expect(amount(b2, 'total', 'USDT') - amount(b1, 'total', 'USDT')).toBeCloseTo(sell.cost! * 0.999, 6);

    const mine = await ex.fetchMyTrades('BTC/USDT');
    const ids = new Set(mine.map((t) => t.order));
    expect(ids.has(buy.id)).toBe(true);
    expect(ids.has(sell.id)).toBe(true);
    const sellTrade = mine.find((t) => t.order === sell.id)!;
    expect(sellTrade.takerOrMaker).toBe('taker');
    expect(sellTrade.fee?.currency).toBe('USDT');
  });

  it('a marketable limit order fills on arrival; a large market order walks the book', async () => {
    const book = await ex.fetchOrderBook('BTC/USDT', 5);
    const ask = book.asks[0]![0]!;
    const taker = await ex.createOrder('BTC/USDT', 'limit', 'buy', 0.001, Math.round(ask + 50));
    expect(taker.status).toBe('closed');
    expect(taker.average!).toBeLessThanOrEqual(Math.round(ask + 50));
    const depth = book.asks.slice(0, 3).reduce((sum, [, qty]) => sum + qty!, 0);
    const walk = await ex.createOrder('BTC/USDT', 'market', 'sell', Number((depth + 0.1).toFixed(5)));
    expect(walk.status).toBe('closed');
    expect(new Set(walk.trades.map((t) => t.price)).size).toBeGreaterThan(1);
  });

  it('rejects a duplicate client order id with Binance -2010 (ccxt InvalidOrder)', async () => {
    const ticker = await ex.fetchTicker('BTC/USDT');
    const price = Math.round(ticker.bid! * 0.8);
    await ex.createOrder('BTC/USDT', 'limit', 'buy', 0.001, price, { clientOrderId: 'dup-1' });
    const error = await ex.createOrder('BTC/USDT', 'limit', 'buy', 0.001, price, { clientOrderId: 'dup-1' }).catch((e: unknown) => e);
    expect((error as Error).constructor.name).toBe('InvalidOrder');
    expect(String((error as Error).message)).toContain('Duplicate order sent.');
  });

  it('rejects orders the account cannot pay for with InsufficientFunds', async () => {
    const error = await ex.createOrder('BTC/USDT', 'market', 'sell', 500).catch((e: unknown) => e);
    expect((error as Error).constructor.name).toBe('InsufficientFunds');
  });

  it('rejects unknown symbols and missing orders with Binance codes', async () => {
    const res = await fetch(`${sim.url}/api/v3/depth?symbol=NOPEUSDT`);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ code: -1121, msg: 'Invalid symbol.' });
    const error = await ex.fetchOrder('999999', 'BTC/USDT').catch((e: unknown) => e);
    expect((error as Error).constructor.name).toBe('OrderNotFound');
  });
});
