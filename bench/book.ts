// Benchmark: the real Binance BTCUSDT L2 capture (data/l2: snapshot + 298,094 applied level updates)
// replayed in a loop through our book (BinanceBookSync + OrderBook: the full sync procedure with its
// sequence and crossed-book checks) and, in the same run, through ccxt's own websocket order book
// (`exchange.orderBook(snapshot)` then `bids.store(price, size)` / `asks.store(...)` per level and
// `nonce = u` per event, as ccxt's binance.js handleOrderBookMessage does). Both get the capture
// pre-parsed to numbers (ccxt's own safeFloat parsing is not timed). Import for `benchBook()`; run
// standalone to print JSON.

import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { type BinanceCapture, eventsBeforeSnapshot, loadBinanceCapture } from '../src/app/book/index.ts';
import { BinanceBookSync } from '../src/adapters/binance/index.ts';
import { BID, OrderBook } from '../src/engines/index.ts';

const DATA = (name: string): string => fileURLToPath(new URL(`../data/l2/${name}`, import.meta.url));

/** Minimal view of ccxt's WsOrderBook as used here (its own typings are `any`-based). */
interface CcxtBookSide {
  store(price: number, size: number): void;
  length: number;
  [index: number]: [number, number];
}
interface CcxtOrderBook {
  bids: CcxtBookSide;
  asks: CcxtBookSide;
  nonce: number | undefined;
}

/** Our side: one full replay (snapshot load + every diff through the sync). Returns level updates applied. */
function replayOurs(capture: BinanceCapture, book: OrderBook, before: number): number {
  const diffs = capture.diffs.diffs;
  const sync = new BinanceBookSync({ book });
  for (let i = 0; i < before; i++) sync.onDiff(diffs, i);
  sync.onSnapshot(capture.snapshot);
  for (let i = before, n = diffs.count; i < n; i++) sync.onDiff(diffs, i);
  if (sync.stats.gaps !== 0 || sync.stats.crossed !== 0) throw new Error('bench: the replay lost sync');
  return sync.stats.appliedLevels;
}

/** The events our sync applies (the stale ones before the first straddling event are dropped). */
function appliedEvents(capture: BinanceCapture): Int32Array {
  const applied: number[] = [];
  const diffs = capture.diffs.diffs;
  let last = capture.snapshot.lastUpdateId;
  for (let i = 0; i < diffs.count; i++) {
    const lastId = diffs.lastId[i];
    if (lastId === undefined) throw new Error(`bench: last update id missing for event ${i}`);
    if (lastId <= last) continue;
    applied.push(i);
    last = lastId;
  }
  return Int32Array.from(applied);
}

/** ccxt's side: the same snapshot and the same applied events, through its OrderBook. */
function replayCcxt(
  capture: BinanceCapture,
  makeBook: (snapshot: object) => CcxtOrderBook,
  snapshot: { bids: number[][]; asks: number[][]; nonce: number },
  events: Int32Array,
): number {
  const diffs = capture.diffs.diffs;
  const { side, price, qty, levelStart, lastId } = diffs;
  const book = makeBook(snapshot);
  let updates = 0;
  for (let k = 0; k < events.length; k++) {
    const i = events[k]!;
    const bids = book.bids;
    const asks = book.asks;
    const start = levelStart[i]!;
    const end = levelStart[i + 1]!;
    for (let j = start; j < end; j++) {
      if (side[j] === BID) bids.store(price[j]!, qty[j]!);
      else asks.store(price[j]!, qty[j]!);
    }
    book.nonce = lastId[i]!;
    updates += end - start;
  }
  return updates;
}

/** Best rate (updates/s) over `rounds` rounds of `passes` calls each. */
function measure(run: () => number, rounds: number, passes: number): number {
  let best = 0;
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    let updates = 0;
    for (let p = 0; p < passes; p++) updates += run();
    const seconds = (performance.now() - t0) / 1000;
    best = Math.max(best, updates / seconds);
  }
  return best;
}

export async function benchBook(): Promise<{ updatesPerSecond: number; ccxtUpdatesPerSecond: number; ratio: number }> {
  const capture = await loadBinanceCapture({
    snapshotFile: DATA('BTCUSDT-depth-snapshot.csv'),
    diffsFile: DATA('BTCUSDT-depth-diff.csv.gz'),
  });
  const before = eventsBeforeSnapshot(capture);
  const book = new OrderBook();

  const { default: ccxt } = await import('ccxt');
  const exchange = new ccxt.pro.binance();
  const makeBook = (snapshot: object): CcxtOrderBook => exchange.orderBook(snapshot) as unknown as CcxtOrderBook;
  const pairs = (side: { prices: Float64Array; qtys: Float64Array }): number[][] =>
    Array.from(side.prices, (p, i) => {
      const q = side.qtys[i];
      if (q === undefined) throw new Error(`bench: snapshot quantity missing at level ${i}`);
      return [p, q];
    });
  const snapshot = { bids: pairs(capture.snapshot.bids), asks: pairs(capture.snapshot.asks), nonce: capture.snapshot.lastUpdateId };
  const events = appliedEvents(capture);

  // both books must end in the same state
  const ours = replayOurs(capture, book, before);
  const theirs = replayCcxt(capture, makeBook, snapshot, events);
  if (ours !== theirs) throw new Error(`bench: ${ours} updates through our book, ${theirs} through ccxt`);
  const check = makeBook(snapshot);
  replayCcxtInto(capture, check, events);
  if (check.bids[0]?.[0] !== book.bestBid() || check.asks[0]?.[0] !== book.bestAsk() || check.bids.length !== book.bids.size || check.asks.length !== book.asks.size) {
    throw new Error('bench: ccxt and our book disagree after the replay');
  }

  // warm-up, then interleaved rounds (best round wins: the machine is shared)
  measure(() => replayOurs(capture, book, before), 1, 20);
  measure(() => replayCcxt(capture, makeBook, snapshot, events), 1, 1);
  let ourRate = 0;
  let ccxtRate = 0;
  for (let round = 0; round < 4; round++) {
    ourRate = Math.max(ourRate, measure(() => replayOurs(capture, book, before), 1, 20));
    ccxtRate = Math.max(ccxtRate, measure(() => replayCcxt(capture, makeBook, snapshot, events), 1, 1));
  }
  return {
    updatesPerSecond: Math.round(ourRate),
    ccxtUpdatesPerSecond: Math.round(ccxtRate),
    ratio: Math.round((ourRate / ccxtRate) * 10) / 10,
  };
}

function replayCcxtInto(capture: BinanceCapture, book: CcxtOrderBook, events: Int32Array): void {
  const { side, price, qty, levelStart } = capture.diffs.diffs;
  for (const i of events) {
    const start = levelStart[i];
    const end = levelStart[i + 1];
    if (start === undefined || end === undefined) throw new Error(`bench: no level range for event ${i}`);
    for (let j = start; j < end; j++) (side[j] === BID ? book.bids : book.asks).store(price[j]!, qty[j]!);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.stdout.write(`${JSON.stringify(await benchBook())}\n`);
}
