// A level-2 order book: two price-indexed TickLadders (bids and asks) with O(1) top of book.
import { TickLadder } from './tick-ladder.ts';
import type { TickLadderOptions } from './tick-ladder.ts';

/** Book side as stored in the columnar diff arrays: 0 = bid, 1 = ask. */
export const BID = 0;
export const ASK = 1;
export type BookSide = typeof BID | typeof ASK;

/** Top of book at one instant. Prices and sizes are NaN for an empty side. */
export interface TopOfBook {
  bidPrice: number;
  bidQty: number;
  askPrice: number;
  askQty: number;
}

/** One price level, for display and tests (the hot paths never build these). */
export type Level = [price: number, qty: number];

export class OrderBook {
  readonly bids: TickLadder;
  readonly asks: TickLadder;

  /** options: window size in price units and the price decimals (both inferred when omitted). */
  constructor(options: TickLadderOptions = {}) {
    this.bids = new TickLadder(true, options);
    this.asks = new TickLadder(false, options);
  }

  /** Set the absolute quantity of a level (qty 0 deletes it). side: BID (0) or ASK (1). */
  apply(side: number, price: number, qty: number): void {
    (side === BID ? this.bids : this.asks).set(price, qty);
  }

  bestBid(): number {
    return this.bids.bestPrice();
  }

  bestBidQty(): number {
    return this.bids.bestQty();
  }

  bestAsk(): number {
    return this.asks.bestPrice();
  }

  bestAskQty(): number {
    return this.asks.bestQty();
  }

  /** Best bid >= best ask (false while either side is empty). */
  isCrossed(): boolean {
    return this.bids.bestPrice() >= this.asks.bestPrice();
  }

  /** Copy the top of book into `into` (no allocation when `into` is reused). */
  top(into: TopOfBook = { bidPrice: Number.NaN, bidQty: Number.NaN, askPrice: Number.NaN, askQty: Number.NaN }): TopOfBook {
    into.bidPrice = this.bids.bestPrice();
    into.bidQty = this.bids.bestQty();
    into.askPrice = this.asks.bestPrice();
    into.askQty = this.asks.bestQty();
    return into;
  }

  /** Replace the whole book; each side's levels best first (any order works, best first is fastest). */
  load(bids: { prices: ArrayLike<number>; qtys: ArrayLike<number> }, asks: { prices: ArrayLike<number>; qtys: ArrayLike<number> }): void {
    this.bids.load(bids.prices, bids.qtys);
    this.asks.load(asks.prices, asks.qtys);
  }

  /** Keep the `depth` best levels of each side. */
  truncate(depth: number): void {
    this.bids.truncate(depth);
    this.asks.truncate(depth);
  }

  clear(): void {
    this.bids.clear();
    this.asks.clear();
  }

  /** The `n` best levels of a side as [price, qty] pairs, best first (allocates: for display and tests). */
  levels(side: BookSide, n = Number.POSITIVE_INFINITY): Level[] {
    const ladder = side === BID ? this.bids : this.asks;
    const count = Math.min(n, ladder.size);
    const out: Level[] = [];
    for (let i = 0; i < count; i++) out.push([ladder.priceAt(i), ladder.qtyAt(i)]);
    return out;
  }
}
