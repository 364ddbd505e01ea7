// The books proven on real captures (data/l2, see data/l2/SOURCES.md):
//  - Binance spot BTCUSDT: snapshot + 6,495 diff events rebuilt with Binance's procedure; the best bid and
//    ask equal the exchange's bookTicker at every one of the 1,072 comparable updates, and the whole book
//    equals an independent Map-based replay;
//  - Kraken book-1000 for 10 pairs: all 4,269 CRC32 checksums reproduced.
import { describe, expect, it } from 'vitest';
import { eventsBeforeSnapshot, loadBinanceCapture, replayBinanceCapture, replayKraken, replayKrakenText } from '../../src/app/book/replay.ts';
import { DepthDiffs, parseBinanceDiffs } from '../../src/adapters/binance/index.ts';
import { KrakenBook, crc32, parseKrakenBookMessage } from '../../src/adapters/kraken/index.ts';
import { BID, OrderBook } from '../../src/engines/data/book/index.ts';

const L2 = 'data/l2';
const FILES = {
  snapshotFile: `${L2}/BTCUSDT-depth-snapshot.csv`,
  diffsFile: `${L2}/BTCUSDT-depth-diff.csv.gz`,
  bookTickerFile: `${L2}/BTCUSDT-bookticker.csv.gz`,
};
const KRAKEN = `${L2}/kraken_book1000_ws_2021-04-17.txt.gz`;

/** a[i], failing the test when it is missing. */
function at<T>(a: ArrayLike<T>, i: number, what: string): T {
  const value = a[i];
  if (value === undefined) throw new Error(`${what} is missing at ${i}`);
  return value;
}

describe('Binance BTCUSDT capture', async () => {
  const capture = await loadBinanceCapture(FILES);

  it('parses the capture as SOURCES.md describes it', () => {
    expect(capture.snapshot.lastUpdateId).toBe(50093239218);
    expect(capture.snapshot.bids.prices.length).toBe(1000);
    expect(capture.snapshot.asks.prices.length).toBe(1000);
    expect(capture.diffs.diffs.count).toBe(6495);
    expect(capture.diffs.diffs.levelCount).toBe(298111);
    expect(capture.bookTicker?.count).toBe(73174);
    expect(eventsBeforeSnapshot(capture)).toBe(3);
  });

  it('rebuilds the book: 1072 of 1072 bookTicker updates match, no gap, no crossed book', () => {
    const r = replayBinanceCapture(capture);
    expect(r).toMatchObject({ checked: 1072, matches: 1072, gaps: 0, resyncs: 0, crossed: 0, staleEvents: 2, appliedEvents: 6493, pendingEvents: 0 });
    expect(r.updates).toBe(298111 - 17); // the two stale events carry 17 level rows
    expect(r.mismatches).toEqual([]);
    expect(r.lastUpdateId).toBe(50093696318);
    expect(r.finalTop).toEqual({ bidPrice: 61602.01, bidQty: 1.67177, askPrice: 61602.02, askQty: 2.66795 });
    expect(r.updatesPerSecond).toBeGreaterThan(0);
  });

  it('ends with exactly the levels of an independent Map-based replay', () => {
    const book = new OrderBook();
    const r = replayBinanceCapture(capture, book);
    const bids = new Map<number, number>();
    const asks = new Map<number, number>();
    const s = capture.snapshot;
    s.bids.prices.forEach((p, i) => bids.set(p, at(s.bids.qtys, i, 'snapshot bid qty')));
    s.asks.prices.forEach((p, i) => asks.set(p, at(s.asks.qtys, i, 'snapshot ask qty')));
    const d = capture.diffs.diffs;
    let last = s.lastUpdateId;
    for (let i = 0; i < d.count; i++) {
      const lastId = at(d.lastId, i, 'last update id');
      if (lastId <= last) continue;
      expect(d.firstId[i]).toBeLessThanOrEqual(last + 1);
      last = lastId;
      const end = at(d.levelStart, i + 1, 'level start');
      for (let j = at(d.levelStart, i, 'level start'); j < end; j++) {
        const side = d.side[j] === BID ? bids : asks;
        const price = at(d.price, j, 'price');
        const qty = at(d.qty, j, 'qty');
        if (qty === 0) side.delete(price);
        else side.set(price, qty);
      }
    }
    expect(book.levels(0)).toEqual([...bids.entries()].sort((a, b) => b[0] - a[0]));
    expect(book.levels(1)).toEqual([...asks.entries()].sort((a, b) => a[0] - b[0]));
    expect([r.bidLevels, r.askLevels]).toEqual([bids.size, asks.size]);
  });

  it('a missing diff event in the stream is a gap: one resync request, the rest waits for a snapshot', () => {
    const d = capture.diffs.diffs;
    const holed = new DepthDiffs();
    const stamps: string[] = [];
    for (let i = 0; i < d.count; i++) {
      if (i === 3000) continue;
      holed.copyEvent(d, i);
      stamps.push(at(capture.diffs.localTs, i, 'local timestamp'));
    }
    const r = replayBinanceCapture({ ...capture, diffs: { diffs: holed, localTs: stamps } });
    expect(r).toMatchObject({ gaps: 1, resyncs: 1, crossed: 0, pendingEvents: d.count - 3001 });
    expect(r.resyncRequests[0]).toMatchObject({ reason: 'gap', bookUpdateId: d.lastId[2999], firstId: d.firstId[3001] });
    expect(r.matches).toBe(r.checked);
  });

  it('names the file and line of a bad row', () => {
    const text = 'local_ts_ns,event_time_ms,first_update_id,last_update_id,side,price,qty\n1,2,3,4,bid,61000.5,1\n1,2,3,4,buy,61000.6,1\n';
    expect(() => parseBinanceDiffs(text, 'x.csv')).toThrow('x.csv:3: side is not "bid" or "ask" (side=buy)');
    expect(() => parseBinanceDiffs('a,b\n', 'y.csv')).toThrow(/^y\.csv:1: unexpected header/);
  });
});

describe('Kraken book-1000 capture', () => {
  it('reproduces all 4,269 checksums over 10 pairs', async () => {
    const r = await replayKraken(KRAKEN);
    expect(r).toMatchObject({ pairs: 10, checksums: 4269, checksumMatches: 4269, snapshots: 10 });
    expect(r.updates).toBe(4272);
    expect(r.mismatches).toEqual([]);
  });

  it('notices a wrong book: an altered checksum does not match', async () => {
    const { readCaptureText } = await import('../../src/app/book/replay.ts');
    const text = await readCaptureText(KRAKEN);
    const altered = text.replace('"c":"2583817756"', '"c":"2583817757"');
    expect(altered).not.toBe(text);
    const r = replayKrakenText(altered, 'altered');
    expect(r.checksumMatches).toBe(4268);
    expect(r.mismatches[0]).toMatchObject({ pair: 'XMR/USD', expected: 2583817757, actual: 2583817756 });
  });

  it('builds the checksum string from the 10 best asks then the 10 best bids, "." removed, leading zeros stripped', () => {
    const book = new KrakenBook(1000);
    const snapshot = parseKrakenBookMessage([
      1,
      { as: [['0.05005', '0.00000500', '1'], ['0.05010', '0.00001000', '1']], bs: [['0.05000', '1.50000000', '1']] },
      'book-10',
      'X/Y',
    ]);
    book.apply(snapshot!);
    // asks 0.05005 x 0.00000500 -> "5005" "500", 0.05010 x 0.00001000 -> "5010" "1000"; bid 0.05000 x 1.5 -> "5000" "150000000"
    expect(book.checksumString()).toBe('5005500' + '50101000' + '5000150000000');
    expect(book.checksum()).toBe(crc32('5005500501010005000150000000'));
    // qty 0 deletes, the depth truncates
    book.apply(parseKrakenBookMessage([1, { a: [['0.05005', '0.00000000', '2']], c: '0' }, 'book-10', 'X/Y'])!);
    expect(book.book.asks.size).toBe(1);
    const small = new KrakenBook(2);
    small.apply(parseKrakenBookMessage([1, { as: [['1.0', '1.0', '1'], ['1.1', '1.0', '1']], bs: [] }, 'book-2', 'A/B'])!);
    small.apply(parseKrakenBookMessage([1, { a: [['0.9', '2.0', '2']], c: '0' }, 'book-2', 'A/B'])!);
    expect(small.book.levels(1)).toEqual([
      [0.9, 2],
      [1, 1],
    ]);
  });

  it('CRC32 is the IEEE one', () => {
    expect(crc32('123456789')).toBe(0xcbf43926);
    expect(crc32('')).toBe(0);
  });

  it('names the file and line of a malformed capture', () => {
    expect(() => replayKrakenText('1.5: [1, {"a": [[1, 2]]}, "book-10", "X/Y"]\n', 'k.txt')).toThrow(/^k\.txt:1: /);
    expect(() => replayKrakenText('hello\n', 'k.txt')).toThrow(/^k\.txt:1: expected "<unix_seconds>: <json>"/);
    expect(() => replayKrakenText('1.5: {"event":"heartbeat"}\n', 'k.txt')).toThrow(/no Kraken book messages/);
  });
});
