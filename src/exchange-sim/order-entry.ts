// A new order request checked against the symbol's filters, with Binance's errors, before any funds move.
import { Errors } from './errors.ts';
import type { NewOrder } from './exchange-api.ts';
import { isMarketKind, isStopKind, type OrderKind, type TimeInForce } from './orders.ts';
import type { SymbolSpec } from './symbols.ts';
import { mulUnits } from './units.ts';

const CLIENT_ID_RE = /^[.A-Z:/a-z0-9_-]{1,36}$/;

/** A request that passed the filters: its prices in 10^-8 units (0 where the kind has none). */
export interface CheckedOrder {
  readonly kind: OrderKind;
  readonly stop: boolean;
  readonly isMarket: boolean;
  readonly price: bigint;
  readonly priceTick: number;
  readonly stopPrice: bigint;
  readonly timeInForce: TimeInForce;
}

export function checkClientOrderId(clientOrderId: string): void {
  if (!CLIENT_ID_RE.test(clientOrderId)) throw Errors.malformed("Illegal characters found in parameter 'newClientOrderId'; legal range is '^[\\.A-Z\\:/a-z0-9_-]{1,36}$'.");
}

/** Mandatory parameters, PRICE_FILTER (price and stop price), LOT_SIZE and NOTIONAL, in Binance's order. */
export function checkNewOrder(spec: SymbolSpec, request: NewOrder): CheckedOrder {
  const kind = request.type;
  const stop = isStopKind(kind);
  const isMarket = isMarketKind(kind);
  let priceTick = 0;
  let price = 0n;
  if (!isMarket) {
    if (request.price === undefined) throw Errors.mandatory('price');
    if (request.quantity === undefined) throw Errors.mandatory('quantity');
    price = request.price;
    if (price <= 0n || price % spec.tick !== 0n) throw Errors.filter('PRICE_FILTER');
    priceTick = Number(price / spec.tick);
  }
  let stopPrice = 0n;
  if (stop) {
    if (request.stopPrice === undefined) throw Errors.mandatoryEither('stopPrice', 'trailingDelta');
    if (request.quantity === undefined) throw Errors.mandatory('quantity');
    stopPrice = request.stopPrice;
    // PRICE_FILTER applies to stopPrice as to price.
    if (stopPrice <= 0n || stopPrice % spec.tick !== 0n) throw Errors.filter('PRICE_FILTER');
  }
  if (request.quantity !== undefined) {
    const q = request.quantity;
    if (q < spec.minQty || q > spec.maxQty || q % spec.step !== 0n) throw Errors.filter('LOT_SIZE');
    // A market-type stop has no price yet: its notional is taken at the stop price.
    const notionalPrice = isMarket ? stopPrice : price;
    if (notionalPrice > 0n && mulUnits(notionalPrice, q) < spec.minNotional) throw Errors.filter('NOTIONAL');
  } else if (request.quoteOrderQty === undefined) {
    throw Errors.mandatory('quantity');
  } else if (request.quoteOrderQty < spec.minNotional) {
    throw Errors.filter('NOTIONAL');
  }

  const takesTimeInForce = kind === 'LIMIT' || kind === 'STOP_LOSS_LIMIT' || kind === 'TAKE_PROFIT_LIMIT';
  const timeInForce: TimeInForce = takesTimeInForce ? (request.timeInForce ?? 'GTC') : 'GTC';
  return { kind, stop, isMarket, price, priceTick, stopPrice, timeInForce };
}
