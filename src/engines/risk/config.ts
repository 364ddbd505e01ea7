// Risk settings: breaker triggers by profile, pre-trade limits and mode limits. Defaults from product.md §2-3.
import { BreakerLevel, RiskMode } from './codes.ts';

/** How long a tripped cause stays active. */
export type Cooldown =
  | { readonly kind: 'next-trading-day'; readonly minimumMs?: number }
  | { readonly kind: 'next-week' }
  | { readonly kind: 'duration'; readonly ms: number }
  | { readonly kind: 'while-above' };

export interface TriggerConfig {
  readonly enabled: boolean;
  /** Fraction of equity (losses, drawdown, VaR), correlation coefficient, count, or milliseconds. */
  readonly threshold: number;
  readonly level: BreakerLevel;
  readonly cooldown: Cooldown;
}

export interface BreakerProfile {
  readonly dailyLoss: TriggerConfig;
  readonly weeklyLoss: TriggerConfig;
  readonly drawdown: TriggerConfig;
  readonly dataStale: TriggerConfig;
  readonly dataFailures: TriggerConfig;
  readonly apiLatency: TriggerConfig;
  readonly correlation: TriggerConfig;
  readonly varLimit: TriggerConfig;
}

export interface PreTradeLimits {
  /** Largest quantity per order, by symbol (absent: no limit). */
  readonly maxOrderQuantity: Readonly<Record<string, number>>;
  /** Largest order value in the account currency (null: no limit). */
  readonly maxOrderNotional: number | null;
  /** Largest position value per symbol as a fraction of equity. */
  readonly maxPositionFraction: number;
  /** Largest total value of positions (plus the order) as a fraction of equity. */
  readonly maxExposureFraction: number;
  /** Fat-finger band: a limit price further than this from the last price is denied (basis points). */
  readonly priceBandBps: number;
  /** Band of stop and stop-limit orders (their stop and limit prices) around the last price (basis points). */
  readonly stopBandBps: number;
  readonly maxOrdersPerSecond: number;
  readonly maxOrdersPerDay: number;
  /** Data older than this (ms after the last bar's close plus one bar interval, or the last quote) refuses new orders. */
  readonly maxBarAgeMs: number;
  readonly maxQuoteAgeMs: number;
  /** Loss since the start of the trading day (fraction of equity) beyond which increasing orders are refused. */
  readonly dailyLossLimit: number;
}

export interface ModeLimits {
  /** Risk per trade as a fraction of equity (for sizing by stop distance or ATR). */
  readonly riskPerTrade: number;
  readonly totalExposure: number;
  readonly dailyLoss: number;
}

export interface RiskConfig {
  /** Factor applied to the size of increasing orders at REDUCE_RISK. */
  readonly reduceRiskFactor: number;
  readonly breakers: { readonly paper: BreakerProfile; readonly live: BreakerProfile };
  readonly preTrade: PreTradeLimits;
  /** Daily VaR window (trading days) and confidence used by the VAR_LIMIT and CORRELATION triggers. */
  readonly monitorDays: number;
  readonly modes: {
    readonly PAPER: ModeLimits;
    readonly LIVE_MINIMAL: ModeLimits;
    readonly LIVE_SCALED: readonly ModeLimits[];
  };
}

const HOUR = 3_600_000;
const L = BreakerLevel;

const trigger = (threshold: number, level: BreakerLevel, cooldown: Cooldown, enabled = true): TriggerConfig => ({ enabled, threshold, level, cooldown });

export const DEFAULT_RISK_CONFIG: RiskConfig = {
  reduceRiskFactor: 0.5,
  breakers: {
    paper: {
      dailyLoss: trigger(0.03, L.HaltNewPositions, { kind: 'next-trading-day' }),
      weeklyLoss: trigger(0.07, L.HaltNewPositions, { kind: 'next-week' }),
      drawdown: trigger(0.1, L.ReduceRisk, { kind: 'duration', ms: 24 * HOUR }),
      dataStale: trigger(5_000, L.HaltNewPositions, { kind: 'while-above' }),
      dataFailures: trigger(5, L.HaltAllTrading, { kind: 'duration', ms: HOUR }),
      apiLatency: trigger(2_000, L.HaltNewPositions, { kind: 'duration', ms: HOUR }),
      correlation: trigger(0.7, L.Warning, { kind: 'duration', ms: 2 * HOUR }),
      varLimit: trigger(0.01, L.ReduceRisk, { kind: 'while-above' }),
    },
    live: {
      dailyLoss: trigger(0.01, L.HaltNewPositions, { kind: 'next-trading-day', minimumMs: 4 * HOUR }),
      weeklyLoss: trigger(0.07, L.HaltAllTrading, { kind: 'next-week' }),
      drawdown: trigger(0.03, L.EmergencyClose, { kind: 'duration', ms: 24 * HOUR }),
      dataStale: trigger(5_000, L.HaltNewPositions, { kind: 'while-above' }),
      dataFailures: trigger(5, L.HaltAllTrading, { kind: 'duration', ms: HOUR }),
      apiLatency: trigger(2_000, L.HaltNewPositions, { kind: 'duration', ms: HOUR }),
      correlation: trigger(0.7, L.Warning, { kind: 'duration', ms: 2 * HOUR }),
      varLimit: trigger(0.01, L.HaltNewPositions, { kind: 'while-above' }),
    },
  },
  preTrade: {
    maxOrderQuantity: {},
    maxOrderNotional: null,
    maxPositionFraction: 1,
    maxExposureFraction: 1,
    priceBandBps: 500,
    stopBandBps: 2_000,
    maxOrdersPerSecond: 10,
    maxOrdersPerDay: 1_000,
    maxBarAgeMs: 60_000,
    maxQuoteAgeMs: 5_000,
    dailyLossLimit: 0.03,
  },
  monitorDays: 60,
  modes: {
    PAPER: { riskPerTrade: 0.005, totalExposure: 0.2, dailyLoss: 0.03 },
    LIVE_MINIMAL: { riskPerTrade: 0.001, totalExposure: 0.02, dailyLoss: 0.01 },
    LIVE_SCALED: [
      { riskPerTrade: 0.0025, totalExposure: 0.05, dailyLoss: 0.02 },
      { riskPerTrade: 0.005, totalExposure: 0.1, dailyLoss: 0.02 },
      { riskPerTrade: 0.01, totalExposure: 0.1, dailyLoss: 0.02 },
    ],
  },
};

export function profileFor(config: RiskConfig, mode: RiskMode): BreakerProfile {
  return mode === RiskMode.LiveMinimal || mode === RiskMode.LiveScaled ? config.breakers.live : config.breakers.paper;
}
