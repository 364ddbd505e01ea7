// Backtest use-case: run a strategy over a data file and write its outputs (summary, CSVs, report, journal).
export { instrumentsFor, loadSeries } from './run-backtest.ts';
export type { BacktestSummary } from './run-backtest.ts';
export { simulate, strategySeesAdjustedPrices } from './simulate.ts';
export { runBacktest } from './run-backtest.ts';
export { writeOutputs } from './write-outputs.ts';
