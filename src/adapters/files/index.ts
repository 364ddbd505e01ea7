// The file data source: OHLCV bar files (.csv, .csv.gz) read, validated and loaded into bar series.
export { DataFileNotFoundError, loadBarSeries, loadBarSeriesSync, parseBarSeries } from './load.ts';
export type { LoadOptions, LoadResult } from './load.ts';
export type { BadRowMode } from './csv.ts';
export { inferSymbolAndMarket, mostCommonGap, timeframeFromFileName } from './infer.ts';
export type { SymbolInference } from './infer.ts';
