// A paper venue (BookExecutionClient) under a kernel on a simulated clock, fed with books and bars the
// test builds: `trade(price)` moves the market one minute on, with a book around the price and a bar
// whose close (the last trade) is the price.
import { BookExecutionClient } from '../../src/adapters/sim/book-execution-client.ts';
import type { Bar } from '../../src/core/bar.ts';
import type { BookLevels, BookSnapshot } from '../../src/core/book.ts';
import { numberToMoney } from '../../src/core/decimal.ts';
import { CryptoFeeSchedule } from '../../src/core/fees.ts';
import type { Fill } from '../../src/core/fill.ts';
import { Instrument } from '../../src/core/instrument.ts';
import { Market } from '../../src/core/market.ts';
import { type Order, type OrderRequest, OrderSide, type OrderType, type TimeInForce } from '../../src/core/order.ts';
import { SimulatedClock } from '../../src/common/clock.ts';
import type { OrderEvent } from '../../src/common/events.ts';
import { Kernel } from '../../src/kernel/kernel.ts';
import { Topic } from '../../src/common/message-bus.ts';
import { Strategy } from '../../src/common/strategy.ts';

export const SYMBOL = 'BTC/USDT';
export const MINUTE = 60_000;
export const T0 = Date.UTC(2024, 0, 1);
/** Fee rates of the paper venue in these tests. */
export const MAKER_BPS = 2;
export const TAKER_BPS = 5;

class Idle extends Strategy {
  readonly name = 'idle';
}

export interface BookShape {
  /** Best bid and best ask (default: the price -/+ 0.5). */
  readonly bid?: number;
  readonly ask?: number;
  /** Size of each of the 5 levels a side (default 2). */
  readonly size?: number;
}

/** Five levels a side, one dollar apart, from the best bid down and the best ask up. */
export function bookAround(time: number, price: number, shape: BookShape = {}): BookSnapshot {
  const bid = shape.bid ?? price - 0.5;
  const ask = shape.ask ?? price + 0.5;
  const size = shape.size ?? 2;
  const side = (best: number, step: number): BookLevels => Array.from({ length: 5 }, (_, i) => [best + i * step, size] as const);
  return { symbol: SYMBOL, time, bids: side(bid, -1), asks: side(ask, 1) };
}

export class PaperVenue {
  readonly instrument = new Instrument({ symbol: SYMBOL, market: Market.Crypto, base: 'BTC', quote: 'USDT', tickSize: '0.01', lotSize: '0.00001', minNotional: 0 });
  readonly clock = new SimulatedClock(T0);
  readonly venue = new BookExecutionClient((i) => new CryptoFeeSchedule({ makerBps: MAKER_BPS, takerBps: TAKER_BPS }, i.quote));
  readonly kernel: Kernel;
  readonly events: OrderEvent[] = [];

  constructor(capital = 1_000_000) {
    this.kernel = new Kernel({ clock: this.clock, execution: this.venue, instruments: [this.instrument], currency: 'USDT', initialCapital: numberToMoney(capital), strategy: new Idle() });
    this.kernel.bus.subscribe<OrderEvent>(Topic.OrderEvent, (event) => this.events.push(event));
  }

  start(): this {
    this.kernel.start();
    return this;
  }

  /** One minute on: a book around `price` (or shaped), then the bar that closes now at `price`. */
  trade(price: number, shape: BookShape = {}): void {
    this.clock.advanceTo(this.clock.now() + MINUTE);
    this.book(price, shape);
    this.bar(price);
  }

  /** A book only (no trade): the clock moves one second. */
  book(price: number, shape: BookShape = {}): void {
    this.clock.advanceTo(this.clock.now() + 1_000);
    this.kernel.onBook(bookAround(this.clock.now(), price, shape));
  }

  /** A book that carries the feed's last public trade (as the CCXT data client's books do): the clock moves one second. */
  tradeOnBook(bookPrice: number, lastTradePrice: number, shape: BookShape = {}): void {
    this.clock.advanceTo(this.clock.now() + 1_000);
    const time = this.clock.now();
    this.kernel.onBook({ ...bookAround(time, bookPrice, shape), lastTradePrice, lastTradeTime: time });
  }

  /** A bar closing at `closeTime` (default now) at `close`: the session's last trade price. */
  bar(close: number, closeTime = this.clock.now()): void {
    const bar: Bar = { symbol: SYMBOL, openTime: closeTime - MINUTE, closeTime, open: close, high: close, low: close, close, volume: 100 };
    this.kernel.onBar(bar);
  }

  submit(side: OrderSide, type: OrderType, quantity: number, prices: { stopPrice?: number; price?: number; timeInForce?: TimeInForce } = {}): Order {
    const request: OrderRequest = { symbol: SYMBOL, side, type, quantity, ...prices };
    return this.kernel.submitOrder(request);
  }

  /** Hold `quantity` BTC (so sells have something to sell). */
  hold(quantity: number, price: number): void {
    this.kernel.adoptPosition(SYMBOL, quantity, price);
  }

  kinds(order: Order): string[] {
    return this.events.filter((e) => e.order === order).map((e) => e.kind);
  }

  eventOf(order: Order, kind: string): OrderEvent | undefined {
    return this.events.find((e) => e.order === order && e.kind === kind);
  }

  fillsOf(order: Order): Fill[] {
    return this.kernel.fills.filter((f) => f.orderId === order.id);
  }
}

export const { Buy, Sell } = OrderSide;
