// What the risk engine sees and may do: prices and their age, the portfolio, open orders, emergency orders, the gated bus.
import type { Cache, Clock, RiskContext } from '../common/index.ts';
import type { ExecutionEngine, Portfolio } from '../engines/index.ts';

export interface RiskContextSources {
  readonly clock: Clock;
  readonly cache: Cache;
  readonly execution: ExecutionEngine;
  readonly portfolio: Portfolio;
  /** Bar interval per symbol index as its data client told (0: unknown). */
  readonly barIntervalMs: Float64Array;
  /** When the last book of each symbol index arrived (-Infinity: none). */
  readonly lastBookTime: Float64Array;
}

export function riskContext(sources: RiskContextSources): RiskContext {
  const { clock, cache, execution, portfolio, barIntervalMs, lastBookTime } = sources;
  return {
    clock,
    instruments: cache.instruments,
    symbolIndex: (symbol) => cache.symbolIndex(symbol),
    lastPrice: (index) => cache.lastClose[index]!,
    lastBarTime: (index) => cache.lastBarTime[index]!,
    priceIntervalMs: (index) => (lastBookTime[index]! >= cache.lastBarTime[index]! ? 0 : barIntervalMs[index]!),
    equity: () => portfolio.equity(),
    openPositions: () => portfolio.openPositions(),
    ledgerVersion: () => portfolio.ledgerVersion(),
    cash: () => portfolio.cash(),
    heldQuantity: (index) => portfolio.heldQuantity(index),
    sellableQuantity: (symbol) => portfolio.sellableQuantity(symbol, clock.now()),
    closableQuantity: (symbol) => portfolio.tradableQuantity(symbol),
    openOrders: () => cache.openOrders,
    cancelOrder: (orderId) => execution.cancelOrder(orderId),
    submitEmergencyOrder: (request) => execution.submitOrder(request, true),
    publish: (topic, message) => execution.gate.publish(topic, message),
  };
}
