// What the exchange reports about our orders, mapped into order events and fills: its order stream
// (watchOrders), and the same order and trade shapes in createOrder answers, lookups and trade lists.
import { fillOf, Liquidity, notionalOf, numberToMoney, ORDER_TRANSITIONS, OrderEventKind, OrderStatus, RoundingMode } from '../../core/index.ts';
import { VenueError, VenueErrorAction, withRetry } from '../../common/index.ts';
import type { CcxtOrder, CcxtTrade } from './ccxt-api.ts';
import type { ClientState, TrackedOrder } from './client-state.ts';
import { toVenueError } from './error-map.ts';
import { isStopOrderType } from './venues.ts';

export class StreamMapper {
  constructor(private readonly state: ClientState) {}

  /*
   * An order update from the stream: Binance's user data executionReport
   *   {"e":"executionReport","E":1613995200123,"s":"BTCUSDT","c":"t1a2b-O-7","S":"BUY","o":"LIMIT","f":"GTC",
   *    "q":"0.01000000","p":"49000.00000000","P":"0.00000000","x":"TRADE","X":"PARTIALLY_FILLED","i":12,
   *    "l":"0.00400000","z":"0.00400000","L":"49000.00000000","n":"0.00000400","N":"BTC","T":1613995200120,
   *    "t":57,"w":true,"m":true,"O":1613995100000,"W":1613995100000}
   * which ccxt.pro's watchOrders parses to {id:"12", clientOrderId:"t1a2b-O-7", status:"open", filled:0.004,
   * amount:0.01, timestamp:1613995100000, info:<the JSON>}: how much is filled, not the trades.
   * Applied after the placement's own answer.
   */
  onOrderUpdate(update: CcxtOrder): void {
    const tracked = this.state.orders.find(update);
    if (!tracked) return;
    void this.state.track(
      tracked.placing.then(async () => {
        await this.applyUpdate(tracked, update);
        this.state.orders.retire(tracked);
      }),
    );
  }

  /*
   * An order report: a stream update (above), a lookup (fetchOrder, the open-orders list: the same without
   * trades), a cancel's answer, or the createOrder answer, Binance's FULL response
   *   {"symbol":"BTCUSDT","orderId":1,"clientOrderId":"t1a2b-O-1","transactTime":1613692817220,
   *    "price":"0.00000000","origQty":"0.00100000","executedQty":"0.00100000","status":"FILLED","type":"MARKET",
   *    "side":"BUY","workingTime":1613692817220,
   *    "fills":[{"price":"51547.26","qty":"0.001","commission":"0.000001","commissionAsset":"BTC","tradeId":4}]}
   * parsed to {id:"1", clientOrderId:"t1a2b-O-1", status:"closed", filled:0.001, amount:0.001,
   * timestamp:1613692817220, trades:[{id:"4", price:51547.26, amount:0.001, fee:{cost:0.000001, currency:"BTC"}}]}.
   *
   * Brings the order up to what the exchange says: accepted, its trades booked, then its final status.
   * A terminal status is applied only once every fill it reports is booked (fetching the order's trades
   * when the answer has none), since nothing can be booked on a terminal order.
   */
  async applyUpdate(tracked: TrackedOrder, update: CcxtOrder): Promise<void> {
    const { context } = this.state;
    const order = tracked.order;
    this.state.orders.link(tracked, update.id);
    if (order.isTerminal) return;
    const now = context.clock.now();
    // Binance answers a new stop with workingTime -1, which ccxt takes as the order's timestamp.
    const placedAt = update.timestamp !== undefined && update.timestamp > 0 ? update.timestamp : now;
    if (order.status === OrderStatus.Submitted && update.status !== 'rejected') context.events.orderAccepted(order, placedAt);
    this.noteTrigger(tracked, update);
    for (const trade of update.trades ?? []) this.bookTrade(tracked, trade, update.lastTradeTimestamp ?? update.timestamp);
    if (this.hasUnbookedFill(tracked, update)) {
      await this.refreshTrades(tracked);
      // Trades not available now: reconciliation books them before the order may end.
      if (this.hasUnbookedFill(tracked, update)) return;
    }
    if (order.isTerminal) return;
    const time = context.clock.now();
    if (update.status === 'canceled') context.events.orderCanceled(order, time);
    else if (update.status === 'expired') context.events.orderExpired(order, time);
    else if (update.status === 'rejected') this.reject(tracked, new VenueError(VenueErrorAction.InvalidOrder, 'the exchange rejected the order', 'rejected'));
  }

  /*
   * A trade of ours: Binance's GET /api/v3/myTrades entry
   *   {"symbol":"BTCUSDT","id":4,"orderId":1,"price":"51547.26000000","qty":"0.00100000",
   *    "quoteQty":"51.54726000","commission":"0.00000100","commissionAsset":"BTC","time":1613692817220,
   *    "isBuyer":true,"isMaker":false,"isBestMatch":true}
   * parsed to {id:"4", order:"1", price:51547.26, amount:0.001, timestamp:1613692817220, takerOrMaker:"taker",
   * fee:{cost:0.000001, currency:"BTC"}}; the `fills` of a createOrder answer parse the same, without a time.
   *
   * Books it once as a fill of the tracked order. Returns whether it was booked now.
   */
  bookTrade(tracked: TrackedOrder, trade: CcxtTrade, fallbackTime?: number): boolean {
    const { context } = this.state;
    const key = trade.id ?? `${trade.timestamp}:${trade.price}:${trade.amount}`;
    if (tracked.trades.has(key) || tracked.order.isTerminal) return false;
    tracked.trades.add(key);
    const instrument = context.instrument(tracked.order.symbol);
    const quantity = instrument.roundQuantity(Math.min(trade.amount, tracked.order.remainingQuantity), RoundingMode.Nearest);
    if (!(quantity > 0)) return false;
    const time = trade.timestamp ?? fallbackTime ?? context.clock.now();
    // A stop that trades has triggered, whether or not a report said so first.
    this.noteTrigger(tracked, undefined, time);
    const price = instrument.roundPrice(trade.price);
    const notional = notionalOf(instrument, price, quantity);
    // A fee in the coin bought is paid in kind: the books hold that much less, as the exchange does. (On an instrument
    // whose holdings are coarser than the fee, one that rounds to nothing is charged to cash at its value instead.)
    const feeInBase = trade.fee?.currency === instrument.base && (trade.fee.cost ?? 0) > 0 ? trade.fee.cost! : 0;
    const feeQuantity = instrument.quantityFromUnits(instrument.quantityUnits(feeInBase));
    const fee = feeQuantity > 0 ? notionalOf(instrument, price, feeQuantity) : feeInBase > 0 ? numberToMoney(feeInBase * price) : feeInQuote(trade);
    const fill = fillOf(tracked.order, {
      id: `${this.state.name}-${key}`,
      // The fills of a createOrder answer have no time of their own: the order's, else now.
      time,
      price,
      quantity,
      notional,
      fee,
      tax: 0n,
      ...(feeQuantity > 0 ? { feeQuantity } : {}),
      liquidity: trade.takerOrMaker === 'maker' ? Liquidity.Maker : Liquidity.Taker,
      referencePrice: price,
    });
    this.state.counts.fills++;
    context.events.orderFilled(tracked.order, fill);
    this.state.orders.retire(tracked);
    return true;
  }

  /** The order ends REJECTED, or CANCELED when a cancel was asked while it was on its way (it never existed there). */
  reject(tracked: TrackedOrder, error: VenueError): void {
    const order = tracked.order;
    if (order.isTerminal) return;
    this.state.counts.rejected++;
    const now = this.state.context.clock.now();
    if (order.status === OrderStatus.PendingCancel) this.state.context.events.orderCanceled(order, now);
    else this.state.context.events.orderRejected(order, error.action, `${error.venueCode}: ${error.message}`, now);
  }

  /**
   * A stop the exchange reports as triggered becomes TRIGGERED (once, before any fill of it), at the
   * exchange's trigger time when it gives one. `fillTime`: the report is a trade of the order at that time,
   * which only a triggered stop can have.
   */
  private noteTrigger(tracked: TrackedOrder, update: CcxtOrder | undefined, fillTime?: number): void {
    const order = tracked.order;
    if (order.triggered || !isStopOrderType(order.type)) return;
    if (ORDER_TRANSITIONS[order.status][OrderEventKind.Triggered] === undefined) return;
    let time: number | undefined;
    if (fillTime !== undefined) {
      time = fillTime;
    } else {
      const triggered = update === undefined ? undefined : this.state.venue.stopTrigger?.triggered(update);
      if (triggered === undefined) return;
      time = triggered.time;
    }
    this.state.context.events.orderTriggered(order, time ?? this.state.context.clock.now());
  }

  /** Whether the exchange reports more filled than the platform has booked. */
  private hasUnbookedFill(tracked: TrackedOrder, update: CcxtOrder): boolean {
    if (update.filled === undefined || !(update.filled > 0)) return false;
    const instrument = this.state.context.instrument(tracked.order.symbol);
    return instrument.quantityUnits(update.filled) > instrument.quantityUnits(tracked.order.filledQuantity);
  }

  /** Fetch and book the trades of one order (one fetch at a time per order). */
  private refreshTrades(tracked: TrackedOrder): Promise<void> {
    if (tracked.venueId === undefined) return Promise.resolve();
    tracked.refreshing ??= this.fetchAndBookTrades(tracked).finally(() => {
      tracked.refreshing = undefined;
    });
    return tracked.refreshing;
  }

  private async fetchAndBookTrades(tracked: TrackedOrder): Promise<void> {
    const venueId = tracked.venueId!;
    try {
      const trades = await withRetry(this.fetchOrderTrades, tracked, this.state.retry);
      for (const trade of trades) if (trade.order === undefined || trade.order === venueId) this.bookTrade(tracked, trade);
    } catch (raw) {
      const error = toVenueError(raw);
      this.state.log(`order ${tracked.order.id}: trades not available now (${error.venueCode}: ${error.message}); reconciliation will book them`);
    }
  }

  private readonly fetchOrderTrades = (tracked: TrackedOrder): Promise<CcxtTrade[]> => {
    const { api, venue } = this.state;
    const venueId = tracked.venueId!;
    const symbol = tracked.order.symbol;
    return api.fetchOrderTrades ? api.fetchOrderTrades(venueId, symbol) : api.fetchMyTrades(symbol, undefined, undefined, { [venue.orderTradesParam]: venueId });
  };
}

/** A fee the trade paid in the account (quote) currency (a fee in a third asset, such as BNB, is counted at its cost). */
function feeInQuote(trade: CcxtTrade): bigint {
  const cost = trade.fee?.cost ?? 0;
  return cost > 0 ? numberToMoney(cost) : 0n;
}
