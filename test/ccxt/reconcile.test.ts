// Reconciliation against the local exchange: orders placed behind the platform's back, fills that
// happened while nobody listened, and balances that do not add up.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RoundingMode } from '../../src/core/instrument.ts';
import { OrderSide, OrderStatus, OrderType } from '../../src/core/order.ts';
import type { ExchangeSimHandle } from '../../src/exchange-sim/index.ts';
import { bundledSeries, ccxtKernel, type CcxtKernel, DIP_START, type Exchange, exchangeFor, illegalTransitions, quoteOnlyAccount, startSim, SYMBOL } from './helpers.ts';

describe('reconciliation with the exchange', () => {
  let sim: ExchangeSimHandle;
  let exchange: Exchange;
  /** A second ccxt client with the same API key: someone (or something) else trading the account. */
  let intruder: Exchange;
  let platform: CcxtKernel;

  beforeEach(async () => {
    sim = await startSim({ speed: 0, startTime: DIP_START, accounts: quoteOnlyAccount(50_000) });
    exchange = await exchangeFor(sim);
    intruder = await exchangeFor(sim);
    platform = await ccxtKernel(exchange, { prefix: 'recon' });
  });
  afterEach(async () => {
    await platform.client.settle();
    platform.kernel.stop();
    await exchange.close();
    await intruder.close();
    await sim.close();
  });

  it('starts clean: nothing to report on an account the platform fully knows', async () => {
    const found = await platform.client.reconcile([SYMBOL]);
    expect(found, 'a quote-only account with no orders has nothing the platform does not know').toEqual([]);
  });

  it('an order placed behind the platform\'s back is reported as UNKNOWN_ORDER, once', async () => {
    await platform.client.reconcile([SYMBOL]);
    const bid = Number(sim.admin.state().symbols[0]!.bidPrice);
    const stranger = await intruder.createOrder(SYMBOL, 'limit', 'buy', 0.001, Math.round(bid * 0.5), { clientOrderId: 'manual-1' });
    const found = await platform.client.reconcile([SYMBOL]);
    const unknown = found.filter((d) => d.kind === 'UNKNOWN_ORDER');
    expect(unknown.length, `the resting order ${stranger.id} placed with the same key should be reported (found ${JSON.stringify(found)})`).toBe(1);
    expect(unknown[0]!.detail, 'the report names the exchange order and its client id').toContain(stranger.id);
    expect(unknown[0]!.detail).toContain('manual-1');
    expect(platform.kernel.cache.orders.size, 'the platform does not adopt it as its own order').toBe(0);
    const again = await platform.client.reconcile([SYMBOL]);
    expect(again.filter((d) => d.kind === 'UNKNOWN_ORDER'), 'an order already reported is not reported on every pass').toEqual([]);
  });

  it('a filled order placed behind the platform\'s back shows as UNKNOWN_ORDER and an UNKNOWN_POSITION', async () => {
    await platform.client.reconcile([SYMBOL]);
    await intruder.createOrder(SYMBOL, 'market', 'buy', 0.002, undefined, { clientOrderId: 'manual-2' });
    const found = await platform.client.reconcile([SYMBOL]);
    expect(found.map((d) => d.kind).sort(), `a market buy by someone else: an order and a position the platform does not know (${JSON.stringify(found)})`).toEqual(['BALANCE', 'UNKNOWN_ORDER', 'UNKNOWN_POSITION']);
    const position = found.find((d) => d.kind === 'UNKNOWN_POSITION')!;
    expect(position.asset).toBe('BTC');
    // 0.002 bought, 0.1% fee taken in BTC.
    expect(position.difference, 'the position the platform does not know: 0.002 BTC less the fee').toBeCloseTo(0.001998, 8);
    expect(platform.kernel.fills, 'nothing of it is booked as the platform\'s').toEqual([]);
  });

  it('a fill that happened while the client was not listening is booked on reconcile (MISSED_FILL), exactly once', async () => {
    await platform.client.reconcile([SYMBOL]);
    const series = await bundledSeries();
    const now = sim.admin.state().time;
    let low = Infinity;
    for (let i = 0; i < series.length; i++) if (series.openTime[i]! >= now && series.openTime[i]! < now + 30 * 60_000) low = Math.min(low, series.low[i]!);
    const bid = Number(sim.admin.state().symbols[0]!.bidPrice);
    const price = platform.instrument.roundPrice(low + 0.3 * (bid - low), RoundingMode.Up);
    const order = platform.kernel.submitOrder({ symbol: SYMBOL, side: OrderSide.Buy, type: OrderType.Limit, quantity: 0.001, price });
    await platform.client.settle();
    expect(order.status, 'the limit buy below the market rests').toBe(OrderStatus.Accepted);
    // Nobody watches the order stream: the market moves through the price and the order fills unseen.
    sim.admin.clock({ advance: 30 * 60_000 });
    const venueOrder = sim.admin.state().accounts[0]!.orders.find((o) => o.clientOrderId === 'recon-O-1');
    expect(venueOrder?.status, 'the exchange filled it').toBe('FILLED');
    expect(order.status, 'the platform has not heard yet').toBe(OrderStatus.Accepted);

    const found = await platform.client.reconcile([SYMBOL]);
    const missed = found.filter((d) => d.kind === 'MISSED_FILL');
    expect(missed.length, `the fill should be found and booked by reconciliation (${JSON.stringify(found)})`).toBe(1);
    expect(order.status, 'the order is FILLED in the books now').toBe(OrderStatus.Filled);
    expect(platform.kernel.fills.length, 'one trade on the exchange, one fill in the books').toBe(1);
    expect(platform.kernel.fills[0]!.price, 'a resting limit fills at its own price').toBe(price);
    expect(found.filter((d) => d.kind !== 'MISSED_FILL'), 'after booking the fill, balances agree').toEqual([]);

    const again = await platform.client.reconcile([SYMBOL]);
    expect(again, 'a second pass finds nothing new').toEqual([]);
    expect(platform.kernel.fills.length, 'and books nothing twice').toBe(1);
    expect(illegalTransitions(platform.events)).toEqual([]);
    const balance = platform.client.lastBalances.find((b) => b.asset === 'BTC');
    expect(balance?.difference, 'BTC on the exchange equals the books (position less the fee paid in BTC)').toBeCloseTo(0, 8);
  });

  it('an open order of ours that the exchange canceled is brought up to date', async () => {
    await platform.client.reconcile([SYMBOL]);
    const bid = Number(sim.admin.state().symbols[0]!.bidPrice);
    const order = platform.kernel.submitOrder({ symbol: SYMBOL, side: OrderSide.Buy, type: OrderType.Limit, quantity: 0.001, price: Math.round(bid * 0.5) });
    await platform.client.settle();
    await intruder.cancelOrder(undefined as unknown as string, SYMBOL, { origClientOrderId: 'recon-O-1' });
    expect(order.status).toBe(OrderStatus.Accepted);
    await platform.client.reconcile([SYMBOL]);
    expect(order.status, 'the exchange canceled it: so do the books').toBe(OrderStatus.Canceled);
  });
});
