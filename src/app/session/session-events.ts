// What a running session tells the outside while it trades: fills, order changes, breaker level changes and its
// equity. The server numbers these per deployment and pushes them to WebSocket clients (/api/v1/events).
import { type Fill, moneyToNumber } from '../../core/index.ts';
import { LiveClock, type OrderEvent, Topic } from '../../common/index.ts';
import type { Kernel } from '../../kernel/index.ts';

export type SessionEvent =
  | { readonly type: 'fill'; readonly time: number; readonly id: string; readonly orderId: string; readonly symbol: string; readonly side: string; readonly quantity: number; readonly price: number; readonly fee: number; readonly feeQuantity?: number }
  | { readonly type: 'order'; readonly time: number; readonly kind: string; readonly id: string; readonly symbol: string; readonly side: string; readonly orderType: string; readonly quantity: number; readonly status: string; readonly reason?: string }
  | { readonly type: 'breaker'; readonly time: number; readonly level: string; readonly previousLevel: string; readonly cause: string; readonly actor?: string | null }
  | { readonly type: 'equity'; readonly time: number; readonly equity: number; readonly cash: number };

export type SessionEventListener = (event: SessionEvent) => void;

/** Equity is sent at most this often (wall time): a fast replay closes many bars a second. */
const EQUITY_EVERY_MS = 1_000;

/** Subscribes to the kernel's bus and calls every listener for each event; returns the listener registry. */
export function sessionEventSource(kernel: Kernel): (listener: SessionEventListener) => () => void {
  const listeners = new Set<SessionEventListener>();
  const emit = (event: SessionEvent): void => {
    for (const listener of listeners) listener(event);
  };
  kernel.bus.subscribe<Fill>(Topic.Fill, (fill) => {
    if (listeners.size === 0) return;
    emit({ type: 'fill', time: fill.time, id: fill.id, orderId: fill.orderId, symbol: fill.symbol, side: fill.side, quantity: fill.quantity, price: fill.price, fee: moneyToNumber(fill.fee), ...(fill.feeQuantity ? { feeQuantity: fill.feeQuantity } : {}) });
  });
  kernel.bus.subscribe<OrderEvent>(Topic.OrderEvent, (event) => {
    if (listeners.size === 0 || event.reason === 'WARMING_UP') return;
    const o = event.order;
    emit({ type: 'order', time: event.time, kind: event.kind, id: o.id, symbol: o.symbol, side: o.side, orderType: o.type, quantity: o.quantity, status: o.status, ...(event.reason === undefined ? {} : { reason: event.reason }) });
  });
  kernel.bus.subscribe<{ time: number; level: string; previousLevel: string; cause: string; actor?: string | null }>(Topic.Breaker, (e) => {
    if (listeners.size === 0) return;
    emit({ type: 'breaker', time: e.time, level: e.level, previousLevel: e.previousLevel, cause: e.cause, actor: e.actor ?? null });
  });
  let lastEquityAt = -Infinity;
  kernel.bus.subscribe(Topic.Bar, () => {
    if (listeners.size === 0) return;
    const now = LiveClock.wallNow();
    if (now - lastEquityAt < EQUITY_EVERY_MS) return;
    lastEquityAt = now;
    emit({ type: 'equity', time: kernel.clock.now(), equity: Number(kernel.equity().toFixed(8)), cash: Number(kernel.cash().toFixed(8)) });
  });
  return (listener) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  };
}
