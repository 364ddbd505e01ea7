// User data events in Binance's shapes: executionReport and outboundAccountPosition.
import type { Account } from './accounts.ts';
import type { Execution } from './exchange-api.ts';
import { isOpen, type SimOrder } from './orders.ts';
import { fmt } from './units.ts';

/**
 * One execution of an order. A stop is reported NEW twice: when placed (not on the book: `w` false, no `W`)
 * and when it triggers (`w` true, `W` the trigger time); its fills and end follow as for any order.
 */
export function executionReport(order: SimOrder, execution: Execution): Record<string, unknown> {
  const trade = execution.trade;
  const canceled = execution.type === 'CANCELED';
  const working = order.workingTime >= 0;
  return {
    e: 'executionReport',
    E: execution.time,
    s: order.symbol,
    c: canceled ? (execution.cancelClientId ?? '') : order.clientOrderId,
    S: order.side,
    o: order.type,
    f: order.timeInForce,
    q: fmt(order.origQty),
    p: fmt(order.price),
    P: fmt(order.stopPrice),
    F: '0.00000000',
    g: -1,
    C: canceled ? order.clientOrderId : '',
    x: execution.type,
    X: order.status,
    r: 'NONE',
    i: order.orderId,
    l: fmt(trade?.qty ?? 0n),
    z: fmt(order.executedQty),
    L: fmt(trade?.price ?? 0n),
    n: fmt(trade?.commission ?? 0n),
    N: trade?.commissionAsset ?? null,
    T: execution.time,
    t: trade?.id ?? -1,
    v: 0,
    I: execution.id,
    w: working && isOpen(order),
    m: trade?.isMaker ?? false,
    M: false,
    O: order.time,
    Z: fmt(order.cummulativeQuoteQty),
    Y: fmt(trade?.quoteQty ?? 0n),
    Q: fmt(order.origQuoteOrderQty),
    // Working time: only once the order is on the book.
    ...(working ? { W: order.workingTime } : {}),
    V: 'NONE',
  };
}

export function accountPosition(account: Account, assets: readonly string[], time: number): Record<string, unknown> {
  return {
    e: 'outboundAccountPosition',
    E: time,
    u: time,
    B: assets.map((asset) => {
      const b = account.balance(asset);
      return { a: asset, f: fmt(b.free), l: fmt(b.locked) };
    }),
  };
}
