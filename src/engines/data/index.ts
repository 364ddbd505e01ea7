// Public API of the data engine: OHLCV CSV loading, inference, aggregation, adjustment, merge order.
export { DataError, DataOptionError } from './errors.ts';
export { loadBarSeries, loadBarSeriesSync, parseBarSeries, resolveSymbolAndMarket } from './load.ts';
export type { LoadOptions, LoadResult } from './load.ts';
export {
  CRYPTO_QUOTES,
  inferSymbolAndMarket,
  mostCommonGap,
  timeframeFromFileName,
  timeframeFromGaps,
} from './infer.ts';
export type { SymbolInference } from './infer.ts';
export { aggregateSeries, bucketCloseOf, bucketStartOf, targetTimeframeMs } from './aggregate.ts';
export { ADJUST_BACKWARD_REFUSAL, ADJUST_MODES, EX_RIGHTS_TOLERANCE, adjustedCloses, computeAShareAdjustment } from './adjust.ts';
export type { AShareAdjustment, AdjustMode } from './adjust.ts';
export { REQUIRED_COLUMNS } from './csv.ts';
export type { BadRowMode } from './csv.ts';
export { mergeOrder } from './merge.ts';
export type { MergeOrder } from './merge.ts';
