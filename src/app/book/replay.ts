// The order-book replay use-case behind `traider book replay`: rebuild a book from a recorded capture and
// prove it against what the exchange published.
//  - Binance: snapshot CSV + depth-diff CSV (+ bookTicker CSV) -> BinanceBookSync; every bookTicker whose
//    update id equals the final u of an applied diff event is compared with the book right after it.
//  - Kraken: cryptofeed raw websocket capture -> one KrakenBook per pair; every update's CRC32 checked.
// The capture is parsed into typed arrays before the clock starts; only the replay itself is timed.
import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { BinanceBookSync, type BinanceDiffCapture, type BinanceSnapshotCapture, type BookTickerCapture, parseBinanceDiffs, parseBinanceSnapshot, parseBookTicker, type ResyncRequest } from '../../adapters/binance/index.ts';
import { KrakenBook, parseKrakenBookMessage } from '../../adapters/kraken/index.ts';
import { DataError, OrderBook, type TopOfBook } from '../../engines/index.ts';

const gunzipAsync = promisify(gunzip);

/** Read a text file, gunzipping it when it starts with the gzip magic bytes; errors name the file. */
export async function readCaptureText(file: string): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (error as Error).message;
    throw new Error(`${file}: cannot read the file: ${why}`);
  }
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = await gunzipAsync(bytes);
    } catch (error) {
      throw new Error(`${file}: cannot decompress gzip data: ${(error as Error).message}`);
    }
  }
  return bytes.toString('utf8');
}

export interface BinanceReplayRequest {
  snapshotFile: string;
  diffsFile: string;
  bookTickerFile?: string;
}

export interface BinanceCapture {
  snapshot: BinanceSnapshotCapture;
  diffs: BinanceDiffCapture;
  bookTicker?: BookTickerCapture;
}

export interface TopMismatch {
  updateId: number;
  book: TopOfBook;
  bookTicker: TopOfBook;
}

export interface BinanceReplayResult {
  /** Level updates applied to the book. */
  updates: number;
  /** bookTicker updates whose u equals the final u of an applied diff event. */
  checked: number;
  /** Of those, how many equal the rebuilt book's best bid and best ask (price and size). */
  matches: number;
  /** Sequence gaps found, and resync requests (gaps + crossed books). */
  gaps: number;
  resyncs: number;
  /** updates / seconds of the timed replay (snapshot load + every diff event). */
  updatesPerSecond: number;
  /** Diff events in the capture, applied, dropped as stale (u <= lastUpdateId), still buffered. */
  events: number;
  appliedEvents: number;
  staleEvents: number;
  pendingEvents: number;
  crossed: number;
  bookTickerUpdates: number;
  snapshotLastUpdateId: number;
  /** Diff events received before the snapshot (buffered, then replayed through the sync). */
  eventsBeforeSnapshot: number;
  /** Update id and top of book at the end. */
  lastUpdateId: number;
  finalTop: TopOfBook;
  bidLevels: number;
  askLevels: number;
  seconds: number;
  /** The first few mismatches (empty when all match). */
  mismatches: TopMismatch[];
  resyncRequests: ResyncRequest[];
}

export async function loadBinanceCapture(request: BinanceReplayRequest): Promise<BinanceCapture> {
  const [snapshotText, diffsText, tickerText] = await Promise.all([
    readCaptureText(request.snapshotFile),
    readCaptureText(request.diffsFile),
    request.bookTickerFile === undefined ? Promise.resolve(undefined) : readCaptureText(request.bookTickerFile),
  ]);
  return {
    snapshot: parseBinanceSnapshot(snapshotText, request.snapshotFile),
    diffs: parseBinanceDiffs(diffsText, request.diffsFile),
    bookTicker: tickerText === undefined ? undefined : parseBookTicker(tickerText, request.bookTickerFile!),
  };
}

/** Number of diff events received no later than the snapshot (by local receive time). */
export function eventsBeforeSnapshot(capture: BinanceCapture): number {
  const snapshotTs = BigInt(capture.snapshot.localTs);
  const stamps = capture.diffs.localTs;
  let n = 0;
  for (const stamp of stamps) {
    if (BigInt(stamp) > snapshotTs) break;
    n++;
  }
  return n;
}

const MAX_MISMATCHES = 5;

/**
 * Replay a parsed capture into `book` (default: a new one): diffs in receive order, the snapshot
 * inserted where it was received.
 */
export function replayBinanceCapture(capture: BinanceCapture, book: OrderBook = new OrderBook()): BinanceReplayResult {
  const { snapshot, bookTicker } = capture;
  const diffs = capture.diffs.diffs;
  const tickerRow = new Map<number, number>();
  if (bookTicker !== undefined) {
    for (let r = 0; r < bookTicker.count; r++) {
      const updateId = bookTicker.updateId[r];
      if (updateId === undefined) throw new Error(`bookTicker: update id missing at row ${r}`);
      if (!tickerRow.has(updateId)) tickerRow.set(updateId, r);
    }
  }
  let checked = 0;
  let matches = 0;
  const mismatches: TopMismatch[] = [];
  const resyncRequests: ResyncRequest[] = [];
  const onApplied =
    bookTicker === undefined
      ? undefined
      : (lastId: number): void => {
          const r = tickerRow.get(lastId);
          if (r === undefined) return;
          checked++;
          const equal =
            book.bids.bestPrice() === bookTicker.bidPrice[r] &&
            book.bids.bestQty() === bookTicker.bidQty[r] &&
            book.asks.bestPrice() === bookTicker.askPrice[r] &&
            book.asks.bestQty() === bookTicker.askQty[r];
          if (equal) matches++;
          else if (mismatches.length < MAX_MISMATCHES) {
            mismatches.push({
              updateId: lastId,
              book: book.top(),
              bookTicker: tickerTop(bookTicker, r),
            });
          }
        };
  const sync = new BinanceBookSync({
    book,
    onApplied,
    onResync: (request) => {
      if (resyncRequests.length < MAX_MISMATCHES) resyncRequests.push(request);
    },
  });
  const before = eventsBeforeSnapshot(capture);
  const count = diffs.count;

  const t0 = performance.now();
  for (let i = 0; i < before; i++) sync.onDiff(diffs, i);
  sync.onSnapshot(snapshot);
  for (let i = before; i < count; i++) sync.onDiff(diffs, i);
  const seconds = (performance.now() - t0) / 1000;

  const stats = sync.stats;
  return {
    updates: stats.appliedLevels,
    checked,
    matches,
    gaps: stats.gaps,
    resyncs: stats.resyncs,
    updatesPerSecond: seconds > 0 ? Math.round(stats.appliedLevels / seconds) : 0,
    events: count,
    appliedEvents: stats.appliedEvents,
    staleEvents: stats.staleEvents,
    pendingEvents: sync.pending,
    crossed: stats.crossed,
    bookTickerUpdates: bookTicker?.count ?? 0,
    snapshotLastUpdateId: snapshot.lastUpdateId,
    eventsBeforeSnapshot: before,
    lastUpdateId: sync.lastUpdateId,
    finalTop: book.top(),
    bidLevels: book.bids.size,
    askLevels: book.asks.size,
    seconds,
    mismatches,
    resyncRequests,
  };
}

/** Top of book of bookTicker row `r`. */
function tickerTop(ticker: BookTickerCapture, r: number): TopOfBook {
  const bidPrice = ticker.bidPrice[r];
  const bidQty = ticker.bidQty[r];
  const askPrice = ticker.askPrice[r];
  const askQty = ticker.askQty[r];
  if (bidPrice === undefined || bidQty === undefined || askPrice === undefined || askQty === undefined) {
    throw new Error(`bookTicker: row ${r} is missing (${ticker.count} rows)`);
  }
  return { bidPrice, bidQty, askPrice, askQty };
}

export async function replayBinance(request: BinanceReplayRequest): Promise<BinanceReplayResult> {
  return replayBinanceCapture(await loadBinanceCapture(request));
}

export interface KrakenReplayResult {
  /** Pairs with a snapshot in the capture. */
  pairs: number;
  /** Level updates applied (snapshot levels not counted). */
  updates: number;
  /** Updates carrying a checksum, and how many the rebuilt book reproduces. */
  checksums: number;
  checksumMatches: number;
  pairNames: string[];
  snapshots: number;
  messages: number;
  /** The first few checksum mismatches. */
  mismatches: Array<{ line: number; pair: string; expected: number; actual: number }>;
}

/** Replay a cryptofeed raw Kraken `book` capture (`<unix_seconds>: <json>` lines), checking every checksum. */
export function replayKrakenText(text: string, file: string, depth = 1000): KrakenReplayResult {
  const books = new Map<string, KrakenBook>();
  const result: KrakenReplayResult = { pairs: 0, updates: 0, checksums: 0, checksumMatches: 0, pairNames: [], snapshots: 0, messages: 0, mismatches: [] };
  const lines = text.split('\n');
  for (const [n, raw] of lines.entries()) {
    const line = raw.trimEnd();
    if (line === '' || line.startsWith('wss://')) continue;
    const colon = line.indexOf(': ');
    if (colon < 0 || !Number.isFinite(Number(line.slice(0, colon)))) {
      throw new DataError(file, n + 1, 'expected "<unix_seconds>: <json>" (cryptofeed raw capture)', line.slice(0, 80));
    }
    let message: unknown;
    try {
      message = JSON.parse(line.slice(colon + 2));
    } catch (error) {
      throw new DataError(file, n + 1, `not valid JSON (${(error as Error).message})`, line.slice(colon + 2, colon + 82));
    }
    let parsed;
    try {
      parsed = parseKrakenBookMessage(message);
    } catch (error) {
      throw new DataError(file, n + 1, (error as Error).message, line.slice(colon + 2, colon + 82));
    }
    if (parsed === undefined) continue;
    result.messages++;
    let book = books.get(parsed.pair);
    if (parsed.snapshot) {
      if (book === undefined) {
        book = new KrakenBook(depth);
        books.set(parsed.pair, book);
      }
      result.snapshots++;
    } else if (book === undefined) {
      throw new DataError(file, n + 1, 'book update before any snapshot of its pair', parsed.pair);
    }
    try {
      book.apply(parsed);
    } catch (error) {
      throw new DataError(file, n + 1, (error as Error).message, parsed.pair);
    }
    if (parsed.checksum !== undefined) {
      result.checksums++;
      const actual = book.checksum();
      if (actual === parsed.checksum) result.checksumMatches++;
      else if (result.mismatches.length < MAX_MISMATCHES) result.mismatches.push({ line: n + 1, pair: parsed.pair, expected: parsed.checksum, actual });
    }
  }
  if (result.messages === 0) throw new DataError(file, 1, 'no Kraken book messages found', 'expected [channelID, {...}, "book-N", pair] lines');
  result.pairNames = [...books.keys()];
  result.pairs = books.size;
  for (const book of books.values()) result.updates += book.updates;
  return result;
}

export async function replayKraken(file: string, depth = 1000): Promise<KrakenReplayResult> {
  return replayKrakenText(await readCaptureText(file), file, depth);
}
