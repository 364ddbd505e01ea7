// Orders and trades as the exchange stores them, and their Binance JSON shapes.
import { fmt } from './units.ts';

export type Side = 'BUY' | 'SELL';
export type OrderKind = 'LIMIT' | 'MARKET' | 'LIMIT_MAKER';
export type TimeInForce = 'GTC' | 'IOC' | 'FOK';
export type OrderStatus = 'NEW' | 'PARTIALLY_FILLED' | 'FILLED' | 'CANCELED' | 'REJECTED' | 'EXPIRED';

export interface SimFill {
  price: bigint;
  qty: bigint;
  commission: bigint;
  commissionAsset: string;
  tradeId: number;
}

export interface SimOrder {
  symbol: string;
  orderId: number;
  clientOrderId: string;
  accountId: number;
  side: Side;
  type: OrderKind;
  timeInForce: TimeInForce;
  /** Limit price (0 for market orders), 10^-8 units, and its tick index. */
  price: bigint;
  priceTick: number;
  origQty: bigint;
  origQuoteOrderQty: bigint;
  executedQty: bigint;
  cummulativeQuoteQty: bigint;
  status: OrderStatus;
  time: number;
  updateTime: number;
  /** Funds still locked for the open part: quote for buys, base for sells. */
  locked: bigint;
  /** Arrival sequence (time priority at a price). */
  seq: number;
  fills: SimFill[];
}

export interface SimTrade {
  id: number;
  symbol: string;
  orderId: number;
  price: bigint;
  qty: bigint;
  quoteQty: bigint;
  commission: bigint;
  commissionAsset: string;
  time: number;
  isBuyer: boolean;
  isMaker: boolean;
}

export function isOpen(order: SimOrder): boolean {
  return order.status === 'NEW' || order.status === 'PARTIALLY_FILLED';
}

/** Prices, quantities and state: the part every order response carries. */
function orderState(o: SimOrder): Record<string, unknown> {
  return {
    price: fmt(o.price),
    origQty: fmt(o.origQty),
    executedQty: fmt(o.executedQty),
    origQuoteOrderQty: fmt(o.origQuoteOrderQty),
    cummulativeQuoteQty: fmt(o.cummulativeQuoteQty),
    status: o.status,
    timeInForce: o.timeInForce,
    type: o.type,
    side: o.side,
  };
}

/** GET /api/v3/order (and allOrders, openOrders) entry. */
export function orderJson(o: SimOrder): Record<string, unknown> {
  return {
    symbol: o.symbol,
    orderId: o.orderId,
    orderListId: -1,
    clientOrderId: o.clientOrderId,
    ...orderState(o),
    stopPrice: '0.00000000',
    icebergQty: '0.00000000',
    time: o.time,
    updateTime: o.updateTime,
    isWorking: true,
    workingTime: o.time,
    selfTradePreventionMode: 'NONE',
  };
}

/** POST /api/v3/order response for newOrderRespType ACK, RESULT or FULL. */
export function newOrderJson(o: SimOrder, respType: string, transactTime: number): Record<string, unknown> {
  const ack = { symbol: o.symbol, orderId: o.orderId, orderListId: -1, clientOrderId: o.clientOrderId, transactTime };
  if (respType === 'ACK') return ack;
  const result = {
    ...ack,
    ...orderState(o),
    workingTime: o.time,
    selfTradePreventionMode: 'NONE',
  };
  if (respType === 'RESULT') return result;
  return {
    ...result,
    fills: o.fills.map((f) => ({ price: fmt(f.price), qty: fmt(f.qty), commission: fmt(f.commission), commissionAsset: f.commissionAsset, tradeId: f.tradeId })),
  };
}

/** DELETE /api/v3/order response. */
export function cancelJson(o: SimOrder, cancelClientId: string, transactTime: number): Record<string, unknown> {
  return {
    symbol: o.symbol,
    origClientOrderId: o.clientOrderId,
    orderId: o.orderId,
    orderListId: -1,
    clientOrderId: cancelClientId,
    transactTime,
    ...orderState(o),
    selfTradePreventionMode: 'NONE',
  };
}

/** GET /api/v3/myTrades entry. */
export function myTradeJson(t: SimTrade): Record<string, unknown> {
  return {
    symbol: t.symbol,
    id: t.id,
    orderId: t.orderId,
    orderListId: -1,
    price: fmt(t.price),
    qty: fmt(t.qty),
    quoteQty: fmt(t.quoteQty),
    commission: fmt(t.commission),
    commissionAsset: t.commissionAsset,
    time: t.time,
    isBuyer: t.isBuyer,
    isMaker: t.isMaker,
    isBestMatch: true,
  };
}
