// Parsers for the normalised Binance L2 capture CSVs (data/l2/SOURCES.md): depth snapshot, depth diffs
// (one row per level of each depthUpdate) and bookTicker. Everything is parsed once into typed arrays;
// prices and quantities with Number(), the same way for every file, so equal decimal strings give equal
// doubles and top-of-book comparisons can be exact (===). local_ts_ns exceeds 2^53 and stays a string.
import { ASK, BID, DataError } from '../../engines/index.ts';
import { DepthDiffs } from './depth-diffs.ts';
import type { DepthSnapshot } from './binance-sync.ts';

const SNAPSHOT_COLUMNS = ['local_ts_ns', 'last_update_id', 'side', 'price', 'qty'] as const;
const DIFF_COLUMNS = ['local_ts_ns', 'event_time_ms', 'first_update_id', 'last_update_id', 'side', 'price', 'qty'] as const;
const BOOKTICKER_COLUMNS = ['local_ts_ns', 'update_id', 'bid_price', 'bid_qty', 'ask_price', 'ask_qty'] as const;
export const SNAPSHOT_HEADER = SNAPSHOT_COLUMNS.join(',');
export const DIFF_HEADER = DIFF_COLUMNS.join(',');
export const BOOKTICKER_HEADER = BOOKTICKER_COLUMNS.join(',');

/** The fields of one row, one per column. */
type Fields<Columns extends readonly string[]> = { readonly [K in keyof Columns]: string };

function hasOneFieldPerColumn<Columns extends readonly string[]>(fields: readonly string[], columns: Columns): fields is Fields<Columns> {
  return fields.length === columns.length;
}

/** Calls row(fields, lineNumber) for each non-empty line after the header (line 1), after checking it. */
function eachRow<Columns extends readonly string[]>(
  text: string,
  file: string,
  columns: Columns,
  row: (fields: Fields<Columns>, line: number) => void,
): void {
  const header = columns.join(',');
  const width = columns.length;
  let pos = 0;
  let line = 0;
  while (pos < text.length) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    let stop = end;
    if (stop > pos && text.charCodeAt(stop - 1) === 13) stop--;
    const content = text.slice(pos, stop);
    pos = end + 1;
    line++;
    if (line === 1) {
      const got = content.charCodeAt(0) === 0xfeff ? content.slice(1) : content;
      if (got !== header) throw new DataError(file, 1, `unexpected header, expected "${header}"`, got.slice(0, 120));
      continue;
    }
    if (content === '') continue;
    const fields = content.split(',');
    if (!hasOneFieldPerColumn(fields, columns)) throw new DataError(file, line, `expected ${width} comma-separated fields`, `${fields.length} fields`);
    row(fields, line);
  }
  if (line === 0) throw new DataError(file, 1, `empty file, expected the header "${header}"`, '');
}

function id(text: string, file: string, line: number, name: string): number {
  const value = Number(text);
  if (text === '' || !Number.isSafeInteger(value) || value < 0) throw new DataError(file, line, `${name} is not a non-negative integer`, `${name}=${text}`);
  return value;
}

function price(text: string, file: string, line: number, name: string): number {
  const value = Number(text);
  if (text === '' || !Number.isFinite(value) || value <= 0) throw new DataError(file, line, `${name} is not a finite positive number`, `${name}=${text}`);
  return value;
}

function qty(text: string, file: string, line: number, name: string): number {
  const value = Number(text);
  if (text === '' || !Number.isFinite(value) || value < 0) throw new DataError(file, line, `${name} is not a finite non-negative number`, `${name}=${text}`);
  return value;
}

function side(text: string, file: string, line: number): number {
  if (text === 'bid') return BID;
  if (text === 'ask') return ASK;
  throw new DataError(file, line, 'side is not "bid" or "ask"', `side=${text}`);
}

function localTs(text: string, file: string, line: number): string {
  if (!/^\d{1,20}$/.test(text)) throw new DataError(file, line, 'local_ts_ns is not an integer', `local_ts_ns=${text}`);
  return text;
}

export interface BinanceSnapshotCapture extends DepthSnapshot {
  /** Local receive time (ns since the epoch, decimal string). */
  localTs: string;
  bids: { prices: Float64Array; qtys: Float64Array };
  asks: { prices: Float64Array; qtys: Float64Array };
}

/** `local_ts_ns,last_update_id,side,price,qty`: one snapshot (every row the same lastUpdateId). */
export function parseBinanceSnapshot(text: string, file: string): BinanceSnapshotCapture {
  const bids: { p: number[]; q: number[] } = { p: [], q: [] };
  const asks: { p: number[]; q: number[] } = { p: [], q: [] };
  let lastUpdateId = Number.NaN;
  let ts = '';
  eachRow(text, file, SNAPSHOT_COLUMNS, (f, line) => {
    const u = id(f[1], file, line, 'last_update_id');
    if (Number.isNaN(lastUpdateId)) {
      lastUpdateId = u;
      ts = localTs(f[0], file, line);
    } else if (u !== lastUpdateId) {
      throw new DataError(file, line, 'a second snapshot (last_update_id differs from the first row)', `last_update_id=${f[1]}`);
    }
    const target = side(f[2], file, line) === BID ? bids : asks;
    target.p.push(price(f[3], file, line, 'price'));
    target.q.push(qty(f[4], file, line, 'qty'));
  });
  if (Number.isNaN(lastUpdateId)) throw new DataError(file, 2, 'no snapshot rows', 'empty');
  return {
    lastUpdateId,
    localTs: ts,
    bids: { prices: Float64Array.from(bids.p), qtys: Float64Array.from(bids.q) },
    asks: { prices: Float64Array.from(asks.p), qtys: Float64Array.from(asks.q) },
  };
}

export interface BinanceDiffCapture {
  diffs: DepthDiffs;
  /** Per event: local receive time (ns, decimal string). */
  localTs: string[];
}

/** One row per level of each depthUpdate; consecutive rows with the same (local_ts, U, u) form one event. */
export function parseBinanceDiffs(text: string, file: string): BinanceDiffCapture {
  const diffs = new DepthDiffs(1 << 12, 1 << 16);
  const stamps: string[] = [];
  let prevTs = '';
  let prevFirst = Number.NaN;
  let prevLast = Number.NaN;
  eachRow(text, file, DIFF_COLUMNS, (f, line) => {
    const first = id(f[2], file, line, 'first_update_id');
    const last = id(f[3], file, line, 'last_update_id');
    if (first > last) throw new DataError(file, line, 'first_update_id > last_update_id', `U=${f[2]} u=${f[3]}`);
    if (last !== prevLast || first !== prevFirst || f[0] !== prevTs) {
      const ts = localTs(f[0], file, line);
      diffs.beginEvent(first, last, id(f[1], file, line, 'event_time_ms'));
      stamps.push(ts);
      prevTs = ts;
      prevFirst = first;
      prevLast = last;
    }
    diffs.addLevel(side(f[4], file, line), price(f[5], file, line, 'price'), qty(f[6], file, line, 'qty'));
  });
  return { diffs, localTs: stamps };
}

export interface BookTickerCapture {
  count: number;
  updateId: Float64Array;
  bidPrice: Float64Array;
  bidQty: Float64Array;
  askPrice: Float64Array;
  askQty: Float64Array;
}

/** `local_ts_ns,update_id,bid_price,bid_qty,ask_price,ask_qty`. */
export function parseBookTicker(text: string, file: string): BookTickerCapture {
  const updateId: number[] = [];
  const bidPrice: number[] = [];
  const bidQty: number[] = [];
  const askPrice: number[] = [];
  const askQty: number[] = [];
  eachRow(text, file, BOOKTICKER_COLUMNS, (f, line) => {
    localTs(f[0], file, line);
    updateId.push(id(f[1], file, line, 'update_id'));
    bidPrice.push(price(f[2], file, line, 'bid_price'));
    bidQty.push(qty(f[3], file, line, 'bid_qty'));
    askPrice.push(price(f[4], file, line, 'ask_price'));
    askQty.push(qty(f[5], file, line, 'ask_qty'));
  });
  return {
    count: updateId.length,
    updateId: Float64Array.from(updateId),
    bidPrice: Float64Array.from(bidPrice),
    bidQty: Float64Array.from(bidQty),
    askPrice: Float64Array.from(askPrice),
    askQty: Float64Array.from(askQty),
  };
}
