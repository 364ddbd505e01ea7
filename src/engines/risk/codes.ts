// The closed lists of the risk engine: denial reasons, breaker levels and breaker causes.

/** Why an order was refused before reaching the venue. Strategies and reports switch on these. */
export const DenialReason = {
  MaxQuantity: 'MAX_QUANTITY',
  MaxNotional: 'MAX_NOTIONAL',
  MaxPosition: 'MAX_POSITION',
  MaxExposure: 'MAX_EXPOSURE',
  InsufficientBalance: 'INSUFFICIENT_BALANCE',
  InvalidLot: 'INVALID_LOT',
  InvalidTick: 'INVALID_TICK',
  MinNotional: 'MIN_NOTIONAL',
  PriceBand: 'PRICE_BAND',
  StopBand: 'STOP_BAND',
  PriceLimit: 'PRICE_LIMIT',
  TPlusOne: 'T_PLUS_ONE',
  MarketClosed: 'MARKET_CLOSED',
  RateLimit: 'RATE_LIMIT',
  StaleQuote: 'STALE_QUOTE',
  NoQuote: 'NO_QUOTE',
  DailyLossLimit: 'DAILY_LOSS_LIMIT',
  ReduceOnly: 'REDUCE_ONLY',
  TradingHalted: 'TRADING_HALTED',
  SymbolHalted: 'SYMBOL_HALTED',
} as const;
export type DenialReason = (typeof DenialReason)[keyof typeof DenialReason];

/** The breaker ladder, mildest first. NORMAL is the absence of a level. */
export const BreakerLevel = {
  Normal: 'NORMAL',
  Warning: 'WARNING',
  ReduceRisk: 'REDUCE_RISK',
  HaltNewPositions: 'HALT_NEW_POSITIONS',
  HaltAllTrading: 'HALT_ALL_TRADING',
  EmergencyClose: 'EMERGENCY_CLOSE',
} as const;
export type BreakerLevel = (typeof BreakerLevel)[keyof typeof BreakerLevel];

export const LEVEL_ORDER: readonly BreakerLevel[] = [
  BreakerLevel.Normal,
  BreakerLevel.Warning,
  BreakerLevel.ReduceRisk,
  BreakerLevel.HaltNewPositions,
  BreakerLevel.HaltAllTrading,
  BreakerLevel.EmergencyClose,
];

const RANK = Object.fromEntries(LEVEL_ORDER.map((level, i) => [level, i])) as Record<BreakerLevel, number>;

export function levelRank(level: BreakerLevel): number {
  return RANK[level];
}

/** Levels that only a named person can clear. */
export function needsReset(level: BreakerLevel): boolean {
  return level === BreakerLevel.HaltAllTrading || level === BreakerLevel.EmergencyClose;
}

export const BreakerCause = {
  DailyLoss: 'DAILY_LOSS',
  WeeklyLoss: 'WEEKLY_LOSS',
  Drawdown: 'DRAWDOWN',
  DataStale: 'DATA_STALE',
  DataFailures: 'DATA_FAILURES',
  ApiLatency: 'API_LATENCY',
  Correlation: 'CORRELATION',
  VarLimit: 'VAR_LIMIT',
  Manual: 'MANUAL',
} as const;
export type BreakerCause = (typeof BreakerCause)[keyof typeof BreakerCause];

export { RiskMode } from '../../core/index.ts';
