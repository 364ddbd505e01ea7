// The Binance adapter's payloads: depth-diff streams, the snapshot+diff book sync, and the L2 capture parsers.
export { DepthDiffs } from './depth-diffs.ts';
export { BinanceBookSync, DiffOutcome, SyncState } from './binance-sync.ts';
export type { BinanceSyncOptions, DepthSnapshot, ResyncReason, ResyncRequest, SyncStats } from './binance-sync.ts';
export { parseBinanceDiffs, parseBinanceSnapshot, parseBookTicker } from './binance-capture.ts';
export type { BinanceDiffCapture, BinanceSnapshotCapture, BookTickerCapture } from './binance-capture.ts';
