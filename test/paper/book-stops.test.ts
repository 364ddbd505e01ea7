// Stops on the paper venue (BookExecutionClient): they wait off the book until the last trade price
// (the close of the latest bar) reaches the stop, emit TRIGGERED, then trade on the book as a market
// order (STOP) or a limit order at their price (STOP_LIMIT).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { moneyToNumber } from '../../src/core/decimal.ts';
import { Liquidity } from '../../src/core/fill.ts';
import { type Order, OrderStatus, OrderType, TimeInForce } from '../../src/core/order.ts';
import { orderFromRecord } from '../../src/app/session/restore.ts';
import { illegalTransitions } from '../ccxt/helpers.ts';
import { Buy, MINUTE, PaperVenue, Sell, SYMBOL, T0, TAKER_BPS } from './helpers.ts';

const STOP = 48_656;

describe('paper venue: stop orders', () => {
  let paper: PaperVenue;

  beforeEach(() => {
    paper = new PaperVenue().start();
  });

  afterEach(() => {
    expect(illegalTransitions(paper.events), 'every order event is a legal step of the transition table').toEqual([]);
  });

  it('a sell stop below the market rests while the last trade stays above, triggers when it trades through, then fills near the stop on the book', () => {
    paper.hold(1, 51_000);
    paper.trade(51_238);
    const order = paper.submit(Sell, OrderType.Stop, 0.5, { stopPrice: STOP });
    expect(paper.kinds(order), 'accepted, not triggered or filled at submission (the market is 5% above the stop)').toEqual(['SUBMITTED', 'ACCEPTED']);

    for (const price of [50_800, 49_900, 48_700, 48_657]) paper.trade(price);
    // The book dips through the stop but the last trade does not: books alone never trigger a stop.
    paper.book(48_600);
    paper.trade(48_660, { bid: 48_640, ask: 48_641 });
    expect(paper.kinds(order), 'no trade at or below the stop yet: still resting').toEqual(['SUBMITTED', 'ACCEPTED']);
    expect(order.status).toBe(OrderStatus.Accepted);
    expect(paper.fillsOf(order), 'nothing fills before the trigger').toEqual([]);

    paper.trade(48_640);
    const triggered = paper.eventOf(order, 'TRIGGERED');
    expect(paper.kinds(order), 'TRIGGERED when the last trade reaches the stop, then filled').toEqual(['SUBMITTED', 'ACCEPTED', 'TRIGGERED', 'FILLED']);
    expect(triggered!.time, 'triggered at the bar that traded through, not at acceptance').toBe(paper.clock.now());
    expect(triggered!.time).toBeGreaterThan(order.createdAt);
    expect(order.triggered, 'the kernel marks the order triggered').toBe(true);
    const fills = paper.fillsOf(order);
    expect(fills).toHaveLength(1);
    const fill = fills[0]!;
    expect(fill.price, 'a stop sells at the best bid of the book it meets').toBe(48_639.5);
    expect(Math.abs(fill.price - STOP) / STOP, 'filled near its stop (within 0.1%)').toBeLessThan(0.001);
    expect(fill.liquidity, 'a triggered stop takes liquidity').toBe(Liquidity.Taker);
    expect(moneyToNumber(fill.fee), 'taker fee on the notional').toBeCloseTo((0.5 * 48_639.5 * TAKER_BPS) / 10_000, 2);
  });

  it('a public trade carried by a book triggers a stop within that book, with no bar needed; older trades do not', () => {
    paper.hold(1, 51_000);
    paper.trade(51_238);
    const order = paper.submit(Sell, OrderType.Stop, 0.5, { stopPrice: STOP });
    paper.tradeOnBook(48_700, 48_680);
    expect(paper.kinds(order), 'a trade above the stop: still resting').toEqual(['SUBMITTED', 'ACCEPTED']);
    paper.tradeOnBook(48_650, 48_655, { bid: 48_649, ask: 48_651 });
    expect(paper.kinds(order), 'the trade at 48,655 reached the stop: TRIGGERED, then filled on this book').toEqual(['SUBMITTED', 'ACCEPTED', 'TRIGGERED', 'FILLED']);
    expect(paper.fillsOf(order)[0]!.price, 'sold at the best bid of the book that carried the trade').toBe(48_649);
  });

  it('a buy stop above the market rests until a trade at or above it, then fills near the stop', () => {
    paper.trade(50_000);
    const order = paper.submit(Buy, OrderType.Stop, 0.2, { stopPrice: 51_000 });
    paper.trade(50_400);
    paper.trade(50_990, { bid: 51_005, ask: 51_006 }); // the book is through the stop, the last trade is not
    expect(paper.kinds(order), 'below the stop: still resting').toEqual(['SUBMITTED', 'ACCEPTED']);
    paper.trade(51_000);
    expect(paper.kinds(order), 'a trade exactly at the stop triggers it').toEqual(['SUBMITTED', 'ACCEPTED', 'TRIGGERED', 'FILLED']);
    const fill = paper.fillsOf(order)[0]!;
    expect(fill.price, 'a buy stop pays the best ask').toBe(51_000.5);
    expect(fill.price - 51_000, 'filled near its stop').toBeLessThan(51_000 * 0.001);
    expect(paper.kernel.account.positions.get(SYMBOL)?.quantity, 'the account holds what the stop bought').toBeCloseTo(0.2, 8);
  });

  it('a stop whose market is already through at submission triggers at once and fills in the same step', () => {
    paper.hold(1, 51_000);
    paper.trade(48_000);
    const order = paper.submit(Sell, OrderType.Stop, 0.5, { stopPrice: STOP });
    expect(paper.kinds(order), 'the last trade (48,000) is below the stop: TRIGGERED right after ACCEPTED').toEqual(['SUBMITTED', 'ACCEPTED', 'TRIGGERED', 'FILLED']);
    const times = paper.events.filter((e) => e.order === order).map((e) => e.time);
    expect(new Set(times).size, 'all in the same step').toBe(1);
  });

  it('with no trade seen yet a stop waits, whatever the book shows, and triggers on the first trade through it', () => {
    paper.hold(1, 51_000);
    paper.book(48_000);
    const order = paper.submit(Sell, OrderType.Stop, 0.5, { stopPrice: STOP });
    paper.book(47_900);
    expect(paper.kinds(order), 'books carry no trade: nothing to trigger on').toEqual(['SUBMITTED', 'ACCEPTED']);
    paper.bar(47_950);
    expect(paper.kinds(order)).toEqual(['SUBMITTED', 'ACCEPTED', 'TRIGGERED', 'FILLED']);
    expect(paper.fillsOf(order)[0]!.price, 'filled on the latest book').toBe(47_899.5);
  });

  it('a triggered stop walks a thin book: partial fill, the rest on the next book', () => {
    paper.hold(2, 51_000);
    paper.trade(50_000);
    const order = paper.submit(Sell, OrderType.Stop, 1.5, { stopPrice: STOP });
    paper.trade(48_600, { size: 0.2 }); // 5 levels x 0.2 = 1.0 on the bid side
    expect(paper.kinds(order)).toEqual(['SUBMITTED', 'ACCEPTED', 'TRIGGERED', 'PARTIALLY_FILLED', 'PARTIALLY_FILLED', 'PARTIALLY_FILLED', 'PARTIALLY_FILLED', 'PARTIALLY_FILLED']);
    expect(order.filledQuantity, 'the whole book taken, level by level').toBeCloseTo(1, 8);
    expect(paper.fillsOf(order).map((f) => f.price), 'from the best bid down').toEqual([48_599.5, 48_598.5, 48_597.5, 48_596.5, 48_595.5]);
    paper.book(48_610);
    expect(order.status, 'the rest fills on the next book, as a market order would').toBe(OrderStatus.Filled);
    expect(paper.kinds(order).filter((k) => k === 'TRIGGERED'), 'triggered once').toHaveLength(1);
  });

  it('a stop-limit whose limit is not reached stays open after triggering, and fills when the book crosses its limit', () => {
    paper.hold(1, 51_000);
    paper.trade(50_000);
    const order = paper.submit(Sell, OrderType.StopLimit, 0.5, { stopPrice: STOP, price: 48_600 });
    paper.trade(48_700);
    expect(paper.kinds(order), 'above the stop: resting untriggered').toEqual(['SUBMITTED', 'ACCEPTED']);
    paper.trade(48_500); // triggers; the best bid 48,499.5 is below the limit
    expect(paper.kinds(order), 'triggered, no fill below the limit').toEqual(['SUBMITTED', 'ACCEPTED', 'TRIGGERED']);
    expect(order.status).toBe(OrderStatus.Triggered);
    expect(order.isOpen, 'still open after triggering').toBe(true);
    paper.trade(48_550);
    expect(paper.fillsOf(order), 'the book is still below the limit').toEqual([]);
    paper.book(48_620); // bids 48,619.5 .. 48,615.5: the limit is crossed
    expect(paper.kinds(order)).toEqual(['SUBMITTED', 'ACCEPTED', 'TRIGGERED', 'FILLED']);
    const fill = paper.fillsOf(order)[0]!;
    expect(fill.price, 'at the book price, never below the limit').toBe(48_619.5);
    expect(fill.liquidity, 'a resting limit pays the maker fee').toBe(Liquidity.Maker);
  });

  it('a stop-limit marketable at its trigger fills at once as a taker, up to its limit', () => {
    paper.hold(1, 51_000);
    paper.trade(50_000);
    const order = paper.submit(Sell, OrderType.StopLimit, 1, { stopPrice: STOP, price: 48_640 });
    paper.trade(48_645, { bid: 48_643, ask: 48_644, size: 0.25 }); // bids 48,643 .. 48,639: four at or above the limit
    expect(order.filledQuantity, 'fills the four levels at or above its limit').toBeCloseTo(1, 8);
    expect(paper.fillsOf(order).every((f) => f.price >= 48_640 && f.liquidity === Liquidity.Taker), 'never below the limit, taker on arrival').toBe(true);
  });

  it('cancel works on a resting stop: CANCELED, and it never triggers afterwards', () => {
    paper.hold(1, 51_000);
    paper.trade(51_238);
    const order = paper.submit(Sell, OrderType.Stop, 0.5, { stopPrice: STOP });
    paper.trade(50_000);
    paper.kernel.cancelOrder(order.id);
    expect(order.status).toBe(OrderStatus.Canceled);
    paper.trade(48_000);
    paper.trade(47_000);
    expect(paper.kinds(order), 'canceled before the price got there').toEqual(['SUBMITTED', 'ACCEPTED', 'CANCELED']);
    expect(paper.fillsOf(order)).toEqual([]);
  });

  it('cancel works on a triggered stop-limit resting on the book', () => {
    paper.hold(1, 51_000);
    paper.trade(50_000);
    const order = paper.submit(Sell, OrderType.StopLimit, 0.5, { stopPrice: STOP, price: 48_600 });
    paper.trade(48_500);
    paper.kernel.cancelOrder(order.id);
    paper.book(48_700);
    expect(paper.kinds(order)).toEqual(['SUBMITTED', 'ACCEPTED', 'TRIGGERED', 'CANCELED']);
    expect(paper.fillsOf(order), 'a canceled stop-limit does not fill when the book later crosses').toEqual([]);
  });

  it('IOC applies from the trigger: it rests untriggered, then takes what the book has at the trigger and expires', () => {
    paper.hold(2, 51_000);
    paper.trade(50_000);
    const order = paper.submit(Sell, OrderType.Stop, 1.5, { stopPrice: STOP, timeInForce: TimeInForce.IOC });
    paper.trade(49_000);
    paper.trade(48_700);
    expect(paper.kinds(order), 'an IOC stop does not expire while it waits for its trigger').toEqual(['SUBMITTED', 'ACCEPTED']);
    paper.trade(48_600, { size: 0.2 });
    const kinds = paper.kinds(order);
    expect(kinds.slice(0, 3)).toEqual(['SUBMITTED', 'ACCEPTED', 'TRIGGERED']);
    expect(kinds.at(-1), 'the rest expires at the trigger').toBe('EXPIRED');
    expect(order.filledQuantity, 'it took the whole book at the trigger (1.0 of 1.5)').toBeCloseTo(1, 8);
    paper.book(48_610);
    expect(order.filledQuantity, 'nothing more on later books').toBeCloseTo(1, 8);
  });

  it('FOK applies from the trigger: a book too thin for the whole order expires it with nothing', () => {
    paper.hold(2, 51_000);
    paper.trade(50_000);
    const order = paper.submit(Sell, OrderType.Stop, 1.5, { stopPrice: STOP, timeInForce: TimeInForce.FOK });
    paper.trade(49_000);
    paper.trade(48_600, { size: 0.2 });
    expect(paper.kinds(order)).toEqual(['SUBMITTED', 'ACCEPTED', 'TRIGGERED', 'EXPIRED']);
    expect(paper.fillsOf(order)).toEqual([]);
  });

  it('an IOC stop-limit whose limit is not reached at its trigger expires there', () => {
    paper.hold(1, 51_000);
    paper.trade(50_000);
    const order = paper.submit(Sell, OrderType.StopLimit, 0.5, { stopPrice: STOP, price: 48_600, timeInForce: TimeInForce.IOC });
    paper.trade(48_500);
    expect(paper.kinds(order)).toEqual(['SUBMITTED', 'ACCEPTED', 'TRIGGERED', 'EXPIRED']);
  });

  it('a stop that triggers before any book exists takes its first book as a taker (and IOC expires there)', () => {
    paper.hold(2, 51_000);
    paper.bar(50_000);
    const gtc = paper.submit(Sell, OrderType.Stop, 0.5, { stopPrice: STOP });
    const ioc = paper.submit(Sell, OrderType.Stop, 2, { stopPrice: STOP, timeInForce: TimeInForce.IOC });
    paper.clock.advanceTo(paper.clock.now() + MINUTE);
    paper.bar(48_600);
    expect(paper.kinds(gtc), 'triggered, waiting for a book').toEqual(['SUBMITTED', 'ACCEPTED', 'TRIGGERED']);
    paper.book(48_590, { size: 0.3 });
    expect(gtc.status).toBe(OrderStatus.Filled);
    expect(ioc.status, 'the IOC took what that book had and expired').toBe(OrderStatus.Expired);
    expect(ioc.filledQuantity).toBeGreaterThan(0);
  });
});

describe('paper venue: resumed stops keep their triggered state', () => {
  /** An order as the journal gives it back on --resume (status kept; `triggered` is not a journal field). */
  function journaled(id: string, status: OrderStatus, createdAt: number, type: OrderType = OrderType.Stop, price?: number): Order {
    return orderFromRecord({
      runId: 'previous',
      orderId: id,
      symbol: SYMBOL,
      side: Sell,
      type,
      quantity: 0.5,
      price: price ?? null,
      stopPrice: STOP,
      timeInForce: TimeInForce.GTC,
      tag: null,
      status,
      filledQuantity: 0,
      createdAt,
      updatedAt: createdAt,
    });
  }

  it('a restored triggered stop-limit is a resting limit: no second TRIGGERED, fills when the book crosses', () => {
    const paper = new PaperVenue();
    paper.hold(1, 51_000);
    const order = journaled('O-7', OrderStatus.Triggered, T0 - 10 * MINUTE, OrderType.StopLimit, 48_600);
    expect(order.triggered, 'a journaled TRIGGERED stop comes back with its flag set').toBe(true);
    paper.kernel.restore({ fills: [], orders: [order] });
    paper.start();
    paper.trade(48_700, { bid: 48_550, ask: 48_551 }); // last trade above the stop, book below the limit
    expect(paper.kinds(order), 'no fill below its limit, no new trigger').toEqual([]);
    paper.book(48_620);
    expect(paper.kinds(order), 'fills as the limit it became before the restart').toEqual(['FILLED']);
  });

  it('a restored triggered stop fills on the next book even with the last trade back above its stop', () => {
    const paper = new PaperVenue();
    paper.hold(1, 51_000);
    const order = journaled('O-8', OrderStatus.Triggered, T0 - 10 * MINUTE);
    order.triggered = true;
    paper.kernel.restore({ fills: [], orders: [order] });
    paper.start();
    paper.trade(49_000);
    expect(paper.kinds(order)).toEqual(['FILLED']);
  });

  it('a restored untriggered stop ignores warm-up history from before it was placed, and triggers on a later trade', () => {
    const paper = new PaperVenue();
    paper.hold(1, 51_000);
    const order = journaled('O-9', OrderStatus.Accepted, T0 - 30 * MINUTE);
    paper.kernel.restore({ fills: [], orders: [order] });
    paper.start();
    // The warm-up replays closed bars: a close below the stop from before the order existed must not trigger it.
    paper.bar(48_000, T0 - 40 * MINUTE);
    paper.bar(50_000, T0 - 20 * MINUTE);
    paper.bar(50_100, T0);
    paper.trade(50_200);
    expect(paper.kinds(order), 'history before its creation does not trigger it').toEqual([]);
    paper.trade(48_600);
    expect(paper.kinds(order), 'the first trade through the stop after the resume triggers it').toEqual(['TRIGGERED', 'FILLED']);
  });

  it('a restored untriggered stop triggers on a close from while the session was down (after its creation)', () => {
    const paper = new PaperVenue();
    paper.hold(1, 51_000);
    const order = journaled('O-10', OrderStatus.Accepted, T0 - 30 * MINUTE);
    paper.kernel.restore({ fills: [], orders: [order] });
    paper.start();
    paper.bar(48_500, T0 - 10 * MINUTE);
    expect(paper.kinds(order), 'triggered; no book yet to fill on').toEqual(['TRIGGERED']);
    paper.book(48_700);
    expect(paper.kinds(order), 'fills on the first book').toEqual(['TRIGGERED', 'FILLED']);
  });
});
