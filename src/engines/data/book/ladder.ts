// A sorted ladder of price levels for one side of a book that works for any prices (no tick grid): the
// overflow store of TickLadder (levels far below the top) and a general-purpose side on its own.
//
// Levels are kept in sorted blocks of at most BLOCK levels (a two-level "sorted list of sorted arrays",
// all in typed arrays).
//
// Keys. A level is stored under key = price for bids and key = -price for asks, so on both sides keys
// ascend from the worst level to the best and the best level is the last key of the last block: the
// best price and quantity are read in O(1).
//
// Why blocks. A real Binance diff stream inserts and deletes levels at every depth (in the bundled
// BTCUSDT capture most changes are 10 to 999 levels from the top). In one flat sorted array each such
// change moves every level above it (~55 million moves for the capture's 298,094 updates); in blocks it
// moves at most BLOCK levels, plus, rarely, a block split or merge. Either way a search costs a binary
// search (~65 ns for 3,000 keys on the reference machine), which is why OrderBook uses the price-indexed
// TickLadder and keeps this ladder for what falls outside its window (docs/order-book.md has the figures).
//
// Layout. Block b owns slots [b*BLOCK, b*BLOCK + count[b]) of `keys`/`qtys`. `order[p]` is the block
// at position p (positions ascend by key) and `tops[p]` its largest key, so a level is found by a search
// over `tops` (galloping down from the best block, then bisection) and a bisection inside one block.
// Freed blocks are recycled; the arrays only grow (doubling), so nothing is allocated per update.

/** Levels per block: 32 and 64 measured alike on the BTCUSDT capture, 128 slower. */
const BLOCK = 32;
const HALF = BLOCK >> 1;
/** A block left with fewer levels than this after a delete is merged into a neighbour when they fit. */
const MERGE_BELOW = BLOCK >> 2;
const MERGE_MAX = (BLOCK * 3) >> 2;

/** What the features and the checksum read from one side of a book (both ladders implement it). */
export interface Ladder {
  readonly isBid: boolean;
  readonly size: number;
  bestPrice(): number;
  bestQty(): number;
  priceAt(depth: number): number;
  qtyAt(depth: number): number;
  qtyOf(price: number): number;
  set(price: number, qty: number): number;
  truncate(depth: number): void;
  clear(): void;
  load(prices: ArrayLike<number>, qtys: ArrayLike<number>, start?: number, end?: number): void;
}

export class SortedLadder implements Ladder {
  /** True for the bid side (best = highest price), false for the ask side (best = lowest price). */
  readonly isBid: boolean;
  private readonly sign: number;
  private keys: Float64Array;
  private qtys: Float64Array;
  private counts: Int32Array;
  private order: Int32Array;
  private tops: Float64Array;
  private free: Int32Array;
  private freeCount = 0;
  /** Blocks in use, blocks ever allocated (ids 0..allocated-1), levels. */
  private blocks = 0;
  private allocated = 0;
  private levels = 0;
  /** Cursor of the last priceAt/qtyAt lookup (depth -> position, offset), reset by every change. */
  private cursorDepth = -1;
  private cursorPos = 0;
  private cursorOff = 0;

  constructor(isBid: boolean, capacity = 1024) {
    this.isBid = isBid;
    this.sign = isBid ? 1 : -1;
    const blocks = Math.max(4, Math.ceil((Math.max(1, capacity) * 2) / BLOCK));
    this.keys = new Float64Array(blocks * BLOCK);
    this.qtys = new Float64Array(blocks * BLOCK);
    this.counts = new Int32Array(blocks);
    this.order = new Int32Array(blocks);
    this.tops = new Float64Array(blocks);
    this.free = new Int32Array(blocks);
  }

  /** Number of price levels. */
  get size(): number {
    return this.levels;
  }

  /** Best price (highest bid, lowest ask); NaN when the side is empty. O(1). */
  bestPrice(): number {
    return this.blocks > 0 ? this.sign * this.tops[this.blocks - 1]! : Number.NaN;
  }

  /** Quantity at the best price; NaN when the side is empty. O(1). */
  bestQty(): number {
    if (this.blocks === 0) return Number.NaN;
    const b = this.order[this.blocks - 1]!;
    return this.qtys[b * BLOCK + this.counts[b]! - 1]!;
  }

  /**
   * Price of the level `depth` steps from the best (0 = best); NaN outside [0, size). Walking the depths
   * in order (0, 1, 2, ...) costs O(1) per step.
   */
  priceAt(depth: number): number {
    return this.locate(depth) ? this.sign * this.keys[this.order[this.cursorPos]! * BLOCK + this.cursorOff]! : Number.NaN;
  }

  /** Quantity of the level `depth` steps from the best (0 = best); NaN outside [0, size). */
  qtyAt(depth: number): number {
    return this.locate(depth) ? this.qtys[this.order[this.cursorPos]! * BLOCK + this.cursorOff]! : Number.NaN;
  }

  /** Quantity resting at `price` (0 when there is no such level). */
  qtyOf(price: number): number {
    if (this.blocks === 0) return 0;
    const key = this.sign * price;
    const b = this.order[this.findBlock(key)]!;
    const base = b * BLOCK;
    const end = base + this.counts[b]!;
    const j = lowerBound(this.keys, base, end, key);
    return j < end && this.keys[j] === key ? this.qtys[j]! : 0;
  }

  /**
   * Set the absolute quantity at `price`: qty > 0 inserts or replaces the level, qty 0 deletes it
   * (deleting a level that is not there is not an error: Binance documents it as normal).
   * Returns the change in the number of levels (1 inserted, -1 deleted, 0 replaced or no-op).
   */
  set(price: number, qty: number): number {
    const key = this.sign * price;
    this.cursorDepth = -1;
    if (this.blocks === 0) {
      if (!(qty > 0)) return 0;
      const b = this.allocateBlock();
      this.order[0] = b;
      this.blocks = 1;
      this.keys[b * BLOCK] = key;
      this.qtys[b * BLOCK] = qty;
      this.counts[b] = 1;
      this.tops[0] = key;
      this.levels = 1;
      return 1;
    }
    let p = this.findBlock(key);
    let b = this.order[p]!;
    let base = b * BLOCK;
    let c = this.counts[b]!;
    const keys = this.keys;
    const qtys = this.qtys;
    let j = lowerBound(keys, base, base + c, key);
    if (j < base + c && keys[j] === key) {
      if (qty > 0) {
        qtys[j] = qty;
        return 0;
      }
      this.removeAt(p, b, j);
      return -1;
    }
    if (!(qty > 0)) return 0;
    if (c === BLOCK) {
      this.split(p);
      if (j - base > HALF) {
        p++;
        j -= HALF;
      }
      b = this.order[p]!;
      const moved = b * BLOCK - base;
      base += moved;
      j += moved;
      c = HALF;
    }
    const end = base + c;
    const keysNow = this.keys;
    const qtysNow = this.qtys;
    for (let k = end; k > j; k--) {
      keysNow[k] = keysNow[k - 1]!;
      qtysNow[k] = qtysNow[k - 1]!;
    }
    keysNow[j] = key;
    qtysNow[j] = qty;
    this.counts[b] = c + 1;
    if (j === end) this.tops[p] = key;
    this.levels++;
    return 1;
  }

  /** Keep only the `depth` best levels (drops the worst ones). */
  truncate(depth: number): void {
    const keep = Math.max(0, depth);
    if (this.levels <= keep) return;
    this.cursorDepth = -1;
    while (this.levels > keep) {
      const b = this.order[0]!;
      const c = this.counts[b]!;
      const excess = this.levels - keep;
      if (excess >= c) {
        this.levels -= c;
        this.removeBlock(0);
      } else {
        const base = b * BLOCK;
        this.keys.copyWithin(base, base + excess, base + c);
        this.qtys.copyWithin(base, base + excess, base + c);
        this.counts[b] = c - excess;
        this.levels -= excess;
      }
    }
  }

  /** Remove every level (keeps the memory). */
  clear(): void {
    for (let p = 0; p < this.blocks; p++) this.free[this.freeCount++] = this.order[p]!;
    this.blocks = 0;
    this.levels = 0;
    this.cursorDepth = -1;
  }

  /**
   * Replace the side's content with the levels prices[start..end) / qtys[start..end). Levels given best
   * first (the order of exchange snapshots) are packed into blocks in one pass; any other order falls
   * back to set(). Levels with quantity 0 are skipped.
   */
  load(prices: ArrayLike<number>, qtys: ArrayLike<number>, start = 0, end = prices.length): void {
    checkLevelRange(prices, qtys, start, end);
    this.clear();
    let sortedBestFirst = true;
    for (let i = start + 1; i < end && sortedBestFirst; i++) sortedBestFirst = this.sign * prices[i]! < this.sign * prices[i - 1]!;
    if (!sortedBestFirst) {
      for (let i = start; i < end; i++) this.set(prices[i]!, qtys[i]!);
      return;
    }
    const fill = MERGE_MAX; // leave room in each block for inserts
    let b = -1;
    let c = 0;
    for (let i = end - 1; i >= start; i--) {
      const qty = qtys[i]!;
      if (!(qty > 0)) continue;
      if (b < 0 || c === fill) {
        if (b >= 0) this.counts[b] = c;
        b = this.allocateBlock();
        this.order[this.blocks++] = b;
        c = 0;
      }
      const key = this.sign * prices[i]!;
      this.keys[b * BLOCK + c] = key;
      this.qtys[b * BLOCK + c] = qty;
      this.tops[this.blocks - 1] = key;
      c++;
      this.levels++;
    }
    if (b >= 0) this.counts[b] = c;
  }

  /** Position of the first block whose top >= key (the last block when key is above every top). */
  private findBlock(key: number): number {
    const tops = this.tops;
    let top = this.blocks - 1;
    if (tops[top]! <= key) return top;
    let step = 1;
    let bottom = top - 1;
    while (bottom >= 0 && tops[bottom]! >= key) {
      top = bottom;
      step <<= 1;
      bottom = top - step;
    }
    return lowerBound(tops, bottom < 0 ? 0 : bottom + 1, top, key);
  }

  /** Delete slot j of block b at position p; drop the block when empty, merge it when nearly empty. */
  private removeAt(p: number, b: number, j: number): void {
    const keys = this.keys;
    const qtys = this.qtys;
    const base = b * BLOCK;
    const c = this.counts[b]! - 1;
    for (let k = j; k < base + c; k++) {
      keys[k] = keys[k + 1]!;
      qtys[k] = qtys[k + 1]!;
    }
    this.counts[b] = c;
    this.levels--;
    if (c === 0) {
      this.removeBlock(p);
      return;
    }
    if (j === base + c) this.tops[p] = keys[base + c - 1]!;
    if (c < MERGE_BELOW) {
      if (p > 0 && this.counts[this.order[p - 1]!]! + c <= MERGE_MAX) this.mergeInto(p - 1);
      else if (p + 1 < this.blocks && this.counts[this.order[p + 1]!]! + c <= MERGE_MAX) this.mergeInto(p);
    }
  }

  /** Append the block at position p+1 to the block at p, then drop p+1. */
  private mergeInto(p: number): void {
    const lower = this.order[p]!;
    const upper = this.order[p + 1]!;
    const cl = this.counts[lower]!;
    const cu = this.counts[upper]!;
    this.keys.copyWithin(lower * BLOCK + cl, upper * BLOCK, upper * BLOCK + cu);
    this.qtys.copyWithin(lower * BLOCK + cl, upper * BLOCK, upper * BLOCK + cu);
    this.counts[lower] = cl + cu;
    this.tops[p] = this.tops[p + 1]!;
    this.removeBlock(p + 1);
  }

  /** Split the full block at position p: its upper half moves to a new block at position p+1. */
  private split(p: number): void {
    const fresh = this.allocateBlock();
    const b = this.order[p]!;
    const base = b * BLOCK;
    this.keys.copyWithin(fresh * BLOCK, base + HALF, base + BLOCK);
    this.qtys.copyWithin(fresh * BLOCK, base + HALF, base + BLOCK);
    this.counts[b] = HALF;
    this.counts[fresh] = BLOCK - HALF;
    this.order.copyWithin(p + 2, p + 1, this.blocks);
    this.tops.copyWithin(p + 2, p + 1, this.blocks);
    this.order[p + 1] = fresh;
    this.tops[p + 1] = this.tops[p]!;
    this.tops[p] = this.keys[base + HALF - 1]!;
    this.blocks++;
  }

  private removeBlock(p: number): void {
    this.free[this.freeCount++] = this.order[p]!;
    this.order.copyWithin(p, p + 1, this.blocks);
    this.tops.copyWithin(p, p + 1, this.blocks);
    this.blocks--;
  }

  private allocateBlock(): number {
    if (this.freeCount > 0) return this.free[--this.freeCount]!;
    if (this.allocated === this.counts.length) this.grow();
    return this.allocated++;
  }

  private grow(): void {
    const blocks = this.counts.length * 2;
    const grown = <T extends Float64Array | Int32Array>(a: T, size: number): T => {
      const b = new (a.constructor as new (n: number) => T)(size);
      b.set(a);
      return b;
    };
    this.keys = grown(this.keys, blocks * BLOCK);
    this.qtys = grown(this.qtys, blocks * BLOCK);
    this.counts = grown(this.counts, blocks);
    this.order = grown(this.order, blocks);
    this.tops = grown(this.tops, blocks);
    this.free = grown(this.free, blocks);
  }

  /** Point the cursor at `depth`; false when out of range. */
  private locate(depth: number): boolean {
    if (!(depth >= 0 && depth < this.levels)) return false;
    if (depth === this.cursorDepth) return true;
    if (this.cursorDepth >= 0 && depth === this.cursorDepth + 1) {
      this.cursorDepth = depth;
      if (this.cursorOff > 0) this.cursorOff--;
      else {
        this.cursorPos--;
        this.cursorOff = this.counts[this.order[this.cursorPos]!]! - 1;
      }
      return true;
    }
    let p = this.blocks - 1;
    let rest = depth;
    let count = this.counts[this.order[p]!]!;
    while (rest >= count) {
      rest -= count;
      p--;
      count = this.counts[this.order[p]!]!;
    }
    this.cursorDepth = depth;
    this.cursorPos = p;
    this.cursorOff = count - 1 - rest;
    return true;
  }
}

/** Throws a RangeError unless [start, end) indexes both `prices` and `qtys`. */
export function checkLevelRange(prices: ArrayLike<number>, qtys: ArrayLike<number>, start: number, end: number): void {
  if (!(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && end <= prices.length && end <= qtys.length)) {
    throw new RangeError(`order book: levels [${start}, ${end}) are out of range (${prices.length} prices, ${qtys.length} quantities)`);
  }
}

/** First index in [lo, hi) whose value is >= key (hi when none). */
function lowerBound(a: Float64Array, lo: number, hi: number, key: number): number {
  let left = lo;
  let right = hi;
  while (left < right) {
    const mid = (left + right) >>> 1;
    if (a[mid]! < key) left = mid + 1;
    else right = mid;
  }
  return left;
}
