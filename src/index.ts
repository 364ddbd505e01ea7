// The public surface of the traider package: what a user strategy imports.
export { Strategy } from './kernel/strategy.ts';
export type { StrategyContext, PositionView, BarIndicator } from './kernel/strategy.ts';
export type { OrderEvent } from './kernel/events.ts';
export type { Bar } from './core/bar.ts';
export { OrderSide, OrderType, TimeInForce, OrderStatus, OrderEventKind } from './core/order.ts';
export type { Order, OrderRequest } from './core/order.ts';
export { Sma, Ema, Rsi, Macd, BollingerBands, Atr } from './signals/indicators/index.ts';
