// Order-book features computed from an OrderBook (formulas in docs/order-book.md). All read the book
// without allocating except priceImpact, which returns a small result object.
import type { Ladder } from './ladder.ts';
import type { OrderBook, TopOfBook } from './order-book.ts';

/** Best ask - best bid (NaN when a side is empty). */
export function spread(book: OrderBook): number {
  return book.asks.bestPrice() - book.bids.bestPrice();
}

/** (best bid + best ask) / 2. */
export function midPrice(book: OrderBook): number {
  return (book.asks.bestPrice() + book.bids.bestPrice()) / 2;
}

/** Spread relative to the mid price, in basis points: 1e4 * (ask - bid) / mid. */
export function spreadBps(book: OrderBook): number {
  return (1e4 * spread(book)) / midPrice(book);
}

/**
 * Depth imbalance over the `levels` best levels of each side, in [-1, 1]:
 * (Σ bid qty - Σ ask qty) / (Σ bid qty + Σ ask qty). +1 = only bids, -1 = only asks; NaN for an empty book.
 */
export function imbalance(book: OrderBook, levels = 1): number {
  const bid = sumQty(book.bids, levels);
  const ask = sumQty(book.asks, levels);
  return (bid - ask) / (bid + ask);
}

function sumQty(ladder: Ladder, levels: number): number {
  const n = Math.min(levels, ladder.size);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += ladder.qtyAt(i);
  return sum;
}

/**
 * Order-flow imbalance between two consecutive top-of-book states (Cont, Kukanov & Stoikov 2014):
 *   e = 1[Pb >= Pb'] qb - 1[Pb <= Pb'] qb' - 1[Pa <= Pa'] qa + 1[Pa >= Pa'] qa'
 * where ' marks the previous state. Positive = buying pressure (bids added / asks removed).
 */
export function orderFlowImbalance(previous: TopOfBook, current: TopOfBook): number {
  let e = 0;
  if (current.bidPrice >= previous.bidPrice) e += current.bidQty;
  if (current.bidPrice <= previous.bidPrice) e -= previous.bidQty;
  if (current.askPrice <= previous.askPrice) e -= current.askQty;
  if (current.askPrice >= previous.askPrice) e += previous.askQty;
  return e;
}

/**
 * Running OFI: call update(book) after each book event; it returns that step's e (0 for the first call)
 * and adds it to `total`. Keeps the previous top of book in fields, so it allocates nothing.
 */
export class OfiTracker {
  total = 0;
  steps = 0;
  private previous: TopOfBook = { bidPrice: Number.NaN, bidQty: Number.NaN, askPrice: Number.NaN, askQty: Number.NaN };
  private current: TopOfBook = { bidPrice: Number.NaN, bidQty: Number.NaN, askPrice: Number.NaN, askQty: Number.NaN };
  private started = false;

  update(book: OrderBook): number {
    const swap = this.previous;
    this.previous = this.current;
    this.current = book.top(swap);
    if (!this.started) {
      this.started = true;
      return 0;
    }
    const e = orderFlowImbalance(this.previous, this.current);
    this.total += e;
    this.steps++;
    return e;
  }

  reset(): void {
    this.total = 0;
    this.steps = 0;
    this.started = false;
  }
}

/**
 * Quantity resting within `bps` basis points of the mid price on one side: bids priced >= mid·(1 - bps/1e4),
 * or asks priced <= mid·(1 + bps/1e4). side: 'bid' or 'ask'.
 */
export function depthWithinBps(book: OrderBook, side: 'bid' | 'ask', bps: number): number {
  const mid = midPrice(book);
  if (!Number.isFinite(mid)) return Number.NaN;
  const ladder = side === 'bid' ? book.bids : book.asks;
  const bound = side === 'bid' ? mid * (1 - bps / 1e4) : mid * (1 + bps / 1e4);
  let sum = 0;
  for (let i = 0, n = ladder.size; i < n; i++) {
    const price = ladder.priceAt(i);
    if (side === 'bid' ? price < bound : price > bound) break;
    sum += ladder.qtyAt(i);
  }
  return sum;
}

export interface PriceImpact {
  /** Quantity requested and quantity the book could fill (less when the side runs out). */
  size: number;
  filled: number;
  /** Σ price·qty over the levels consumed (quote currency). */
  notional: number;
  /** notional / filled: the VWAP the market order would get (NaN when nothing fills). */
  averagePrice: number;
  /** Price of the last (worst) level touched. */
  worstPrice: number;
  /** Levels touched (the last one possibly partly). */
  levels: number;
  /** Slippage of the average price against the best price, in bps, signed so that a cost is positive. */
  slippageBps: number;
  /** Cost of the average price against the mid price, in bps (half-spread + slippage). */
  impactBps: number;
}

/**
 * Walk the book with a market order of `size` (base units): 'buy' consumes asks from the best up,
 * 'sell' consumes bids from the best down.
 */
export function priceImpact(book: OrderBook, side: 'buy' | 'sell', size: number): PriceImpact {
  const ladder = side === 'buy' ? book.asks : book.bids;
  const direction = side === 'buy' ? 1 : -1;
  const best = ladder.bestPrice();
  const mid = midPrice(book);
  let remaining = size;
  let notional = 0;
  let worstPrice = Number.NaN;
  let levels = 0;
  for (let i = 0, n = ladder.size; i < n && remaining > 0; i++) {
    const price = ladder.priceAt(i);
    const take = Math.min(remaining, ladder.qtyAt(i));
    notional += price * take;
    remaining -= take;
    worstPrice = price;
    levels++;
  }
  const filled = size - Math.max(0, remaining);
  const averagePrice = filled > 0 ? notional / filled : Number.NaN;
  return {
    size,
    filled,
    notional,
    averagePrice,
    worstPrice,
    levels,
    slippageBps: (direction * 1e4 * (averagePrice - best)) / best,
    impactBps: (direction * 1e4 * (averagePrice - mid)) / mid,
  };
}
