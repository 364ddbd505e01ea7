// What the parts of the CCXT execution client share: the orders it tracks (by our order, client id and
// exchange id), the requests in flight, its counters, its retry runners and the venue's profile.
import type { Order } from '../../core/index.ts';
import { type ExecutionContext, type RetryRunner, type VenueError, withRetry } from '../../common/index.ts';
import type { CcxtTradingApi } from './ccxt-api.ts';
import { toVenueError } from './error-map.ts';
import type { VenueProfile } from './venues.ts';

/** What createOrder is called with for an order. */
export interface OrderRequest {
  readonly type: string;
  readonly price: number | undefined;
  readonly params: Record<string, unknown>;
}

export interface TrackedOrder {
  readonly order: Order;
  readonly clientOrderId: string;
  venueId?: string;
  /** Exchange trade ids already booked (a fill is never booked twice). */
  readonly trades: Set<string>;
  request?: OrderRequest;
  /** Settles when the placement has an answer, or has given up. */
  placing: Promise<void>;
  placed: boolean;
  /** The createOrder attempt under way (more than one: an earlier attempt may have arrived). */
  attempts: number;
  /** The last failure that was retried, for the log when the outcome stays unknown. */
  lastError?: VenueError;
  /** The placement's answer came from a lookup by client id, not from createOrder. */
  recovered: boolean;
  /** Every attempt and query failed: the exchange may or may not have it. Reconciliation asks again. */
  unresolved: boolean;
  canceling: boolean;
  /** A fetch of this order's trades in flight. */
  refreshing?: Promise<void>;
}

/** The orders placed through the client, found by any of their ids. */
export class TrackedOrders {
  private readonly byClientId = new Map<string, TrackedOrder>();
  private readonly byVenueId = new Map<string, TrackedOrder>();
  private readonly byOrder = new Map<Order, TrackedOrder>();
  /** Orders not yet terminal (reconciliation looks at these). */
  readonly active = new Set<TrackedOrder>();
  readonly unresolved = new Set<TrackedOrder>();

  add(order: Order, clientOrderId: string): TrackedOrder {
    const tracked: TrackedOrder = { order, clientOrderId, trades: new Set(), placing: Promise.resolve(), placed: false, attempts: 0, recovered: false, unresolved: false, canceling: false };
    this.byClientId.set(clientOrderId, tracked);
    this.byOrder.set(order, tracked);
    this.active.add(tracked);
    return tracked;
  }

  of(order: Order): TrackedOrder | undefined {
    return this.byOrder.get(order);
  }

  byExchangeId(venueId: string): TrackedOrder | undefined {
    return this.byVenueId.get(venueId);
  }

  /** The order a report is about: by client id, else by exchange id. */
  find(report: { readonly clientOrderId?: string; readonly id?: string }): TrackedOrder | undefined {
    return (report.clientOrderId ? this.byClientId.get(report.clientOrderId) : undefined) ?? (report.id ? this.byVenueId.get(report.id) : undefined);
  }

  /** The exchange's id for the order: once known, the placement is no longer in doubt. */
  link(tracked: TrackedOrder, venueId: string | undefined): void {
    if (venueId === undefined || venueId === '' || tracked.venueId !== undefined) return;
    tracked.venueId = venueId;
    this.byVenueId.set(venueId, tracked);
    this.resolve(tracked);
  }

  resolve(tracked: TrackedOrder): void {
    tracked.unresolved = false;
    this.unresolved.delete(tracked);
  }

  markUnresolved(tracked: TrackedOrder): void {
    tracked.unresolved = true;
    this.unresolved.add(tracked);
  }

  /** Stop looking at an order once it has ended. */
  retire(tracked: TrackedOrder): void {
    if (tracked.order.isTerminal) this.active.delete(tracked);
  }
}

export interface CcxtExecutionOptions {
  /** Prefix of client order ids: derived from the run, so a restart never reuses an id. */
  readonly clientIdPrefix: string;
  /** Called for each difference reconciliation finds (the caller journals, audits and halts). */
  readonly onDiscrepancy?: (discrepancy: Discrepancy) => void;
  /** Random source for retry jitter (seeded in tests). */
  readonly random?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly log?: (message: string) => void;
}

/** A difference between what the platform believes and what the exchange says. */
export interface Discrepancy {
  /**
   * MISSED_FILL: a trade of ours found (and booked) only by reconciliation. UNKNOWN_ORDER: an order on
   * the exchange the platform did not place. MISSING_ORDER: an open order of ours the exchange has
   * closed. UNKNOWN_POSITION: the exchange holds more or less of a traded asset than the platform
   * books (trading that symbol should halt until a person decides). BALANCE: the same for the quote
   * currency.
   */
  readonly kind: 'MISSED_FILL' | 'UNKNOWN_ORDER' | 'MISSING_ORDER' | 'UNKNOWN_POSITION' | 'BALANCE';
  readonly symbol: string;
  readonly detail: string;
  /** For UNKNOWN_POSITION and BALANCE: the asset and exchange minus platform. */
  readonly asset?: string;
  readonly difference?: number;
}

export interface ExecutionCounts {
  submitted: number;
  retries: number;
  recoveredByQuery: number;
  rejected: number;
  fills: number;
  missedFills: number;
  unknownOrders: number;
  balanceChecks: number;
}

function invoke<T>(call: () => Promise<T>): Promise<T> {
  return call();
}

export class ClientState {
  context!: ExecutionContext;
  readonly orders = new TrackedOrders();
  readonly counts: ExecutionCounts = { submitted: 0, retries: 0, recoveredByQuery: 0, rejected: 0, fills: 0, missedFills: 0, unknownOrders: 0, balanceChecks: 0 };
  /** Requests in flight, so `settle()` can wait for them (tests, shutdown). */
  readonly pending = new Set<Promise<unknown>>();
  /** Queries: retried by the error class, not counted. */
  readonly retry: RetryRunner<unknown>;
  /** Placements and cancels: retried by the error class, counted, the last error kept on the order. */
  readonly orderRetry: RetryRunner<TrackedOrder>;

  constructor(
    readonly api: CcxtTradingApi,
    readonly venue: VenueProfile,
    /** The ccxt exchange id. */
    readonly name: string,
    readonly options: CcxtExecutionOptions,
    random: () => number,
    sleep: (ms: number) => Promise<void>,
  ) {
    this.retry = { toError: toVenueError, random, sleep };
    this.orderRetry = {
      toError: toVenueError,
      random,
      sleep,
      onRetry: (error, tracked) => {
        this.counts.retries++;
        tracked.lastError = error;
      },
    };
  }

  /** A query to the exchange, retried by the error class of its failures. */
  query<T>(call: () => Promise<T>): Promise<T> {
    return withRetry(invoke<T>, call, this.retry);
  }

  track<T>(promise: Promise<T>): Promise<T> {
    this.pending.add(promise);
    void promise.finally(() => this.pending.delete(promise));
    return promise;
  }

  /** Wait until every request in flight has finished. */
  async settle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  log(message: string): void {
    this.options.log?.(message);
  }
}
