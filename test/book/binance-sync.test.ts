// Binance's local-book procedure on small hand-made sequences: buffering before the snapshot, stale
// diffs dropped, the first applied diff straddling lastUpdateId+1, continuity U == previous u + 1, and
// resync requests on a gap or a crossed book.
import { describe, expect, it } from 'vitest';
import { BinanceBookSync, DepthDiffs, DiffOutcome, SyncState } from '../../src/adapters/binance/index.ts';
import type { DepthSnapshot, ResyncRequest } from '../../src/adapters/binance/index.ts';
import { ASK, BID } from '../../src/engines/data/book/index.ts';

type Row = [side: 'b' | 'a', price: number, qty: number];

/** Append one event and return its index. */
function event(diffs: DepthDiffs, first: number, last: number, rows: Row[]): number {
  diffs.beginEvent(first, last);
  for (const [side, price, qty] of rows) diffs.addLevel(side === 'b' ? BID : ASK, price, qty);
  return diffs.count - 1;
}

/** Snapshot at lastUpdateId 100: bids 99 x 1, 98 x 2; asks 101 x 1, 102 x 2. */
const SNAPSHOT: DepthSnapshot = {
  lastUpdateId: 100,
  bids: { prices: [99, 98], qtys: [1, 2] },
  asks: { prices: [101, 102], qtys: [1, 2] },
};

function setup(): { sync: BinanceBookSync; diffs: DepthDiffs; resyncs: ResyncRequest[]; applied: number[] } {
  const resyncs: ResyncRequest[] = [];
  const applied: number[] = [];
  const sync = new BinanceBookSync({ onResync: (r) => resyncs.push(r), onApplied: (u) => applied.push(u) });
  return { sync, diffs: new DepthDiffs(), resyncs, applied };
}

describe('BinanceBookSync', () => {
  it('buffers diffs until the snapshot, drops the stale ones, applies from the one straddling lastUpdateId+1', () => {
    const { sync, diffs, resyncs, applied } = setup();
    const e1 = event(diffs, 90, 95, [['b', 99, 7]]); // u <= 100: stale
    const e2 = event(diffs, 96, 100, [['a', 101, 7]]); // u == 100: stale
    const e3 = event(diffs, 101 - 3, 103, [['b', 99, 5]]); // U=98 <= 101 <= u=103: the first one applied
    expect(sync.onDiff(diffs, e1)).toBe(DiffOutcome.Buffered);
    expect(sync.onDiff(diffs, e2)).toBe(DiffOutcome.Buffered);
    expect(sync.onDiff(diffs, e3)).toBe(DiffOutcome.Buffered);
    expect(sync.synced).toBe(false);
    expect(sync.pending).toBe(3);
    sync.onSnapshot(SNAPSHOT);
    expect(sync.syncState).toBe(SyncState.Synced);
    expect(sync.stats).toMatchObject({ staleEvents: 2, appliedEvents: 1, appliedLevels: 1, gaps: 0, resyncs: 0 });
    expect(sync.lastUpdateId).toBe(103);
    expect(applied).toEqual([103]);
    expect(sync.book.top()).toEqual({ bidPrice: 99, bidQty: 5, askPrice: 101, askQty: 1 });
    // continuity: U must be 104 now
    expect(sync.onDiff(diffs, event(diffs, 104, 106, [['a', 101, 0], ['a', 100.5, 3]]))).toBe(DiffOutcome.Applied);
    expect(sync.book.bestAsk()).toBe(100.5);
    expect(sync.book.asks.qtyOf(101)).toBe(0);
    expect(resyncs).toEqual([]);
  });

  it('accepts a first diff whose U is exactly lastUpdateId+1, and drops stale ones after the snapshot', () => {
    const { sync, diffs } = setup();
    sync.onSnapshot(SNAPSHOT);
    expect(sync.syncState).toBe(SyncState.AwaitingFirstEvent);
    expect(sync.onDiff(diffs, event(diffs, 95, 100, [['b', 50, 1]]))).toBe(DiffOutcome.Stale);
    expect(sync.onDiff(diffs, event(diffs, 101, 101, [['b', 98, 0]]))).toBe(DiffOutcome.Applied);
    expect(sync.book.bids.size).toBe(1);
  });

  it('a gap between the snapshot and the first diff asks for a new snapshot', () => {
    const { sync, diffs, resyncs } = setup();
    sync.onSnapshot(SNAPSHOT);
    const e = event(diffs, 102, 104, [['b', 99, 3]]); // 101 is missing
    expect(sync.onDiff(diffs, e)).toBe(DiffOutcome.Gap);
    expect(resyncs).toEqual([{ reason: 'gap', bookUpdateId: 100, expectedFirstId: 101, firstId: 102, lastId: 104 }]);
    expect(sync.synced).toBe(false);
    expect(sync.pending).toBe(1); // kept for the next snapshot
  });

  it('a gap in the stream triggers a resync; a new snapshot resumes from the buffered events', () => {
    const { sync, diffs, resyncs, applied } = setup();
    sync.onSnapshot(SNAPSHOT);
    expect(sync.onDiff(diffs, event(diffs, 101, 105, [['b', 99, 2]]))).toBe(DiffOutcome.Applied);
    expect(sync.onDiff(diffs, event(diffs, 107, 110, [['b', 99, 9]]))).toBe(DiffOutcome.Gap); // 106 missing
    expect(resyncs).toHaveLength(1);
    expect(resyncs[0]).toMatchObject({ reason: 'gap', bookUpdateId: 105, expectedFirstId: 106, firstId: 107 });
    expect(sync.onDiff(diffs, event(diffs, 111, 112, [['a', 101, 4]]))).toBe(DiffOutcome.Buffered);
    expect(sync.stats).toMatchObject({ gaps: 1, resyncs: 1 });
    // the owner fetches a new snapshot (lastUpdateId 108): 107..110 straddles 109, then 111..112 follows
    sync.onSnapshot({ lastUpdateId: 108, bids: { prices: [99], qtys: [8] }, asks: { prices: [101], qtys: [1] } });
    expect(sync.syncState).toBe(SyncState.Synced);
    expect(sync.lastUpdateId).toBe(112);
    expect(sync.book.top()).toEqual({ bidPrice: 99, bidQty: 9, askPrice: 101, askQty: 4 });
    expect(applied).toEqual([105, 110, 112]);
  });

  it('a gap among the buffered events is found while replaying them after the snapshot', () => {
    const { sync, diffs, resyncs } = setup();
    sync.onDiff(diffs, event(diffs, 99, 102, [['b', 99, 2]]));
    sync.onDiff(diffs, event(diffs, 104, 105, [['b', 99, 3]])); // 103 missing
    sync.onDiff(diffs, event(diffs, 106, 107, [['b', 99, 4]]));
    sync.onSnapshot(SNAPSHOT);
    expect(resyncs.map((r) => r.reason)).toEqual(['gap']);
    expect(sync.synced).toBe(false);
    expect(sync.pending).toBe(2); // 104..105 and 106..107 wait for the next snapshot
    sync.onSnapshot({ ...SNAPSHOT, lastUpdateId: 104 });
    expect(sync.lastUpdateId).toBe(107);
    expect(sync.book.bestBidQty()).toBe(4);
  });

  it('a crossed book after an event triggers a resync', () => {
    const { sync, diffs, resyncs } = setup();
    sync.onSnapshot(SNAPSHOT);
    // a bid at 101.5 above the best ask 101 without the ask being removed: the book is wrong
    expect(sync.onDiff(diffs, event(diffs, 101, 101, [['b', 101.5, 1]]))).toBe(DiffOutcome.Crossed);
    expect(resyncs).toEqual([{ reason: 'crossed', bookUpdateId: 101, expectedFirstId: Number.NaN, firstId: 101, lastId: 101 }]);
    expect(sync.stats).toMatchObject({ crossed: 1, resyncs: 1, gaps: 0 });
    expect(sync.onDiff(diffs, event(diffs, 102, 102, [['a', 101, 0]]))).toBe(DiffOutcome.Buffered);
  });

  it('a crossing inside one event is fine when the event ends uncrossed', () => {
    const { sync, diffs, resyncs } = setup();
    sync.onSnapshot(SNAPSHOT);
    // the bid crosses 101 first, then the ask at 101 is removed in the same event
    expect(sync.onDiff(diffs, event(diffs, 101, 102, [['b', 101, 1], ['a', 101, 0]]))).toBe(DiffOutcome.Applied);
    expect(resyncs).toEqual([]);
    expect(sync.book.top()).toEqual({ bidPrice: 101, bidQty: 1, askPrice: 102, askQty: 2 });
  });

  it('copies buffered events, so the caller may reuse its store (live use)', () => {
    const { sync } = setup();
    const scratch = new DepthDiffs(1, 1);
    for (const [first, last, price] of [
      [99, 101, 97],
      [102, 103, 96],
    ] as const) {
      scratch.clear();
      event(scratch, first, last, [['b', price, 1]]);
      sync.onDiff(scratch, 0);
    }
    sync.onSnapshot(SNAPSHOT);
    expect(sync.book.levels(BID).map((l) => l[0])).toEqual([99, 98, 97, 96]);
  });

  it('refuses a snapshot delivered synchronously from onResync during the buffered replay', () => {
    const diffs = new DepthDiffs();
    const sync: BinanceBookSync = new BinanceBookSync({ onResync: () => sync.onSnapshot(SNAPSHOT) });
    event(diffs, 99, 101, []);
    event(diffs, 105, 106, []);
    sync.onDiff(diffs, 0);
    sync.onDiff(diffs, 1);
    expect(() => sync.onSnapshot(SNAPSHOT)).toThrow(/asynchronously/);
  });
});
