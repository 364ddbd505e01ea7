// The domain: instruments and market rules, exact money, orders and their transitions, fills, fees, the ledger.
export { Account, Position, notionalOf } from './account.ts';
export type { Trade } from './account.ts';
export { DailyLimitTracker, dailyLimitFraction, type PriceLimits, priceLimits } from './ashare-rules.ts';
export type { Bar, BarSeries } from './bar.ts';
export { midPrice } from './book.ts';
export type { BookSnapshot } from './book.ts';
export { formatMoney, moneyToNumber, numberToMoney, toPlainDecimal } from './decimal.ts';
export { AShareFeeSchedule, CryptoFeeSchedule } from './fees.ts';
export type { AShareFeeConfig, CryptoFeeConfig, FeeSchedule } from './fees.ts';
export { fillOf, Liquidity, slippageBps } from './fill.ts';
export type { Execution, Fill } from './fill.ts';
export { resolveInstrument } from './instrument-table.ts';
export { Instrument, RoundingMode } from './instrument.ts';
export { ASHARE_DAILY_CLOSE_OFFSET_MS, MS_PER_DAY, MS_PER_MINUTE, Market, SHANGHAI_OFFSET_MS, TIMEFRAME_MS, barCloseTime, isoDateOfDay, timeframeOfMs, tradingDayOf, tradingWeekOf } from './market.ts';
export { ORDER_TRANSITIONS, Order, OrderEventKind, OrderSide, OrderStatus, OrderType, TimeInForce } from './order.ts';
export type { OrderRequest } from './order.ts';
export { isMarketOpen } from './sessions.ts';
export { RiskMode } from './risk-mode.ts';
