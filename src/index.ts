// The public surface of the traider package: what a user strategy imports (the built-in strategies import it too).
export { Strategy } from './common/index.ts';
export type { BarIndicator, OrderEvent, PositionView, StrategyContext } from './common/index.ts';
export { OrderEventKind, OrderSide, OrderStatus, OrderType, TimeInForce } from './core/index.ts';
export type { Bar, Order, OrderRequest } from './core/index.ts';
export { Atr, BollingerBands, Ema, Macd, Rsi, Sma } from './signals/index.ts';
