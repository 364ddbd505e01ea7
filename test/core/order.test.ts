// The order lifecycle: the transition table is the only way an order changes status.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  IllegalOrderTransition,
  Order,
  ORDER_TRANSITIONS,
  OrderEventKind,
  OrderSide,
  OrderStatus,
  OrderType,
  TERMINAL_STATUSES,
  TimeInForce,
} from '../../src/core/order.ts';
import { resolveInstrument } from '../../src/core/instrument-table.ts';
import { Market } from '../../src/core/market.ts';

const S = OrderStatus;
const E = OrderEventKind;
const ALL_STATUSES = Object.values(OrderStatus);
const ALL_EVENTS = Object.values(OrderEventKind);

function newOrder(): Order {
  return new Order('O-1', 'BTC/USDT', OrderSide.Buy, OrderType.Market, 1, undefined, undefined, TimeInForce.GTC, 1_000, 100);
}

/** Events that bring a fresh order to each status (the cancel paths start from ACCEPTED). */
const PATH_TO: Readonly<Record<OrderStatus, readonly OrderEventKind[]>> = {
  [S.Initialized]: [],
  [S.Denied]: [E.Denied],
  [S.Submitted]: [E.Submitted],
  [S.Accepted]: [E.Submitted, E.Accepted],
  [S.Rejected]: [E.Submitted, E.Rejected],
  [S.Triggered]: [E.Submitted, E.Accepted, E.Triggered],
  [S.PartiallyFilled]: [E.Submitted, E.Accepted, E.PartiallyFilled],
  [S.Filled]: [E.Submitted, E.Accepted, E.Filled],
  [S.PendingCancel]: [E.Submitted, E.Accepted, E.PendingCancel],
  [S.Canceled]: [E.Submitted, E.Accepted, E.Canceled],
  [S.Expired]: [E.Submitted, E.Accepted, E.Expired],
};

function orderIn(status: OrderStatus): Order {
  const order = newOrder();
  PATH_TO[status].forEach((event, k) => order.apply(event, 2_000 + k));
  expect(order.status, `path to ${status}`).toBe(status);
  return order;
}

/**
 * The order lifecycle as this test states it, independent of the code's table: each line is a status, an
 * event and where it leads. Anything not listed is illegal.
 */
const LIFECYCLE = `
  INITIALIZED      DENIED           DENIED
  INITIALIZED      SUBMITTED        SUBMITTED
  INITIALIZED      CANCELED         CANCELED
  SUBMITTED        ACCEPTED         ACCEPTED
  SUBMITTED        REJECTED         REJECTED
  SUBMITTED        PARTIALLY_FILLED PARTIALLY_FILLED
  SUBMITTED        FILLED           FILLED
  SUBMITTED        PENDING_CANCEL   PENDING_CANCEL
  SUBMITTED        CANCELED         CANCELED
  SUBMITTED        EXPIRED          EXPIRED
  ACCEPTED         REJECTED         REJECTED
  ACCEPTED         TRIGGERED        TRIGGERED
  ACCEPTED         PARTIALLY_FILLED PARTIALLY_FILLED
  ACCEPTED         FILLED           FILLED
  ACCEPTED         PENDING_CANCEL   PENDING_CANCEL
  ACCEPTED         CANCELED         CANCELED
  ACCEPTED         EXPIRED          EXPIRED
  TRIGGERED        PARTIALLY_FILLED PARTIALLY_FILLED
  TRIGGERED        FILLED           FILLED
  TRIGGERED        PENDING_CANCEL   PENDING_CANCEL
  TRIGGERED        CANCELED         CANCELED
  TRIGGERED        EXPIRED          EXPIRED
  PARTIALLY_FILLED PARTIALLY_FILLED PARTIALLY_FILLED
  PARTIALLY_FILLED FILLED           FILLED
  PARTIALLY_FILLED PENDING_CANCEL   PENDING_CANCEL
  PARTIALLY_FILLED CANCELED         CANCELED
  PARTIALLY_FILLED EXPIRED          EXPIRED
  PENDING_CANCEL   TRIGGERED        PENDING_CANCEL
  PENDING_CANCEL   PARTIALLY_FILLED PENDING_CANCEL
  PENDING_CANCEL   FILLED           FILLED
  PENDING_CANCEL   CANCEL_REJECTED  ACCEPTED
  PENDING_CANCEL   CANCELED         CANCELED
  PENDING_CANCEL   EXPIRED          EXPIRED
`;
const LEGAL_PAIRS = LIFECYCLE.trim()
  .split('\n')
  .map((line) => line.trim().split(/\s+/) as [OrderStatus, OrderEventKind, OrderStatus])
  .map(([status, event, next]) => ({ status, event, next }));
const isLegal = (status: OrderStatus, event: OrderEventKind): boolean => LEGAL_PAIRS.some((p) => p.status === status && p.event === event);
const ILLEGAL_PAIRS = ALL_STATUSES.flatMap((status) => ALL_EVENTS.filter((event) => !isLegal(status, event)).map((event) => ({ status, event })));

describe('order transition table', () => {
  it('lists every status, and only terminal statuses have no way out', () => {
    expect(Object.keys(ORDER_TRANSITIONS).sort()).toEqual([...ALL_STATUSES].sort());
    for (const status of ALL_STATUSES) {
      const exits = Object.keys(ORDER_TRANSITIONS[status]).length;
      expect(exits === 0, `${status}: terminal iff no transitions`).toBe(TERMINAL_STATUSES.has(status));
    }
    expect([...TERMINAL_STATUSES].sort()).toEqual([S.Canceled, S.Denied, S.Expired, S.Filled, S.Rejected]);
  });

  it.each(LEGAL_PAIRS)('$status + $event is legal', ({ status, event, next }) => {
    const order = orderIn(status);
    const result = order.apply(event, 9_999);
    // CANCEL_REJECTED goes back to where the order was before PENDING_CANCEL (ACCEPTED on this path).
    const expected = event === E.CancelRejected ? S.Accepted : next;
    expect(result).toBe(expected);
    expect(order.status).toBe(expected);
    expect(order.updatedAt).toBe(9_999);
  });

  it('walks the usual lives of an order', () => {
    const filled = newOrder();
    for (const event of [E.Submitted, E.Accepted, E.PartiallyFilled, E.PartiallyFilled, E.Filled]) filled.apply(event, 1);
    expect(filled.status).toBe(S.Filled);
    expect(filled.isTerminal).toBe(true);
    expect(filled.isOpen).toBe(false);

    const stop = newOrder();
    for (const event of [E.Submitted, E.Accepted, E.Triggered, E.Filled]) stop.apply(event, 1);
    expect(stop.status).toBe(S.Filled);

    const denied = newOrder();
    expect(denied.apply(E.Denied, 1)).toBe(S.Denied);
    expect(denied.isTerminal).toBe(true);
  });

  it('is open only between submission and a terminal status', () => {
    expect(newOrder().isOpen).toBe(false);
    for (const status of ALL_STATUSES) {
      if (status === S.Initialized) continue;
      expect(orderIn(status).isOpen, status).toBe(!TERMINAL_STATUSES.has(status));
    }
  });

  it('rejects a fill on a canceled order', () => {
    const order = orderIn(S.Canceled);
    expect(() => order.apply(E.Filled, 5)).toThrow(IllegalOrderTransition);
    expect(order.status).toBe(S.Canceled);
  });

  it('rejects a fill on an order that was never submitted', () => {
    const order = newOrder();
    expect(() => order.apply(E.Filled, 5)).toThrow(IllegalOrderTransition);
    expect(() => order.apply(E.Accepted, 5)).toThrow(IllegalOrderTransition);
    expect(order.status).toBe(S.Initialized);
  });

  it('throws a typed error naming the order, the status and the event', () => {
    const order = orderIn(S.Filled);
    let caught: unknown;
    try {
      order.apply(E.Canceled, 5);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(IllegalOrderTransition);
    const error = caught as IllegalOrderTransition;
    expect(error.orderId).toBe('O-1');
    expect(error.status).toBe(S.Filled);
    expect(error.event).toBe(E.Canceled);
    expect(error.name).toBe('IllegalOrderTransition');
    expect(error.message).toContain('CANCELED');
  });

  it("the code's table holds exactly the lifecycle's legal moves", () => {
    const table = ALL_STATUSES.flatMap((status) => Object.entries(ORDER_TRANSITIONS[status]).map(([event, next]) => `${status} ${event} ${next}`));
    expect(table.sort()).toEqual(LEGAL_PAIRS.map((p) => `${p.status} ${p.event} ${p.next}`).sort());
  });

  it.each(ILLEGAL_PAIRS)('$status + $event is illegal', ({ status, event }) => {
    expect(() => orderIn(status).apply(event, 5)).toThrow(IllegalOrderTransition);
  });

  it('throws on every pair absent from the table and leaves status and time unchanged (property)', () => {
    expect(ILLEGAL_PAIRS.length).toBeGreaterThan(50);
    fc.assert(
      fc.property(fc.constantFrom(...ALL_STATUSES), fc.constantFrom(...ALL_EVENTS), (status, event) => {
        fc.pre(!isLegal(status, event));
        const order = orderIn(status);
        const before = order.updatedAt;
        expect(() => order.apply(event, 123_456)).toThrow(IllegalOrderTransition);
        expect(order.status).toBe(status);
        expect(order.updatedAt).toBe(before);
      }),
      { numRuns: 400 },
    );
  });

  it.each([...TERMINAL_STATUSES])('a %s order accepts no event at all', (status) => {
    for (const event of ALL_EVENTS) {
      const order = orderIn(status);
      expect(() => order.apply(event, 1), `${status} + ${event}`).toThrow(IllegalOrderTransition);
      expect(order.status).toBe(status);
    }
  });

  it('cannot ask to cancel twice while a cancel is pending', () => {
    const order = orderIn(S.PendingCancel);
    expect(() => order.apply(E.PendingCancel, 5)).toThrow(IllegalOrderTransition);
  });
});

describe('cancel rejected', () => {
  it.each([S.Submitted, S.Accepted, S.Triggered, S.PartiallyFilled])('returns a %s order to %s', (status) => {
    const order = orderIn(status);
    order.apply(E.PendingCancel, 10);
    expect(order.status).toBe(S.PendingCancel);
    expect(order.apply(E.CancelRejected, 11)).toBe(status);
  });

  it('returns to PARTIALLY_FILLED when a fill arrived while the cancel was pending', () => {
    const order = orderIn(S.Accepted);
    order.apply(E.PendingCancel, 10);
    expect(order.apply(E.PartiallyFilled, 11)).toBe(S.PendingCancel);
    expect(order.apply(E.CancelRejected, 12)).toBe(S.PartiallyFilled);
  });

  it('remembers the latest status when cancels are rejected more than once', () => {
    const order = orderIn(S.Accepted);
    order.apply(E.PendingCancel, 10);
    order.apply(E.CancelRejected, 11);
    order.apply(E.PartiallyFilled, 12);
    order.apply(E.PendingCancel, 13);
    expect(order.apply(E.CancelRejected, 14)).toBe(S.PartiallyFilled);
    order.apply(E.PendingCancel, 15);
    expect(order.apply(E.Canceled, 16)).toBe(S.Canceled);
  });

  it('lets a pending cancel end filled or expired', () => {
    const filled = orderIn(S.PendingCancel);
    expect(filled.apply(E.Filled, 1)).toBe(S.Filled);
    const expired = orderIn(S.PendingCancel);
    expect(expired.apply(E.Expired, 1)).toBe(S.Expired);
  });
});

describe('order quantities', () => {
  it('reports remaining quantity and the average fill price', () => {
    const order = new Order('O-2', 'X', OrderSide.Sell, OrderType.Limit, 10, 5, undefined, TimeInForce.IOC, 0, 5, 'tag');
    expect(order.remainingQuantity).toBe(10);
    expect(Number.isNaN(order.averageFillPrice)).toBe(true);
    order.filledQuantity = 4;
    order.filledNotional = 4 * 5.5;
    expect(order.remainingQuantity).toBe(6);
    expect(order.averageFillPrice).toBe(5.5);
    expect(order.tag).toBe('tag');
    expect(order.updatedAt).toBe(order.createdAt);
  });
});

describe('fills, triggers and the emergency mark go through the table', () => {
  const btc = resolveInstrument('BTC/USDT', Market.Crypto);

  it('sums fills on the lot grid and ends FILLED when the sum reaches the quantity', () => {
    const order = new Order('O-3', 'BTC/USDT', OrderSide.Buy, OrderType.Market, 0.3, undefined, undefined, TimeInForce.GTC, 0, 100);
    order.apply(E.Submitted, 0);
    expect(order.applyFill({ price: 100, quantity: 0.1, time: 5 }, btc)).toBe(E.PartiallyFilled);
    expect(order.applyFill({ price: 103, quantity: 0.2, time: 6 }, btc)).toBe(E.Filled);
    expect([order.status, order.filledQuantity, order.updatedAt]).toEqual([S.Filled, 0.3, 6]);
    expect(order.averageFillPrice).toBeCloseTo(102, 10);
  });

  it('refuses a fill the table does not allow and leaves the fill state as it was', () => {
    const order = newOrder();
    expect(() => order.applyFill({ price: 100, quantity: 0.5, time: 5 }, btc)).toThrow(IllegalOrderTransition);
    expect([order.status, order.filledQuantity, order.filledNotional]).toEqual([S.Initialized, 0, 0]);
  });

  it('marks a triggered stop, also while its cancel is pending', () => {
    const order = orderIn(S.PendingCancel);
    order.trigger(7);
    expect([order.status, order.triggered]).toEqual([S.PendingCancel, true]);
    const fresh = newOrder();
    expect(() => fresh.trigger(7)).toThrow(IllegalOrderTransition);
    expect(fresh.triggered).toBe(false);
  });

  it('marks an emergency order only before it is submitted', () => {
    const order = newOrder();
    order.markEmergency();
    expect(order.emergency).toBe(true);
    expect(() => orderIn(S.Submitted).markEmergency()).toThrow(/only a new order/);
  });

  it('takes a journaled state only when new, and marks a stop that was TRIGGERED or has filled as triggered', () => {
    const stop = (): Order => new Order('O-2', 'BTC/USDT', OrderSide.Sell, OrderType.Stop, 2, undefined, 90, TimeInForce.GTC, 1_000, 100);
    const triggered = stop();
    triggered.restoreState(S.Triggered, 0, 5_000);
    expect([triggered.status, triggered.filledQuantity, triggered.updatedAt, triggered.triggered]).toEqual([S.Triggered, 0, 5_000, true]);
    const partlyFilled = stop();
    partlyFilled.restoreState(S.PartiallyFilled, 1, 6_000);
    expect(partlyFilled.triggered, 'a stop fills only after its trigger').toBe(true);
    const resting = stop();
    resting.restoreState(S.Accepted, 0, 6_000);
    expect(resting.triggered, 'an accepted stop has not triggered').toBe(false);
    const market = newOrder();
    market.restoreState(S.PartiallyFilled, 0.5, 7_000);
    expect(market.triggered, 'only stops trigger').toBe(false);
    expect(market.remainingQuantity).toBe(0.5);
    expect(() => orderIn(S.Accepted).restoreState(S.Filled, 1, 8_000)).toThrow(/only a new order/);
  });
});
