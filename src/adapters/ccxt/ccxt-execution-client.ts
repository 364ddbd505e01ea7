// The CCXT venue's ExecutionClient: real orders through ccxt, idempotent client order ids, retries by
// error class, fills from the exchange's own trades, and reconciliation with the exchange.
import { createHash } from 'node:crypto';
import { fillOf, type Instrument, Liquidity, moneyToNumber, notionalOf, numberToMoney, type Order, ORDER_TRANSITIONS, OrderEventKind, OrderStatus, OrderType, RoundingMode } from '../../core/index.ts';
import { type ExecutionClient, type ExecutionContext, RETRY_POLICIES, retryDelay, VenueError, VenueErrorAction } from '../../common/index.ts';
import { toVenueError } from './error-map.ts';
import { isStopOrderType, STOP_NOT_MAPPED, STOP_ORDER_TYPES, stopNotMappedDetail, type StopVenue } from './stop-orders.ts';

/** The part of a ccxt exchange this client uses (REST and, when present, watchOrders). */
export interface CcxtTradingApi {
  createOrder(symbol: string, type: string, side: string, amount: number, price?: number, params?: Record<string, unknown>): Promise<CcxtOrder>;
  /** Resolves to the order as canceled (ccxt parses the venue's answer); some venues answer nothing useful. */
  cancelOrder(id: string, symbol: string, params?: Record<string, unknown>): Promise<CcxtOrder | undefined>;
  fetchOrder(id: string | undefined, symbol: string, params?: Record<string, unknown>): Promise<CcxtOrder>;
  fetchOpenOrders(symbol?: string): Promise<CcxtOrder[]>;
  fetchMyTrades(symbol: string, since?: number, limit?: number, params?: Record<string, unknown>): Promise<CcxtTrade[]>;
  /** The trades of one order (ccxt's fetchOrderTrades); without it, fetchMyTrades with `orderId`. */
  fetchOrderTrades?(id: string, symbol: string): Promise<CcxtTrade[]>;
  fetchBalance(): Promise<{ free: Record<string, number>; total: Record<string, number> }>;
}

/*
 * A ccxt trade as parsed from Binance's GET /api/v3/myTrades entry
 *   {"symbol":"BTCUSDT","id":4,"orderId":1,"price":"51547.26000000","qty":"0.00100000",
 *    "quoteQty":"51.54726000","commission":"0.00000100","commissionAsset":"BTC","time":1613692817220,
 *    "isBuyer":true,"isMaker":false,"isBestMatch":true}
 * The `fills` of a createOrder answer carry no time: `timestamp` is then undefined.
 */
export interface CcxtTrade {
  id: string;
  order?: string;
  symbol: string;
  side: string;
  price: number;
  amount: number;
  timestamp?: number;
  takerOrMaker?: string;
  fee?: { cost?: number; currency?: string };
}

/*
 * A ccxt order as parsed from Binance's order JSON
 *   {"symbol":"BTCUSDT","orderId":1,"clientOrderId":"t1a2b-O-1","price":"0.00000000","origQty":"0.00100000",
 *    "executedQty":"0.00100000","status":"FILLED","type":"MARKET","side":"BUY","time":1613692817220,
 *    "fills":[{"price":"51547.26","qty":"0.001","commission":"0.000001","commissionAsset":"BTC","tradeId":4}]}
 * fetchOrder and watchOrders give `filled` but no trades; createOrder (FULL) gives the fills.
 */
export interface CcxtOrder {
  id: string;
  clientOrderId?: string;
  symbol: string;
  status?: string;
  filled?: number;
  amount?: number;
  trades?: CcxtTrade[];
  timestamp?: number;
  lastTradeTimestamp?: number;
  /** The exchange's own JSON (ccxt keeps it): where a stop's trigger shows (see stop-orders.ts). */
  info?: Record<string, unknown>;
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

/** One asset of the last balance comparison. */
export interface BalanceComparison {
  readonly asset: string;
  /** The exchange's total (free + locked). */
  readonly exchange: number;
  /** What the platform's books imply the exchange should hold. */
  readonly expected: number;
  readonly difference: number;
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
  /** Settles when the placement has an answer, or has given up. */
  placing: Promise<void>;
  placed: boolean;
  /** Every attempt and query failed: the exchange may or may not have it. Reconciliation asks again. */
  unresolved: boolean;
  canceling: boolean;
  /** A fetch of this order's trades in flight. */
  refreshing?: Promise<void>;
}

/** What createOrder is called with for an order. */
interface OrderRequest {
  readonly type: string;
  readonly price: number | undefined;
  readonly params: Record<string, unknown>;
}

/** Page size of fetchMyTrades during reconciliation (Binance's maximum). */
const TRADE_PAGE = 1000;
/** Trades this much (venue time) before the oldest open order are fetched again: clock error margin. */
const TRADE_CURSOR_MARGIN_MS = 5 * 60_000;
/** Quote differences below this are rounding (ledger units are 1e-8; exchanges round fees their own way). */
const QUOTE_TOLERANCE = 0.01;

const ID_PATTERN = /[^.A-Za-z0-9:/_-]/g;
const MAX_CLIENT_ID = 36;

/**
 * Binance allows [.A-Z:/a-z0-9_-]{1,36}: the prefix plus our order id. The order id (the run's
 * sequence) is never cut; a prefix too long for it is replaced by a short hash of itself.
 */
export function clientOrderIdFor(prefix: string, orderId: string): string {
  const id = orderId.replace(ID_PATTERN, '');
  let head = prefix.replace(ID_PATTERN, '');
  if (head.length + 1 + id.length > MAX_CLIENT_ID) head = createHash('sha256').update(prefix).digest('hex').slice(0, Math.max(0, Math.min(10, MAX_CLIENT_ID - 1 - id.length)));
  return (head ? `${head}-${id}` : id).slice(-MAX_CLIENT_ID);
}

function isDuplicate(error: VenueError): boolean {
  return error.venueCode === 'DuplicateOrderId' || (error.action === VenueErrorAction.InvalidOrder && /duplicate/i.test(error.message));
}

type Recovery = 'found' | 'absent' | 'unknown';

export class CcxtExecutionClient implements ExecutionClient {
  readonly name: string;
  private context!: ExecutionContext;
  private readonly byClientId = new Map<string, Tracked>();
  private readonly byVenueId = new Map<string, Tracked>();
  private readonly byOrder = new Map<Order, Tracked>();
  /** Orders not yet terminal (reconciliation looks at these). */
  private readonly active = new Set<Tracked>();
  private readonly unresolved = new Set<Tracked>();
  private readonly random: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  /** How this exchange takes stop orders (undefined: it is not mapped, stops are refused). */
  private readonly stops: StopVenue | undefined;
  /** Requests in flight, so `settle()` can wait for them (tests, shutdown). */
  private readonly pending = new Set<Promise<unknown>>();
  /** Venue time from which reconciliation reads trades, per symbol. */
  private readonly tradeCursor = new Map<string, number>();
  private startTime = 0;
  private readonly reportedUnknown = new Set<string>();
  private readonly reportedDifference = new Map<string, number>();
  /** Exchange balance minus the platform's books at the first comparison (holdings it does not trade). */
  private readonly baseline = new Map<string, number>();
  /** Fees paid in a base asset: the exchange keeps them out of what was bought, the books charge their value in cash. */
  private readonly baseFees = new Map<string, number>();
  private baseFeeValue = 0n;
  private reconciling: Promise<Discrepancy[]> | undefined;
  /** The last balance comparison (empty until reconciliation could compare). */
  lastBalances: BalanceComparison[] = [];
  readonly counts = { submitted: 0, retries: 0, recoveredByQuery: 0, rejected: 0, fills: 0, missedFills: 0, unknownOrders: 0, balanceChecks: 0 };

  /** `exchangeName` is the ccxt exchange id (e.g. 'binance'): it also selects the stop-order mapping. */
  constructor(
    private readonly api: CcxtTradingApi,
    private readonly options: CcxtExecutionOptions,
    exchangeName = 'ccxt',
  ) {
    this.name = exchangeName;
    this.stops = Object.hasOwn(STOP_ORDER_TYPES, exchangeName) ? STOP_ORDER_TYPES[exchangeName] : undefined;
    // Jitter only spreads retries; it needs no cryptographic quality.
    this.random = options.random ?? Math.random;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /**
   * The platform took `quantity` of `asset` into its books (a person adopted a holding found on the
   * exchange): later balance comparisons expect it there instead of treating it as outside money.
   */
  adoptHolding(asset: string, quantity: number): void {
    const known = this.baseline.get(asset);
    if (known !== undefined) this.baseline.set(asset, known - quantity);
  }

  connect(context: ExecutionContext): void {
    this.context = context;
    // Trades before the platform connected belong to orders it never placed.
    this.startTime = Math.floor(context.clock.now() - TRADE_CURSOR_MARGIN_MS);
  }

  describe(): string[] {
    return [`Orders go to ${this.name} through ccxt; fills are the exchange's own trades.`];
  }

  /** Placements nobody could confirm either way (reconciliation settles them). */
  get unresolvedCount(): number {
    return this.unresolved.size;
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

  private log(message: string): void {
    this.options.log?.(message);
  }

  submitOrder(order: Order): void {
    const clientOrderId = clientOrderIdFor(this.options.clientIdPrefix, order.id);
    const tracked: Tracked = { order, clientOrderId, trades: new Set(), placing: Promise.resolve(), placed: false, unresolved: false, canceling: false };
    this.byClientId.set(clientOrderId, tracked);
    this.byOrder.set(order, tracked);
    this.active.add(tracked);
    this.counts.submitted++;
    tracked.placing = this.track(this.place(tracked));
  }

  /**
   * Create the order. After a transient failure, ask the exchange by client id before sending again;
   * the same client id makes a second send a duplicate, never a second order. An order is rejected only
   * when the exchange refused it or confirms it does not have it.
   */
  private async place(tracked: Tracked): Promise<void> {
    const { order, clientOrderId } = tracked;
    const request = this.orderRequest(order, clientOrderId);
    if (request === undefined) {
      // A stop this exchange has no mapping for: refused here, never sent as some other type. Answered
      // asynchronously, as a venue would.
      await Promise.resolve();
      tracked.placed = true;
      this.active.delete(tracked);
      if (order.isTerminal) return;
      this.counts.rejected++;
      const now = this.context.clock.now();
      if (order.status === OrderStatus.PendingCancel) this.context.events.orderCanceled(order, now);
      else this.context.events.orderRejected(order, STOP_NOT_MAPPED, stopNotMappedDetail(this.name, order.type), now);
      return;
    }
    const { type, price, params } = request;
    /** An earlier attempt failed in a way that may have reached the exchange. */
    let ambiguous = false;
    try {
      for (let attempt = 1; ; attempt++) {
        let placed: CcxtOrder | undefined;
        let error: VenueError | undefined;
        try {
          placed = await this.api.createOrder(order.symbol, type, order.side.toLowerCase(), order.quantity, price, params);
        } catch (raw) {
          error = toVenueError(raw);
        }
        if (error === undefined) {
          await this.applyUpdate(tracked, placed!);
          return;
        }
        const outOfAttempts = error.retryable && attempt >= RETRY_POLICIES[error.action].maxAttempts;
        if (isDuplicate(error) || outOfAttempts || (!error.retryable && ambiguous)) {
          // The exchange may hold the order already (a duplicate id says it does): ask before deciding.
          const state = await this.recover(tracked, true);
          if (state === 'found') {
            this.counts.recoveredByQuery++;
            return;
          }
          if (state === 'unknown' || isDuplicate(error)) {
            this.markUnresolved(tracked, error);
            return;
          }
          this.reject(tracked, error);
          return;
        }
        if (!error.retryable) {
          this.reject(tracked, error);
          return;
        }
        ambiguous = true;
        this.counts.retries++;
        await this.sleep(retryDelay(error, attempt, this.random));
        // Sent again only once the exchange says it does not have the order: a lookup that fails too
        // is asked again (by its error class), never taken for "absent". An exchange that accepts a
        // reused client id would otherwise get a second order for one decision.
        const state = await this.recover(tracked, true);
        if (state === 'found') {
          this.counts.recoveredByQuery++;
          return;
        }
        if (state === 'unknown') {
          this.markUnresolved(tracked, error);
          return;
        }
      }
    } finally {
      tracked.placed = true;
    }
  }

  /**
   * The createOrder arguments for an order: market and limit orders by ccxt's unified types, stops by the
   * exchange's entry in STOP_ORDER_TYPES. Undefined for a stop the exchange has no entry for.
   */
  private orderRequest(order: Order, clientOrderId: string): OrderRequest | undefined {
    const params: Record<string, unknown> = { clientOrderId };
    if (order.type === OrderType.Market) return { type: 'market', price: undefined, params };
    if (order.type === OrderType.Limit) return { type: 'limit', price: order.price, params: { ...params, timeInForce: order.timeInForce } };
    if (!isStopOrderType(order.type) || this.stops === undefined) return undefined;
    const mapping = this.stops[order.type];
    params[this.stops.triggerParam] = order.stopPrice;
    if (mapping.limit) params.timeInForce = order.timeInForce;
    return { type: mapping.type, price: mapping.limit ? order.price : undefined, params };
  }

  /**
   * A stop the exchange reports as triggered becomes TRIGGERED (once, before any fill of it), at the
   * exchange's trigger time when it gives one. `fillTime`: the report is a trade of the order at that time,
   * which only a triggered stop can have.
   */
  private noteTrigger(tracked: Tracked, update: CcxtOrder | undefined, fillTime?: number): void {
    const order = tracked.order;
    if (order.triggered || !isStopOrderType(order.type)) return;
    if (ORDER_TRANSITIONS[order.status][OrderEventKind.Triggered] === undefined) return;
    let time: number | undefined;
    if (fillTime !== undefined) {
      time = fillTime;
    } else {
      const triggered = update === undefined ? undefined : this.stops?.triggered(update);
      if (triggered === undefined) return;
      time = triggered.time;
    }
    this.context.events.orderTriggered(order, time ?? this.context.clock.now());
  }

  private markUnresolved(tracked: Tracked, error: VenueError): void {
    tracked.unresolved = true;
    this.unresolved.add(tracked);
    this.log(`order ${tracked.order.id} (${tracked.clientOrderId}): outcome unknown after ${error.venueCode}: ${error.message}; reconciliation will ask again`);
  }

  private reject(tracked: Tracked, error: VenueError): void {
    const order = tracked.order;
    if (order.isTerminal) return;
    this.counts.rejected++;
    const now = this.context.clock.now();
    // A cancel asked while the order was on its way: it never existed there, so it is simply canceled.
    if (order.status === OrderStatus.PendingCancel) this.context.events.orderCanceled(order, now);
    else this.context.events.orderRejected(order, error.action, `${error.venueCode}: ${error.message}`, now);
  }

  /** Look the order up by client id. `persist` retries the query by its error class. */
  private async recover(tracked: Tracked, persist: boolean): Promise<Recovery> {
    const query = (): Promise<CcxtOrder> => this.api.fetchOrder(undefined, tracked.order.symbol, { origClientOrderId: tracked.clientOrderId });
    let found: CcxtOrder;
    try {
      found = persist ? await this.withRetry(query) : await query();
    } catch (raw) {
      const error = toVenueError(raw);
      if (error.action === VenueErrorAction.NotFound) return 'absent';
      if (!error.retryable) this.log(`order ${tracked.order.id}: lookup by client id failed: ${error.venueCode}: ${error.message}`);
      return 'unknown';
    }
    await this.applyUpdate(tracked, found);
    return 'found';
  }

  /** The exchange's id for the order: once known, the placement is no longer in doubt. */
  private link(tracked: Tracked, venueId: string | undefined): void {
    if (venueId === undefined || venueId === '' || tracked.venueId !== undefined) return;
    tracked.venueId = venueId;
    this.byVenueId.set(venueId, tracked);
    tracked.unresolved = false;
    this.unresolved.delete(tracked);
  }

  private lookup(update: CcxtOrder): Tracked | undefined {
    return (update.clientOrderId ? this.byClientId.get(update.clientOrderId) : undefined) ?? (update.id ? this.byVenueId.get(update.id) : undefined);
  }

  /** Whether the exchange reports more filled than the platform has booked. */
  private hasUnbookedFill(tracked: Tracked, update: CcxtOrder): boolean {
    if (update.filled === undefined || !(update.filled > 0)) return false;
    const instrument = this.context.instrument(tracked.order.symbol);
    return instrument.quantityUnits(update.filled) > instrument.quantityUnits(tracked.order.filledQuantity);
  }

  /**
   * Bring the order up to what the exchange says: accepted, its trades booked, then its final status.
   * A terminal status is applied only once every fill it reports is booked (fetching the order's trades
   * when the answer has none), since nothing can be booked on a terminal order.
   */
  private async applyUpdate(tracked: Tracked, update: CcxtOrder): Promise<void> {
    const order = tracked.order;
    this.link(tracked, update.id);
    if (order.isTerminal) return;
    const now = this.context.clock.now();
    // Binance answers a new stop with workingTime -1, which ccxt takes as the order's timestamp.
    const placedAt = update.timestamp !== undefined && update.timestamp > 0 ? update.timestamp : now;
    if (order.status === OrderStatus.Submitted && update.status !== 'rejected') this.context.events.orderAccepted(order, placedAt);
    this.noteTrigger(tracked, update);
    for (const trade of update.trades ?? []) this.bookTrade(tracked, trade, update.lastTradeTimestamp ?? update.timestamp);
    if (this.hasUnbookedFill(tracked, update)) {
      await this.refreshTrades(tracked);
      // Trades not available now: reconciliation books them before the order may end.
      if (this.hasUnbookedFill(tracked, update)) return;
    }
    if (order.isTerminal) return;
    const time = this.context.clock.now();
    if (update.status === 'canceled') this.context.events.orderCanceled(order, time);
    else if (update.status === 'expired') this.context.events.orderExpired(order, time);
    else if (update.status === 'rejected') this.reject(tracked, new VenueError(VenueErrorAction.InvalidOrder, 'the exchange rejected the order', 'rejected'));
  }

  /** Fetch and book the trades of one order (one fetch at a time per order). */
  private refreshTrades(tracked: Tracked): Promise<void> {
    const venueId = tracked.venueId;
    if (venueId === undefined) return Promise.resolve();
    tracked.refreshing ??= (async () => {
      const symbol = tracked.order.symbol;
      try {
        const trades = await this.withRetry(() =>
          this.api.fetchOrderTrades ? this.api.fetchOrderTrades(venueId, symbol) : this.api.fetchMyTrades(symbol, undefined, undefined, { orderId: venueId }),
        );
        for (const trade of trades) if (trade.order === undefined || trade.order === venueId) this.bookTrade(tracked, trade);
      } catch (raw) {
        const error = toVenueError(raw);
        this.log(`order ${tracked.order.id}: trades not available now (${error.venueCode}: ${error.message}); reconciliation will book them`);
      } finally {
        tracked.refreshing = undefined;
      }
    })();
    return tracked.refreshing;
  }

  /** Book one exchange trade of a tracked order, once. Returns whether it was booked now. */
  private bookTrade(tracked: Tracked, trade: CcxtTrade, fallbackTime?: number): boolean {
    const key = trade.id ?? `${trade.timestamp}:${trade.price}:${trade.amount}`;
    if (tracked.trades.has(key) || tracked.order.isTerminal) return false;
    tracked.trades.add(key);
    const instrument = this.context.instrument(tracked.order.symbol);
    const quantity = instrument.roundQuantity(Math.min(trade.amount, tracked.order.remainingQuantity), RoundingMode.Nearest);
    if (!(quantity > 0)) return false;
    const time = trade.timestamp ?? fallbackTime ?? this.context.clock.now();
    // A stop that trades has triggered, whether or not a report said so first.
    this.noteTrigger(tracked, undefined, time);
    const price = instrument.roundPrice(trade.price);
    const notional = notionalOf(instrument, price, quantity);
    const fee = this.feeInQuote(instrument, trade, price);
    const fill = fillOf(tracked.order, {
      id: `${this.name}-${key}`,
      // The fills of a createOrder answer have no time of their own: the order's, else now.
      time,
      price,
      quantity,
      notional,
      fee,
      tax: 0n,
      liquidity: trade.takerOrMaker === 'maker' ? Liquidity.Maker : Liquidity.Taker,
      referencePrice: price,
    });
    if (trade.fee?.currency === instrument.base && (trade.fee.cost ?? 0) > 0) {
      this.baseFees.set(instrument.base, (this.baseFees.get(instrument.base) ?? 0) + trade.fee.cost!);
      this.baseFeeValue += fee;
    }
    this.counts.fills++;
    this.context.events.orderFilled(tracked.order, fill);
    if (tracked.order.isTerminal) this.active.delete(tracked);
    return true;
  }

  /** The trade's fee in the account (quote) currency: base-currency fees are valued at the fill price. */
  private feeInQuote(instrument: Instrument, trade: CcxtTrade, price: number): bigint {
    const cost = trade.fee?.cost ?? 0;
    if (!(cost > 0)) return 0n;
    const currency = trade.fee?.currency;
    return numberToMoney(currency === instrument.base ? cost * price : cost);
  }

  cancelOrder(order: Order): void {
    const tracked = this.byOrder.get(order);
    if (!tracked) return;
    void this.track(this.cancel(tracked));
  }

  /** Cancel once the placement has its answer; whatever goes wrong, ask the exchange what the order is now. */
  private async cancel(tracked: Tracked): Promise<void> {
    if (tracked.canceling) return;
    tracked.canceling = true;
    try {
      await tracked.placing;
      const order = tracked.order;
      for (let attempt = 1; !order.isTerminal; attempt++) {
        try {
          const params = tracked.venueId ? {} : { origClientOrderId: tracked.clientOrderId };
          const answer = await this.api.cancelOrder(tracked.venueId ?? '', order.symbol, params);
          // The answer says how much filled before the cancel: those trades are booked first.
          const status = answer?.status && answer.status !== 'open' ? answer.status : 'canceled';
          await this.applyUpdate(tracked, { ...(answer ?? { symbol: order.symbol }), id: answer?.id ?? tracked.venueId ?? '', status });
          return;
        } catch (raw) {
          const error = toVenueError(raw);
          if (error.retryable && attempt < RETRY_POLICIES[error.action].maxAttempts) {
            this.counts.retries++;
            await this.sleep(retryDelay(error, attempt, this.random));
            continue;
          }
          // Gone already (filled, or canceled by an earlier attempt whose answer was lost), refused,
          // or out of attempts: ask what the order is now.
          const state = await this.recover(tracked, true);
          if (state === 'absent' && tracked.venueId === undefined && !order.isTerminal) {
            // Never reached the exchange (its placement was unresolved): nothing to cancel there.
            tracked.unresolved = false;
            this.unresolved.delete(tracked);
            this.context.events.orderCanceled(order, this.context.clock.now());
          } else if (state !== 'found') {
            this.log(`cancel of ${order.id}: ${error.venueCode}: ${error.message}; the order's state is unknown until reconciliation`);
          }
          return;
        }
      }
    } finally {
      tracked.canceling = false;
      if (tracked.order.isTerminal) this.active.delete(tracked);
    }
  }

  /** Feed an order update from the exchange's stream (watchOrders); applied after the placement's own answer. */
  onOrderUpdate(update: CcxtOrder): void {
    const tracked = this.lookup(update);
    if (!tracked) return;
    void this.track(
      tracked.placing.then(async () => {
        await this.applyUpdate(tracked, update);
        if (tracked.order.isTerminal) this.active.delete(tracked);
      }),
    );
  }

  /**
   * Compare with the exchange: unresolved placements are settled, fills missed while away are booked,
   * orders the exchange has and the platform does not know are reported, open orders of ours the
   * exchange has closed are brought up to date, and balances are compared with the books. One pass at
   * a time; a call during a pass gets that pass's result.
   */
  reconcile(symbols: readonly string[]): Promise<Discrepancy[]> {
    this.reconciling ??= this.reconcileOnce(symbols).finally(() => {
      this.reconciling = undefined;
    });
    return this.reconciling;
  }

  private async reconcileOnce(symbols: readonly string[]): Promise<Discrepancy[]> {
    const found: Discrepancy[] = [];
    const report = (d: Discrepancy): void => {
      found.push(d);
      this.options.onDiscrepancy?.(d);
    };
    for (const tracked of [...this.unresolved]) {
      if (!tracked.placed) continue;
      const state = await this.recover(tracked, true);
      if (state === 'found') this.counts.recoveredByQuery++;
      if (state === 'absent') {
        tracked.unresolved = false;
        this.unresolved.delete(tracked);
        this.reject(tracked, new VenueError(VenueErrorAction.NotFound, 'the exchange has no order with this client id: it never arrived', 'OrderNotFound'));
      }
    }
    for (const symbol of symbols) await this.reconcileSymbol(symbol, report);
    await this.compareBalances(symbols, report);
    return found;
  }

  private reportUnknown(symbol: string, exchangeOrder: CcxtOrder, report: (d: Discrepancy) => void, why = 'is not the platform\'s'): void {
    if (this.reportedUnknown.has(exchangeOrder.id)) return;
    this.reportedUnknown.add(exchangeOrder.id);
    this.counts.unknownOrders++;
    report({ kind: 'UNKNOWN_ORDER', symbol, detail: `exchange order ${exchangeOrder.id} (client id ${exchangeOrder.clientOrderId || 'none'}, ${exchangeOrder.status ?? 'status unknown'}) ${why}` });
  }

  private async reconcileSymbol(symbol: string, report: (d: Discrepancy) => void): Promise<void> {
    const open = await this.withRetry(() => this.api.fetchOpenOrders(symbol));
    const openIds = new Set<string>();
    for (const exchangeOrder of open) {
      openIds.add(exchangeOrder.id);
      const tracked = this.lookup(exchangeOrder);
      if (!tracked) {
        this.reportUnknown(symbol, exchangeOrder, report);
        continue;
      }
      if (tracked.order.isTerminal) {
        // The list may predate a cancel or fill that just happened: ask about this one order again.
        const now = await this.withRetry(() => this.api.fetchOrder(exchangeOrder.id, symbol)).catch(() => undefined);
        if (now?.status === 'open') this.reportUnknown(symbol, exchangeOrder, report, `is open there but ${tracked.order.status} here`);
        continue;
      }
      // Placements whose answer never came are linked; a resting stop's trigger may show only here.
      const awaitingTrigger = isStopOrderType(tracked.order.type) && !tracked.order.triggered;
      if (tracked.placed && (tracked.venueId === undefined || awaitingTrigger)) await this.applyUpdate(tracked, exchangeOrder);
      // A cancel that did not go through is sent again.
      if (tracked.order.status === OrderStatus.PendingCancel && tracked.placed && !tracked.canceling) void this.track(this.cancel(tracked));
    }

    await this.syncTrades(symbol, report);

    // Open orders of ours the exchange no longer lists: what are they now?
    for (const tracked of [...this.active]) {
      if (tracked.order.isTerminal) {
        this.active.delete(tracked);
        continue;
      }
      if (tracked.order.symbol !== symbol || !tracked.placed || tracked.venueId === undefined || openIds.has(tracked.venueId)) continue;
      const before = this.counts.fills;
      let state: CcxtOrder;
      try {
        state = await this.withRetry(() => this.api.fetchOrder(tracked.venueId, symbol));
      } catch {
        continue;
      }
      await this.applyUpdate(tracked, state);
      if (this.counts.fills > before) {
        this.counts.missedFills += this.counts.fills - before;
        report({ kind: 'MISSED_FILL', symbol, detail: `${this.counts.fills - before} trade(s) of order ${tracked.order.id} booked on reconciliation` });
      }
      if (!tracked.order.isTerminal && state.status !== 'open') report({ kind: 'MISSING_ORDER', symbol, detail: `order ${tracked.order.id} is ${state.status} on the exchange` });
      if (tracked.order.isTerminal) this.active.delete(tracked);
    }
  }

  /** Book the account's trades since the symbol's cursor that the books miss, page by page; move the cursor. */
  private async syncTrades(symbol: string, report: (d: Discrepancy) => void): Promise<void> {
    const from = this.tradeCursor.get(symbol) ?? this.startTime;
    let since = from;
    let newest = from;
    let oldestUnhandled = Infinity;
    const seen = new Set<string>();
    const unknownOrders = new Set<string>();
    for (;;) {
      const page = await this.withRetry(() => this.api.fetchMyTrades(symbol, since, TRADE_PAGE));
      let fresh = 0;
      for (const trade of page) {
        const key = trade.id ?? `${trade.order}:${trade.timestamp}:${trade.price}:${trade.amount}`;
        if (seen.has(key)) continue;
        seen.add(key);
        fresh++;
        const time = trade.timestamp ?? newest;
        newest = Math.max(newest, time);
        const tracked = trade.order !== undefined ? this.byVenueId.get(trade.order) : undefined;
        if (!tracked) {
          if (trade.order !== undefined && !this.reportedUnknown.has(trade.order)) {
            unknownOrders.add(trade.order);
            oldestUnhandled = Math.min(oldestUnhandled, time);
          }
          continue;
        }
        // A placement still in flight books its own answer's fills.
        if (!tracked.placed) {
          oldestUnhandled = Math.min(oldestUnhandled, time);
          continue;
        }
        if (this.bookTrade(tracked, trade)) {
          this.counts.missedFills++;
          report({ kind: 'MISSED_FILL', symbol, detail: `trade ${trade.id} of order ${tracked.order.id} (${trade.amount} at ${trade.price}) booked on reconciliation` });
        }
      }
      if (page.length < TRADE_PAGE || fresh === 0) break;
      since = page[page.length - 1]!.timestamp ?? since;
    }

    // Orders seen only through their trades: ours whose answer never came, or not ours.
    for (const venueId of unknownOrders) {
      let state: CcxtOrder;
      try {
        state = await this.withRetry(() => this.api.fetchOrder(venueId, symbol));
      } catch {
        continue;
      }
      const tracked = this.lookup(state);
      if (!tracked) {
        this.reportUnknown(symbol, state, report);
        continue;
      }
      const before = this.counts.fills;
      if (tracked.unresolved) this.counts.recoveredByQuery++;
      await this.applyUpdate(tracked, state);
      if (this.counts.fills > before) {
        this.counts.missedFills += this.counts.fills - before;
        report({ kind: 'MISSED_FILL', symbol, detail: `${this.counts.fills - before} trade(s) of order ${tracked.order.id} booked on reconciliation` });
      }
    }

    let oldestActive = Infinity;
    for (const tracked of this.active) {
      if (tracked.order.symbol === symbol && !tracked.order.isTerminal) oldestActive = Math.min(oldestActive, tracked.order.createdAt);
    }
    // Next time, start from the newest trade, but never after anything still to be learned.
    const cursor = Math.min(newest, oldestActive - TRADE_CURSOR_MARGIN_MS, oldestUnhandled);
    // Whole milliseconds: a live clock's time is fractional, exchanges want integers.
    this.tradeCursor.set(symbol, Math.floor(Math.max(from, cursor)));
  }

  /**
   * Exchange totals against the books. The first comparison takes what the exchange holds beyond the
   * books as the baseline (reporting traded assets the platform does not hold); later ones report any
   * change of that difference. Skipped while requests are in flight, since their fills are not booked yet.
   */
  private async compareBalances(symbols: readonly string[], report: (d: Discrepancy) => void): Promise<void> {
    if (this.pending.size > 0 || this.unresolved.size > 0 || symbols.length === 0) return;
    let differences = await this.balanceDifferences(symbols);
    if (differences === undefined) return;
    if (differences.some((d) => d.report !== undefined)) {
      // A resting order may have filled between the trade sync and the balance: sync and look again.
      for (const symbol of symbols) await this.syncTrades(symbol, report);
      differences = await this.balanceDifferences(symbols);
      if (differences === undefined) return;
    }
    this.counts.balanceChecks++;
    this.lastBalances = differences.map((d) => d.comparison);
    for (const d of differences) {
      if (d.first) this.baseline.set(d.comparison.asset, d.baseline);
      if (d.first && d.report === undefined) continue;
      if (d.report === undefined) {
        this.reportedDifference.delete(d.comparison.asset);
        continue;
      }
      if (this.reportedDifference.get(d.comparison.asset) === d.report.difference) continue;
      this.reportedDifference.set(d.comparison.asset, d.report.difference!);
      report(d.report);
    }
  }

  /**
   * Each asset's exchange total against the books (undefined when requests went out meanwhile). The
   * first time an asset is seen its difference becomes the baseline; a traded asset with one is reported.
   */
  private async balanceDifferences(symbols: readonly string[]): Promise<Array<{ comparison: BalanceComparison; first: boolean; baseline: number; report?: Discrepancy }> | undefined> {
    const balance = await this.withRetry(() => this.api.fetchBalance());
    if (this.pending.size > 0) return undefined;
    const instruments = symbols.map((symbol) => this.context.instrument(symbol));
    const now = this.context.clock.now();
    const rows: Array<{ asset: string; symbol: string; books: number; tolerance: number; quote: boolean }> = [];
    const quote = instruments[0]!.quote;
    rows.push({ asset: quote, symbol: symbols.join(','), books: moneyToNumber(this.context.account.cash()) + moneyToNumber(this.baseFeeValue), tolerance: QUOTE_TOLERANCE, quote: true });
    for (const instrument of instruments) {
      if (rows.some((r) => r.asset === instrument.base)) continue;
      const held = instrument.quantityFromUnits(this.context.account.sellableUnits(instrument.symbol, now));
      rows.push({ asset: instrument.base, symbol: instrument.symbol, books: held - (this.baseFees.get(instrument.base) ?? 0), tolerance: Number(instrument.lotSize) / 2, quote: false });
    }
    const out: Array<{ comparison: BalanceComparison; first: boolean; baseline: number; report?: Discrepancy }> = [];
    for (const row of rows) {
      const exchange = balance.total?.[row.asset] ?? 0;
      const known = this.baseline.get(row.asset);
      const first = known === undefined;
      // What the exchange holds beyond the books the first time: the holdings the session does not trade.
      const baseline = known ?? exchange - row.books;
      const expected = row.books + baseline;
      const difference = first ? baseline : exchange - expected;
      const comparison = { asset: row.asset, exchange, expected, difference: first ? 0 : difference };
      // Cash beyond the session's capital is normal; a traded asset the books do not hold is not.
      const quiet = (row.quote && first) || Math.abs(difference) <= row.tolerance;
      const report: Discrepancy | undefined = quiet
        ? undefined
        : {
            kind: row.quote ? 'BALANCE' : 'UNKNOWN_POSITION',
            symbol: row.symbol,
            asset: row.asset,
            difference,
            detail: first
              ? `the exchange holds ${exchange} ${row.asset} the platform did not book (taken as the starting balance; trading ${row.symbol} waits for a person to decide)`
              : `the exchange holds ${exchange} ${row.asset}, the books imply ${expected}: ${difference > 0 ? '+' : ''}${difference}`,
          };
      out.push({ comparison, first, baseline, ...(report ? { report } : {}) });
    }
    return out;
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
