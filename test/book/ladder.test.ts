// The two ladder implementations (price-indexed TickLadder used by OrderBook, block-sorted SortedLadder
// used for its overflow) and the OrderBook on top: inserts, replaces, deletes, best price, level order,
// truncation, re-gridding, window moves, and a seeded random differential test against a plain Map.
import { describe, expect, it } from 'vitest';
import { ASK, BID, OrderBook, SortedLadder, TickLadder, decimalsOf } from '../../src/engines/data/book/index.ts';
import type { Ladder } from '../../src/engines/data/book/index.ts';
import { mulberry32 } from '../support/random.ts';

function levels(ladder: Ladder): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let i = 0; i < ladder.size; i++) out.push([ladder.priceAt(i), ladder.qtyAt(i)]);
  return out;
}

/** Reference side: a Map price -> qty, sorted on demand. */
function reference(isBid: boolean, map: Map<number, number>): Array<[number, number]> {
  return [...map.entries()].sort((a, b) => (isBid ? b[0] - a[0] : a[0] - b[0]));
}

/** Best level of the reference by a linear scan ([NaN, NaN] when empty). */
function bestOf(isBid: boolean, map: Map<number, number>): [number, number] {
  let best: [number, number] = [Number.NaN, Number.NaN];
  for (const [price, qty] of map) if (Number.isNaN(best[0]) || (isBid ? price > best[0] : price < best[0])) best = [price, qty];
  return best;
}

const rng = mulberry32;

const makers: Array<[string, (isBid: boolean) => Ladder]> = [
  ['TickLadder', (isBid) => new TickLadder(isBid)],
  ['TickLadder with a tiny window', (isBid) => new TickLadder(isBid, { windowTicks: 1024 })],
  ['SortedLadder', (isBid) => new SortedLadder(isBid, 16)],
];

describe.each(makers)('%s', (_name, make) => {
  it('keeps bids best (highest) first and reads the best in O(1)', () => {
    const bids = make(true);
    expect(bids.bestPrice()).toBeNaN();
    expect(bids.set(100.5, 2)).toBe(1);
    expect(bids.set(100.7, 1)).toBe(1);
    expect(bids.set(100.6, 3)).toBe(1);
    expect(bids.bestPrice()).toBe(100.7);
    expect(bids.bestQty()).toBe(1);
    expect(levels(bids)).toEqual([
      [100.7, 1],
      [100.6, 3],
      [100.5, 2],
    ]);
  });

  it('keeps asks best (lowest) first', () => {
    const asks = make(false);
    asks.set(101.2, 1);
    asks.set(101.0, 4);
    asks.set(101.1, 2);
    expect(asks.bestPrice()).toBe(101);
    expect(asks.bestQty()).toBe(4);
    expect(levels(asks).map((l) => l[0])).toEqual([101, 101.1, 101.2]);
  });

  it('replaces a quantity, deletes with qty 0, and ignores deleting a missing level', () => {
    const bids = make(true);
    bids.set(10, 1);
    bids.set(9, 2);
    expect(bids.set(10, 5)).toBe(0);
    expect(bids.bestQty()).toBe(5);
    expect(bids.qtyOf(10)).toBe(5);
    expect(bids.set(10, 0)).toBe(-1);
    expect(bids.bestPrice()).toBe(9);
    expect(bids.qtyOf(10)).toBe(0);
    expect(bids.set(8.5, 0)).toBe(0);
    expect(bids.size).toBe(1);
    expect(bids.set(9, 0)).toBe(-1);
    expect(bids.size).toBe(0);
    expect(bids.bestPrice()).toBeNaN();
    expect(bids.bestQty()).toBeNaN();
  });

  it('loads a snapshot given best first, and in any order', () => {
    const a = make(false);
    a.load([5, 6, 7, 8], [1, 2, 0, 4]);
    expect(levels(a)).toEqual([
      [5, 1],
      [6, 2],
      [8, 4],
    ]);
    const b = make(true);
    b.load([7, 9, 8], [1, 1, 1]);
    expect(levels(b).map((l) => l[0])).toEqual([9, 8, 7]);
    expect(b.priceAt(3)).toBeNaN();
  });

  it('truncates to the best N levels', () => {
    const b = make(true);
    for (let p = 1; p <= 50; p++) b.set(p, p);
    b.truncate(10);
    expect(b.size).toBe(10);
    expect(levels(b).map((l) => l[0])).toEqual([50, 49, 48, 47, 46, 45, 44, 43, 42, 41]);
    b.set(45.5, 1);
    b.truncate(10);
    expect(levels(b).at(-1)).toEqual([42, 42]);
  });

  it('matches a plain Map under 20,000 random updates (deep, near the top, far away)', () => {
    for (const isBid of [true, false]) {
      const random = rng(isBid ? 7 : 11);
      const ladder = make(isBid);
      const map = new Map<number, number>();
      let mid = 50_000;
      for (let step = 0; step < 20_000; step++) {
        mid += Math.round((random() - 0.5) * 40); // the market drifts (in cents)
        const r = random();
        const distance = r < 0.6 ? Math.floor(random() * 50) : r < 0.95 ? Math.floor(random() * 5_000) : Math.floor(random() * 2_000_000);
        const cents = isBid ? mid - distance : mid + distance;
        if (cents <= 0) continue;
        const price = cents / 100;
        const qty = random() < 0.4 ? 0 : Math.round(random() * 1e5) / 1e3;
        ladder.set(price, qty);
        if (qty > 0) map.set(price, qty);
        else map.delete(price);
        if (step % 997 === 0) expect(levels(ladder)).toEqual(reference(isBid, map));
        if (step % 7 === 0) expect([ladder.bestPrice(), ladder.bestQty()]).toEqual(bestOf(isBid, map));
      }
      expect(levels(ladder)).toEqual(reference(isBid, map));
      expect(ladder.size).toBe(map.size);
    }
  });
});

describe('TickLadder grid', () => {
  it('infers the decimals from the prices and gives back exactly the parsed doubles', () => {
    expect(decimalsOf(61837.63)).toBe(2);
    expect(decimalsOf(100)).toBe(0);
    expect(decimalsOf(0.0000229)).toBe(7);
    expect(decimalsOf(Number('0.000022900'))).toBe(7);
    const t = new TickLadder(true);
    t.load([61837.63, 61837.62, 61631.55], [1, 2, 3]);
    expect(t.priceDecimals).toBe(2);
    expect(t.bestPrice()).toBe(Number('61837.63'));
    expect(t.priceAt(2)).toBe(Number('61631.55'));
  });

  it('re-grids when a price with more decimals arrives', () => {
    const t = new TickLadder(false);
    t.load([10.5, 10.6], [1, 1]);
    expect(t.priceDecimals).toBe(1);
    t.set(10.55, 2);
    expect(t.priceDecimals).toBe(2);
    expect(levels(t)).toEqual([
      [10.5, 1],
      [10.55, 2],
      [10.6, 1],
    ]);
  });

  it('moves its window when the price runs far above or below it', () => {
    const t = new TickLadder(true, { windowTicks: 1024 });
    t.load([100, 99.99], [1, 1]);
    t.set(200, 5); // far above the window: re-centred
    expect(t.bestPrice()).toBe(200);
    t.set(200, 0); // back down: the best is far below the window top
    expect(t.bestPrice()).toBe(100);
    t.set(100, 0);
    t.set(99.99, 0);
    t.set(1, 3); // far below
    expect(levels(t)).toEqual([[1, 3]]);
  });

  it('rejects a price that is not a short decimal', () => {
    expect(() => new TickLadder(true).set(Math.PI, 1)).toThrow(RangeError);
  });
});

describe('OrderBook', () => {
  it('applies levels by side and reports the top of book', () => {
    const book = new OrderBook();
    book.apply(BID, 99, 1);
    book.apply(BID, 98, 2);
    book.apply(ASK, 101, 3);
    book.apply(ASK, 102, 4);
    expect(book.top()).toEqual({ bidPrice: 99, bidQty: 1, askPrice: 101, askQty: 3 });
    expect(book.isCrossed()).toBe(false);
    book.apply(BID, 99, 0);
    expect(book.bestBid()).toBe(98);
    book.apply(BID, 101, 1);
    expect(book.isCrossed()).toBe(true);
    expect(book.levels(ASK)).toEqual([
      [101, 3],
      [102, 4],
    ]);
    book.clear();
    expect(book.isCrossed()).toBe(false);
    expect(book.bestAsk()).toBeNaN();
  });
});
