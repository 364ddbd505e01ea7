// Position sizing under a mode's limits: risk per trade over the stop distance (or a multiple of
// ATR), capped by the exposure headroom, and scaled down when volatility runs above its norm.
import { OrderSide } from '../../core/index.ts';
import type { RiskContext } from '../../common/index.ts';
import type { ModeLimits } from './config.ts';

export interface SizingInput {
  readonly equity: number;
  readonly price: number;
  /** Distance from entry to the protective stop, in price units; NaN when unknown. */
  readonly stopDistance: number;
  /** Value already committed (positions plus open increasing orders). */
  readonly currentExposure: number;
  /** Current volatility (e.g. ATR / price) and its longer-run norm; scaling applies when both are known. */
  readonly volatility: number;
  readonly normalVolatility: number;
}

export interface SizingDecision {
  readonly quantity: number;
  /** Which cap bound the result: 'requested', 'risk-per-trade', 'exposure', 'volatility'. */
  readonly boundBy: 'requested' | 'risk-per-trade' | 'exposure';
  readonly volatilityScale: number;
}

/** Quantity whose loss at the stop equals riskPerTrade x equity. */
export function quantityForRisk(equity: number, riskPerTrade: number, stopDistance: number): number {
  return stopDistance > 0 ? (riskPerTrade * equity) / stopDistance : Infinity;
}

/** 1 in normal markets, normal/current when volatility runs above its norm (never above 1). */
export function volatilityScale(volatility: number, normalVolatility: number): number {
  if (!(volatility > 0) || !(normalVolatility > 0)) return 1;
  return Math.min(1, normalVolatility / volatility);
}

/** The largest quantity at or below `requested` that the mode's limits allow. */
export function sizeWithinLimits(requested: number, limits: ModeLimits, input: SizingInput): SizingDecision {
  const scale = volatilityScale(input.volatility, input.normalVolatility);
  const byRisk = quantityForRisk(input.equity, limits.riskPerTrade, input.stopDistance) * scale;
  const headroom = Math.max(0, limits.totalExposure * input.equity - input.currentExposure);
  const byExposure = input.price > 0 ? headroom / input.price : 0;
  let quantity = requested;
  let boundBy: SizingDecision['boundBy'] = 'requested';
  if (byRisk < quantity) {
    quantity = byRisk;
    boundBy = 'risk-per-trade';
  }
  if (byExposure < quantity) {
    quantity = byExposure;
    boundBy = 'exposure';
  }
  return { quantity: Math.max(0, quantity), boundBy, volatilityScale: scale };
}

/** Why a decision cut the order, with the limit and its numbers (undefined: the size asked stood). */
export function describeSizing(decision: SizingDecision, mode: string, limits: ModeLimits, input: SizingInput, atrStopMultiple: number): string | undefined {
  const pct = (x: number): string => `${Number((x * 100).toFixed(4))}%`;
  const equity = input.equity.toFixed(2);
  if (decision.boundBy === 'exposure') return `by the ${mode} total exposure limit (${pct(limits.totalExposure)} of equity ${equity}; ${input.currentExposure.toFixed(2)} committed)`;
  if (decision.boundBy !== 'risk-per-trade') return undefined;
  const volatility = decision.volatilityScale < 1 ? `, x${decision.volatilityScale.toFixed(2)} for volatility above its norm` : '';
  return `by the ${mode} risk per trade (${pct(limits.riskPerTrade)} of equity ${equity} over a ${atrStopMultiple} x ATR stop${volatility})`;
}

/** Value already committed: every position at its last price plus open buy orders at their limit (else last) price. */
export function committedExposure(context: RiskContext): number {
  let exposure = 0;
  for (let i = 0; i < context.instruments.length; i++) exposure += Math.abs(context.heldQuantity(i)) * context.lastPrice(i);
  for (const order of context.openOrders()) if (order.side === OrderSide.Buy) exposure += order.remainingQuantity * (order.price ?? context.lastPrice(context.symbolIndex(order.symbol)));
  return exposure;
}
