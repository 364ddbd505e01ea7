// The public surface of the traider package: what a user strategy imports (the built-in strategies import it too).
export { Strategy } from './common/index.ts';
export type { BarIndicator, OrderEvent, PositionView, StrategyContext } from './common/index.ts';
export { OrderEventKind, OrderSide, OrderStatus, OrderType, TimeInForce } from './core/index.ts';
export type { Bar, BookSnapshot, Fill, Instrument, Order, OrderRequest } from './core/index.ts';
export { Atr, BollingerBands, Ema, Macd, Rsi, Sma } from './signals/index.ts';
// zod, for a strategy's parameter schema (`static params = z.object({...})`): the same copy the loader validates with.
export { z } from 'zod';
import type { StrategyBacktest, StrategyBacktestRequest } from './app/scaffold/index.ts';
export type { BarRow, StrategyBacktest, StrategyBacktestRequest } from './app/scaffold/index.ts';

/**
 * Backtests a strategy instance over bars held in memory, with the defaults of `traider backtest` (fill model,
 * fees, risk checks and breakers), and returns what happened: for a strategy's own tests. The engine loads on the
 * first call, so importing 'traider' stays light.
 */
export async function backtestStrategy(request: StrategyBacktestRequest): Promise<StrategyBacktest> {
  const { backtestStrategy: run } = await import('./app/scaffold/index.ts');
  return run(request);
}
