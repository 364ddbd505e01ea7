// Journal records from the kernel's own objects: copy the values at the moment of the event.
import type { Bar, Fill } from '../core/index.ts';
import type { BarRecord, BreakerRecord, DenialRecord, FillRecord, OrderDenial, OrderEvent, OrderEventInput } from '../common/index.ts';

/** An order event with the order's state right after it (call it in the event handler: orders mutate). */
export function orderEventRecord(runId: string, event: OrderEvent): OrderEventInput {
  const order = event.order;
  return {
    runId,
    time: event.time,
    orderId: order.id,
    kind: event.kind,
    status: order.status,
    filledQuantity: order.filledQuantity,
    fillId: event.fill?.id ?? null,
    reason: event.reason ?? null,
    detail: event.detail ?? null,
    symbol: order.symbol,
    side: order.side,
    type: order.type,
    quantity: order.quantity,
    price: order.price ?? null,
    stopPrice: order.stopPrice ?? null,
    timeInForce: order.timeInForce,
    tag: order.tag ?? null,
  };
}

export function fillRecord(runId: string, fill: Fill): FillRecord {
  return {
    runId,
    time: fill.time,
    fillId: fill.id,
    orderId: fill.orderId,
    symbol: fill.symbol,
    side: fill.side,
    price: fill.price,
    quantity: fill.quantity,
    notional: fill.notional,
    fee: fill.fee,
    tax: fill.tax,
    liquidity: fill.liquidity,
    referencePrice: fill.referencePrice,
    impactBps: fill.impactBps,
    slippageBps: fill.slippageBps,
    reducedForCash: fill.reducedForCash,
    ...(fill.feeQuantity ? { feeQuantity: fill.feeQuantity } : {}),
  };
}

export function denialRecord(runId: string, time: number, denial: OrderDenial, order?: { readonly id: string; readonly symbol: string }): DenialRecord {
  return {
    runId,
    time,
    orderId: order?.id ?? null,
    symbol: order?.symbol ?? null,
    reason: denial.reason,
    detail: denial.detail,
    value: denial.value ?? null,
    limit: denial.limit ?? null,
  };
}

/** The denial an order event of kind DENIED carries. */
export function orderDenialRecord(runId: string, event: OrderEvent): DenialRecord {
  const { reason = 'UNKNOWN', detail = '', value, limit } = event;
  return denialRecord(runId, event.time, { reason, detail, value, limit }, event.order);
}

/** The fields of a breaker level change (the risk engine's BreakerEvent has this shape). */
export interface BreakerChange {
  readonly time: number;
  readonly level: string;
  readonly previousLevel: string;
  readonly cause: string;
  readonly value: number;
  readonly threshold: number;
  readonly actor?: string;
  readonly detail?: string;
}

export function breakerRecord(runId: string, event: BreakerChange): BreakerRecord {
  return {
    runId,
    time: event.time,
    level: event.level,
    previousLevel: event.previousLevel,
    cause: event.cause,
    value: event.value,
    threshold: event.threshold,
    actor: event.actor ?? null,
    detail: event.detail ?? null,
  };
}

/** A bar as journaled: an unknown factor or pre-close is null. */
export function barRecord(runId: string, bar: Bar): BarRecord {
  return { ...bar, runId, adjustmentFactor: finiteOrNull(bar.adjustmentFactor), preClose: finiteOrNull(bar.preClose) };
}

function finiteOrNull(value: number | undefined): number | null {
  return value !== undefined && Number.isFinite(value) ? value : null;
}
