// Public API of the data engine: pure bar-series transformations (aggregation, adjustment, merge order) and data errors.
export { DataError, DataOptionError } from './errors.ts';
export { aggregateSeries, bucketCloseOf, bucketStartOf, formatDuration, targetTimeframeMs } from './aggregate.ts';
export { ADJUST_BACKWARD_REFUSAL, ADJUST_MODES, EX_RIGHTS_TOLERANCE, adjustedCloses, computeAShareAdjustment } from './adjust.ts';
export type { AShareAdjustment, AdjustMode } from './adjust.ts';
export { mergeOrder } from './merge.ts';
export type { MergeOrder } from './merge.ts';
