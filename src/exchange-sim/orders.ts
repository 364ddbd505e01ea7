// Orders and trades as the exchange stores them, and their Binance JSON shapes.
import { fmt } from './units.ts';

export type Side = 'BUY' | 'SELL';
export type StopKind = 'STOP_LOSS' | 'STOP_LOSS_LIMIT' | 'TAKE_PROFIT' | 'TAKE_PROFIT_LIMIT';
export type OrderKind = 'LIMIT' | 'MARKET' | 'LIMIT_MAKER' | StopKind;
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
  /** Trigger price of a stop (0 for other orders), 10^-8 units. */
  stopPrice: bigint;
  origQty: bigint;
  origQuoteOrderQty: bigint;
  executedQty: bigint;
  cummulativeQuoteQty: bigint;
  status: OrderStatus;
  time: number;
  updateTime: number;
  /** When the order started working on the book (Binance's workingTime): its time, or for a stop the trigger time; -1 before that. */
  workingTime: number;
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

export const STOP_KINDS: ReadonlySet<string> = new Set<StopKind>(['STOP_LOSS', 'STOP_LOSS_LIMIT', 'TAKE_PROFIT', 'TAKE_PROFIT_LIMIT']);

export function isStopKind(kind: string): kind is StopKind {
  return STOP_KINDS.has(kind);
}

/** Orders that execute as market orders (MARKET, and STOP_LOSS / TAKE_PROFIT once triggered): no limit price. */
export function isMarketKind(kind: OrderKind): boolean {
  return kind === 'MARKET' || kind === 'STOP_LOSS' || kind === 'TAKE_PROFIT';
}

/**
 * Which way the last price must move to trigger a stop: STOP_LOSS sells and TAKE_PROFIT buys trigger when
 * it falls to the stop price (last <= stopPrice), STOP_LOSS buys and TAKE_PROFIT sells when it rises to it.
 */
export function triggersOnFall(order: Pick<SimOrder, 'type' | 'side'>): boolean {
  const stopLoss = order.type === 'STOP_LOSS' || order.type === 'STOP_LOSS_LIMIT';
  return stopLoss === (order.side === 'SELL');
}

/** A stop that has not triggered yet: open, not on the book, waiting for the last price. */
export function isPendingStop(order: SimOrder): boolean {
  return isStopKind(order.type) && order.workingTime < 0 && isOpen(order);
}

/** What the exchange knows of an order when it takes it; the rest starts empty (nothing executed, status NEW). */
export type OrderEntry = Pick<
  SimOrder,
  'symbol' | 'orderId' | 'clientOrderId' | 'accountId' | 'side' | 'type' | 'timeInForce' | 'price' | 'priceTick' | 'stopPrice' | 'origQty' | 'origQuoteOrderQty' | 'time' | 'workingTime' | 'locked' | 'seq'
>;

export function newSimOrder(o: OrderEntry): SimOrder {
  return {
    symbol: o.symbol,
    orderId: o.orderId,
    clientOrderId: o.clientOrderId,
    accountId: o.accountId,
    side: o.side,
    type: o.type,
    timeInForce: o.timeInForce,
    price: o.price,
    priceTick: o.priceTick,
    stopPrice: o.stopPrice,
    origQty: o.origQty,
    origQuoteOrderQty: o.origQuoteOrderQty,
    executedQty: 0n,
    cummulativeQuoteQty: 0n,
    status: 'NEW',
    time: o.time,
    updateTime: o.time,
    workingTime: o.workingTime,
    locked: o.locked,
    seq: o.seq,
    fills: [],
  };
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

/** `stopPrice`, which order responses carry only for stop orders (Binance's conditional field). */
function stopField(o: SimOrder): { stopPrice?: string } {
  return isStopKind(o.type) ? { stopPrice: fmt(o.stopPrice) } : {};
}

/** GET /api/v3/order (and allOrders, openOrders) entry. */
export function orderJson(o: SimOrder): Record<string, unknown> {
  return {
    symbol: o.symbol,
    orderId: o.orderId,
    orderListId: -1,
    clientOrderId: o.clientOrderId,
    ...orderState(o),
    stopPrice: fmt(o.stopPrice),
    icebergQty: '0.00000000',
    time: o.time,
    updateTime: o.updateTime,
    isWorking: o.workingTime >= 0,
    workingTime: o.workingTime,
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
    ...stopField(o),
    workingTime: o.workingTime,
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
    ...stopField(o),
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
