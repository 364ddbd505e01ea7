// Keeping a local Binance spot book in sync from a REST snapshot and the `@depth` diff stream, following
// Binance's documented procedure ("How to manage a local order book correctly"):
//
//  1. open the diff stream and buffer its events;
//  2. fetch a depth snapshot (lastUpdateId L);
//  3. drop buffered events with u <= L (stale: already in the snapshot);
//  4. the first event applied must straddle L+1: U <= L+1 <= u (otherwise the snapshot is older than
//     the stream: a gap, ask for a new snapshot);
//  5. every following event must continue the sequence: U == previous u + 1 (otherwise a gap);
//  6. apply an event's levels as absolute quantities; quantity 0 deletes the level (deleting a level
//     that is not in the book is normal).
//
// A gap, or a book left crossed (best bid >= best ask) after an event, sends the sync back to step 1:
// `onResync` is called (asking the owner for a new snapshot) and the events that follow are buffered
// until `onSnapshot` delivers one. The events applied are counted; nothing is allocated per level.
import { BID, OrderBook } from '../../engines/index.ts';
import { DepthDiffs } from './depth-diffs.ts';

export const SyncState = { AwaitingSnapshot: 0, AwaitingFirstEvent: 1, Synced: 2 } as const;
export type SyncState = (typeof SyncState)[keyof typeof SyncState];

/** What onDiff did with an event. */
export const DiffOutcome = { Buffered: 0, Stale: 1, Applied: 2, Gap: 3, Crossed: 4 } as const;
export type DiffOutcome = (typeof DiffOutcome)[keyof typeof DiffOutcome];

export type ResyncReason = 'gap' | 'crossed';

/** Passed to onResync: why the book cannot be trusted any more. Build a new snapshot and call onSnapshot. */
export interface ResyncRequest {
  reason: ResyncReason;
  /** Update id the book was at (the snapshot's lastUpdateId or the last applied u). */
  bookUpdateId: number;
  /** Gap: the U that was expected (bookUpdateId + 1); crossed: NaN. */
  expectedFirstId: number;
  /** The offending event's U and u. */
  firstId: number;
  lastId: number;
}

export interface BinanceSyncOptions {
  /** The book to maintain (default: a new one). */
  book?: OrderBook;
  /**
   * Called when a gap or a crossed book makes a new snapshot necessary. Fetch it and call onSnapshot
   * later (asynchronously); the events fed meanwhile are buffered.
   */
  onResync?: (request: ResyncRequest) => void;
  /** Called after each applied event with its final update id u (the book is in the state after u). */
  onApplied?: (lastId: number) => void;
}

export interface SyncStats {
  /** Events applied to the book, and their level updates. */
  appliedEvents: number;
  appliedLevels: number;
  /** Events dropped as already contained in the snapshot (u <= lastUpdateId). */
  staleEvents: number;
  /** Events held while waiting for a snapshot. */
  bufferedEvents: number;
  /** Sequence gaps, crossed books, and resync requests (gaps + crossed). */
  gaps: number;
  crossed: number;
  resyncs: number;
  snapshots: number;
}

export interface DepthSnapshot {
  lastUpdateId: number;
  bids: { prices: ArrayLike<number>; qtys: ArrayLike<number> };
  asks: { prices: ArrayLike<number>; qtys: ArrayLike<number> };
}

export class BinanceBookSync {
  readonly book: OrderBook;
  private state: SyncState = SyncState.AwaitingSnapshot;
  /** Update id the book is at: snapshot lastUpdateId, then the u of the last applied event. */
  private updateId = Number.NaN;
  private buffer = new DepthDiffs();
  private spare = new DepthDiffs();
  private draining = false;
  private readonly onResync: ((request: ResyncRequest) => void) | undefined;
  private readonly onApplied: ((lastId: number) => void) | undefined;
  private readonly counters: SyncStats = {
    appliedEvents: 0,
    appliedLevels: 0,
    staleEvents: 0,
    bufferedEvents: 0,
    gaps: 0,
    crossed: 0,
    resyncs: 0,
    snapshots: 0,
  };

  constructor(options: BinanceSyncOptions = {}) {
    this.book = options.book ?? new OrderBook();
    this.onResync = options.onResync;
    this.onApplied = options.onApplied;
  }

  get syncState(): SyncState {
    return this.state;
  }

  /** True when the book reflects the exchange's book as of `lastUpdateId`. */
  get synced(): boolean {
    return this.state !== SyncState.AwaitingSnapshot;
  }

  /** The update id the book is at (NaN before the first snapshot). */
  get lastUpdateId(): number {
    return this.updateId;
  }

  /** Number of events waiting for a snapshot. */
  get pending(): number {
    return this.buffer.count;
  }

  get stats(): Readonly<SyncStats> {
    return this.counters;
  }

  /** Feed event `i` of `diffs` (in stream order). The store may be reused afterwards: buffering copies. */
  onDiff(diffs: DepthDiffs, i: number): DiffOutcome {
    diffs.checkEvent(i);
    const state = this.state;
    if (state === SyncState.AwaitingSnapshot) {
      this.buffer.copyEvent(diffs, i);
      this.counters.bufferedEvents++;
      return DiffOutcome.Buffered;
    }
    const firstId = diffs.firstId[i]!;
    const lastId = diffs.lastId[i]!;
    const expected = this.updateId + 1;
    if (state === SyncState.AwaitingFirstEvent) {
      if (lastId < expected) {
        this.counters.staleEvents++;
        return DiffOutcome.Stale;
      }
      if (firstId > expected) return this.gap(diffs, i, firstId, lastId);
    } else if (firstId !== expected) {
      return this.gap(diffs, i, firstId, lastId);
    }
    this.applyEvent(diffs, i);
    this.state = SyncState.Synced;
    this.updateId = lastId;
    if (this.onApplied !== undefined) this.onApplied(lastId);
    if (this.book.isCrossed()) {
      this.counters.crossed++;
      this.requestResync({ reason: 'crossed', bookUpdateId: lastId, expectedFirstId: Number.NaN, firstId, lastId });
      return DiffOutcome.Crossed;
    }
    return DiffOutcome.Applied;
  }

  /** Load a snapshot, then replay the buffered events through steps 3-5. */
  onSnapshot(snapshot: DepthSnapshot): void {
    if (this.draining) throw new Error('BinanceBookSync.onSnapshot: called from onResync while replaying buffered events; deliver the snapshot asynchronously');
    this.draining = true;
    try {
      this.load(snapshot);
    } finally {
      this.draining = false;
    }
  }

  private load(snapshot: DepthSnapshot): void {
    this.book.load(snapshot.bids, snapshot.asks);
    this.counters.snapshots++;
    this.updateId = snapshot.lastUpdateId;
    this.state = SyncState.AwaitingFirstEvent;
    const pending = this.buffer;
    this.buffer = this.spare;
    this.spare = pending;
    this.buffer.clear();
    for (let k = 0; k < pending.count; k++) {
      if (this.syncState === SyncState.AwaitingSnapshot) {
        this.buffer.copyEvent(pending, k); // a resync during the drain: keep the rest for the next snapshot
      } else {
        this.onDiff(pending, k);
      }
    }
    pending.clear();
  }

  /** Apply the levels of event `i` (an index onDiff has checked). */
  private applyEvent(diffs: DepthDiffs, i: number): void {
    const start = diffs.levelStart[i]!;
    const end = diffs.levelStart[i + 1]!;
    const side = diffs.side;
    const price = diffs.price;
    const qty = diffs.qty;
    const bids = this.book.bids;
    const asks = this.book.asks;
    for (let j = start; j < end; j++) (side[j] === BID ? bids : asks).set(price[j]!, qty[j]!);
    this.counters.appliedEvents++;
    this.counters.appliedLevels += end - start;
  }

  private gap(diffs: DepthDiffs, i: number, firstId: number, lastId: number): DiffOutcome {
    this.counters.gaps++;
    const request: ResyncRequest = {
      reason: 'gap',
      bookUpdateId: this.updateId,
      expectedFirstId: this.updateId + 1,
      firstId,
      lastId,
    };
    this.state = SyncState.AwaitingSnapshot;
    this.buffer.clear();
    // the event that revealed the gap is newer than the book: keep it for the next snapshot
    this.buffer.copyEvent(diffs, i);
    this.counters.bufferedEvents++;
    this.requestResync(request);
    return DiffOutcome.Gap;
  }

  private requestResync(request: ResyncRequest): void {
    this.counters.resyncs++;
    if (this.state !== SyncState.AwaitingSnapshot) {
      this.state = SyncState.AwaitingSnapshot;
      this.buffer.clear();
    }
    if (this.onResync !== undefined) this.onResync(request);
  }
}
