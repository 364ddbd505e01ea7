// Level-2 order books, venue-neutral: the sorted and tick ladders, the two-sided book and book features.
// Venue payloads that feed them live in src/adapters (binance, kraken). See docs/order-book.md.
export { SortedLadder } from './ladder.ts';
export type { Ladder } from './ladder.ts';
export { TickLadder, decimalsOf } from './tick-ladder.ts';
export type { TickLadderOptions } from './tick-ladder.ts';
export { ASK, BID, OrderBook } from './order-book.ts';
export type { BookSide, Level, TopOfBook } from './order-book.ts';
export { OfiTracker, depthWithinBps, imbalance, midPrice, orderFlowImbalance, priceImpact, spread, spreadBps } from './features.ts';
export type { PriceImpact } from './features.ts';
