// One side of a level-2 order book: a sorted ladder of (price, quantity) levels in two Float64Arrays.
//
// Layout. Every level is stored under a key, key = price for bids and key = -price for asks, so on both
// sides the keys ascend from the worst level to the best one and the best level is the last one: the best
// price is read in O(1) and the levels that change most (those near the top) sit at the end of the
// arrays, where inserting or deleting moves only the few levels above them (one `copyWithin`, a memmove).
// The used slots are [lo, hi): dropping worst levels (`truncate`) just advances `lo`.
//
// Search. A change near the top is found by galloping down from the best level (1, 2, 4, ... levels)
// and then bisecting the last stride, so its cost grows with the log of its distance from the top, not
// with the log of the book's size; a change deep in the book costs about two bisections.
//
// No allocation per update: the arrays only grow (doubling) when the ladder outgrows them.

const MIN_CAPACITY = 64;

export class BookLadder {
  /** True for the bid side (best = highest price), false for the ask side (best = lowest price). */
  readonly isBid: boolean;
  private readonly sign: number;
  private keys: Float64Array;
  private qtys: Float64Array;
  private lo = 0;
  private hi = 0;

  constructor(isBid: boolean, capacity = 1024) {
    this.isBid = isBid;
    this.sign = isBid ? 1 : -1;
    const size = Math.max(MIN_CAPACITY, capacity | 0);
    this.keys = new Float64Array(size);
    this.qtys = new Float64Array(size);
  }

  /** Number of price levels. */
  get size(): number {
    return this.hi - this.lo;
  }

  /** Best price (highest bid, lowest ask); NaN when the side is empty. O(1). */
  bestPrice(): number {
    return this.hi > this.lo ? this.sign * this.keys[this.hi - 1] : Number.NaN;
  }

  /** Quantity at the best price; NaN when the side is empty. O(1). */
  bestQty(): number {
    return this.hi > this.lo ? this.qtys[this.hi - 1] : Number.NaN;
  }

  /** Price of the level `depth` steps from the best (0 = best); undefined behaviour outside [0, size). */
  priceAt(depth: number): number {
    return this.sign * this.keys[this.hi - 1 - depth];
  }

  /** Quantity of the level `depth` steps from the best (0 = best). */
  qtyAt(depth: number): number {
    return this.qtys[this.hi - 1 - depth];
  }

  /** Quantity resting at `price` (0 when there is no such level). */
  qtyOf(price: number): number {
    const key = this.sign * price;
    const pos = this.search(key);
    return pos < this.hi && this.keys[pos] === key ? this.qtys[pos] : 0;
  }

  /**
   * Set the absolute quantity at `price`: qty > 0 inserts or replaces the level, qty 0 deletes it
   * (deleting a level that is not there is not an error: Binance documents it as normal).
   * Returns the signed change in the number of levels (1 inserted, -1 deleted, 0 replaced or no-op).
   */
  set(price: number, qty: number): number {
    const key = this.sign * price;
    const keys = this.keys;
    const hi = this.hi;
    const pos = this.search(key);
    if (pos < hi && keys[pos] === key) {
      if (qty > 0) {
        this.qtys[pos] = qty;
        return 0;
      }
      // delete: move the (few) better levels down one slot
      const qtys = this.qtys;
      const above = hi - pos - 1;
      if (above <= 8) {
        for (let i = pos; i < hi - 1; i++) {
          keys[i] = keys[i + 1];
          qtys[i] = qtys[i + 1];
        }
      } else {
        keys.copyWithin(pos, pos + 1, hi);
        qtys.copyWithin(pos, pos + 1, hi);
      }
      this.hi = hi - 1;
      return -1;
    }
    if (!(qty > 0)) return 0;
    this.insertAt(pos, key, qty);
    return 1;
  }

  /** Keep only the `depth` best levels (drops the worst ones in O(1)). */
  truncate(depth: number): void {
    if (this.hi - this.lo > depth) this.lo = this.hi - Math.max(0, depth);
  }

  /** Remove every level (keeps the memory). */
  clear(): void {
    this.lo = 0;
    this.hi = 0;
  }

  /**
   * Replace the side's content with the levels prices[start..end) / qtys[start..end). Levels given best
   * first (the order of exchange snapshots) are copied in one pass; any other order falls back to set().
   * Levels with quantity 0 are skipped.
   */
  load(prices: ArrayLike<number>, qtys: ArrayLike<number>, start = 0, end = prices.length): void {
    this.clear();
    const n = end - start;
    let sortedBestFirst = true;
    for (let i = start + 1; i < end && sortedBestFirst; i++) {
      sortedBestFirst = this.sign * prices[i] < this.sign * prices[i - 1];
    }
    if (!sortedBestFirst) {
      for (let i = start; i < end; i++) this.set(prices[i], qtys[i]);
      return;
    }
    if (n > this.keys.length) {
      const capacity = Math.max(n * 2, MIN_CAPACITY);
      this.keys = new Float64Array(capacity);
      this.qtys = new Float64Array(capacity);
    }
    let hi = 0;
    for (let i = end - 1; i >= start; i--) {
      if (!(qtys[i] > 0)) continue;
      this.keys[hi] = this.sign * prices[i];
      this.qtys[hi] = qtys[i];
      hi++;
    }
    this.hi = hi;
  }

  /** Index of the first key >= `key` in [lo, hi): galloping down from the top, then bisection. */
  private search(key: number): number {
    const keys = this.keys;
    const lo = this.lo;
    let top = this.hi - 1;
    if (top < lo || keys[top] < key) return this.hi; // empty, or above the best: goes on top
    // invariant: keys[top] >= key; find the lowest such index
    let step = 1;
    let bottom = top - 1;
    while (bottom >= lo && keys[bottom] >= key) {
      top = bottom;
      step <<= 1;
      bottom = top - step;
    }
    // keys[top] >= key and (bottom < lo or keys[bottom] < key): the answer is in (max(bottom, lo-1), top]
    let left = bottom < lo ? lo : bottom + 1;
    let right = top;
    while (left < right) {
      const mid = (left + right) >>> 1;
      if (keys[mid] < key) left = mid + 1;
      else right = mid;
    }
    return left;
  }

  private insertAt(at: number, key: number, qty: number): void {
    let pos = at;
    if (this.hi === this.keys.length) pos -= this.makeRoom();
    const keys = this.keys;
    const qtys = this.qtys;
    const hi = this.hi;
    const above = hi - pos;
    if (above <= 8) {
      for (let i = hi; i > pos; i--) {
        keys[i] = keys[i - 1];
        qtys[i] = qtys[i - 1];
      }
    } else {
      keys.copyWithin(pos + 1, pos, hi);
      qtys.copyWithin(pos + 1, pos, hi);
    }
    keys[pos] = key;
    qtys[pos] = qty;
    this.hi = hi + 1;
  }

  /** Free the slot after `hi`: slide the levels down to 0 if a quarter is free, else double. Returns the shift. */
  private makeRoom(): number {
    const lo = this.lo;
    const n = this.hi - lo;
    const capacity = this.keys.length;
    if (lo > 0 && n <= (capacity * 3) / 4) {
      this.keys.copyWithin(0, lo, this.hi);
      this.qtys.copyWithin(0, lo, this.hi);
    } else {
      const keys = new Float64Array(capacity * 2);
      const qtys = new Float64Array(capacity * 2);
      keys.set(this.keys.subarray(lo, this.hi));
      qtys.set(this.qtys.subarray(lo, this.hi));
      this.keys = keys;
      this.qtys = qtys;
    }
    this.lo = 0;
    this.hi = n;
    return lo;
  }
}
