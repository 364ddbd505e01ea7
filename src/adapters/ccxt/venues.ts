// What differs between exchanges behind ccxt, as data keyed by ccxt exchange id: the createOrder type of
// each kernel order type, how stops carry their trigger and report it, the params that carry and look up a
// client order id, the client id rules, and how a duplicate id is refused.
import { createHash } from 'node:crypto';
import { OrderType } from '../../core/index.ts';
import { type VenueError, VenueErrorAction } from '../../common/index.ts';

/** The part of a ccxt order (or stream update) the trigger check reads; `info` is the exchange's raw JSON. */
export interface StopReport {
  readonly status?: string;
  readonly filled?: number;
  readonly info?: Readonly<Record<string, unknown>>;
}

export interface OrderTypeMapping {
  /** ccxt createOrder `type`. */
  readonly type: string;
  /** Whether the order has a limit price: sent as createOrder's `price`, with the order's timeInForce. */
  readonly limit: boolean;
}

export interface StopTrigger {
  /** The createOrder param that carries the trigger price. */
  readonly param: string;
  /**
   * Whether a report of a stop says it has triggered, and when (the exchange's time, when it says).
   * Undefined: not triggered, as far as this report tells. A fill always means triggered (the client
   * handles that for every exchange).
   */
  triggered(report: StopReport): { time?: number } | undefined;
}

export interface VenueProfile {
  /** A type without an entry (only stops may lack one) is refused before anything is sent. */
  readonly orderTypes: {
    readonly [OrderType.Market]: OrderTypeMapping;
    readonly [OrderType.Limit]: OrderTypeMapping;
    readonly [OrderType.Stop]?: OrderTypeMapping;
    readonly [OrderType.StopLimit]?: OrderTypeMapping;
  };
  /** Set exactly when the stop types have entries. */
  readonly stopTrigger: StopTrigger | undefined;
  /** The createOrder param that carries our client order id. */
  readonly clientIdParam: string;
  /** The fetchOrder / cancelOrder param that names an order by client id (its exchange id unknown). */
  readonly clientIdLookupParam: string;
  /** The fetchMyTrades param that selects one order's trades, where ccxt has no fetchOrderTrades. */
  readonly orderTradesParam: string;
  /** Page size of fetchMyTrades. */
  readonly tradePage: number;
  /** Client order ids: the characters the exchange refuses, and the longest id it takes. */
  readonly clientId: { readonly refused: RegExp; readonly maxLength: number };
  /** Whether a refusal says the client id was used before, i.e. an earlier attempt did arrive. */
  isDuplicateClientId(error: VenueError): boolean;
}

function positiveTime(value: unknown): number | undefined {
  const time = typeof value === 'number' ? value : typeof value === 'string' && value !== '' ? Number(value) : NaN;
  return Number.isFinite(time) && time > 0 ? time : undefined;
}

/**
 * Binance Spot (ccxt `binance`, checked against ccxt 4.5). The local exchange (src/exchange-sim) speaks the
 * same API and is reached as `binance` with its own URL, so it uses this row too.
 *
 * Stops: ccxt takes Binance's own type names and sends `triggerPrice` (or its alias `stopPrice`) as
 * Binance's `stopPrice`; it sends `price` only for the LIMIT kinds and fills in `timeInForce` there (GTC)
 * when none is given. Only types the symbol lists in exchangeInfo `orderTypes` are accepted: ccxt refuses
 * others before sending (real Binance lists STOP_LOSS_LIMIT but not STOP_LOSS on many symbols, BTCUSDT
 * among them).
 *
 * Triggered: an untriggered stop is NEW and not working: order JSON `isWorking: false`, `workingTime: -1`;
 * the user data stream's executionReport `w: false` and no `W`. When it triggers, Binance reports it NEW
 * again, now working on the book: `w: true` and `W` (working time) in the stream, `isWorking: true` and
 * `workingTime` in order queries.
 *
 * Client ids: [.A-Z:/a-z0-9_-]{1,36}; an order is looked up or canceled by `origClientOrderId`; a reused
 * id is refused with -2010 "Duplicate order sent." (ccxt: InvalidOrder, or DuplicateOrderId).
 */
const BINANCE_SPOT: VenueProfile = {
  orderTypes: {
    [OrderType.Market]: { type: 'market', limit: false },
    [OrderType.Limit]: { type: 'limit', limit: true },
    [OrderType.Stop]: { type: 'STOP_LOSS', limit: false },
    [OrderType.StopLimit]: { type: 'STOP_LOSS_LIMIT', limit: true },
  },
  stopTrigger: {
    param: 'triggerPrice',
    triggered(report) {
      const info = report.info ?? {};
      const working = positiveTime(info.workingTime) ?? positiveTime(info.W);
      if (working !== undefined) return { time: working };
      if (info.isWorking === true || info.w === true) return {};
      return undefined;
    },
  },
  clientIdParam: 'clientOrderId',
  clientIdLookupParam: 'origClientOrderId',
  orderTradesParam: 'orderId',
  tradePage: 1000,
  clientId: { refused: /[^.A-Za-z0-9:/_-]/g, maxLength: 36 },
  isDuplicateClientId: (error) => error.venueCode === 'DuplicateOrderId' || (error.action === VenueErrorAction.InvalidOrder && /duplicate/i.test(error.message)),
};

/**
 * An exchange without a row: ccxt's unified market and limit types, stops refused; client ids and trade
 * pages as on Binance until someone checks that exchange's ccxt class and adds its row.
 */
const UNLISTED: VenueProfile = {
  ...BINANCE_SPOT,
  orderTypes: { [OrderType.Market]: BINANCE_SPOT.orderTypes[OrderType.Market], [OrderType.Limit]: BINANCE_SPOT.orderTypes[OrderType.Limit] },
  stopTrigger: undefined,
};

/** Keyed by ccxt exchange id. */
export const VENUES: Readonly<Record<string, VenueProfile>> = {
  binance: BINANCE_SPOT,
};

export function venueProfile(exchange: string): VenueProfile {
  return Object.hasOwn(VENUES, exchange) ? VENUES[exchange]! : UNLISTED;
}

export function isStopOrderType(type: OrderType): type is typeof OrderType.Stop | typeof OrderType.StopLimit {
  return type === OrderType.Stop || type === OrderType.StopLimit;
}

/** The rejection reason (OrderEvent.reason) of an order type the exchange's row has no entry for. */
export const STOP_NOT_MAPPED = 'UNSUPPORTED_ORDER_TYPE';

export function stopNotMappedDetail(exchange: string, type: OrderType): string {
  return `stop orders are not mapped for exchange ${exchange} yet: a ${type} order cannot be sent (add the stop types to the exchange's row in VENUES, src/adapters/ccxt/venues.ts)`;
}

/**
 * Our client order id: the prefix plus our order id, in the exchange's characters and length. The order
 * id (the run's sequence) is never cut; a prefix too long for it is replaced by a short hash of itself.
 */
export function clientOrderIdFor(prefix: string, orderId: string, rules: VenueProfile['clientId'] = BINANCE_SPOT.clientId): string {
  const id = orderId.replace(rules.refused, '');
  let head = prefix.replace(rules.refused, '');
  if (head.length + 1 + id.length > rules.maxLength) head = createHash('sha256').update(prefix).digest('hex').slice(0, Math.max(0, Math.min(10, rules.maxLength - 1 - id.length)));
  return (head ? `${head}-${id}` : id).slice(-rules.maxLength);
}
