// Level-2 order books: the sorted-ladder book, Binance snapshot+diff sync, Kraken checksummed books,
// capture parsers and book features. See docs/order-book.md.
export { SortedLadder } from './ladder.ts';
export type { Ladder } from './ladder.ts';
export { TickLadder, decimalsOf } from './tick-ladder.ts';
export type { TickLadderOptions } from './tick-ladder.ts';
export { ASK, BID, OrderBook } from './order-book.ts';
export type { BookSide, Level, TopOfBook } from './order-book.ts';
export { DepthDiffs } from './depth-diffs.ts';
export { BinanceBookSync, DiffOutcome, SyncState } from './binance-sync.ts';
export type { BinanceSyncOptions, DepthSnapshot, ResyncReason, ResyncRequest, SyncStats } from './binance-sync.ts';
export { KrakenBook, parseKrakenBookMessage } from './kraken.ts';
export type { KrakenBookMessage, KrakenLevel } from './kraken.ts';
export { crc32 } from './crc32.ts';
export {
  BOOKTICKER_HEADER,
  DIFF_HEADER,
  SNAPSHOT_HEADER,
  parseBinanceDiffs,
  parseBinanceSnapshot,
  parseBookTicker,
} from './binance-capture.ts';
export type { BinanceDiffCapture, BinanceSnapshotCapture, BookTickerCapture } from './binance-capture.ts';
export { OfiTracker, depthWithinBps, imbalance, midPrice, orderFlowImbalance, priceImpact, spread, spreadBps } from './features.ts';
export type { PriceImpact } from './features.ts';
