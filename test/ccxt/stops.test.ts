// Stop orders through the CCXT venue against the local exchange with the real ccxt client: the kernel's
// STOP and STOP_LIMIT go out as Binance's STOP_LOSS and STOP_LOSS_LIMIT (the stop-type table), a trigger
// reported by the exchange becomes TRIGGERED before any fill, over the order stream or by reconciliation;
// an exchange without a table entry refuses stops; and ccxt.pro's own watchOrders sees trigger and fill.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { STOP_NOT_MAPPED } from '../../src/adapters/ccxt/venues.ts';
import { RoundingMode } from '../../src/core/instrument.ts';
import { type Order, OrderSide, OrderStatus, OrderType } from '../../src/core/order.ts';
import type { ExchangeSimHandle } from '../../src/exchange-sim/index.ts';
import { ccxtKernel, type CcxtKernel, DIP_START, type Exchange, exchangeAccount, exchangeFor, illegalTransitions, quoteOnlyAccount, sleep, startSim, SYMBOL, waitUntil, watchOrders } from './helpers.ts';

const MINUTE = 60_000;

describe('CCXT venue: stop orders on the local exchange', () => {
  let sim: ExchangeSimHandle;
  let exchange: Exchange;
  let platform: CcxtKernel;
  let stream: ReturnType<typeof watchOrders> | undefined;

  beforeEach(async () => {
    // Frozen data time from 12:00 on 2021-02-22, when the price falls about 3% in half an hour.
    sim = await startSim({ speed: 0, startTime: DIP_START, accounts: quoteOnlyAccount(20_000) });
    exchange = await exchangeFor(sim);
    platform = await ccxtKernel(exchange, { prefix: 'stops' });
    stream = undefined;
  });
  afterEach(async () => {
    await stream?.stop();
    await platform.client.settle();
    expect(illegalTransitions(platform.events), 'every order event is a legal step of the transition table').toEqual([]);
    platform.kernel.stop();
    await exchange.close();
    await sim.close();
  });

  const replay = () => sim.admin.core.markets.get('BTCUSDT')!.replay;
  const lastPrice = () => Number(sim.admin.state().symbols[0]!.lastPrice);
  const kinds = (order: Order): string[] => platform.events.filter((e) => e.order === order).map((e) => e.kind);
  const venueOrder = (clientOrderId: string) => exchangeAccount(sim).orders.find((o) => o.clientOrderId === clientOrderId) as (Record<string, unknown> & { status: string }) | undefined;

  /** The first minute boundary by which the replayed price has fallen to `price`. */
  function fallsTo(price: number, from = DIP_START): number {
    for (let t = from; t < from + 24 * 60 * MINUTE; t += MINUTE) if (replay().rangeBetween(t, t + MINUTE).low <= price) return t + MINUTE;
    throw new Error(`the replay never falls to ${price}`);
  }

  /** The first minute boundary after `from` by which the replayed price has risen to `price`. */
  function risesTo(price: number, from: number): number {
    for (let t = from; t < from + 24 * 60 * MINUTE; t += MINUTE) if (replay().rangeBetween(t, t + MINUTE).high >= price) return t + MINUTE;
    throw new Error(`the replay never rises to ${price}`);
  }

  /** Buy some BTC at market, so the platform holds what its sell stops sell. */
  async function buyFirst(quantity = 0.002): Promise<void> {
    const buy = platform.kernel.submitOrder({ symbol: SYMBOL, side: OrderSide.Buy, type: OrderType.Market, quantity });
    await platform.client.settle();
    expect(buy.status, 'the market buy that funds the sell stops fills').toBe(OrderStatus.Filled);
  }

  /**
   * Start feeding watchOrders into the client and wait until it delivers: small market buys until one is
   * reported (the subscription is made on the first call; reports before it are not delivered).
   */
  async function startStream(): Promise<void> {
    stream = watchOrders(exchange, platform.client);
    for (let attempt = 1; stream.updates() === 0; attempt++) {
      if (attempt > 40) throw new Error('the order stream delivered nothing after 40 probe orders');
      platform.kernel.submitOrder({ symbol: SYMBOL, side: OrderSide.Buy, type: OrderType.Market, quantity: 0.0001 });
      await platform.client.settle();
      await waitUntil(() => stream!.updates() > 0, 'a probe report', 250).catch(() => undefined);
    }
  }

  const stopBelowMarket = () => platform.instrument.roundPrice(lastPrice() - 150, RoundingMode.Down);

  it('a STOP goes out as STOP_LOSS with its stop price; the stream reports ACCEPTED, then TRIGGERED, then FILLED', async () => {
    await buyFirst();
    await startStream();
    const stopPrice = stopBelowMarket();
    const stop = platform.kernel.submitOrder({ symbol: SYMBOL, side: OrderSide.Sell, type: OrderType.Stop, quantity: 0.001, stopPrice });
    await platform.client.settle();
    expect(stop.status, 'a stop below the market rests on the exchange: ACCEPTED').toBe(OrderStatus.Accepted);
    const pending = sim.admin.state().symbols[0]!.stops;
    expect(pending.map((s) => [s.clientOrderId, s.type, s.side, Number(s.stopPrice), Number(s.origQty)]), 'the exchange holds a STOP_LOSS sell at the stop price (Binance\'s type, not a guess)').toEqual([
      [`stops-${stop.id}`, 'STOP_LOSS', 'SELL', stopPrice, 0.001],
    ]);

    const at = fallsTo(stopPrice);
    sim.admin.clock({ set: at });
    await waitUntil(() => stop.status === OrderStatus.Filled, `the stop to fill after the replay fell to ${stopPrice} at ${new Date(at).toISOString()} (now ${stop.status})`);
    const seen = kinds(stop);
    expect(seen.slice(0, 3), 'the stop is SUBMITTED, ACCEPTED, then TRIGGERED').toEqual(['SUBMITTED', 'ACCEPTED', 'TRIGGERED']);
    expect(seen.at(-1), 'and ends FILLED').toBe('FILLED');
    const workingTime = venueOrder(`stops-${stop.id}`)?.workingTime as number;
    expect(workingTime > at - MINUTE && workingTime <= at, `the exchange triggered the stop when the path reached it, within the minute before ${new Date(at).toISOString()} (${workingTime})`).toBe(true);
    expect(platform.events.find((e) => e.order === stop && e.kind === 'TRIGGERED')!.time, 'TRIGGERED carries the exchange\'s trigger (working) time').toBe(workingTime);
    expect(stop.triggered).toBe(true);
    const fills = platform.kernel.fills.filter((f) => f.orderId === stop.id);
    expect(fills.reduce((n, f) => n + f.quantity, 0), 'the fills add up to the stop\'s quantity').toBeCloseTo(0.001, 8);
    for (const fill of fills) expect(Math.abs(fill.price - stopPrice), `a triggered stop sells at the market of the moment it triggered: near its stop ${stopPrice}`).toBeLessThan(5);
    expect(venueOrder(`stops-${stop.id}`)?.status, 'the exchange agrees').toBe('FILLED');
  });

  it('a STOP_LIMIT goes out as STOP_LOSS_LIMIT; once triggered, a limit the market does not reach stays open (TRIGGERED) until canceled', async () => {
    await buyFirst();
    await startStream();
    const stopPrice = stopBelowMarket();
    const limit = platform.instrument.roundPrice(stopPrice * 1.1, RoundingMode.Up);
    const order = platform.kernel.submitOrder({ symbol: SYMBOL, side: OrderSide.Sell, type: OrderType.StopLimit, quantity: 0.001, price: limit, stopPrice });
    await platform.client.settle();
    expect(order.status).toBe(OrderStatus.Accepted);
    const held = sim.admin.state().symbols[0]!.stops[0];
    expect([held?.type, Number(held?.stopPrice), Number(held?.price)], 'the exchange holds a STOP_LOSS_LIMIT with both prices').toEqual(['STOP_LOSS_LIMIT', stopPrice, limit]);
    expect(venueOrder(`stops-${order.id}`)?.timeInForce, 'sent with the order\'s timeInForce').toBe('GTC');

    sim.admin.clock({ set: fallsTo(stopPrice) });
    await waitUntil(() => order.status === OrderStatus.Triggered, `the stop-limit to be reported triggered (now ${order.status})`);
    await sleep(100);
    await platform.client.settle();
    expect(order.status, `a sell limit at ${limit}, 10% above the market, rests after the trigger: still TRIGGERED`).toBe(OrderStatus.Triggered);
    expect(platform.kernel.fills.filter((f) => f.orderId === order.id), 'nothing filled').toEqual([]);
    expect(venueOrder(`stops-${order.id}`), 'on the exchange: NEW and working on the book').toMatchObject({ status: 'NEW', isWorking: true });
    expect(await platform.client.reconcile([SYMBOL]), 'reconciliation finds nothing wrong with a triggered, resting stop-limit').toEqual([]);

    platform.kernel.cancelOrder(order.id);
    await waitUntil(() => order.status === OrderStatus.Canceled, 'the cancel to be confirmed');
    expect(kinds(order), 'SUBMITTED, ACCEPTED, TRIGGERED, CANCELED').toEqual(['SUBMITTED', 'ACCEPTED', 'TRIGGERED', 'CANCELED']);
    expect(venueOrder(`stops-${order.id}`)?.status).toBe('CANCELED');
  });

  it('without the stream, reconciliation leaves a resting stop alone, and books a trigger and fill that happened unseen: TRIGGERED before FILLED', async () => {
    await buyFirst();
    const stopPrice = stopBelowMarket();
    const stop = platform.kernel.submitOrder({ symbol: SYMBOL, side: OrderSide.Sell, type: OrderType.Stop, quantity: 0.001, stopPrice });
    const stopLimit = platform.kernel.submitOrder({ symbol: SYMBOL, side: OrderSide.Sell, type: OrderType.StopLimit, quantity: 0.0009, stopPrice, price: platform.instrument.roundPrice(stopPrice * 1.1, RoundingMode.Up) });
    await platform.client.settle();
    expect([stop.status, stopLimit.status]).toEqual([OrderStatus.Accepted, OrderStatus.Accepted]);
    expect(await platform.client.reconcile([SYMBOL]), 'untriggered stops are open orders of ours: not missing, not unknown, no balance difference (their BTC is locked, not gone)').toEqual([]);
    expect([stop.status, stopLimit.status], 'and stay ACCEPTED').toEqual([OrderStatus.Accepted, OrderStatus.Accepted]);

    sim.admin.clock({ set: fallsTo(stopPrice) });
    expect(venueOrder(`stops-${stop.id}`)?.status, 'the exchange triggered and filled the stop').toBe('FILLED');
    expect(stop.status, 'nobody listens: the platform has not heard').toBe(OrderStatus.Accepted);
    const found = await platform.client.reconcile([SYMBOL]);
    expect(found.map((d) => d.kind), `the unseen fill is booked as a MISSED_FILL, nothing else (${JSON.stringify(found)})`).toEqual(['MISSED_FILL']);
    expect(kinds(stop), 'the stop: TRIGGERED before its fill').toEqual(['SUBMITTED', 'ACCEPTED', 'TRIGGERED', 'FILLED']);
    expect(kinds(stopLimit), 'the stop-limit: the open-orders list shows it working, so it is TRIGGERED and stays open').toEqual(['SUBMITTED', 'ACCEPTED', 'TRIGGERED']);
    expect(await platform.client.reconcile([SYMBOL]), 'a second pass finds nothing').toEqual([]);
  });

  it('an exchange without a stop-type entry refuses stop orders with a clear rejection; nothing is sent', async () => {
    await platform.client.settle();
    platform.kernel.stop();
    platform = await ccxtKernel(exchange, { prefix: 'kr', exchangeId: 'kraken' });
    const stop = platform.kernel.submitOrder({ symbol: SYMBOL, side: OrderSide.Sell, type: OrderType.Stop, quantity: 0.001, stopPrice: 50_000 });
    const stopLimit = platform.kernel.submitOrder({ symbol: SYMBOL, side: OrderSide.Buy, type: OrderType.StopLimit, quantity: 0.001, stopPrice: 60_000, price: 60_000 });
    await platform.client.settle();
    for (const order of [stop, stopLimit]) {
      expect(order.status, `${order.type} on an unmapped exchange is REJECTED, not sent as some other type`).toBe(OrderStatus.Rejected);
      const rejected = platform.events.find((e) => e.order === order && e.kind === 'REJECTED')!;
      expect(rejected.reason, 'a machine-readable reason').toBe(STOP_NOT_MAPPED);
      expect(rejected.detail, 'the message names the exchange').toContain('stop orders are not mapped for exchange kraken yet');
      expect(rejected.detail, 'and the order type').toContain(`a ${order.type} order`);
    }
    expect(exchangeAccount(sim).orders, 'the exchange received no order').toEqual([]);
    expect(platform.client.counts.rejected).toBe(2);
  });

  it('ccxt.pro watchOrders sees a stop-limit placed with ccxt trigger on the local exchange (working, still open), then fill', async () => {
    const updates: Array<{ id: string; status?: string; filled?: number; info: Record<string, unknown> }> = [];
    let watching = true;
    const loop = (async () => {
      while (watching) {
        try {
          for (const o of await exchange.watchOrders(SYMBOL)) updates.push({ id: String(o.id), status: o.status, filled: o.filled, info: { ...(o.info as Record<string, unknown>) } });
        } catch {
          await sleep(50);
        }
      }
    })();
    try {
      // The user-data stream must be connected before the buy, or its execution report goes to nobody.
      const streams = exchange.clients as Record<string, { isConnected?: boolean }>;
      await waitUntil(() => Object.values(streams).some((client) => client.isConnected === true), 'the user-data stream of watchOrders to connect');
      const buy = await exchange.createOrder(SYMBOL, 'market', 'buy', 0.002);
      await waitUntil(() => updates.some((u) => u.id === buy.id), 'watchOrders to deliver the market buy (the subscription is live)');

      const stopPrice = stopBelowMarket();
      // The moment the replay first reaches the stop (test set-up): the clock stops there, the trigger fires.
      const at = Math.ceil(replay().firstReach(DIP_START, DIP_START + 24 * 60 * MINUTE, stopPrice, true)!);
      // A sell limit just above the price at the trigger rests, then fills when the replay comes back up.
      const limit = platform.instrument.roundPrice(replay().priceAt(at) + 20, RoundingMode.Up);
      const fillAt = risesTo(limit, at);
      const placed = await exchange.createOrder(SYMBOL, 'STOP_LOSS_LIMIT', 'sell', 0.001, limit, { triggerPrice: stopPrice });
      await waitUntil(() => updates.some((u) => u.id === placed.id), 'the placement report');
      const placement = updates.find((u) => u.id === placed.id)!;
      expect(placement.info, 'placement: NEW, not working (w false), with the stop price').toMatchObject({ x: 'NEW', X: 'NEW', o: 'STOP_LOSS_LIMIT', w: false, P: stopPrice.toFixed(8) });

      sim.admin.clock({ set: at });
      await waitUntil(() => updates.some((u) => u.id === placed.id && u.info.w === true), 'the trigger report');
      const trigger = updates.find((u) => u.id === placed.id && u.info.w === true)!;
      expect(trigger, `trigger at ${new Date(at).toISOString()}: NEW again, working since then, nothing filled`).toMatchObject({ status: 'open', filled: 0, info: { x: 'NEW', X: 'NEW', W: at } });

      sim.admin.clock({ set: fillAt });
      await waitUntil(() => updates.some((u) => u.id === placed.id && u.status === 'closed'), `the fill once the replay rose to ${limit} (${new Date(fillAt).toISOString()})`);
      const fill = updates.find((u) => u.id === placed.id && u.status === 'closed')!;
      expect(fill, 'the resting limit filled completely, as maker').toMatchObject({ filled: 0.001, info: { x: 'TRADE', X: 'FILLED', m: true, L: limit.toFixed(8) } });
    } finally {
      watching = false;
      await Promise.race([loop, sleep(500)]);
    }
  });
});
