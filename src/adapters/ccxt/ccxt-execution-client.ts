// The CCXT venue's ExecutionClient: real orders through ccxt, idempotent client order ids, retries by
// error class, fills from the exchange's own trades, and reconciliation with the exchange.
import { notionalOf } from '../../core/account.ts';
import { numberToMoney } from '../../core/decimal.ts';
import { type Fill, Liquidity } from '../../core/fill.ts';
import type { Instrument } from '../../core/instrument.ts';
import { type Order, OrderSide, OrderType } from '../../core/order.ts';
import type { ExecutionClient, ExecutionContext } from '../../kernel/ports.ts';
import { retryDelay, RETRY_POLICIES, VenueError, VenueErrorAction } from '../../kernel/venue-errors.ts';
import { toVenueError } from './error-map.ts';

/** The part of a ccxt exchange this client uses (REST and, when present, watchOrders). */
export interface CcxtTradingApi {
  createOrder(symbol: string, type: string, side: string, amount: number, price?: number, params?: Record<string, unknown>): Promise<CcxtOrder>;
  cancelOrder(id: string, symbol: string, params?: Record<string, unknown>): Promise<unknown>;
  fetchOrder(id: string | undefined, symbol: string, params?: Record<string, unknown>): Promise<CcxtOrder>;
  fetchOpenOrders(symbol?: string): Promise<CcxtOrder[]>;
  fetchMyTrades(symbol: string, since?: number, limit?: number): Promise<CcxtTrade[]>;
  fetchBalance(): Promise<{ free: Record<string, number>; total: Record<string, number> }>;
}

export interface CcxtTrade {
  id: string;
  order?: string;
  symbol: string;
  side: string;
  price: number;
  amount: number;
  timestamp: number;
  takerOrMaker?: string;
  fee?: { cost?: number; currency?: string };
}

export interface CcxtOrder {
  id: string;
  clientOrderId?: string;
  symbol: string;
  status?: string;
  filled?: number;
  amount?: number;
  trades?: CcxtTrade[];
  timestamp?: number;
}

/** A difference between what the platform believes and what the exchange says. */
export interface Discrepancy {
  readonly kind: 'MISSED_FILL' | 'UNKNOWN_ORDER' | 'MISSING_ORDER' | 'BALANCE';
  readonly symbol: string;
  readonly detail: string;
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

interface Tracked {
  readonly order: Order;
  readonly clientOrderId: string;
  venueId?: string;
  /** Exchange trade ids already booked (a fill is never booked twice). */
  readonly trades: Set<string>;
}

/** Binance allows [.A-Z:/a-z0-9_-]{1,36}: the prefix plus our order id. */
export function clientOrderIdFor(prefix: string, orderId: string): string {
  return `${prefix}-${orderId}`.replace(/[^.A-Za-z0-9:/_-]/g, '').slice(0, 36);
}

export class CcxtExecutionClient implements ExecutionClient {
  readonly name: string;
  private context!: ExecutionContext;
  private readonly byClientId = new Map<string, Tracked>();
  private readonly random: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  /** Requests in flight, so `settle()` can wait for them (tests, shutdown). */
  private readonly pending = new Set<Promise<unknown>>();
  readonly counts = { submitted: 0, retries: 0, recoveredByQuery: 0, rejected: 0, fills: 0 };

  constructor(
    private readonly api: CcxtTradingApi,
    private readonly options: CcxtExecutionOptions,
    exchangeName = 'ccxt',
  ) {
    this.name = exchangeName;
    // Jitter only spreads retries; it needs no cryptographic quality.
    this.random = options.random ?? Math.random;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  connect(context: ExecutionContext): void {
    this.context = context;
  }

  describe(): string[] {
    return [`Orders go to ${this.name} through ccxt; fills are the exchange's own trades.`];
  }

  private track<T>(promise: Promise<T>): Promise<T> {
    this.pending.add(promise);
    void promise.finally(() => this.pending.delete(promise));
    return promise;
  }

  /** Wait until every request in flight has finished. */
  async settle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  submitOrder(order: Order): void {
    const clientOrderId = clientOrderIdFor(this.options.clientIdPrefix, order.id);
    const tracked: Tracked = { order, clientOrderId, trades: new Set() };
    this.byClientId.set(clientOrderId, tracked);
    this.counts.submitted++;
    void this.track(this.place(tracked));
  }

  /** Create the order; on a transient failure ask the exchange by client id before sending again. */
  private async place(tracked: Tracked): Promise<void> {
    const { order, clientOrderId } = tracked;
    const type = order.type === OrderType.Market ? 'market' : order.type === OrderType.Limit ? 'limit' : order.type === OrderType.Stop ? 'STOP_LOSS' : 'STOP_LOSS_LIMIT';
    const params: Record<string, unknown> = { clientOrderId };
    if (order.stopPrice !== undefined) params.stopPrice = order.stopPrice;
    if (order.type === OrderType.Limit) params.timeInForce = order.timeInForce;
    for (let attempt = 1; ; attempt++) {
      try {
        const placed = await this.api.createOrder(order.symbol, type, order.side.toLowerCase(), order.quantity, order.price, params);
        this.accepted(tracked, placed);
        return;
      } catch (raw) {
        const error = toVenueError(raw);
        if (error.action === VenueErrorAction.InvalidOrder && /duplicate/i.test(error.message)) {
          // Our earlier attempt did reach the exchange: recover it instead of failing.
          if (await this.recover(tracked)) return;
        }
        if (!error.retryable || attempt >= RETRY_POLICIES[error.action].maxAttempts) {
          if (error.retryable && (await this.recover(tracked))) return;
          this.counts.rejected++;
          this.context.events.orderRejected(order, error.action, `${error.venueCode}: ${error.message}`, this.context.clock.now());
          return;
        }
        this.counts.retries++;
        await this.sleep(retryDelay(error, attempt, this.random));
        if (await this.recover(tracked)) return;
      }
    }
  }

  /** Look the order up by client id; true when the exchange has it (and it is now booked). */
  private async recover(tracked: Tracked): Promise<boolean> {
    try {
      const found = await this.api.fetchOrder(undefined, tracked.order.symbol, { origClientOrderId: tracked.clientOrderId });
      this.counts.recoveredByQuery++;
      this.accepted(tracked, found);
      return true;
    } catch (raw) {
      const error = toVenueError(raw);
      if (error.action === VenueErrorAction.NotFound) return false;
      if (error.retryable) return false;
      throw error;
    }
  }

  private accepted(tracked: Tracked, placed: CcxtOrder): void {
    const first = tracked.venueId === undefined;
    tracked.venueId = placed.id;
    if (first && tracked.order.status === 'SUBMITTED') this.context.events.orderAccepted(tracked.order, placed.timestamp ?? this.context.clock.now());
    for (const trade of placed.trades ?? []) this.bookTrade(tracked, trade);
    if (placed.status === 'canceled' && !tracked.order.isTerminal) this.context.events.orderCanceled(tracked.order, this.context.clock.now());
    if (placed.status === 'expired' && !tracked.order.isTerminal) this.context.events.orderExpired(tracked.order, this.context.clock.now());
  }

  /** Book one exchange trade of a tracked order, once. */
  bookTrade(tracked: Tracked, trade: CcxtTrade): void {
    const key = trade.id ?? `${trade.timestamp}:${trade.price}:${trade.amount}`;
    if (tracked.trades.has(key) || tracked.order.isTerminal) return;
    tracked.trades.add(key);
    const instrument = this.context.instrument(tracked.order.symbol);
    const quantity = instrument.roundQuantity(Math.min(trade.amount, tracked.order.remainingQuantity), 'nearest');
    if (!(quantity > 0)) return;
    const price = instrument.roundPrice(trade.price);
    const notional = notionalOf(instrument, price, quantity);
    const decision = tracked.order.decisionPrice;
    const sign = tracked.order.side === OrderSide.Buy ? 1 : -1;
    const fill: Fill = {
      id: `${this.name}-${key}`,
      orderId: tracked.order.id,
      symbol: tracked.order.symbol,
      side: tracked.order.side,
      time: trade.timestamp,
      price,
      quantity,
      notional,
      fee: this.feeInQuote(instrument, trade, price),
      tax: 0n,
      liquidity: trade.takerOrMaker === 'maker' ? Liquidity.Maker : Liquidity.Taker,
      referencePrice: price,
      impactBps: 0,
      slippageBps: decision > 0 ? (sign * (price - decision) * 10_000) / decision : 0,
      reducedForCash: false,
    };
    this.counts.fills++;
    this.context.events.orderFilled(tracked.order, fill);
  }

  /** The trade's fee in the account (quote) currency: base-currency fees are valued at the fill price. */
  private feeInQuote(instrument: Instrument, trade: CcxtTrade, price: number): bigint {
    const cost = trade.fee?.cost ?? 0;
    if (!(cost > 0)) return 0n;
    const currency = trade.fee?.currency;
    return numberToMoney(currency === instrument.base ? cost * price : cost);
  }

  cancelOrder(order: Order): void {
    const tracked = [...this.byClientId.values()].find((t) => t.order === order);
    if (!tracked) return;
    void this.track(this.cancel(tracked));
  }

  private async cancel(tracked: Tracked): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        const params = { origClientOrderId: tracked.clientOrderId };
        await this.api.cancelOrder(tracked.venueId ?? '', tracked.order.symbol, tracked.venueId ? {} : params);
        if (!tracked.order.isTerminal) this.context.events.orderCanceled(tracked.order, this.context.clock.now());
        return;
      } catch (raw) {
        const error = toVenueError(raw);
        if (error.action === VenueErrorAction.NotFound || !error.retryable || attempt >= RETRY_POLICIES[error.action].maxAttempts) {
          // Gone already (filled, or canceled by an earlier attempt whose answer was lost): ask.
          await this.recover(tracked).catch(() => false);
          return;
        }
        await this.sleep(retryDelay(error, attempt, this.random));
      }
    }
  }

  /** Feed an order update from the exchange's stream (watchOrders). */
  onOrderUpdate(update: CcxtOrder): void {
    const tracked = update.clientOrderId ? this.byClientId.get(update.clientOrderId) : [...this.byClientId.values()].find((t) => t.venueId === update.id);
    if (!tracked) return;
    this.accepted(tracked, update);
  }

  /**
   * Compare with the exchange: fills missed while away are booked; orders the exchange has and we do
   * not know, and open orders of ours it no longer has, are reported.
   */
  async reconcile(symbols: readonly string[]): Promise<Discrepancy[]> {
    const found: Discrepancy[] = [];
    const report = (d: Discrepancy): void => {
      found.push(d);
      this.options.onDiscrepancy?.(d);
    };
    for (const symbol of symbols) {
      const open = await this.withRetry(() => this.api.fetchOpenOrders(symbol));
      for (const o of open) {
        const tracked = o.clientOrderId ? this.byClientId.get(o.clientOrderId) : undefined;
        if (!tracked) report({ kind: 'UNKNOWN_ORDER', symbol, detail: `exchange order ${o.id} (${o.clientOrderId ?? 'no client id'}) is not ours` });
      }
      const trades = await this.withRetry(() => this.api.fetchMyTrades(symbol));
      for (const trade of trades) {
        const tracked = [...this.byClientId.values()].find((t) => t.venueId !== undefined && t.venueId === trade.order);
        if (!tracked) continue;
        const before = this.counts.fills;
        this.bookTrade(tracked, trade);
        if (this.counts.fills > before) report({ kind: 'MISSED_FILL', symbol, detail: `trade ${trade.id} of order ${tracked.order.id} booked on reconciliation` });
      }
      for (const tracked of this.byClientId.values()) {
        if (tracked.order.symbol !== symbol || tracked.order.isTerminal || tracked.venueId === undefined) continue;
        if (!open.some((o) => o.id === tracked.venueId)) {
          const state = await this.withRetry(() => this.api.fetchOrder(tracked.venueId, symbol));
          this.accepted(tracked, state);
          if (!tracked.order.isTerminal && state.status !== 'open') report({ kind: 'MISSING_ORDER', symbol, detail: `order ${tracked.order.id} is ${state.status} on the exchange` });
        }
      }
    }
    return found;
  }

  private async withRetry<T>(call: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await call();
      } catch (raw) {
        const error = toVenueError(raw);
        if (!error.retryable || attempt >= RETRY_POLICIES[error.action].maxAttempts) throw error;
        await this.sleep(retryDelay(error, attempt, this.random));
      }
    }
  }
}

export { VenueError };
