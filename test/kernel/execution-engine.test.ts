// The execution engine on its own: orders made and checked in one place, routed to the venue, moved by venue
// events through the transition table into the portfolio, and held behind the write-ahead gate.
import { describe, expect, it } from 'vitest';
import { numberToMoney } from '../../src/core/decimal.ts';
import type { Fill } from '../../src/core/fill.ts';
import { resolveInstrument } from '../../src/core/instrument-table.ts';
import { Market } from '../../src/core/market.ts';
import { type Order, OrderEventKind, OrderSide, OrderStatus, OrderType } from '../../src/core/order.ts';
import { Cache } from '../../src/common/cache.ts';
import { SimulatedClock } from '../../src/common/clock.ts';
import type { OrderEvent } from '../../src/common/events.ts';
import { MessageBus, Topic } from '../../src/common/message-bus.ts';
import { type ExecutionClient, type ExecutionContext, PASS_THROUGH_RISK, type RiskGate } from '../../src/common/ports.ts';
import { ExecutionEngine, KernelDenial } from '../../src/engines/execution/index.ts';
import { Portfolio } from '../../src/engines/portfolio/index.ts';
import { takerFill } from './helpers.ts';

const BTC = resolveInstrument('BTC/USDT', Market.Crypto);
const T0 = Date.UTC(2024, 0, 2);

/** A venue that only records what reaches it. */
class RecordingVenue implements ExecutionClient {
  readonly name = 'recording';
  context: ExecutionContext | undefined;
  readonly submitted: Order[] = [];
  readonly canceled: Order[] = [];
  readonly restored: Array<{ order: Order; fills: readonly Fill[] }> = [];
  connect(context: ExecutionContext): void {
    this.context = context;
  }
  submitOrder(order: Order): void {
    this.submitted.push(order);
  }
  cancelOrder(order: Order): void {
    this.canceled.push(order);
  }
  restoreOrder(order: Order, fills: readonly Fill[]): void {
    this.restored.push({ order, fills });
  }
  describe(): string[] {
    return [];
  }
}

function setup(risk: RiskGate = PASS_THROUGH_RISK) {
  const clock = new SimulatedClock(T0);
  const cache = new Cache();
  cache.addInstrument(BTC);
  cache.lastClose[0] = 20_000;
  const bus = new MessageBus();
  const portfolio = new Portfolio({ cache, bus, currency: 'USDT', initialCapital: numberToMoney(10_000), log: () => {} });
  const venue = new RecordingVenue();
  const delivered: OrderEvent[] = [];
  const mode = { warmingUp: false, muted: false };
  const engine = new ExecutionEngine({ clock, cache, bus, client: venue, portfolio, risk, mode });
  engine.gate.deliverTo({ onOrderEvent: (event) => delivered.push(event) });
  engine.connect([], []);
  return { clock, cache, bus, portfolio, venue, engine, mode, delivered };
}

const fillOf = (order: Order, quantity: number, price: number, time: number): Fill => takerFill(order, BTC, quantity, price, time);

describe('the execution engine', () => {
  it('makes the order on the grids, at the last price, and sends it to the venue', () => {
    const { cache, venue, engine, delivered } = setup();
    const order = engine.submitOrder({ symbol: 'BTC/USDT', side: OrderSide.Buy, type: OrderType.Limit, quantity: 0.123456, price: 19_999.999, tag: 't' });
    expect([order.id, order.quantity, order.price, order.decisionPrice, order.createdAt, order.tag, order.status]).toEqual(['O-1', 0.12345, 20_000, 20_000, T0, 't', OrderStatus.Submitted]);
    expect(venue.submitted).toEqual([order]);
    expect(cache.openOrders).toEqual([order]);
    expect(delivered.map((e) => e.kind)).toEqual([OrderEventKind.Submitted]);
    expect(venue.context?.account.cash()).toBe(numberToMoney(10_000));
  });

  it('denies malformed orders with counted reasons, and refuses quietly while warming up', () => {
    const { venue, engine, mode, delivered } = setup();
    expect(engine.submitOrder({ symbol: 'BTC/USDT', side: OrderSide.Buy, type: OrderType.Market, quantity: 0.000001 }).status).toBe(OrderStatus.Denied);
    expect(engine.submitOrder({ symbol: 'BTC/USDT', side: OrderSide.Buy, type: OrderType.Stop, quantity: 1 }).status).toBe(OrderStatus.Denied);
    expect(engine.submitOrder({ symbol: 'DOGE/USDT', side: OrderSide.Buy, type: OrderType.Market, quantity: 1 }).id).toBe('O-3');
    mode.warmingUp = true;
    const quiet = engine.submitOrder({ symbol: 'BTC/USDT', side: OrderSide.Buy, type: OrderType.Market, quantity: 1 });
    expect([quiet.id, quiet.status]).toEqual(['warm-up', OrderStatus.Denied]);
    expect(engine.submitOrder({ symbol: 'BTC/USDT', side: OrderSide.Sell, type: OrderType.Market, quantity: 1 }, true).emergency).toBe(true);
    expect(Object.fromEntries(engine.deniedCounts)).toEqual({ [KernelDenial.InvalidQuantity]: 1, [KernelDenial.InvalidPrice]: 1, [KernelDenial.UnknownSymbol]: 1 });
    expect(delivered.map((e) => `${e.order.id} ${e.kind}`)).toEqual(['O-1 DENIED', 'O-2 DENIED', 'O-3 DENIED', 'O-4 SUBMITTED']);
    expect(venue.submitted.map((o) => o.id)).toEqual(['O-4']);
  });

  it('asks the risk gate to size and to check each order', () => {
    const seen: Order[] = [];
    const risk: RiskGate = {
      sizeOrder: (_symbol, _side, quantity) => quantity / 2,
      checkSubmit: (order) => (seen.push(order), order.quantity > 1 ? { reason: 'TOO_BIG', detail: 'no' } : undefined),
    };
    const { engine } = setup(risk);
    expect(engine.submitOrder({ symbol: 'BTC/USDT', side: OrderSide.Buy, type: OrderType.Market, quantity: 2 }).quantity).toBe(1);
    expect(engine.submitOrder({ symbol: 'BTC/USDT', side: OrderSide.Buy, type: OrderType.Market, quantity: 4 }).status).toBe(OrderStatus.Denied);
    expect(seen.map((o) => o.quantity)).toEqual([1, 2]);
    expect(engine.deniedCounts.get('TOO_BIG')).toBe(1);
  });

  it('moves venue events through the table and books fills in the portfolio', () => {
    const { cache, bus, portfolio, engine, delivered } = setup();
    const published: Fill[] = [];
    bus.subscribe<Fill>(Topic.Fill, (f) => published.push(f));
    const order = engine.submitOrder({ symbol: 'BTC/USDT', side: OrderSide.Buy, type: OrderType.Market, quantity: 0.3 });
    engine.orderAccepted(order, T0 + 1);
    engine.orderFilled(order, fillOf(order, 0.1, 20_000, T0 + 2));
    expect([order.status, cache.openOrders.length, portfolio.heldQuantity(0)]).toEqual([OrderStatus.PartiallyFilled, 1, 0.1]);
    engine.orderFilled(order, fillOf(order, 0.2, 20_000, T0 + 3));
    expect([order.status, order.filledQuantity, cache.openOrders.length, portfolio.heldQuantity(0), portfolio.fills.length]).toEqual([OrderStatus.Filled, 0.3, 0, 0.3, 2]);
    expect(published).toEqual(portfolio.fills);
    expect(delivered.map((e) => e.kind)).toEqual([OrderEventKind.Submitted, OrderEventKind.Accepted, OrderEventKind.PartiallyFilled, OrderEventKind.Filled]);
  });

  it('asks the venue to cancel once, and not at all while muted', () => {
    const { venue, engine, mode } = setup();
    const order = engine.submitOrder({ symbol: 'BTC/USDT', side: OrderSide.Buy, type: OrderType.Limit, quantity: 1, price: 10_000 });
    engine.cancelOrder(order.id);
    engine.cancelOrder(order.id);
    expect([order.status, venue.canceled.length]).toEqual([OrderStatus.PendingCancel, 1]);
    engine.orderCanceled(order, T0 + 5);
    const other = engine.submitOrder({ symbol: 'BTC/USDT', side: OrderSide.Buy, type: OrderType.Limit, quantity: 1, price: 10_000 });
    mode.muted = true;
    engine.cancelOrder(other.id);
    expect([other.status, venue.canceled.length]).toEqual([OrderStatus.Submitted, 1]);
  });

  it('holds events behind the write-ahead record until released, in order', () => {
    const { bus, engine, delivered } = setup();
    const recorded: string[] = [];
    const onBus: string[] = [];
    bus.subscribe<OrderEvent>(Topic.OrderEvent, (e) => onBus.push(e.kind));
    engine.gate.setWriteAhead((item) => recorded.push(item.topic));
    engine.gate.hold();
    const order = engine.submitOrder({ symbol: 'BTC/USDT', side: OrderSide.Buy, type: OrderType.Market, quantity: 0.1 });
    engine.orderFilled(order, fillOf(order, 0.1, 20_000, T0 + 1));
    expect(recorded).toEqual([Topic.OrderEvent, Topic.Fill, Topic.OrderEvent]);
    expect([delivered.length, onBus.length]).toEqual([0, 0]);
    engine.gate.release();
    expect(delivered.map((e) => e.kind)).toEqual([OrderEventKind.Submitted, OrderEventKind.Filled]);
    expect(onBus).toEqual([OrderEventKind.Submitted, OrderEventKind.Filled]);
  });

  it('restores journaled orders: numbering continues, open ones go back to the venue with their fills', () => {
    const first = setup();
    const open = first.engine.submitOrder({ symbol: 'BTC/USDT', side: OrderSide.Buy, type: OrderType.Limit, quantity: 1, price: 10_000 });
    const done = first.engine.submitOrder({ symbol: 'BTC/USDT', side: OrderSide.Buy, type: OrderType.Market, quantity: 0.1 });
    const fill = fillOf(done, 0.1, 20_000, T0 + 1);
    first.engine.orderFilled(done, fill);
    const second = setup();
    second.engine.restoreOrders([open, done], [fill]);
    expect(second.venue.restored).toEqual([{ order: open, fills: [] }]);
    expect(second.cache.openOrders).toEqual([open]);
    expect(second.engine.submitOrder({ symbol: 'BTC/USDT', side: OrderSide.Buy, type: OrderType.Market, quantity: 0.1 }).id).toBe('O-3');
  });
});
