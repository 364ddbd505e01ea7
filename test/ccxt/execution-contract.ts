// The ExecutionClient contract: what every venue (the backtest's simulated one on bars, the paper one on a
// live book, the CCXT one against an exchange) must do the same way. Each adapter's test file runs it with a
// factory for its venue.
//
// Where venues legitimately differ, it is said here and nowhere else:
// - What "the market trades through a price" means: a bar's range (simulated venue), the feed's last trade
//   (paper venue), the exchange's last trade (CCXT venue). Each factory's advance() makes the market go
//   through its dipPrice() on the way, whatever that means for it.
// - Where a stop fills once triggered: at the worse of its stop and the bar's open plus costs (bars), on the
//   book of the moment (paper), at the exchange's market (CCXT). The suite asks only that a sell stop does
//   not fill above its stop by more than 1%, nor before its trigger.
// - When a resting IOC ends: at its first eligible bar (bars) or at once (book, exchange); either way it
//   ends EXPIRED without a fill.
// - Fees on buys: the simulated and paper venues charge them in the quote currency; the exchange takes a
//   buyer's fee in the base asset (as Binance does), so the books hold what was bought less that fee, and the
//   cash pays no fee. What is left below one lot is dust: the sells of the suite ask for what can be sold.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { notionalOf } from '../../src/core/account.ts';
import { moneyToNumber } from '../../src/core/decimal.ts';
import type { Fill } from '../../src/core/fill.ts';
import { RoundingMode } from '../../src/core/instrument.ts';
import { type Order, OrderEventKind, OrderSide, OrderStatus, OrderType, TimeInForce } from '../../src/core/order.ts';
import type { OrderEvent } from '../../src/common/events.ts';
import type { Kernel } from '../../src/kernel/kernel.ts';
import { Topic } from '../../src/common/message-bus.ts';
import type { ExecutionClient } from '../../src/common/ports.ts';
import { illegalTransitions } from './helpers.ts';

/** One venue under test, with a kernel on it and a way to move its market on. */
export interface ContractVenue {
  readonly kernel: Kernel;
  readonly client: ExecutionClient;
  readonly symbol: string;
  /** A small order size that the market fills at once. */
  readonly quantity: number;
  /** Taker fee as a fraction of the notional (the venue's schedule). */
  readonly takerFeeRate: number;
  /** The venue keeps a buyer's fee in the coin bought (the exchange); false: charged in the quote currency. */
  readonly buyFeeInBase: boolean;
  /** The market price now (last trade or last close). */
  price(): number;
  /** A price below the market that the next `advance()` trades through: a resting buy there fills. */
  dipPrice(): number;
  /** Move the market on by one step and let every answer of the venue arrive. */
  advance(): Promise<void>;
  close(): Promise<void>;
}

export type ContractFactory = () => Promise<ContractVenue>;

export function executionClientContract(name: string, factory: ContractFactory): void {
  describe(`ExecutionClient contract: ${name}`, () => {
    let venue: ContractVenue;
    let events: OrderEvent[];

    beforeEach(async () => {
      venue = await factory();
      events = [];
      venue.kernel.bus.subscribe<OrderEvent>(Topic.OrderEvent, (event) => events.push(event));
    });

    afterEach(async () => {
      // Whatever a test did, every order event must have been a legal step of the transition table.
      expect(illegalTransitions(events), `${name}: order events outside the transition table`).toEqual([]);
      await venue.close();
    });

    const fillsOf = (order: Order): Fill[] => venue.kernel.fills.filter((f) => f.orderId === order.id);
    const buy = (type: OrderType, quantity: number, price?: number): Order =>
      venue.kernel.submitOrder({ symbol: venue.symbol, side: OrderSide.Buy, type, quantity, ...(price !== undefined ? { price } : {}) });
    const instrument = () => venue.kernel.cache.instrument(venue.symbol);
    const kindsOf = (order: Order): string[] => events.filter((e) => e.order === order).map((e) => e.kind);
    /** Buy `venue.quantity` at the market and wait for it, so that sells (stops) have something to sell. */
    const holdSome = async (): Promise<void> => {
      const entry = buy(OrderType.Market, venue.quantity);
      await venue.advance();
      expect(entry.status, `${name}: the entry for the stop tests should fill`).toBe(OrderStatus.Filled);
    };
    /** What the sells ask for: the position a strategy sees (dust apart), as a strategy would sell it. */
    const sellStop = (type: OrderType, stopPrice: number, price?: number): Order =>
      venue.kernel.submitOrder({ symbol: venue.symbol, side: OrderSide.Sell, type, quantity: venue.kernel.portfolio.tradableQuantity(venue.symbol), stopPrice, ...(price !== undefined ? { price } : {}) });
    /** Cash a fill moved: its notional, plus the fee unless the venue kept the fee in the coin. */
    const cashOf = (f: Fill): bigint => f.notional + (f.feeQuantity ? 0n : f.fee) + f.tax;

    it('a market buy fills and the account books it', async () => {
      const cashBefore = venue.kernel.account.cash;
      const order = buy(OrderType.Market, venue.quantity);
      await venue.advance();
      expect(order.status, `${name}: a small market buy on a liquid market should end FILLED`).toBe(OrderStatus.Filled);
      const fills = fillsOf(order);
      const filled = instrument().quantityFromUnits(fills.reduce((n, f) => n + instrument().quantityUnits(f.quantity), 0));
      expect(filled, `${name}: the fills of a filled order should add up to its quantity`).toBe(venue.quantity);
      // The fee in the coin, computed here from the venue's rate: 0.1% of 0.001 BTC is 0.000001 BTC.
      const feeInCoin = venue.buyFeeInBase ? instrument().quantityFromUnits(Math.round(instrument().quantityUnits(venue.quantity) * venue.takerFeeRate)) : 0;
      expect(fills.map((f) => f.feeQuantity ?? 0).reduce((a, b) => a + b, 0), `${name}: the fee kept in the coin`).toBeCloseTo(feeInCoin, 12);
      const held = venue.kernel.account.positions.get(venue.symbol)?.quantity ?? 0;
      expect(held, `${name}: the position should hold what was bought, less a fee kept in the coin`).toBeCloseTo(venue.quantity - feeInCoin, 12);
      const seen = venue.kernel.portfolio.positionView(venue.symbol, venue.kernel.clock.now(), 1);
      expect(seen.quantity, `${name}: a strategy sees what it can sell, on the lot grid`).toBe(instrument().roundQuantity(held, RoundingMode.Down));
      expect(seen.dust, `${name}: and the rest below one lot as dust`).toBeCloseTo(held - seen.quantity, 12);
      const spent = fills.reduce((n, f) => n + cashOf(f), 0n);
      expect(venue.kernel.account.cash, `${name}: cash should drop by notional plus costs of the fills, exactly`).toBe(cashBefore - spent);
    });

    it('a limit buy far below the market rests (ACCEPTED, no fill) and cancels (CANCELED)', async () => {
      const price = instrument().roundPrice(venue.price() * 0.5, RoundingMode.Down);
      const order = buy(OrderType.Limit, venue.quantity, price);
      await venue.advance();
      expect(order.status, `${name}: a limit buy at half the market should rest, acknowledged`).toBe(OrderStatus.Accepted);
      expect(fillsOf(order), `${name}: a limit buy at half the market should not fill`).toEqual([]);
      venue.kernel.cancelOrder(order.id);
      await venue.advance();
      expect(order.status, `${name}: a resting order should be CANCELED once the venue confirms the cancel`).toBe(OrderStatus.Canceled);
      expect(venue.kernel.cache.openOrders.includes(order), `${name}: a canceled order should leave the open orders`).toBe(false);
    });

    it('order events pass through the transition table in a legal order', async () => {
      const market = buy(OrderType.Market, venue.quantity);
      const resting = buy(OrderType.Limit, venue.quantity, instrument().roundPrice(venue.price() * 0.5, RoundingMode.Down));
      await venue.advance();
      venue.kernel.cancelOrder(resting.id);
      await venue.advance();
      const kinds = (order: Order): string[] => events.filter((e) => e.order === order).map((e) => e.kind);
      expect(kinds(market)[0], `${name}: an order is SUBMITTED before the venue says anything`).toBe('SUBMITTED');
      expect(kinds(market).at(-1), `${name}: a filled market order ends with FILLED`).toBe('FILLED');
      // PENDING_CANCEL is the kernel's own step when it asks (applied, not published): the venue's answers are these.
      expect(kinds(resting), `${name}: a resting order that is canceled is SUBMITTED, ACCEPTED, then CANCELED`).toEqual(['SUBMITTED', 'ACCEPTED', 'CANCELED']);
      expect(illegalTransitions(events), `${name}: every step must be in the transition table`).toEqual([]);
    });

    it('fills carry price, quantity and fee in the account currency', async () => {
      const reference = venue.price();
      const order = buy(OrderType.Market, venue.quantity);
      await venue.advance();
      const fills = fillsOf(order);
      expect(fills.length, `${name}: a filled market buy should have at least one fill`).toBeGreaterThan(0);
      for (const fill of fills) {
        expect(Math.abs(fill.price / reference - 1), `${name}: fill price ${fill.price} should be near the market ${reference}`).toBeLessThan(0.05);
        expect(fill.quantity, `${name}: fill quantity should be positive`).toBeGreaterThan(0);
        expect(instrument().roundQuantity(fill.quantity, RoundingMode.Nearest), `${name}: fill quantity should be on the lot grid`).toBe(fill.quantity);
        expect(fill.notional, `${name}: notional should be price x quantity in ledger units`).toBe(notionalOf(instrument(), fill.price, fill.quantity));
        const feeRate = moneyToNumber(fill.fee) / moneyToNumber(fill.notional);
        // A fee left in the base currency (BTC) would be ~50,000 times too small here.
        expect(Math.abs(feeRate / venue.takerFeeRate - 1), `${name}: fee ${moneyToNumber(fill.fee)} on ${moneyToNumber(fill.notional)} should be the taker rate ${venue.takerFeeRate} in the account currency`).toBeLessThan(0.05);
        expect(Number.isFinite(fill.time), `${name}: a fill should carry its time`).toBe(true);
      }
    });

    it('a canceled order never fills, even when the market trades through its price', async () => {
      const dip = venue.dipPrice();
      const canceled = buy(OrderType.Limit, venue.quantity, dip);
      const control = buy(OrderType.Limit, venue.quantity, dip);
      venue.kernel.cancelOrder(canceled.id);
      await venue.advance();
      await venue.advance();
      expect(control.status, `${name}: the control order at ${dip} should fill, proving the market traded through the price`).toBe(OrderStatus.Filled);
      expect(canceled.status, `${name}: the canceled order should stay CANCELED`).toBe(OrderStatus.Canceled);
      expect(fillsOf(canceled), `${name}: a canceled order must never be booked a fill`).toEqual([]);
    });

    it('a sell stop below the market rests untriggered, then TRIGGERED when the market trades through it, then fills near its stop', async () => {
      await holdSome();
      const stop = venue.dipPrice();
      const order = sellStop(OrderType.Stop, stop);
      expect(kindsOf(order), `${name}: a stop below the market waits: no trigger at submission`).not.toContain(OrderEventKind.Triggered);
      expect(fillsOf(order), `${name}: nothing fills before the trigger`).toEqual([]);
      await venue.advance();
      await venue.advance();
      const kinds = kindsOf(order);
      expect(kinds.slice(0, 3), `${name}: SUBMITTED, ACCEPTED, then TRIGGERED before any fill (got ${kinds.join(' ')})`).toEqual(['SUBMITTED', 'ACCEPTED', 'TRIGGERED']);
      expect(order.status, `${name}: a triggered stop on a liquid market fills whole`).toBe(OrderStatus.Filled);
      expect(order.triggered, `${name}: the kernel marks the order triggered`).toBe(true);
      const triggeredAt = events.find((e) => e.order === order && e.kind === OrderEventKind.Triggered)!.time;
      for (const fill of fillsOf(order)) {
        expect(fill.time, `${name}: no fill before the trigger`).toBeGreaterThanOrEqual(triggeredAt);
        expect(fill.price, `${name}: a sell stop at ${stop} fills near it (at most 1% above), not at the market it was placed in (${fill.price})`).toBeLessThanOrEqual(stop * 1.01);
      }
    });

    it('a sell stop far below the market never triggers, and cancels', async () => {
      await holdSome();
      const stop = instrument().roundPrice(venue.price() * 0.5, RoundingMode.Down);
      const order = sellStop(OrderType.Stop, stop);
      await venue.advance();
      expect(kindsOf(order), `${name}: a stop at half the market is acknowledged and never triggered`).toEqual(['SUBMITTED', 'ACCEPTED']);
      venue.kernel.cancelOrder(order.id);
      await venue.advance();
      expect(order.status, `${name}: a resting stop cancels`).toBe(OrderStatus.Canceled);
      expect(fillsOf(order), `${name}: a canceled stop never fills`).toEqual([]);
    });

    it('a stop-limit whose limit is not reached stays open after TRIGGERED, and cancels', async () => {
      await holdSome();
      const stop = venue.dipPrice();
      // Once triggered it is a sell limit above the market, which nothing reaches.
      const limit = instrument().roundPrice(venue.price() * 1.03, RoundingMode.Up);
      const order = sellStop(OrderType.StopLimit, stop, limit);
      await venue.advance();
      await venue.advance();
      expect(kindsOf(order), `${name}: the stop-limit triggers, then rests as a limit`).toEqual(['SUBMITTED', 'ACCEPTED', 'TRIGGERED']);
      expect(order.isOpen, `${name}: a triggered stop-limit whose limit is not reached stays open (${order.status})`).toBe(true);
      expect(fillsOf(order), `${name}: its limit was never reached: no fill`).toEqual([]);
      venue.kernel.cancelOrder(order.id);
      await venue.advance();
      expect(order.status, `${name}: a triggered stop-limit cancels`).toBe(OrderStatus.Canceled);
    });

    it('an IOC limit buy far below the market ends EXPIRED without a fill', async () => {
      const price = instrument().roundPrice(venue.price() * 0.5, RoundingMode.Down);
      const order = venue.kernel.submitOrder({ symbol: venue.symbol, side: OrderSide.Buy, type: OrderType.Limit, quantity: venue.quantity, price, timeInForce: TimeInForce.IOC });
      await venue.advance();
      await venue.advance();
      expect(order.status, `${name}: an IOC that cannot trade expires`).toBe(OrderStatus.Expired);
      expect(fillsOf(order), `${name}: an expired IOC has no fill`).toEqual([]);
    });

    it('a FOK market buy that the market can fill fills whole', async () => {
      const order = venue.kernel.submitOrder({ symbol: venue.symbol, side: OrderSide.Buy, type: OrderType.Market, quantity: venue.quantity, timeInForce: TimeInForce.FOK });
      await venue.advance();
      expect(order.status, `${name}: a small FOK on a liquid market fills`).toBe(OrderStatus.Filled);
      expect(order.filledQuantity, `${name}: FOK fills the whole quantity`).toBe(venue.quantity);
    });

    it('an order for more than the balance is rejected or cut, never booked as filled beyond the cash', async () => {
      const cash = moneyToNumber(venue.kernel.account.cash);
      const quantity = instrument().roundQuantity((3 * cash) / venue.price(), RoundingMode.Down);
      const order = buy(OrderType.Market, quantity);
      await venue.advance();
      await venue.advance();
      const spent = fillsOf(order).reduce((n, f) => n + cashOf(f), 0n);
      expect(
        order.status === OrderStatus.Rejected || moneyToNumber(spent) <= cash,
        `${name}: a buy of 3x the cash should be REJECTED or cut to the cash (status ${order.status}, spent ${moneyToNumber(spent)} of ${cash})`,
      ).toBe(true);
      expect(order.filledQuantity, `${name}: the order must not be booked as filled beyond what the cash covers`).toBeLessThan(quantity);
      const rejected = events.find((e) => e.order === order && e.kind === OrderEventKind.Rejected);
      if (rejected) expect(rejected.reason, `${name}: a rejection carries a machine-readable reason`).toMatch(/^[A-Z_]+$/);
      expect(venue.kernel.account.cash >= 0n, `${name}: cash must never go negative (${moneyToNumber(venue.kernel.account.cash)})`).toBe(true);
    });
  });
}
