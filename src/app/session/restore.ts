// Rebuilding kernel objects from journal records (session resume and crash recovery).
import { type Bar, type Fill, Order, type OrderStatus } from '../../core/index.ts';
import type { BarRecord, FillRecord, OrderRecord } from '../../common/index.ts';

export function fillFromRecord(record: FillRecord): Fill {
  const { runId: _run, fillId, feeQuantity, ...fill } = record;
  return { ...fill, id: fillId, ...(feeQuantity ? { feeQuantity } : {}) };
}

export function orderFromRecord(record: OrderRecord): Order {
  const order = new Order(record.orderId, record.symbol, record.side, record.type, record.quantity, record.price ?? undefined, record.stopPrice ?? undefined, record.timeInForce, record.createdAt, NaN, record.tag ?? undefined);
  order.restoreState(record.status as OrderStatus, record.filledQuantity, record.updatedAt);
  return order;
}

/** A journaled bar as the data client delivered it (null factor or pre-close: none). */
export function barFromRecord(record: BarRecord): Bar {
  const { runId: _run, adjustmentFactor, preClose, ...bar } = record;
  return { ...bar, preClose: preClose ?? undefined, adjustmentFactor: adjustmentFactor ?? undefined };
}
