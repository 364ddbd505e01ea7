// Rebuilding kernel objects from journal records (session resume and crash recovery).
import { type Bar, type Fill, Order, OrderStatus, OrderType } from '../../core/index.ts';
import type { BarRecord, FillRecord, OrderRecord } from '../../common/index.ts';

export function fillFromRecord(record: FillRecord): Fill {
  return {
    id: record.fillId,
    orderId: record.orderId,
    symbol: record.symbol,
    side: record.side,
    time: record.time,
    price: record.price,
    quantity: record.quantity,
    notional: record.notional,
    fee: record.fee,
    tax: record.tax,
    liquidity: record.liquidity,
    referencePrice: record.referencePrice,
    impactBps: record.impactBps,
    slippageBps: record.slippageBps,
    reducedForCash: record.reducedForCash,
  };
}

export function orderFromRecord(record: OrderRecord): Order {
  const order = new Order(record.orderId, record.symbol, record.side, record.type, record.quantity, record.price ?? undefined, record.stopPrice ?? undefined, record.timeInForce, record.createdAt, NaN, record.tag ?? undefined);
  order.status = record.status as OrderStatus;
  order.filledQuantity = record.filledQuantity;
  order.updatedAt = record.updatedAt;
  // The journal keeps the status, not the flag: a stop that is TRIGGERED, or has filled at all, was triggered.
  const stop = order.type === OrderType.Stop || order.type === OrderType.StopLimit;
  if (stop && (order.status === OrderStatus.Triggered || order.filledQuantity > 0)) order.triggered = true;
  return order;
}

/** A journaled bar as the data client delivered it (null factor or pre-close: none). */
export function barFromRecord(record: BarRecord): Bar {
  return {
    symbol: record.symbol,
    openTime: record.openTime,
    closeTime: record.closeTime,
    open: record.open,
    high: record.high,
    low: record.low,
    close: record.close,
    volume: record.volume,
    preClose: record.preClose ?? undefined,
    adjustmentFactor: record.adjustmentFactor ?? undefined,
  };
}
