// Scaffolding: `traider new strategy NAME` (a starter strategy and its test), and the in-memory backtest that such a
// test runs through the library (`backtestStrategy`, exported by 'traider').
export { backtestStrategy, type BarRow, type StrategyBacktest, type StrategyBacktestRequest } from './backtest-strategy.ts';
export { classNameOf, newStrategy, type NewStrategyRequest, type NewStrategyResult } from './new-strategy.ts';
