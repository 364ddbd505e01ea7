// Signed REST endpoints (trading and account), shared with the WebSocket API's order methods.
import type { Account } from './accounts.ts';
import { Errors } from './errors.ts';
import type { NewOrder } from './exchange-api.ts';
import type { ExchangeCore } from './exchange-core.ts';
import { cancelJson, isOpen, isStopKind, myTradeJson, newOrderJson, orderJson, type OrderKind, type Side, type TimeInForce } from './orders.ts';
import { limitParam, optionalInt, optionalUnits, requiredString, type Params } from './params.ts';
import { fmt } from './units.ts';

export type PrivateHandler = (core: ExchangeCore, account: Account, params: Params) => unknown;

const SIDES = new Set(['BUY', 'SELL']);
const TYPES = new Set(['LIMIT', 'MARKET', 'LIMIT_MAKER', 'STOP_LOSS', 'STOP_LOSS_LIMIT', 'TAKE_PROFIT', 'TAKE_PROFIT_LIMIT']);
const TIFS = new Set(['GTC', 'IOC', 'FOK']);
/** Types that take a timeInForce (and must have one), and types that take a limit price. */
const WITH_TIF = new Set(['LIMIT', 'STOP_LOSS_LIMIT', 'TAKE_PROFIT_LIMIT']);
const WITH_PRICE = new Set(['LIMIT', 'LIMIT_MAKER', 'STOP_LOSS_LIMIT', 'TAKE_PROFIT_LIMIT']);

/**
 * Parse and check POST /api/v3/order parameters into a NewOrder. Binance's additional mandatory
 * parameters by type: LIMIT timeInForce, quantity, price; MARKET quantity or quoteOrderQty; STOP_LOSS and
 * TAKE_PROFIT quantity, stopPrice; STOP_LOSS_LIMIT and TAKE_PROFIT_LIMIT timeInForce, quantity, price,
 * stopPrice; LIMIT_MAKER quantity, price. A missing one is -1102; one the type does not take is -1106.
 */
export function newOrderOf(params: Params): NewOrder {
  const symbol = requiredString(params, 'symbol');
  const side = requiredString(params, 'side').toUpperCase();
  if (!SIDES.has(side)) throw Errors.invalidSide();
  const type = requiredString(params, 'type').toUpperCase();
  if (!TYPES.has(type)) throw Errors.invalidOrderType();
  const stop = isStopKind(type);
  const timeInForce = params.timeInForce?.toUpperCase();
  if (WITH_TIF.has(type)) {
    if (timeInForce === undefined || timeInForce === '') throw Errors.mandatory('timeInForce');
    if (!TIFS.has(timeInForce)) throw Errors.invalidTimeInForce();
  } else if (timeInForce !== undefined && timeInForce !== '') {
    throw Errors.notRequired('timeInForce');
  }
  const quantity = optionalUnits(params, 'quantity');
  const quoteOrderQty = optionalUnits(params, 'quoteOrderQty');
  const price = optionalUnits(params, 'price');
  const stopPrice = optionalUnits(params, 'stopPrice');
  if (params.trailingDelta !== undefined && params.trailingDelta !== '') throw Errors.trailingNotSupported();
  if (type === 'MARKET' && quantity === undefined && quoteOrderQty === undefined) throw Errors.mandatory('quantity');
  if (type === 'MARKET' && quantity !== undefined && quoteOrderQty !== undefined) throw Errors.malformed('Parameters quantity and quoteOrderQty cannot be sent together.');
  if (type === 'MARKET' && quoteOrderQty !== undefined && side === 'SELL') throw Errors.malformed('quoteOrderQty is only supported for market buys here.');
  if (WITH_PRICE.has(type) && price === undefined) throw Errors.mandatory('price');
  if (type !== 'MARKET' && quantity === undefined) throw Errors.mandatory('quantity');
  if (stop && stopPrice === undefined) throw Errors.mandatoryEither('stopPrice', 'trailingDelta');
  if (!WITH_PRICE.has(type) && price !== undefined) throw Errors.notRequired('price');
  if (type !== 'MARKET' && quoteOrderQty !== undefined) throw Errors.notRequired('quoteOrderQty');
  if (!stop && stopPrice !== undefined) throw Errors.notRequired('stopPrice');
  return {
    symbol,
    side: side as Side,
    type: type as OrderKind,
    ...(WITH_TIF.has(type) ? { timeInForce: timeInForce as TimeInForce } : {}),
    ...(quantity !== undefined ? { quantity } : {}),
    ...(quoteOrderQty !== undefined ? { quoteOrderQty } : {}),
    ...(price !== undefined ? { price } : {}),
    ...(stopPrice !== undefined ? { stopPrice } : {}),
    ...(params.newClientOrderId ? { newClientOrderId: params.newClientOrderId } : {}),
  };
}

/** Binance's default is FULL for MARKET and LIMIT orders and ACK for every other type. */
function respTypeOf(params: Params): string {
  const type = (params.type ?? '').toUpperCase();
  const respType = (params.newOrderRespType || (type === 'MARKET' || type === 'LIMIT' ? 'FULL' : 'ACK')).toUpperCase();
  if (!['ACK', 'RESULT', 'FULL'].includes(respType)) throw Errors.malformed("Invalid value for parameter 'newOrderRespType'.");
  return respType;
}

function findOrThrow(core: ExchangeCore, account: Account, params: Params) {
  const market = core.market(params.symbol);
  const orderId = optionalInt(params, 'orderId');
  const clientId = params.origClientOrderId || undefined;
  if (orderId === undefined && clientId === undefined) throw Errors.mandatory('orderId');
  const order = core.findOrder(account, market.spec.id, orderId, clientId);
  if (order === undefined) throw Errors.orderDoesNotExist();
  return order;
}

function inRange(time: number, params: Params): boolean {
  const start = optionalInt(params, 'startTime');
  const end = optionalInt(params, 'endTime');
  return (start === undefined || time >= start) && (end === undefined || time <= end);
}

export const PRIVATE_ROUTES: Readonly<Record<string, PrivateHandler>> = {
  'POST order': (core, account, params) => {
    const respType = respTypeOf(params);
    const order = core.placeOrder(account, newOrderOf(params));
    return newOrderJson(order, respType, order.time);
  },
  'POST order/test': (core, _account, params) => {
    const request = newOrderOf(params);
    core.market(request.symbol);
    return {};
  },
  'GET order': (core, account, params) => orderJson(findOrThrow(core, account, params)),
  'DELETE order': (core, account, params) => {
    const { order, cancelClientId } = core.cancelOrder(account, params.symbol, optionalInt(params, 'orderId'), params.origClientOrderId || undefined, params.newClientOrderId || undefined);
    return cancelJson(order, cancelClientId, order.updateTime);
  },
  'DELETE openOrders': (core, account, params) => {
    const market = core.market(params.symbol);
    const open = account.orders.filter((o) => o.symbol === market.spec.id && isOpen(o));
    if (open.length === 0) throw Errors.unknownOrderCancel();
    return open.map((o) => {
      const { order, cancelClientId } = core.cancelOrder(account, market.spec.id, o.orderId, undefined);
      return cancelJson(order, cancelClientId, order.updateTime);
    });
  },
  'GET openOrders': (core, account, params) => {
    const symbol = params.symbol ? core.market(params.symbol).spec.id : undefined;
    return account.orders.filter((o) => isOpen(o) && (symbol === undefined || o.symbol === symbol)).map(orderJson);
  },
  'GET allOrders': (core, account, params) => {
    const market = core.market(params.symbol);
    const fromOrderId = optionalInt(params, 'orderId');
    const limit = limitParam(params, 500, 1000);
    const orders = account.orders.filter((o) => o.symbol === market.spec.id && (fromOrderId === undefined || o.orderId >= fromOrderId) && inRange(o.time, params));
    return (fromOrderId !== undefined || params.startTime ? orders.slice(0, limit) : orders.slice(-limit)).map(orderJson);
  },
  'GET myTrades': (core, account, params) => {
    const market = core.market(params.symbol);
    const orderId = optionalInt(params, 'orderId');
    const fromId = optionalInt(params, 'fromId');
    const limit = limitParam(params, 500, 1000);
    const trades = account.trades.filter(
      (t) => t.symbol === market.spec.id && (orderId === undefined || t.orderId === orderId) && (fromId === undefined || t.id >= fromId) && inRange(t.time, params),
    );
    return (fromId !== undefined || params.startTime ? trades.slice(0, limit) : trades.slice(-limit)).map(myTradeJson);
  },
  'GET account': (core, account, params) => {
    const omitZero = params.omitZeroBalances === 'true';
    const balances = [...account.balances]
      .filter(([, b]) => !omitZero || b.free !== 0n || b.locked !== 0n)
      .map(([asset, b]) => ({ asset, free: fmt(b.free), locked: fmt(b.locked) }));
    return {
      makerCommission: 10,
      takerCommission: 10,
      buyerCommission: 0,
      sellerCommission: 0,
      commissionRates: { maker: '0.00100000', taker: '0.00100000', buyer: '0.00000000', seller: '0.00000000' },
      canTrade: true,
      canWithdraw: false,
      canDeposit: false,
      brokered: false,
      requireSelfTradePrevention: false,
      preventSor: false,
      updateTime: account.updateTime || core.clock.now(),
      accountType: 'SPOT',
      balances,
      permissions: ['SPOT'],
      uid: 1000 + account.id,
    };
  },
};

/**
 * Signed wallet endpoints ccxt calls while loading markets with credentials (fetchMargins): this
 * exchange has no margin trading, so both lists are empty. Keyed by method and full path.
 */
export const SAPI_ROUTES: Readonly<Record<string, PrivateHandler>> = {
  'GET /sapi/v1/margin/allPairs': () => [],
  'GET /sapi/v1/margin/isolated/allPairs': () => [],
};
