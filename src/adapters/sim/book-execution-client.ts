// Paper trading's venue: orders fill against the live order book, walking its levels (partial fills
// when the book is thin), with the venue's fees. Nothing is sent to the exchange.
import { notionalOf } from '../../core/account.ts';
import type { BookSnapshot } from '../../core/book.ts';
import type { FeeSchedule } from '../../core/fees.ts';
import { type Fill, Liquidity, slippageBps } from '../../core/fill.ts';
import type { Instrument } from '../../core/instrument.ts';
import { type Order, OrderSide, OrderType, TimeInForce } from '../../core/order.ts';
import type { ExecutionClient, ExecutionContext } from '../../kernel/ports.ts';

interface Working {
  readonly order: Order;
  /** Exact notional and commission so far (per-order fee minimums). */
  notional: bigint;
  commission: bigint;
}

export class BookExecutionClient implements ExecutionClient {
  readonly name = 'paper';
  private context!: ExecutionContext;
  private readonly working: Working[][] = [];
  private readonly books: (BookSnapshot | undefined)[] = [];
  private fillSequence = 0;

  constructor(private readonly feesFor: (instrument: Instrument) => FeeSchedule) {}

  connect(context: ExecutionContext): void {
    this.context = context;
    context.onBook((book, index) => this.onBook(book, index));
  }

  describe(): string[] {
    return [
      'Paper fills: market orders walk the live book level by level at its prices (partial fills when it is thin; the rest waits for the next book).',
      'Limit orders fill when the book crosses the limit, at the book prices up to the limit; a resting limit pays the maker fee, a marketable one the taker fee.',
    ];
  }

  submitOrder(order: Order): void {
    const index = this.context.symbolIndex(order.symbol);
    (this.working[index] ??= []).push({ order, notional: 0n, commission: 0n });
    this.context.events.orderAccepted(order, this.context.clock.now());
    const book = this.books[index];
    if (book) this.match(index, book, true);
  }

  /** Resume: an order open when the session stopped goes back to work with what it already paid. */
  restoreOrder(order: Order, fills: readonly Fill[]): void {
    let notional = 0n;
    let commission = 0n;
    for (const fill of fills) {
      notional += fill.notional;
      commission += fill.fee;
    }
    (this.working[this.context.symbolIndex(order.symbol)] ??= []).push({ order, notional, commission });
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
  }

  private match(index: number, book: BookSnapshot, onArrival: boolean): void {
    const list = this.working[index]!;
    for (const working of [...list]) {
      const order = working.order;
      if (order.isTerminal) continue;
      this.fillFromBook(working, book, onArrival);
      const done = order.isTerminal || (order.timeInForce !== TimeInForce.GTC && onArrival);
      if (!order.isTerminal && done) this.context.events.orderExpired(order, this.context.clock.now());
    }
    this.working[index] = list.filter((w) => !w.order.isTerminal);
  }

  private fillFromBook(working: Working, book: BookSnapshot, onArrival: boolean): void {
    const order = working.order;
    const instrument = this.context.instrument(order.symbol);
    const buy = order.side === OrderSide.Buy;
    const levels = buy ? book.asks : book.bids;
    const limit = order.type === OrderType.Limit ? order.price! : buy ? Infinity : 0;
    const liquidity = order.type === OrderType.Limit && !onArrival ? Liquidity.Maker : Liquidity.Taker;
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
      const decision = order.decisionPrice;
      const fill: Fill = {
        id: `P-${++this.fillSequence}`,
        orderId: order.id,
        symbol: order.symbol,
        side: order.side,
        time: this.context.clock.now(),
        price,
        quantity,
        notional,
        fee: costs.fee,
        tax: costs.tax,
        liquidity,
        referencePrice: levels[0]![0],
        impactBps: 0,
        slippageBps: slippageBps(order.side, price, decision),
        reducedForCash: false,
      };
      this.context.events.orderFilled(order, fill);
      if (order.isTerminal) break;
    }
  }
}
