// Paper trading's venue: orders fill against the live order book, walking its levels (partial fills
// when the book is thin), with the venue's fees. Nothing is sent to the exchange. Stops wait off the
// book for the last trade price (the close of the latest bar) to reach them.
import { type Bar, type BookSnapshot, type FeeSchedule, type Fill, fillOf, type Instrument, Liquidity, notionalOf, type Order, OrderSide, OrderStatus, OrderType, TimeInForce } from '../../core/index.ts';
import type { ExecutionClient, ExecutionContext } from '../../common/index.ts';

interface Working {
  readonly order: Order;
  /** Exact notional and commission so far (per-order fee minimums). */
  notional: bigint;
  commission: bigint;
  /** A stop that has not triggered: it waits off the book for the last trade price to reach it. */
  armed: boolean;
  /**
   * The next book this order meets is its first look at the market: it trades as a taker there and
   * IOC/FOK are decided there. Set for a stop that triggered while no book was known yet.
   */
  firstLook: boolean;
}

/** The last trade price the paper venue knows for a symbol, and its venue time. */
interface LastTrade {
  readonly price: number;
  readonly time: number;
}

function isStop(order: Order): boolean {
  return order.type === OrderType.Stop || order.type === OrderType.StopLimit;
}

/** A stop is reached when the last trade is at or through it: sell at or below, buy at or above. */
function reached(order: Order, lastTrade: number): boolean {
  return order.side === OrderSide.Buy ? lastTrade >= order.stopPrice! : lastTrade <= order.stopPrice!;
}

export class BookExecutionClient implements ExecutionClient {
  readonly name = 'paper';
  private context!: ExecutionContext;
  private readonly working: Working[][] = [];
  private readonly books: (BookSnapshot | undefined)[] = [];
  private readonly lastTrades: (LastTrade | undefined)[] = [];
  private fillSequence = 0;

  constructor(private readonly feesFor: (instrument: Instrument) => FeeSchedule) {}

  connect(context: ExecutionContext): void {
    this.context = context;
    context.onBook((book, index) => this.onBook(book, index));
    context.onBar((bar, index) => this.onBar(bar, index));
  }

  describe(): string[] {
    return [
      'Paper fills: market orders walk the live book level by level at its prices (partial fills when it is thin; the rest waits for the next book).',
      'Limit orders fill when the book crosses the limit, at the book prices up to the limit; a resting limit pays the maker fee, a marketable one the taker fee.',
      'Stops wait off the book until the last trade price reaches the stop (sell: at or below, buy: at or above): the feed\'s public trades, else the close of the latest closed bar; then a stop walks the book like a market order and a stop-limit works as a limit order at its price.',
    ];
  }

  submitOrder(order: Order): void {
    const index = this.context.symbolIndex(order.symbol);
    const working: Working = { order, notional: 0n, commission: 0n, armed: isStop(order), firstLook: false };
    (this.working[index] ??= []).push(working);
    this.context.events.orderAccepted(order, this.context.clock.now());
    if (working.armed) {
      // Already through the stop when it arrives: it triggers at once. Otherwise it waits for a later trade.
      const last = this.lastTrades[index];
      if (last !== undefined && reached(order, last.price)) this.trigger(index, [working]);
      return;
    }
    const book = this.books[index];
    if (book) this.match(index, book, true);
  }

  /** Resume: an order open when the session stopped goes back to work with what it already paid (a stop keeps `triggered`). */
  restoreOrder(order: Order, fills: readonly Fill[]): void {
    let notional = 0n;
    let commission = 0n;
    for (const fill of fills) {
      notional += fill.notional;
      commission += fill.fee;
    }
    // Triggered: the flag, or a status only a triggered stop reaches (a journal keeps the status, not the flag).
    const triggered = order.triggered || order.status === OrderStatus.Triggered || order.status === OrderStatus.PartiallyFilled || order.filledQuantity > 0;
    const armed = isStop(order) && !triggered;
    // A triggered IOC/FOK stop still open never had its look at the book (it would have expired there).
    const firstLook = isStop(order) && triggered && order.timeInForce !== TimeInForce.GTC;
    (this.working[this.context.symbolIndex(order.symbol)] ??= []).push({ order, notional, commission, armed, firstLook });
  }

  /** Resume: fill ids continue after the journaled ones (P-1, P-2, ... stay unique within the run). */
  continueFillIds(ids: readonly string[]): void {
    for (const id of ids) {
      const n = Number(/^P-(\d+)$/.exec(id)?.[1] ?? 0);
      if (n > this.fillSequence) this.fillSequence = n;
    }
  }

  cancelOrder(order: Order): void {
    const list = this.working[this.context.symbolIndex(order.symbol)];
    const at = list ? list.findIndex((w) => w.order === order) : -1;
    if (list && at >= 0) list.splice(at, 1);
    this.context.events.orderCanceled(order, this.context.clock.now());
  }

  private onBook(book: BookSnapshot, index: number): void {
    this.books[index] = book;
    if ((this.working[index]?.length ?? 0) > 0) this.match(index, book, false);
    // A feed that carries trades: the last trade is the price stops watch. Stops it triggers take their
    // first look at this book now, after the orders already working (none looks at one book twice).
    if (book.lastTradePrice !== undefined && book.lastTradeTime !== undefined) this.onTrade(index, book.lastTradePrice, book.lastTradeTime);
  }

  /**
   * A closed bar: its close is a trade price too, the only one when the feed carries no trades (and
   * the newest one after a gap in the trade stream).
   */
  private onBar(bar: Bar, index: number): void {
    this.onTrade(index, bar.close, bar.closeTime);
  }

  /** A newer last trade price: stops created at or before it that it reaches trigger. Older prices are ignored. */
  private onTrade(index: number, price: number, time: number): void {
    const previous = this.lastTrades[index];
    if (previous !== undefined && time < previous.time) return;
    if (previous !== undefined && time === previous.time && price === previous.price) return;
    this.lastTrades[index] = { price, time };
    const list = this.working[index];
    if (list === undefined || list.length === 0) return;
    // Only trades at or after an order's creation trigger it (a resumed session replays older history).
    const due = list.filter((w) => w.armed && !w.order.isTerminal && time >= w.order.createdAt && reached(w.order, price));
    if (due.length > 0) this.trigger(index, due);
  }

  /** TRIGGERED, then each order's first look at the book: now if one is known, else at the next one. */
  private trigger(index: number, due: readonly Working[]): void {
    const now = this.context.clock.now();
    for (const working of due) {
      working.armed = false;
      this.context.events.orderTriggered(working.order, now);
    }
    const book = this.books[index];
    if (book) this.match(index, book, true, due);
    else for (const working of due) working.firstLook = true;
  }

  /** Match `candidates` (default: every working order of the symbol) against `book`; `onArrival` for all of them. */
  private match(index: number, book: BookSnapshot, onArrival: boolean, candidates?: readonly Working[]): void {
    const list = this.working[index]!;
    for (const working of candidates ?? [...list]) {
      const order = working.order;
      if (order.isTerminal || working.armed) continue;
      const arrival = onArrival || working.firstLook;
      working.firstLook = false;
      this.fillFromBook(working, book, arrival);
      const done = order.isTerminal || (order.timeInForce !== TimeInForce.GTC && arrival);
      if (!order.isTerminal && done) this.context.events.orderExpired(order, this.context.clock.now());
    }
    this.working[index] = list.filter((w) => !w.order.isTerminal);
  }

  private fillFromBook(working: Working, book: BookSnapshot, onArrival: boolean): void {
    const order = working.order;
    const instrument = this.context.instrument(order.symbol);
    const buy = order.side === OrderSide.Buy;
    const levels = buy ? book.asks : book.bids;
    // A triggered stop-limit is a limit order at its price; a triggered stop a market order.
    const limited = order.type === OrderType.Limit || order.type === OrderType.StopLimit;
    const limit = limited ? order.price! : buy ? Infinity : 0;
    const liquidity = limited && !onArrival ? Liquidity.Maker : Liquidity.Taker;
    const fees = this.feesFor(instrument);
    let remaining = instrument.quantityUnits(order.remainingQuantity);
    if (order.side === OrderSide.Sell) remaining = Math.min(remaining, this.context.account.sellableUnits(order.symbol, this.context.clock.now()));
    if (order.timeInForce === TimeInForce.FOK && onArrival) {
      let available = 0;
      for (const [price, size] of levels) if (buy ? price <= limit : price >= limit) available += instrument.quantityUnits(size);
      if (available < remaining) return;
    }
    for (const [levelPrice, size] of levels) {
      if (remaining <= 0) break;
      if (buy ? levelPrice > limit : levelPrice < limit) break;
      let units = Math.min(remaining, instrument.quantityUnits(size));
      units -= units % instrument.lotUnits;
      if (units <= 0) continue;
      const price = instrument.roundPrice(levelPrice);
      let quantity = instrument.quantityFromUnits(units);
      let notional = notionalOf(instrument, price, quantity);
      let costs = fees.costs(order.side, liquidity, notional, working.notional, working.commission);
      if (buy) {
        const cash = this.context.account.cash();
        if (notional + costs.fee + costs.tax > cash) {
          // The balance never goes negative: take what the cash covers at this level, then stop.
          let affordable = Math.floor((units * Number(cash)) / Number(notional + costs.fee + costs.tax));
          affordable -= affordable % instrument.lotUnits;
          if (affordable <= 0) return;
          units = affordable;
          quantity = instrument.quantityFromUnits(units);
          notional = notionalOf(instrument, price, quantity);
          costs = fees.costs(order.side, liquidity, notional, working.notional, working.commission);
          if (notional + costs.fee + costs.tax > cash) return;
          remaining = units;
        }
      }
      working.notional += notional;
      working.commission += costs.commission;
      remaining -= units;
      const fill = fillOf(order, {
        id: `P-${++this.fillSequence}`,
        time: this.context.clock.now(),
        price,
        quantity,
        notional,
        fee: costs.fee,
        tax: costs.tax,
        liquidity,
        referencePrice: levels[0]![0],
      });
      this.context.events.orderFilled(order, fill);
      if (order.isTerminal) break;
    }
  }
}
