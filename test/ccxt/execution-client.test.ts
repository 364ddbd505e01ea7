// CcxtExecutionClient against a scripted venue: what it does after a lost answer, a refusal or a
// duplicate id; fills reported without trades; client order ids.
import ccxt from 'ccxt';
import { describe, expect, it } from 'vitest';
import type { CcxtOrder, CcxtTrade, CcxtTradingApi } from '../../src/adapters/ccxt/ccxt-api.ts';
import { CcxtExecutionClient } from '../../src/adapters/ccxt/ccxt-execution-client.ts';
import { clientOrderIdFor } from '../../src/adapters/ccxt/venues.ts';
import { numberToMoney } from '../../src/core/decimal.ts';
import { Instrument } from '../../src/core/instrument.ts';
import { Market } from '../../src/core/market.ts';
import { OrderSide, OrderStatus, OrderType } from '../../src/core/order.ts';
import { SimulatedClock } from '../../src/common/clock.ts';
import type { OrderEvent } from '../../src/common/events.ts';
import { Kernel } from '../../src/kernel/kernel.ts';
import { Topic } from '../../src/common/message-bus.ts';
import { IdleStrategy, illegalTransitions } from './helpers.ts';

const SYMBOL = 'BTC/USDT';
const PRICE = 50_000;

type Failure = 'lost' | 'timeout' | '5xx' | 'refused';

interface VenueOrder {
  id: string;
  clientOrderId: string;
  side: string;
  type: string;
  amount: number;
  price?: number;
  status: 'open' | 'closed' | 'canceled';
  filled: number;
  trades: CcxtTrade[];
}

/**
 * A small exchange with Binance's semantics (unique client ids, lookup by origClientOrderId) whose
 * calls can be made to fail on purpose: `lost` processes the request and loses the answer.
 */
class ScriptedVenue implements CcxtTradingApi {
  readonly orders: VenueOrder[] = [];
  readonly calls: Array<{ method: string; params?: Record<string, unknown> }> = [];
  /** Failures for the next calls of a method, in order. */
  readonly failures = new Map<string, Failure[]>();
  private nextId = 1;
  private nextTrade = 100;
  time = Date.UTC(2021, 1, 22);

  fail(method: string, ...failures: Failure[]): void {
    this.failures.set(method, [...(this.failures.get(method) ?? []), ...failures]);
  }

  private async run<T>(method: string, params: Record<string, unknown> | undefined, body: () => T): Promise<T> {
    this.calls.push({ method, ...(params ? { params } : {}) });
    await Promise.resolve();
    const failure = this.failures.get(method)?.shift();
    if (failure === '5xx') throw new ccxt.ExchangeNotAvailable('binance 503 Service Unavailable');
    if (failure === 'timeout') throw new ccxt.RequestTimeout('binance GET https://api.binance.com/api/v3/order request timed out (10000 ms)');
    if (failure === 'refused') throw new ccxt.AuthenticationError('binance {"code":-2015,"msg":"Invalid API-key"}');
    const result = body();
    if (failure === 'lost') throw new ccxt.NetworkError('binance POST https://api.binance.com/api/v3/order socket hang up');
    return result;
  }

  count(method: string): number {
    return this.calls.filter((c) => c.method === method).length;
  }

  private view(o: VenueOrder, withTrades: boolean): CcxtOrder {
    return { id: o.id, clientOrderId: o.clientOrderId, symbol: SYMBOL, status: o.status, filled: o.filled, amount: o.amount, timestamp: this.time, trades: withTrades ? o.trades.map((t) => ({ ...t, timestamp: undefined })) : [] };
  }

  /** Fill part of a resting order (as the market would), without telling anyone. */
  fillPart(o: VenueOrder, amount: number): void {
    o.trades.push({ id: String(this.nextTrade++), order: o.id, symbol: SYMBOL, side: o.side, price: o.price ?? PRICE, amount, timestamp: this.time, takerOrMaker: 'maker', fee: { cost: amount * 0.001, currency: 'BTC' } });
    o.filled += amount;
    if (o.filled >= o.amount) o.status = 'closed';
  }

  createOrder(symbol: string, type: string, side: string, amount: number, price?: number, params: Record<string, unknown> = {}): Promise<CcxtOrder> {
    return this.run('createOrder', params, () => {
      const clientOrderId = String(params.clientOrderId);
      if (this.orders.some((o) => o.clientOrderId === clientOrderId)) throw new ccxt.InvalidOrder('binance {"code":-2010,"msg":"Duplicate order sent."}');
      const order: VenueOrder = { id: String(this.nextId++), clientOrderId, side, type, amount, ...(price !== undefined ? { price } : {}), status: 'open', filled: 0, trades: [] };
      this.orders.push(order);
      if (type === 'market') this.fillPart(order, amount);
      return this.view(order, true);
    });
  }

  cancelOrder(id: string, _symbol: string, params: Record<string, unknown> = {}): Promise<CcxtOrder> {
    return this.run('cancelOrder', params, () => {
      const order = this.orders.find((o) => (id ? o.id === id : o.clientOrderId === params.origClientOrderId));
      if (!order || order.status !== 'open') throw new ccxt.OrderNotFound('binance {"code":-2011,"msg":"Unknown order sent."}');
      order.status = 'canceled';
      return this.view(order, false);
    });
  }

  fetchOrder(id: string | undefined, _symbol: string, params: Record<string, unknown> = {}): Promise<CcxtOrder> {
    return this.run('fetchOrder', params, () => {
      const order = this.orders.find((o) => (id ? o.id === id : o.clientOrderId === params.origClientOrderId));
      if (!order) throw new ccxt.OrderNotFound('binance {"code":-2013,"msg":"Order does not exist."}');
      return this.view(order, false);
    });
  }

  fetchOpenOrders(): Promise<CcxtOrder[]> {
    return this.run('fetchOpenOrders', undefined, () => this.orders.filter((o) => o.status === 'open').map((o) => this.view(o, false)));
  }

  fetchMyTrades(_symbol: string, since?: number): Promise<CcxtTrade[]> {
    return this.run('fetchMyTrades', undefined, () => this.orders.flatMap((o) => o.trades).filter((t) => since === undefined || (t.timestamp ?? 0) >= since));
  }

  fetchOrderTrades(id: string): Promise<CcxtTrade[]> {
    return this.run('fetchOrderTrades', undefined, () => this.orders.find((o) => o.id === id)?.trades ?? []);
  }

  fetchBalance(): Promise<{ free: Record<string, number>; total: Record<string, number> }> {
    return this.run('fetchBalance', undefined, () => ({ free: {}, total: {} }));
  }
}

function setup(lotSize = '0.00001') {
  const venue = new ScriptedVenue();
  const instrument = new Instrument({ symbol: SYMBOL, market: Market.Crypto, base: 'BTC', quote: 'USDT', tickSize: '0.01', lotSize, minNotional: 5 });
  const clock = new SimulatedClock(venue.time);
  const delays: number[] = [];
  const client = new CcxtExecutionClient(venue, {
    clientIdPrefix: 'run42',
    random: () => 1,
    sleep: async (ms) => {
      delays.push(ms);
    },
  }, 'binance');
  const kernel = new Kernel({ clock, execution: client, instruments: [instrument], currency: 'USDT', initialCapital: numberToMoney(100_000), strategy: new IdleStrategy() });
  const events: OrderEvent[] = [];
  kernel.bus.subscribe<OrderEvent>(Topic.OrderEvent, (e) => events.push(e));
  kernel.start();
  const buy = (type: OrderType = OrderType.Market, price?: number) =>
    kernel.submitOrder({ symbol: SYMBOL, side: OrderSide.Buy, type, quantity: 0.01, ...(price !== undefined ? { price } : {}) });
  return { venue, client, kernel, events, delays, buy };
}

describe('CcxtExecutionClient: idempotent placement', () => {
  it('a lost answer (RequestTimeout) on createOrder is followed by a lookup by client id, and no second createOrder when the order exists', async () => {
    const { venue, client, kernel, events, buy } = setup();
    venue.fail('createOrder', 'lost');
    const order = buy();
    await client.settle();
    expect(venue.count('createOrder'), 'the order reached the exchange once: sending it again would be a second order').toBe(1);
    const lookups = venue.calls.filter((c) => c.method === 'fetchOrder');
    expect(lookups.length, 'the client should ask the exchange before sending again').toBeGreaterThan(0);
    expect(lookups[0]!.params, 'the lookup is by client order id (the exchange id never arrived)').toEqual({ origClientOrderId: 'run42-O-1' });
    expect(venue.orders.length, 'exactly one order on the exchange').toBe(1);
    expect(order.status, 'the recovered order is booked as the exchange reports it: filled').toBe(OrderStatus.Filled);
    expect(kernel.fills.length, 'its trade is fetched (lookups carry no trades) and booked once').toBe(1);
    expect(client.counts.recoveredByQuery, 'counted as recovered by query').toBe(1);
    expect(illegalTransitions(events)).toEqual([]);
  });

  it('a request that timed out before the exchange saw it is sent again with the same client id', async () => {
    const { venue, client, buy } = setup();
    venue.fail('createOrder', 'timeout', '5xx');
    const order = buy();
    await client.settle();
    expect(venue.count('createOrder'), 'two failures then a success: three sends').toBe(3);
    const ids = venue.calls.filter((c) => c.method === 'createOrder').map((c) => c.params!.clientOrderId);
    expect(new Set(ids).size, `every send carries the same client id (${ids.join(', ')})`).toBe(1);
    expect(venue.orders.length, 'one order on the exchange').toBe(1);
    expect(order.status).toBe(OrderStatus.Filled);
  });

  it('retry delays follow the policy of the error class', async () => {
    const { venue, client, delays, buy } = setup();
    venue.fail('createOrder', '5xx', '5xx', '5xx');
    buy();
    await client.settle();
    expect(delays, 'RETRY: 100, 200, 400 ms with the jitter at its top').toEqual([100, 200, 400]);
    expect(client.counts.retries).toBe(3);
  });

  it('a duplicate-id refusal after a lost answer recovers the order instead of rejecting it', async () => {
    const { venue, client, buy } = setup();
    // The first answer is lost and the lookup after it fails too: the resend meets the duplicate check.
    venue.fail('createOrder', 'lost');
    venue.fail('fetchOrder', '5xx');
    const order = buy();
    await client.settle();
    expect(venue.orders.length, 'the duplicate id kept the exchange at one order').toBe(1);
    expect(order.status, 'the duplicate refusal means the exchange has it: look it up, do not reject').toBe(OrderStatus.Filled);
  });

  it('an order whose fate cannot be learned stays SUBMITTED until reconciliation asks again', async () => {
    const { venue, client, kernel, buy } = setup();
    venue.fail('createOrder', 'lost', '5xx', '5xx', '5xx', '5xx');
    venue.fail('fetchOrder', ...Array<Failure>(20).fill('5xx'));
    const order = buy();
    await client.settle();
    expect(order.status, 'never REJECTED while the exchange may hold it').toBe(OrderStatus.Submitted);
    expect(client.unresolvedCount).toBe(1);
    venue.failures.clear();
    await client.reconcile([SYMBOL]);
    expect(client.unresolvedCount, 'reconciliation found it').toBe(0);
    expect(order.status, 'and booked it as the exchange has it').toBe(OrderStatus.Filled);
    expect(kernel.fills.length).toBe(1);
  });

  it('an order refused by the exchange is REJECTED with the action as the reason', async () => {
    const { venue, client, events, buy } = setup();
    venue.fail('createOrder', 'refused');
    const order = buy();
    await client.settle();
    expect(order.status).toBe(OrderStatus.Rejected);
    const rejected = events.find((e) => e.kind === 'REJECTED');
    expect(rejected?.reason, 'the reason says what to do: fix the configuration').toBe('FIX_CONFIG');
    expect(venue.count('createOrder'), 'a refusal is not retried').toBe(1);
  });
});

describe('CcxtExecutionClient: fills reported without their trades', () => {
  it('a cancel whose answer says part was filled books that part before CANCELED', async () => {
    const { venue, client, kernel, events, buy } = setup();
    const order = buy(OrderType.Limit, 49_000);
    await client.settle();
    venue.fillPart(venue.orders[0]!, 0.004);
    kernel.cancelOrder(order.id);
    await client.settle();
    expect(order.status).toBe(OrderStatus.Canceled);
    expect(order.filledQuantity, 'the part filled before the cancel is booked, not lost with the terminal status').toBe(0.004);
    expect(kernel.account.positions.get(SYMBOL)?.quantity).toBe(0.004);
    expect(illegalTransitions(events)).toEqual([]);
  });

  it('a stream update "canceled" with a fill fetches the trades before ending the order', async () => {
    const { venue, client, kernel, buy } = setup();
    const order = buy(OrderType.Limit, 49_000);
    await client.settle();
    const placed = venue.orders[0]!;
    venue.fillPart(placed, 0.002);
    placed.status = 'canceled';
    client.onOrderUpdate({ id: placed.id, clientOrderId: placed.clientOrderId, symbol: SYMBOL, status: 'canceled', filled: 0.002 });
    await client.settle();
    expect(order.status).toBe(OrderStatus.Canceled);
    expect(kernel.fills.map((f) => f.quantity), 'the fill reached the books once').toEqual([0.002]);
  });

  it('a fill from the createOrder answer (no trade time) takes the order time', async () => {
    const { venue, client, kernel, buy } = setup();
    buy();
    await client.settle();
    expect(kernel.fills[0]!.time, 'a fill must carry a time: the books and T+1 need it').toBe(venue.time);
  });

  it('a fee kept in the base asset is paid in kind: the position holds less, cash pays the notional, the fee is its value', async () => {
    const { client, kernel, buy } = setup();
    buy();
    await client.settle();
    const fill = kernel.fills[0]!;
    // 0.001 x 0.01 BTC = 0.00001 BTC, at 50,000 = 0.5 USDT.
    expect(fill.feeQuantity).toBe(0.00001);
    expect(fill.fee, 'the fee in USDT, not 0.00001 (BTC)').toBe(numberToMoney(0.5));
    expect(kernel.account.positions.get(SYMBOL)!.quantity).toBe(0.00999);
    expect(kernel.account.cash).toBe(numberToMoney(100_000) - fill.notional);
  });

  it('a fee in the base asset finer than the instrument\'s holdings is charged to cash at its value', async () => {
    // Holdings on a 0.001 grid cannot hold 0.00001 BTC: the fee's value is paid in USDT, as a fee in the quote would be.
    const { client, kernel, buy } = setup('0.001');
    buy();
    await client.settle();
    const fill = kernel.fills[0]!;
    expect(fill.feeQuantity).toBeUndefined();
    expect(fill.fee).toBe(numberToMoney(0.5));
    expect(kernel.account.positions.get(SYMBOL)!.quantity).toBe(0.01);
    expect(kernel.account.cash).toBe(numberToMoney(100_000) - fill.notional - fill.fee);
  });
});

describe('client order ids', () => {
  it('are the run prefix and the kernel sequence, within Binance\'s 36 characters', () => {
    expect(clientOrderIdFor('t1a2b3c4d', 'O-17')).toBe('t1a2b3c4d-O-17');
    const long = clientOrderIdFor('a-very-long-session-identifier-from-somewhere', 'O-123456');
    expect(long.length).toBeLessThanOrEqual(36);
    expect(long.endsWith('-O-123456'), `the sequence is never cut (${long})`).toBe(true);
    expect(clientOrderIdFor('a-very-long-session-identifier-from-somewhere', 'O-1')).not.toBe(clientOrderIdFor('a-very-long-session-identifier-from-somewhere', 'O-2'));
    expect(clientOrderIdFor('bad chars!', 'O-1'), 'characters Binance refuses are dropped').toBe('badchars-O-1');
  });
});
