// One side of a level-2 order book, indexed by price: the side used by OrderBook.
//
// Grid. Prices are decimal numbers with a bounded number of decimals d, so each price is an integer
// number of units u = round(price * 10^d), and u / 10^d gives back exactly the double that parsing the
// price string gives (both are the correctly rounded value of the same fraction). d is inferred from the
// prices themselves: the smallest d for which that round trip is exact. A later price with more
// decimals re-grids the side (rare: exchanges use a fixed tick).
//
// Keys. key = u for bids and key = -u for asks, so on both sides the best level has the highest key.
//
// Window. Levels with key in [base, base + W) live in a price-indexed array: qty[key - base], plus a
// two-level occupancy bitmap (one bit per slot, one bit per 32-slot word) to find the next level below
// the best in a few instructions when the best is deleted. An update near the top is one array store,
// a bit flip and a compare: O(1), no search, no memmove, no allocation. The best sits at 7/8 of the
// window when it is (re)centred; levels below the window go to an overflow SortedLadder, which holds
// only keys < base, so the best is always in the window unless the window is empty. The window is
// re-centred (O(W/32 + levels)) when a level arrives above it or the best falls into its lowest eighth.
// W is a power of two sized from the first snapshot's span (8x, between 2^10 and 2^18 slots), so the
// window costs 8 bytes per slot (2 MiB at most) plus 1/64 of that for the bitmap.
import { SortedLadder, checkLevelRange } from './ladder.ts';
import type { Ladder } from './ladder.ts';

const MAX_DECIMALS = 12;
const MIN_WINDOW = 1 << 10;
const MAX_WINDOW = 1 << 18;
const DEFAULT_WINDOW = 1 << 16;

/** Smallest d (0..12) such that round(price * 10^d) / 10^d === price; -1 when there is none. */
export function decimalsOf(price: number): number {
  let scale = 1;
  for (let d = 0; d <= MAX_DECIMALS; d++) {
    const units = Math.round(price * scale);
    if (units / scale === price && Number.isSafeInteger(units)) return d;
    scale *= 10;
  }
  return -1;
}

export interface TickLadderOptions {
  /** Window size in price units (rounded up to a power of two; default: from the first snapshot). */
  windowTicks?: number;
  /** Decimals of the price grid, when known (default: inferred from the prices). */
  priceDecimals?: number;
}

export class TickLadder implements Ladder {
  readonly isBid: boolean;
  private readonly sign: number;
  private readonly fixedWindow: number;
  private decimals = -1;
  private scale = 1;
  private window = 0;
  private base = 0;
  private qty: Float64Array = new Float64Array(0);
  private bits: Int32Array = new Int32Array(0);
  private summary: Int32Array = new Int32Array(0);
  /** Index (key - base) of the best level in the window, -1 when the window is empty. */
  private best = -1;
  private inWindow = 0;
  private readonly overflow = new SortedLadder(true, 256);
  /** Cursor of the last priceAt/qtyAt lookup inside the window (depth -> index). */
  private cursorDepth = -1;
  private cursorIndex = -1;

  constructor(isBid: boolean, options: TickLadderOptions = {}) {
    this.isBid = isBid;
    this.sign = isBid ? 1 : -1;
    this.fixedWindow = options.windowTicks === undefined ? 0 : roundWindow(options.windowTicks);
    if (options.priceDecimals !== undefined) this.setDecimals(options.priceDecimals);
  }

  get size(): number {
    return this.inWindow + this.overflow.size;
  }

  /** Decimals of the price grid (-1 before the first price). */
  get priceDecimals(): number {
    return this.decimals;
  }

  /** Window size in slots (0 before the first price). */
  get windowTicks(): number {
    return this.window;
  }

  bestPrice(): number {
    if (this.best >= 0) return (this.sign * (this.base + this.best)) / this.scale;
    return this.overflow.size > 0 ? (this.sign * this.overflow.bestPrice()) / this.scale : Number.NaN;
  }

  bestQty(): number {
    if (this.best >= 0) return this.qty[this.best]!;
    return this.overflow.size > 0 ? this.overflow.bestQty() : Number.NaN;
  }

  priceAt(depth: number): number {
    if (!(depth >= 0 && depth < this.size)) return Number.NaN;
    if (depth >= this.inWindow) return (this.sign * this.overflow.priceAt(depth - this.inWindow)) / this.scale;
    return (this.sign * (this.base + this.locate(depth))) / this.scale;
  }

  qtyAt(depth: number): number {
    if (!(depth >= 0 && depth < this.size)) return Number.NaN;
    if (depth >= this.inWindow) return this.overflow.qtyAt(depth - this.inWindow);
    return this.qty[this.locate(depth)]!;
  }

  qtyOf(price: number): number {
    if (this.decimals < 0) return 0;
    const units = Math.round(price * this.scale);
    if (units / this.scale !== price) return 0;
    const i = this.sign * units - this.base;
    if (i >= 0 && i < this.window) return this.qty[i]!;
    return i < 0 ? this.overflow.qtyOf(this.sign * units) : 0;
  }

  set(price: number, qty: number): number {
    const units = Math.round(price * this.scale);
    if (units / this.scale !== price || this.window === 0) return this.setSlow(price, qty);
    const key = this.sign * units;
    const i = key - this.base;
    if (i >= 0 && i < this.window) {
      this.cursorDepth = -1;
      const q = this.qty;
      if (qty > 0) {
        const was = q[i]!;
        q[i] = qty;
        if (was > 0) return 0;
        this.bits[i >>> 5]! |= 1 << (i & 31);
        this.summary[i >>> 10]! |= 1 << ((i >>> 5) & 31);
        this.inWindow++;
        if (i > this.best) this.best = i;
        return 1;
      }
      if (!(q[i]! > 0)) return 0;
      q[i] = 0;
      const w = i >>> 5;
      const word = this.bits[w]! & ~(1 << (i & 31));
      this.bits[w] = word;
      if (word === 0) this.summary[w >>> 5]! &= ~(1 << (w & 31));
      this.inWindow--;
      if (i === this.best) {
        this.best = this.below(i);
        if (this.best < this.window >>> 3) this.maybeRecentre();
      }
      return -1;
    }
    if (i < 0) {
      this.cursorDepth = -1;
      return this.overflow.set(key, qty);
    }
    // above the window: a new best far from the old one
    if (!(qty > 0)) return 0;
    this.recentre(key);
    return this.set(price, qty);
  }

  truncate(depth: number): void {
    const keep = Math.max(0, depth);
    if (this.size <= keep) return;
    this.cursorDepth = -1;
    this.overflow.truncate(Math.max(0, keep - this.inWindow));
    while (this.inWindow > keep) {
      const i = this.lowest();
      this.qty[i] = 0;
      const w = i >>> 5;
      const word = this.bits[w]! & ~(1 << (i & 31));
      this.bits[w] = word;
      if (word === 0) this.summary[w >>> 5]! &= ~(1 << (w & 31));
      this.inWindow--;
    }
    if (this.inWindow === 0) this.best = -1;
  }

  clear(): void {
    const bits = this.bits;
    for (let w = 0; w < bits.length; w++) {
      let word = bits[w]!;
      while (word !== 0) {
        const b = 31 - Math.clz32(word);
        this.qty[(w << 5) + b] = 0;
        word &= ~(1 << b);
      }
      bits[w] = 0;
    }
    this.summary.fill(0);
    this.best = -1;
    this.inWindow = 0;
    this.overflow.clear();
    this.cursorDepth = -1;
  }

  /** Replace the side's content (levels in any order; qty 0 skipped). Sizes the window the first time. */
  load(prices: ArrayLike<number>, qtys: ArrayLike<number>, start = 0, end = prices.length): void {
    checkLevelRange(prices, qtys, start, end);
    this.clear();
    if (end <= start) return;
    let decimals = Math.max(0, this.decimals);
    let bestKey = -Infinity;
    let worstKey = Infinity;
    for (let i = start; i < end; i++) {
      const price = prices[i]!;
      const d = decimalsOf(price);
      if (d < 0) throw new RangeError(`order book: price ${price} is not a decimal with at most ${MAX_DECIMALS} decimals`);
      if (d > decimals) decimals = d;
    }
    if (decimals !== this.decimals) this.setDecimals(decimals);
    for (let i = start; i < end; i++) {
      const key = this.sign * Math.round(prices[i]! * this.scale);
      if (key > bestKey) bestKey = key;
      if (key < worstKey) worstKey = key;
    }
    if (this.window === 0) this.allocate(this.fixedWindow || roundWindow(Math.min(MAX_WINDOW, Math.max(MIN_WINDOW, (bestKey - worstKey) * 8))));
    this.base = bestKey - ((this.window * 7) >>> 3);
    for (let i = start; i < end; i++) this.set(prices[i]!, qtys[i]!);
  }

  /** Window index of the level `depth` steps below the best (depth < inWindow); sequential walks are O(1) a step. */
  private locate(depth: number): number {
    if (this.cursorDepth >= 0 && depth === this.cursorDepth + 1) {
      this.cursorIndex = this.below(this.cursorIndex);
    } else if (depth !== this.cursorDepth) {
      let i = this.best;
      for (let k = 0; k < depth; k++) i = this.below(i);
      this.cursorIndex = i;
    }
    this.cursorDepth = depth;
    return this.cursorIndex;
  }

  /** Highest occupied window index below i (-1 when none). */
  private below(i: number): number {
    const bits = this.bits;
    let w = i >>> 5;
    const bit = i & 31;
    let word = bit === 0 ? 0 : bits[w]! & ((1 << bit) - 1);
    if (word !== 0) return (w << 5) + 31 - Math.clz32(word);
    // next non-empty word below w, through the summary
    const summary = this.summary;
    let s = w >>> 5;
    const sbit = w & 31;
    let sword = sbit === 0 ? 0 : summary[s]! & ((1 << sbit) - 1);
    while (sword === 0) {
      if (--s < 0) return -1;
      sword = summary[s]!;
    }
    w = (s << 5) + 31 - Math.clz32(sword);
    word = bits[w]!;
    return (w << 5) + 31 - Math.clz32(word);
  }

  /** Lowest occupied window index (the window must not be empty). */
  private lowest(): number {
    const summary = this.summary;
    let s = 0;
    while (summary[s] === 0) s++;
    const sword = summary[s]!;
    const w = (s << 5) + 31 - Math.clz32(sword & -sword);
    const word = this.bits[w]!;
    return (w << 5) + 31 - Math.clz32(word & -word);
  }

  /** After the best fell into the lowest eighth (or the window emptied): centre on the real best again. */
  private maybeRecentre(): void {
    if (this.best >= 0) this.recentre(this.base + this.best);
    else if (this.overflow.size > 0) this.recentre(this.overflow.bestPrice());
  }

  /** Move the window so that `topKey` sits at 7/8 of it; levels move between window and overflow. */
  private recentre(topKey: number): void {
    const keys: number[] = [];
    const qtys: number[] = [];
    for (let i = this.best; i >= 0; i = this.below(i)) {
      keys.push(this.base + i);
      qtys.push(this.qty[i]!);
    }
    const newBase = topKey - ((this.window * 7) >>> 3);
    // overflow levels that the new window covers come back into it (the rest stay: all below newBase)
    const back: number[] = [];
    const backQtys: number[] = [];
    while (this.overflow.size > 0 && this.overflow.bestPrice() >= newBase) {
      back.push(this.overflow.bestPrice());
      backQtys.push(this.overflow.bestQty());
      this.overflow.set(this.overflow.bestPrice(), 0);
    }
    this.clearWindow();
    this.base = newBase;
    // ascending keys, so the ones that drop below the window are appended on top of the overflow
    for (let k = keys.length - 1; k >= 0; k--) this.placeKey(keys[k]!, qtys[k]!);
    for (let k = 0; k < back.length; k++) this.placeKey(back[k]!, backQtys[k]!);
  }

  private placeKey(key: number, qty: number): void {
    const i = key - this.base;
    if (i < 0) {
      this.overflow.set(key, qty);
      return;
    }
    this.qty[i] = qty;
    this.bits[i >>> 5]! |= 1 << (i & 31);
    this.summary[i >>> 10]! |= 1 << ((i >>> 5) & 31);
    this.inWindow++;
    if (i > this.best) this.best = i;
  }

  private clearWindow(): void {
    for (let i = this.best; i >= 0; i = this.below(i)) this.qty[i] = 0;
    this.bits.fill(0);
    this.summary.fill(0);
    this.best = -1;
    this.inWindow = 0;
    this.cursorDepth = -1;
  }

  /** A price off the current grid, or the very first price: re-grid / allocate, then set. */
  private setSlow(price: number, qty: number): number {
    const d = decimalsOf(price);
    if (d < 0) throw new RangeError(`order book: price ${price} is not a decimal with at most ${MAX_DECIMALS} decimals`);
    if (this.window === 0) {
      if (!(qty > 0)) return 0;
      if (d > this.decimals) this.setDecimals(d);
      this.allocate(this.fixedWindow || DEFAULT_WINDOW);
      this.base = this.sign * Math.round(price * this.scale) - ((this.window * 7) >>> 3);
      return this.set(price, qty);
    }
    this.regrid(Math.max(d, this.decimals));
    return this.set(price, qty);
  }

  /** Switch to a finer grid: every level re-keyed, window re-centred on the best. */
  private regrid(decimals: number): void {
    const prices: number[] = [];
    const qtys: number[] = [];
    for (let depth = 0, n = this.size; depth < n; depth++) {
      prices.push(this.priceAt(depth));
      qtys.push(this.qtyAt(depth));
    }
    this.clear();
    this.setDecimals(decimals);
    const top = prices[0];
    if (top !== undefined) this.base = this.sign * Math.round(top * this.scale) - ((this.window * 7) >>> 3);
    for (let k = 0; k < prices.length; k++) this.set(prices[k]!, qtys[k]!);
  }

  private setDecimals(decimals: number): void {
    if (!Number.isInteger(decimals) || decimals < 0 || decimals > MAX_DECIMALS) {
      throw new RangeError(`order book: price decimals must be an integer from 0 to ${MAX_DECIMALS} (got ${decimals})`);
    }
    this.decimals = decimals;
    this.scale = 10 ** decimals;
  }

  private allocate(window: number): void {
    this.window = window;
    this.qty = new Float64Array(window);
    this.bits = new Int32Array(window >>> 5);
    this.summary = new Int32Array(Math.max(1, window >>> 10));
    this.best = -1;
    this.inWindow = 0;
  }
}

function roundWindow(ticks: number): number {
  let w = MIN_WINDOW;
  while (w < ticks && w < MAX_WINDOW) w <<= 1;
  return w;
}
