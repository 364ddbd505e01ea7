// A strategy on the exchange that takes a buy's fee in the coin bought (as Binance does): it buys, then sells
// what its position says it holds, three times over. Before fees were booked in kind, the books held 0.1% more
// BTC than the exchange and the exit was refused (INSUFFICIENT_FUNDS), leaving the position open.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Strategy } from '../../src/common/strategy.ts';
import { OrderSide, OrderStatus, OrderType } from '../../src/core/order.ts';
import type { Order } from '../../src/core/order.ts';
import type { ExchangeSimHandle } from '../../src/exchange-sim/index.ts';
import { ccxtKernel, type CcxtKernel, DIP_START, type Exchange, exchangeAccount, exchangeFor, quoteOnlyAccount, startSim, SYMBOL, totalOf, waitUntil, watchOrders } from './helpers.ts';

/** Trades only when told, the way a strategy does: through its context, with the position it sees. */
class Trader extends Strategy {
  readonly name = 'trader';
  buy(quantity: number): Order | undefined {
    return this.ctx.submitOrder({ symbol: SYMBOL, side: OrderSide.Buy, type: OrderType.Market, quantity });
  }
  exit(): Order | undefined {
    return this.ctx.submitOrder({ symbol: SYMBOL, side: OrderSide.Sell, type: OrderType.Market, quantity: this.ctx.position(SYMBOL).quantity });
  }
  position() {
    return this.ctx.position(SYMBOL);
  }
}

describe('fees kept in the coin bought', () => {
  let sim: ExchangeSimHandle;
  let exchange: Exchange;
  let platform: CcxtKernel;
  let trader: Trader;
  let stream: { stop: () => Promise<void> };

  beforeEach(async () => {
    sim = await startSim({ speed: 0, startTime: DIP_START, accounts: quoteOnlyAccount(10_000) });
    exchange = await exchangeFor(sim);
    trader = new Trader();
    platform = await ccxtKernel(exchange, { prefix: 'inkind', strategy: trader });
    stream = watchOrders(exchange, platform.client);
  });
  afterEach(async () => {
    await stream.stop();
    await platform.client.settle();
    platform.kernel.stop();
    await exchange.close();
    await sim.close();
  });

  const done = async (order: Order | undefined, what: string): Promise<Order> => {
    expect(order, `${what}: the order was submitted`).toBeDefined();
    await waitUntil(() => order!.isTerminal, `${what} to end`);
    await platform.client.settle();
    return order!;
  };

  it('a strategy exits with position.quantity, and the books equal the exchange, dust included', async () => {
    await platform.client.reconcile([SYMBOL]);
    const buys = [0.00123, 0.002, 0.00057];
    for (const [k, quantity] of buys.entries()) {
      const buy = await done(trader.buy(quantity), `buy ${k + 1}`);
      expect(buy.status, `buy ${k + 1}`).toBe(OrderStatus.Filled);
      const held = trader.position();
      // The exchange kept 0.1% of each buy in BTC; what is left below the lot (0.00001) cannot be sold.
      expect(held.quantity + held.dust).toBeCloseTo(totalOf(exchangeAccount(sim), 'BTC'), 10);
      expect(held.dust, 'dust is below one lot').toBeLessThan(0.00001);
      const exit = await done(trader.exit(), `exit ${k + 1}`);
      const refusal = platform.events.find((e) => e.order === exit && e.kind === 'REJECTED');
      expect(exit.status, `exit ${k + 1} with position.quantity ${held.quantity} (${refusal?.reason ?? ''} ${refusal?.detail ?? ''})`).toBe(OrderStatus.Filled);
      expect(trader.position().quantity, `after exit ${k + 1} the strategy sees itself flat`).toBe(0);
    }
    const account = exchangeAccount(sim);
    const books = platform.kernel.account.positions.get(SYMBOL)!;
    // Dust adds up across round trips, on the exchange as in the books.
    expect(books.quantity, 'the books hold exactly what the exchange holds').toBeCloseTo(totalOf(account, 'BTC'), 10);
    expect(books.quantity, 'some dust is left, as on the exchange').toBeGreaterThan(0);
    const found = await platform.client.reconcile([SYMBOL]);
    expect(found, 'reconciliation finds nothing: no BTC or USDT the books do not know').toEqual([]);
    expect(platform.kernel.account.trades.length, 'each exit ended a round trip').toBe(buys.length);
  });
});
