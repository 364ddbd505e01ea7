// The emergency close: market orders that sell every position (or some), and what market rules hold back.
import { Market, type Order, OrderSide, OrderType } from '../../core/index.ts';
import type { RiskContext } from '../../common/index.ts';
import type { SymbolTracker } from './symbol-tracker.ts';

/** Topic of the emergency close's reports of what market rules keep it from selling now. */
export const EMERGENCY_TOPIC = 'risk.emergency';

/** Part of a position the emergency close cannot sell now; its order keeps working at the venue. */
export interface HeldBack {
  readonly time: number;
  readonly symbol: string;
  readonly quantity: number;
  /** T_PLUS_ONE: bought today (A-shares); LIMIT_DOWN: the last price is at the daily limit-down. */
  readonly reason: 'T_PLUS_ONE' | 'LIMIT_DOWN';
}

export function hasEmergencyOrder(orders: readonly Order[]): boolean {
  for (let i = 0; i < orders.length; i++) if (orders[i]!.emergency) return true;
  return false;
}

/** Cancels every open order but the emergency close's own. */
export function cancelAllButEmergency(context: RiskContext): void {
  for (const order of [...context.openOrders()]) if (!order.emergency) context.cancelOrder(order.id);
}

/**
 * Submits a closing order for every position held (or of the given symbols) and returns what market
 * rules keep from selling now: A-share shares bought today (T+1), and sales at the limit-down price.
 */
export function submitClosingOrders(context: RiskContext, symbols: SymbolTracker, indices?: readonly number[]): HeldBack[] {
  const time = context.clock.now();
  const reports: HeldBack[] = [];
  const targets = indices ?? context.instruments.map((_, i) => i);
  for (const i of targets) {
    const quantity = context.heldQuantity(i);
    if (quantity <= 0) continue;
    const symbol = context.instruments[i]!.symbol;
    const sellable = context.instruments[i]!.market === Market.AShare ? Math.min(quantity, context.sellableQuantity(symbol)) : quantity;
    if (sellable < quantity) reports.push({ time, symbol, quantity: quantity - sellable, reason: 'T_PLUS_ONE' });
    const down = symbols.limits(i, context.clock.now())?.down ?? 0;
    if (sellable > 0 && context.lastPrice(i) <= down * (1 + 1e-9)) reports.push({ time, symbol, quantity: sellable, reason: 'LIMIT_DOWN' });
    // A-shares: the whole position (the venue keeps the T+1 part working); elsewhere what the venue holds of it.
    const asked = context.instruments[i]!.market === Market.AShare ? quantity : (context.closableQuantity?.(symbol) ?? quantity);
    if (asked > 0) context.submitEmergencyOrder({ symbol, side: OrderSide.Sell, type: OrderType.Market, quantity: asked, tag: 'emergency-close' });
  }
  return reports;
}
