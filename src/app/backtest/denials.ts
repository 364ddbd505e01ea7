// Every order a backtest refused, with what a strategy author needs to see why: when, which order, the reason and
// the numbers that failed (the value and the limit the risk engine compared).
import { OrderEventKind } from '../../core/index.ts';
import { type MessageBus, type OrderEvent, Topic } from '../../common/index.ts';

export interface BacktestDenial {
  /** When the order was refused (its creation time: refusals happen at submission), UTC ms. */
  readonly time: number;
  readonly orderId: string;
  readonly symbol: string;
  readonly side: string;
  readonly type: string;
  /** On the lot grid (0 when the requested quantity rounded to nothing). */
  readonly quantity: number;
  /** The order's limit price, else its stop price; null for a market order. */
  readonly price: number | null;
  readonly reason: string;
  readonly detail: string;
  /** The number that failed and the limit it broke, when the check reports them. */
  readonly value: number | null;
  readonly limit: number | null;
}

/** Collects every DENIED order event published on the kernel's bus, in the order they happen. */
export function collectDenials(bus: MessageBus): BacktestDenial[] {
  const denials: BacktestDenial[] = [];
  bus.subscribe<OrderEvent>(Topic.OrderEvent, (event) => {
    if (event.kind !== OrderEventKind.Denied) return;
    const order = event.order;
    denials.push({
      time: event.time,
      orderId: order.id,
      symbol: order.symbol,
      side: order.side,
      type: order.type,
      quantity: order.quantity,
      price: order.price ?? order.stopPrice ?? null,
      reason: event.reason ?? 'UNKNOWN',
      detail: event.detail ?? '',
      value: event.value ?? null,
      limit: event.limit ?? null,
    });
  });
  return denials;
}

/** The first refusal of each reason, the reasons by count (most first, then by name). */
export function denialExamples(denials: readonly BacktestDenial[]): Record<string, DenialExample> {
  const counts = new Map<string, number>();
  const first = new Map<string, BacktestDenial>();
  for (const d of denials) {
    counts.set(d.reason, (counts.get(d.reason) ?? 0) + 1);
    if (!first.has(d.reason)) first.set(d.reason, d);
  }
  const reasons = [...counts.keys()].sort((a, b) => counts.get(b)! - counts.get(a)! || a.localeCompare(b));
  return Object.fromEntries(
    reasons.map((reason) => {
      const d = first.get(reason)!;
      return [reason, { time: d.time, orderId: d.orderId, symbol: d.symbol, side: d.side, quantity: d.quantity, price: d.price, detail: d.detail }];
    }),
  );
}

/** One refusal standing for all of its reason in the summary. */
export interface DenialExample {
  readonly time: number;
  readonly orderId: string;
  readonly symbol: string;
  readonly side: string;
  readonly quantity: number;
  readonly price: number | null;
  readonly detail: string;
}
