// One symbol's market: the synthetic book merged with resting user orders (price-time priority),
// taker plans that walk it, the published depth with its update ids and diffs, and the public tape.
import type { SimOrder } from './orders.ts';
import type { SymbolReplay } from './replay.ts';
import { MAX_SYNTHETIC_LEVELS, SyntheticBook, type BookSide } from './synthetic-book.ts';
import type { SymbolSpec } from './symbols.ts';
import { floorTo, fmt, mulUnits, SCALE } from './units.ts';

/** Levels a side published in depth snapshots and diffs. */
export const PUBLISHED_LEVELS = 50;
const TAPE_SIZE = 1000;

interface UserLevel {
  tick: number;
  orders: SimOrder[];
}

export interface MergedLevel {
  tick: number;
  synthetic: bigint;
  orders: readonly SimOrder[];
}

/** One fill a taker would get: synthetic liquidity (no maker) or a resting user order. */
export interface PlannedMatch {
  tick: number;
  price: bigint;
  qty: bigint;
  maker?: SimOrder;
}

export interface TakerPlan {
  matches: PlannedMatch[];
  filled: bigint;
  quote: bigint;
}

export interface PublicTrade {
  id: number;
  price: bigint;
  qty: bigint;
  time: number;
  isBuyerMaker: boolean;
}

export type PriceLevels = Array<[string, string]>;

export interface DepthDiff {
  firstUpdateId: number;
  lastUpdateId: number;
  time: number;
  bids: PriceLevels;
  asks: PriceLevels;
}

export interface TopOfBook {
  updateId: number;
  bidPrice: bigint;
  bidQty: bigint;
  askPrice: bigint;
  askQty: bigint;
}

export class SymbolMarket {
  readonly book: SyntheticBook;
  readonly bids: UserLevel[] = [];
  readonly asks: UserLevel[] = [];
  readonly tape: PublicTrade[] = [];
  /** Stops that have not triggered yet, in arrival order (they are not on the book). */
  readonly stops: SimOrder[] = [];
  nextOrderId = 1;
  nextTradeId = 1;
  updateId = 1;
  lastTime: number;
  /** The published book: tick -> quantity, best first. */
  private published: Record<BookSide, Array<[number, bigint]>> = { bid: [], ask: [] };

  constructor(
    readonly spec: SymbolSpec,
    readonly replay: SymbolReplay,
    seed: number,
    start: number,
  ) {
    this.book = new SyntheticBook(spec, replay, seed);
    this.lastTime = start;
    this.book.update(start);
  }

  price(tick: number): bigint {
    return BigInt(tick) * this.spec.tick;
  }

  /** Merged levels of one side, best first: synthetic liquidity first at a price, then user orders by arrival. */
  *levels(side: BookSide): Generator<MergedLevel> {
    const user = side === 'bid' ? this.bids : this.asks;
    const better = (a: number, b: number): boolean => (side === 'bid' ? a > b : a < b);
    let k = 0;
    let j = 0;
    for (;;) {
      const synTick = k < MAX_SYNTHETIC_LEVELS ? this.book.levelTick(side, k) : undefined;
      const level = user[j];
      if (synTick === undefined && level === undefined) return;
      if (level !== undefined && (synTick === undefined || better(level.tick, synTick))) {
        j++;
        yield { tick: level.tick, synthetic: 0n, orders: level.orders };
      } else if (level !== undefined && level.tick === synTick) {
        const qty = this.book.levelQty(side, k);
        j++;
        k++;
        yield { tick: level.tick, synthetic: qty, orders: level.orders };
      } else {
        const qty = this.book.levelQty(side, k);
        k++;
        if (qty > 0n) yield { tick: synTick!, synthetic: qty, orders: [] };
      }
    }
  }

  /**
   * What a taker would fill, without changing anything: walk the opposite side best first, up to the
   * limit tick, for `qty` base units or `quoteBudget` quote units.
   */
  plan(side: 'BUY' | 'SELL', limitTick: number | undefined, qty: bigint | undefined, quoteBudget: bigint | undefined): TakerPlan {
    const matches: PlannedMatch[] = [];
    let filled = 0n;
    let quote = 0n;
    const bookSide: BookSide = side === 'BUY' ? 'ask' : 'bid';
    for (const level of this.levels(bookSide)) {
      if (limitTick !== undefined && (side === 'BUY' ? level.tick > limitTick : level.tick < limitTick)) break;
      const price = this.price(level.tick);
      const take = (available: bigint, maker?: SimOrder): boolean => {
        let want: bigint;
        if (qty !== undefined) want = qty - filled;
        else want = floorTo(((quoteBudget! - quote) * SCALE) / price, this.spec.step);
        const q = available < want ? available : want;
        if (q > 0n) {
          matches.push({ tick: level.tick, price, qty: q, ...(maker ? { maker } : {}) });
          filled += q;
          quote += mulUnits(price, q);
        }
        return q === want || want <= 0n;
      };
      if (level.synthetic > 0n && take(level.synthetic)) break;
      let done = false;
      for (const order of level.orders) {
        if (take(order.origQty - order.executedQty, order)) {
          done = true;
          break;
        }
      }
      if (done) break;
    }
    return { matches, filled, quote };
  }

  addResting(order: SimOrder): void {
    const levels = order.side === 'BUY' ? this.bids : this.asks;
    const better = (a: number, b: number): boolean => (order.side === 'BUY' ? a > b : a < b);
    let i = 0;
    while (i < levels.length && better(levels[i]!.tick, order.priceTick)) i++;
    if (levels[i]?.tick === order.priceTick) levels[i]!.orders.push(order);
    else levels.splice(i, 0, { tick: order.priceTick, orders: [order] });
  }

  removeResting(order: SimOrder): void {
    const levels = order.side === 'BUY' ? this.bids : this.asks;
    const i = levels.findIndex((level) => level.tick === order.priceTick);
    if (i < 0) return;
    const level = levels[i]!;
    const k = level.orders.indexOf(order);
    if (k >= 0) level.orders.splice(k, 1);
    if (level.orders.length === 0) levels.splice(i, 1);
  }

  /** Top `limit` levels of a side as [tick, qty], best first. */
  private top(side: BookSide, limit: number): Array<[number, bigint]> {
    const out: Array<[number, bigint]> = [];
    for (const level of this.levels(side)) {
      let qty = level.synthetic;
      for (const order of level.orders) qty += order.origQty - order.executedQty;
      if (qty > 0n) out.push([level.tick, qty]);
      if (out.length >= limit) break;
    }
    return out;
  }

  /** Recompute the published book; the changes as a depth diff (undefined when nothing changed). */
  publish(time: number): DepthDiff | undefined {
    const next = { bid: this.top('bid', PUBLISHED_LEVELS), ask: this.top('ask', PUBLISHED_LEVELS) };
    const changes = (side: BookSide): PriceLevels => {
      const before = new Map(this.published[side]);
      const after = new Map(next[side]);
      const out: PriceLevels = [];
      for (const [tick, qty] of next[side]) if (before.get(tick) !== qty) out.push([fmt(this.price(tick)), fmt(qty)]);
      for (const [tick] of this.published[side]) if (!after.has(tick)) out.push([fmt(this.price(tick)), fmt(0n)]);
      return out;
    };
    const bids = changes('bid');
    const asks = changes('ask');
    this.published = next;
    if (bids.length === 0 && asks.length === 0) return undefined;
    const firstUpdateId = this.updateId + 1;
    this.updateId += Math.max(1, bids.length + asks.length);
    return { firstUpdateId, lastUpdateId: this.updateId, time, bids, asks };
  }

  /** The published book (what depth diffs add up to) at its last update id. */
  snapshot(limit: number): { lastUpdateId: number; bids: PriceLevels; asks: PriceLevels } {
    const side = (s: BookSide): PriceLevels => this.published[s].slice(0, limit).map(([tick, qty]) => [fmt(this.price(tick)), fmt(qty)]);
    return { lastUpdateId: this.updateId, bids: side('bid'), asks: side('ask') };
  }

  topOfBook(): TopOfBook {
    const bid = this.published.bid[0];
    const ask = this.published.ask[0];
    return {
      updateId: this.updateId,
      bidPrice: bid ? this.price(bid[0]) : 0n,
      bidQty: bid ? bid[1] : 0n,
      askPrice: ask ? this.price(ask[0]) : 0n,
      askQty: ask ? ask[1] : 0n,
    };
  }

  removeStop(order: SimOrder): void {
    const i = this.stops.indexOf(order);
    if (i >= 0) this.stops.splice(i, 1);
  }

  /** The last trade's price (the tape always holds the opening print). */
  lastPrice(): bigint {
    return this.tape[this.tape.length - 1]!.price;
  }

  recordTrade(price: bigint, qty: bigint, time: number, isBuyerMaker: boolean): PublicTrade {
    const trade = { id: this.nextTradeId++, price, qty, time, isBuyerMaker };
    this.tape.push(trade);
    if (this.tape.length > TAPE_SIZE) this.tape.splice(0, this.tape.length - TAPE_SIZE);
    return trade;
  }
}
