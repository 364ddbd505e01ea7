// Stop orders per exchange, as data: how the kernel's STOP and STOP_LIMIT go through ccxt's createOrder,
// and how the exchange's reports say that a stop has triggered. An exchange without an entry refuses stop
// orders (the client rejects them before anything is sent).
import { OrderType } from '../../core/index.ts';

/** The part of a ccxt order (or stream update) the trigger check reads; `info` is the exchange's raw JSON. */
export interface StopReport {
  readonly status?: string;
  readonly filled?: number;
  readonly info?: Readonly<Record<string, unknown>>;
}

export interface StopTypeMapping {
  /** ccxt createOrder `type`. */
  readonly type: string;
  /** Whether the order has a limit price: sent as createOrder's `price`, with the order's timeInForce. */
  readonly limit: boolean;
}

export interface StopVenue {
  readonly [OrderType.Stop]: StopTypeMapping;
  readonly [OrderType.StopLimit]: StopTypeMapping;
  /** The createOrder param that carries the trigger price. */
  readonly triggerParam: string;
  /**
   * Whether a report of a stop says it has triggered, and when (the exchange's time, when it says).
   * Undefined: not triggered, as far as this report tells. A fill always means triggered (the client
   * handles that for every exchange).
   */
  triggered(report: StopReport): { time?: number } | undefined;
}

function positiveTime(value: unknown): number | undefined {
  const time = typeof value === 'number' ? value : typeof value === 'string' && value !== '' ? Number(value) : NaN;
  return Number.isFinite(time) && time > 0 ? time : undefined;
}

/**
 * Binance spot (ccxt `binance`, checked against ccxt 4.5): ccxt takes Binance's own type names and sends
 * `triggerPrice` (or its alias `stopPrice`) as Binance's `stopPrice`; it sends `price` only for the LIMIT
 * kinds and fills in `timeInForce` there (GTC) when none is given. Only types the symbol lists in
 * exchangeInfo `orderTypes` are accepted: ccxt refuses others before sending (real Binance lists
 * STOP_LOSS_LIMIT but not STOP_LOSS on many symbols, BTCUSDT among them).
 *
 * Triggered: an untriggered stop is NEW and not working: order JSON `isWorking: false`, `workingTime: -1`;
 * the user data stream's executionReport `w: false` and no `W`. When it triggers, Binance reports it NEW
 * again, now working on the book: `w: true` and `W` (working time) in the stream, `isWorking: true` and
 * `workingTime` in order queries.
 */
const BINANCE: StopVenue = {
  [OrderType.Stop]: { type: 'STOP_LOSS', limit: false },
  [OrderType.StopLimit]: { type: 'STOP_LOSS_LIMIT', limit: true },
  triggerParam: 'triggerPrice',
  triggered(report) {
    const info = report.info ?? {};
    const working = positiveTime(info.workingTime) ?? positiveTime(info.W);
    if (working !== undefined) return { time: working };
    if (info.isWorking === true || info.w === true) return {};
    return undefined;
  },
};

/** Keyed by ccxt exchange id. */
export const STOP_ORDER_TYPES: Readonly<Record<string, StopVenue>> = {
  binance: BINANCE,
};

export function isStopOrderType(type: OrderType): type is typeof OrderType.Stop | typeof OrderType.StopLimit {
  return type === OrderType.Stop || type === OrderType.StopLimit;
}

/** The rejection reason (OrderEvent.reason) of a stop order for an exchange that has no entry. */
export const STOP_NOT_MAPPED = 'UNSUPPORTED_ORDER_TYPE';

export function stopNotMappedDetail(exchange: string, type: OrderType): string {
  return `stop orders are not mapped for exchange ${exchange} yet: a ${type} order cannot be sent (add the exchange to STOP_ORDER_TYPES in src/adapters/ccxt/stop-orders.ts)`;
}
