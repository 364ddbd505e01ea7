// Order-book use-case: replay recorded venue captures through the book and check it against the venue.
export { eventsBeforeSnapshot, loadBinanceCapture } from './replay.ts';
export type { BinanceCapture, BinanceReplayResult, KrakenReplayResult } from './replay.ts';
export { replayBinance, replayKraken } from './replay.ts';
