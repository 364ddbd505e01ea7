// What a strategy may ask and do (orders, positions, prices, indicators, timers), in the prices of its series.
import { type OrderRequest, RoundingMode } from '../core/index.ts';
import type { Cache, Clock, Strategy, StrategyContext } from '../common/index.ts';
import type { ExecutionEngine, Portfolio } from '../engines/index.ts';
import type { StrategyFeed } from './strategy-feed.ts';

export interface StrategyContextSources {
  readonly clock: Clock;
  readonly cache: Cache;
  readonly execution: ExecutionEngine;
  /** The kernel: whether it is warming up. */
  readonly mode: { readonly warmingUp: boolean };
  readonly portfolio: Portfolio;
  readonly strategy: Strategy;
  readonly feed: StrategyFeed;
  /** Where the strategy's log lines go, each already formatted by `strategyLogLine`. */
  readonly log: (line: string) => void;
}

/**
 * One line of a strategy's log, the same in every environment: `<clock time, ISO-8601 UTC> [<strategy name>] <message>`.
 * The clock's time is the bar being processed in a backtest or replay, and the wall time in a session.
 */
export function strategyLogLine(time: number, strategyName: string, message: string): string {
  return `${new Date(time).toISOString()} [${strategyName}] ${message}`;
}

export function strategyContext(sources: StrategyContextSources): StrategyContext {
  const { clock, cache, execution, portfolio, strategy, feed, log } = sources;
  const strategyFactor = feed.factor;
  // A strategy's order prices are in its series; the venue gets raw prices (rounded to the tick by submitOrder).
  const rawRequest = (request: OrderRequest): OrderRequest => {
    if (request.price === undefined && request.stopPrice === undefined) return request;
    const factor = cache.hasSymbol(request.symbol) ? strategyFactor[cache.symbolIndex(request.symbol)]! : 1;
    if (factor === 1) return request;
    return {
      ...request,
      price: request.price === undefined ? undefined : request.price / factor,
      stopPrice: request.stopPrice === undefined ? undefined : request.stopPrice / factor,
    };
  };
  return {
    symbols: cache.instruments.map((i) => i.symbol),
    warmingUp: () => sources.mode.warmingUp,
    now: () => clock.now(),
    instrument: (symbol) => cache.instrument(symbol),
    submitOrder: (request) => execution.submitOrder(rawRequest(request)),
    cancelOrder: (orderId) => execution.cancelOrder(orderId),
    openOrders: (symbol) => cache.openOrders.filter((o) => symbol === undefined || o.symbol === symbol),
    position: (symbol) => portfolio.positionView(symbol, clock.now(), strategyFactor[cache.symbolIndex(symbol)]!),
    cash: () => portfolio.cash(),
    equity: () => portfolio.equity(),
    lastPrice: (symbol) => {
      const index = cache.symbolIndex(symbol);
      return cache.lastClose[index]! * strategyFactor[index]!;
    },
    rawBar: (symbol) => cache.lastBars[cache.symbolIndex(symbol)],
    priceFactor: (symbol) => strategyFactor[cache.symbolIndex(symbol)]!,
    quantityForFraction: (symbol, fraction, price) => {
      const index = cache.symbolIndex(symbol);
      const instrument = cache.instruments[index]!;
      const rawPrice = price / strategyFactor[index]!;
      if (!(rawPrice > 0) || !(fraction > 0)) return 0;
      return instrument.roundQuantity((fraction * portfolio.equity()) / rawPrice, RoundingMode.Down);
    },
    registerIndicator: (symbol, indicator, inputs = 'close') => {
      feed.registerIndicator(cache.symbolIndex(symbol), indicator, inputs === 'hlc');
    },
    setTimer: (name, time) => clock.setTimer(name, time, (n, t) => strategy.onTimer(n, t)),
    setInterval: (name, start, intervalMs) => clock.setInterval(name, start, intervalMs, (n, t) => strategy.onTimer(n, t)),
    cancelTimer: (name) => clock.cancelTimer(name),
    // A JavaScript strategy may have no name: its class name says who spoke.
    log: (message) => log(strategyLogLine(clock.now(), strategy.name ?? strategy.constructor.name, String(message))),
    riskLimits: () => execution.risk.modeLimits?.(),
  };
}
