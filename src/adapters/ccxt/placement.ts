// Orders to the exchange: idempotent placement under one client order id, cancels, and lookups by client
// id when an answer was lost, each retried by the class of its failures.
import { type Order, OrderStatus } from '../../core/index.ts';
import { type VenueError, VenueErrorAction, withRetry } from '../../common/index.ts';
import type { CcxtOrder } from './ccxt-api.ts';
import type { ClientState, OrderRequest, TrackedOrder } from './client-state.ts';
import { toVenueError } from './error-map.ts';
import type { StreamMapper } from './stream-mapping.ts';
import { clientOrderIdFor, isStopOrderType, STOP_NOT_MAPPED, stopNotMappedDetail } from './venues.ts';

/** What a lookup by client id learned: the order, that the exchange does not have it, or nothing. */
type Lookup = CcxtOrder | 'absent' | 'unknown';

/** A cancel not sent: the order ended while the cancel waited to be retried. */
const NOT_SENT = Symbol('not sent');

export class Placement {
  constructor(
    private readonly state: ClientState,
    private readonly mapper: StreamMapper,
  ) {}

  submit(order: Order): void {
    const tracked = this.state.orders.add(order, clientOrderIdFor(this.state.options.clientIdPrefix, order.id, this.state.venue.clientId));
    this.state.counts.submitted++;
    tracked.placing = this.state.track(this.place(tracked));
  }

  cancel(order: Order): void {
    const tracked = this.state.orders.of(order);
    if (tracked) this.requestCancel(tracked);
  }

  /** Cancel once the placement has its answer (again, when reconciliation finds a cancel did not go through). */
  requestCancel(tracked: TrackedOrder): void {
    void this.state.track(this.cancelTracked(tracked));
  }

  /** Look the order up by client id (retried by the error class) and book what is found. */
  async recover(tracked: TrackedOrder): Promise<'found' | 'absent' | 'unknown'> {
    const found = await this.lookup(tracked);
    if (found === 'absent' || found === 'unknown') return found;
    await this.mapper.applyUpdate(tracked, found);
    return 'found';
  }

  /**
   * Create the order. After a transient failure, ask the exchange by client id before sending again;
   * the same client id makes a second send a duplicate, never a second order. An order is rejected only
   * when the exchange refused it or confirms it does not have it.
   */
  private async place(tracked: TrackedOrder): Promise<void> {
    const request = this.orderRequest(tracked.order, tracked.clientOrderId);
    if (request === undefined) return this.refuseUnmapped(tracked);
    tracked.request = request;
    try {
      let answer: CcxtOrder | 'unknown';
      try {
        answer = await withRetry(this.send, tracked, this.state.orderRetry);
      } catch (raw) {
        await this.placementFailed(tracked, toVenueError(raw));
        return;
      }
      if (answer === 'unknown') {
        this.markUnresolved(tracked, tracked.lastError!);
        return;
      }
      await this.mapper.applyUpdate(tracked, answer);
      if (tracked.recovered) this.state.counts.recoveredByQuery++;
    } finally {
      tracked.placed = true;
    }
  }

  /**
   * One attempt. A retry is sent only once the exchange says it does not have the order: a lookup that
   * fails too is asked again (by its error class), never taken for "absent". An exchange that accepts a
   * reused client id would otherwise get a second order for one decision.
   */
  private readonly send = async (tracked: TrackedOrder, attempt: number): Promise<CcxtOrder | 'unknown'> => {
    if (attempt > 1) {
      const found = await this.lookup(tracked);
      if (found === 'unknown') return found;
      if (found !== 'absent') {
        tracked.recovered = true;
        return found;
      }
    }
    tracked.attempts = attempt;
    const { order } = tracked;
    const { type, price, params } = tracked.request!;
    return this.state.api.createOrder(order.symbol, type, order.side.toLowerCase(), order.quantity, price, params);
  };

  /**
   * Out of attempts, or refused. The exchange may hold the order already (a duplicate id says it does; an
   * earlier attempt may have arrived): ask before deciding. A plain refusal of the first attempt is final.
   */
  private async placementFailed(tracked: TrackedOrder, error: VenueError): Promise<void> {
    const duplicate = this.state.venue.isDuplicateClientId(error);
    if (!duplicate && !error.retryable && tracked.attempts <= 1) {
      this.mapper.reject(tracked, error);
      return;
    }
    const state = await this.recover(tracked);
    if (state === 'found') this.state.counts.recoveredByQuery++;
    else if (state === 'unknown' || duplicate) this.markUnresolved(tracked, error);
    else this.mapper.reject(tracked, error);
  }

  /** A stop this exchange has no mapping for: refused here, never sent as some other type. */
  private async refuseUnmapped(tracked: TrackedOrder): Promise<void> {
    const { order } = tracked;
    // Answered asynchronously, as a venue would.
    await Promise.resolve();
    tracked.placed = true;
    this.state.orders.active.delete(tracked);
    if (order.isTerminal) return;
    this.state.counts.rejected++;
    const { events, clock } = this.state.context;
    const now = clock.now();
    if (order.status === OrderStatus.PendingCancel) events.orderCanceled(order, now);
    else events.orderRejected(order, STOP_NOT_MAPPED, stopNotMappedDetail(this.state.name, order.type), now);
  }

  /** The createOrder arguments for an order, by the venue's row. Undefined for a type the row lacks. */
  private orderRequest(order: Order, clientOrderId: string): OrderRequest | undefined {
    const { venue } = this.state;
    const mapping = venue.orderTypes[order.type];
    if (mapping === undefined) return undefined;
    const params: Record<string, unknown> = { [venue.clientIdParam]: clientOrderId };
    if (isStopOrderType(order.type)) params[venue.stopTrigger!.param] = order.stopPrice;
    if (mapping.limit) params.timeInForce = order.timeInForce;
    return { type: mapping.type, price: mapping.limit ? order.price : undefined, params };
  }

  private markUnresolved(tracked: TrackedOrder, error: VenueError): void {
    this.state.orders.markUnresolved(tracked);
    this.state.log(`order ${tracked.order.id} (${tracked.clientOrderId}): outcome unknown after ${error.venueCode}: ${error.message}; reconciliation will ask again`);
  }

  private async lookup(tracked: TrackedOrder): Promise<Lookup> {
    try {
      return await withRetry(this.fetchByClientId, tracked, this.state.retry);
    } catch (raw) {
      const error = toVenueError(raw);
      if (error.action === VenueErrorAction.NotFound) return 'absent';
      if (!error.retryable) this.state.log(`order ${tracked.order.id}: lookup by client id failed: ${error.venueCode}: ${error.message}`);
      return 'unknown';
    }
  }

  private readonly fetchByClientId = (tracked: TrackedOrder): Promise<CcxtOrder> =>
    this.state.api.fetchOrder(undefined, tracked.order.symbol, { [this.state.venue.clientIdLookupParam]: tracked.clientOrderId });

  /*
   * The cancel's answer, Binance's DELETE /api/v3/order
   *   {"symbol":"BTCUSDT","origClientOrderId":"t1a2b-O-7","orderId":12,"price":"49000.00000000",
   *    "origQty":"0.01000000","executedQty":"0.00400000","status":"CANCELED","type":"LIMIT","side":"BUY"}
   * is an order report (ccxt: status "canceled", filled 0.004); an answer that is missing or still "open"
   * counts as canceled. Whatever goes wrong, the exchange is asked what the order is now.
   */
  private async cancelTracked(tracked: TrackedOrder): Promise<void> {
    if (tracked.canceling) return;
    tracked.canceling = true;
    try {
      await tracked.placing;
      let answer: CcxtOrder | undefined | typeof NOT_SENT;
      try {
        answer = await withRetry(this.sendCancel, tracked, this.state.orderRetry);
      } catch (raw) {
        await this.cancelFailed(tracked, toVenueError(raw));
        return;
      }
      if (answer === NOT_SENT) return;
      const { order } = tracked;
      // The answer says how much filled before the cancel: those trades are booked first.
      const status = answer?.status && answer.status !== 'open' ? answer.status : 'canceled';
      await this.mapper.applyUpdate(tracked, { ...(answer ?? { symbol: order.symbol }), id: answer?.id ?? tracked.venueId ?? '', status });
    } finally {
      tracked.canceling = false;
      this.state.orders.retire(tracked);
    }
  }

  private readonly sendCancel = (tracked: TrackedOrder): Promise<CcxtOrder | undefined | typeof NOT_SENT> => {
    const { order, venueId } = tracked;
    if (order.isTerminal) return Promise.resolve(NOT_SENT);
    const params = venueId ? {} : { [this.state.venue.clientIdLookupParam]: tracked.clientOrderId };
    return this.state.api.cancelOrder(venueId ?? '', order.symbol, params);
  };

  /**
   * Gone already (filled, or canceled by an earlier attempt whose answer was lost), refused, or out of
   * attempts: what is the order now?
   */
  private async cancelFailed(tracked: TrackedOrder, error: VenueError): Promise<void> {
    const { order } = tracked;
    const state = await this.recover(tracked);
    if (state === 'absent' && tracked.venueId === undefined && !order.isTerminal) {
      // Never reached the exchange (its placement was unresolved): nothing to cancel there.
      this.state.orders.resolve(tracked);
      this.state.context.events.orderCanceled(order, this.state.context.clock.now());
    } else if (state !== 'found') {
      this.state.log(`cancel of ${order.id}: ${error.venueCode}: ${error.message}; the order's state is unknown until reconciliation`);
    }
  }
}
