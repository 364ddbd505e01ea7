// The kernel: wires data -> strategy -> risk -> execution -> portfolio. The same object runs backtest, paper and live.
import { Account, type Bar, type BookSnapshot, type Fill, type Instrument, midPrice, moneyToNumber, numberToMoney, Order, OrderEventKind, type OrderRequest, OrderStatus, OrderType, type Position, RoundingMode, TimeInForce } from '../core/index.ts';
import { type AccountView, type BarIndicator, type BarListener, type BookListener, Cache, type Clock, type ExecutionClient, type ExecutionEventSink, type MarketDataSink, MessageBus, type OrderDenial, type OrderEvent, PASS_THROUGH_RISK, type PositionView, type RiskContext, type RiskGate, type Strategy, type StrategyContext, Topic } from '../common/index.ts';

export interface KernelConfig {
  readonly clock: Clock;
  readonly execution: ExecutionClient;
  readonly instruments: readonly Instrument[];
  /** Account currency (the instruments' quote currency). */
  readonly currency: string;
  /** Ledger units (10^-8 of the currency). */
  readonly initialCapital: bigint;
  readonly strategy: Strategy;
  readonly risk?: RiskGate;
  readonly bus?: MessageBus;
  readonly log?: (message: string) => void;
  /**
   * Bars that carry a corporate-action factor (A-shares) reach strategies and their indicators adjusted
   * by it (default true); false shows raw prices. Trading, the ledger and risk always use raw prices.
   */
  readonly adjustedPrices?: boolean;
}

/** An ex-rights day met while holding: what it did to the position (published on Topic.CorporateAction). */
export interface CorporateAction {
  readonly symbol: string;
  /** Open time of the first bar of the ex-rights day. */
  readonly time: number;
  readonly previousClose: number;
  /** The day's reference price (pre_close). */
  readonly referencePrice: number;
  readonly previousQuantity: number;
  readonly quantity: number;
  /** Cash paid out, in the account currency. */
  readonly cash: number;
}

/** The first bar of an ex-rights day of the symbol at `index`: the previous close and the day's reference price. */
interface ExRightsDay {
  readonly index: number;
  readonly time: number;
  readonly previousClose: number;
  readonly referencePrice: number;
}

/** Reason codes for orders the kernel itself refuses before any risk check (malformed requests). */
export const KernelDenial = {
  InvalidQuantity: 'INVALID_QUANTITY',
  InvalidPrice: 'INVALID_PRICE',
  UnknownSymbol: 'UNKNOWN_SYMBOL',
  WarmingUp: 'WARMING_UP',
} as const;

interface IndicatorFeed {
  indicator: BarIndicator;
  hlc: boolean;
}

export class Kernel implements MarketDataSink, ExecutionEventSink {
  readonly cache = new Cache();
  readonly bus: MessageBus;
  readonly account: Account;
  readonly clock: Clock;
  private readonly execution: ExecutionClient;
  private risk: RiskGate;
  private readonly strategy: Strategy;
  private readonly barListeners: BarListener[] = [];
  /** The bus's live list of bar subscribers: one length check per bar instead of a map lookup. */
  private readonly barSubscribers: unknown[];
  private readonly bookListeners: BookListener[] = [];
  /** While true (replaying history at the start of a live session) strategies see data but cannot trade. */
  warmingUp = false;
  /**
   * While true (a resumed session playing its journal back) nothing reaches the venue: decisions,
   * emergency orders and cancels are refused quietly, as during a warm-up.
   */
  muted = false;
  private readonly feeds: IndicatorFeed[][] = [];
  /** Held quantity per symbol index as a float, for fast marking. */
  private heldQuantity: Float64Array;
  private cashNumber: number;
  private openPositionCount = 0;
  private ledgerChangeCount = 0;
  private orderSequence = 0;
  private started = false;
  readonly deniedCounts = new Map<string, number>();
  private writeAhead: ((item: { topic: string; message: unknown }) => void) | undefined;
  private holding = false;
  private readonly held: Array<{ topic: string; message: unknown }> = [];
  /** Every breaker level change published by the risk engine (Topic.Breaker). */
  readonly breakerEvents: unknown[] = [];
  readonly fills: Fill[] = [];
  readonly log: (message: string) => void;
  private readonly context: StrategyContext;
  private readonly adjustedPrices: boolean;
  /** Last corporate-action factor seen per symbol (1 before any). */
  private readonly corporateFactor: Float64Array;
  /** Factor from raw prices to the prices the strategy sees, per symbol (1: raw). */
  private readonly strategyFactor: Float64Array;
  /** Ex-rights days seen, held or not: a restore books them between the journaled fills. */
  private readonly exRightsDays: ExRightsDay[] = [];
  /** Ex-rights days that changed a position. */
  readonly corporateActions: CorporateAction[] = [];
  /** Bar interval per symbol as its data client told (0: unknown), and when the last book arrived. */
  private readonly barIntervalMs: Float64Array;
  private readonly lastBookTime: Float64Array;

  constructor(config: KernelConfig) {
    this.clock = config.clock;
    this.execution = config.execution;
    this.risk = config.risk ?? PASS_THROUGH_RISK;
    this.strategy = config.strategy;
    this.bus = config.bus ?? new MessageBus();
    this.barSubscribers = this.bus.handlersOf(Topic.Bar);
    this.log = config.log ?? (() => {});
    this.account = new Account(config.currency, config.initialCapital);
    this.cashNumber = moneyToNumber(config.initialCapital);
    for (const instrument of config.instruments) {
      this.cache.addInstrument(instrument);
      this.feeds.push([]);
    }
    this.heldQuantity = new Float64Array(this.cache.instruments.length);
    this.adjustedPrices = config.adjustedPrices ?? true;
    this.corporateFactor = new Float64Array(this.cache.instruments.length).fill(1);
    this.strategyFactor = new Float64Array(this.cache.instruments.length).fill(1);
    this.barIntervalMs = new Float64Array(this.cache.instruments.length);
    this.lastBookTime = new Float64Array(this.cache.instruments.length).fill(-Infinity);
    this.context = this.createContext();
    this.bus.subscribe(Topic.Breaker, (event) => this.breakerEvents.push(event));
    this.risk.attach?.(this.riskContext());
    const kernel = this;
    const accountView: AccountView = {
      cash: () => kernel.account.cash,
      sellableUnits: (symbol, time) => kernel.sellableUnits(symbol, time),
    };
    this.execution.connect({
      clock: this.clock,
      events: this,
      account: accountView,
      instrument: (symbol) => this.cache.instrument(symbol),
      symbolIndex: (symbol) => this.cache.symbolIndex(symbol),
      onBar: (listener) => this.barListeners.push(listener),
      onBook: (listener) => this.bookListeners.push(listener),
    });
  }

  /**
   * Recovery: rebuild the ledger, positions and orders from a journal (fills in journal order, orders
   * in their last journaled state) before any new data. Open orders go back to the venue. Nothing is
   * re-journaled and no strategy sees these events: they happened before the restart.
   */
  restore(state: { fills: readonly Fill[]; orders: readonly Order[] }): void {
    // Ex-rights days seen while warming up happened between those fills: book each before the fills of its day.
    const days = this.exRightsDays.splice(0);
    let next = 0;
    for (const fill of state.fills) {
      while (next < days.length && days[next]!.time <= fill.time) this.bookExRightsDay(days[next++]!);
      const instrument = this.cache.instrument(fill.symbol);
      const index = this.cache.symbolIndex(fill.symbol);
      const position = this.account.position(instrument);
      const wasFlat = position.isFlat;
      this.account.applyFill(instrument, fill, instrument.tradingDay(fill.time));
      this.heldQuantity[index] = position.quantity;
      if (wasFlat && !position.isFlat) this.openPositionCount++;
      else if (!wasFlat && position.isFlat) this.openPositionCount--;
      this.fills.push(fill);
    }
    while (next < days.length) this.bookExRightsDay(days[next++]!);
    this.cashNumber = moneyToNumber(this.account.cash);
    this.ledgerChanged();
    this.restoreOrders(state.orders, state.fills);
  }

  /** Orders in their last journaled state; open ones go back to the venue with the fills they already had (from `fills`). */
  restoreOrders(orders: readonly Order[], fills: readonly Fill[]): void {
    const state = { orders, fills };
    for (const order of state.orders) {
      this.cache.addOrder(order);
      const sequence = Number(/^O-(\d+)$/.exec(order.id)?.[1] ?? 0);
      if (sequence > this.orderSequence) this.orderSequence = sequence;
      if (order.isOpen) {
        this.cache.markOpen(order);
        this.execution.restoreOrder?.(order, state.fills.filter((f) => f.orderId === order.id));
      }
    }
  }

  /** A holding found on the venue, taken into the books at `price` by a person's decision. */
  adoptPosition(symbol: string, quantity: number, price: number): void {
    const instrument = this.cache.instrument(symbol);
    const index = this.cache.symbolIndex(symbol);
    const position = this.account.position(instrument);
    const wasFlat = position.isFlat;
    this.account.adoptPosition(instrument, instrument.roundQuantity(quantity), price);
    this.heldQuantity[index] = position.quantity;
    if (wasFlat && !position.isFlat) this.openPositionCount++;
    this.ledgerChanged();
  }

  /** Cash or a held quantity changed: the ledger version moves (RiskContext.ledgerVersion).  */
  private ledgerChanged(): void {
    this.ledgerChangeCount++;
  }

  /** Replace the pre-trade gate (the risk engine installs itself here). */
  setRiskGate(risk: RiskGate): void {
    this.risk = risk;
    risk.attach?.(this.riskContext());
  }

  private riskContext(): RiskContext {
    const kernel = this;
    const cache = this.cache;
    return {
      clock: this.clock,
      instruments: cache.instruments,
      symbolIndex: (symbol) => cache.symbolIndex(symbol),
      lastPrice: (index) => cache.lastClose[index]!,
      lastBarTime: (index) => cache.lastBarTime[index]!,
      priceIntervalMs: (index) => (kernel.lastBookTime[index]! >= cache.lastBarTime[index]! ? 0 : kernel.barIntervalMs[index]!),
      equity: () => kernel.equity(),
      openPositions: () => kernel.openPositionCount,
      ledgerVersion: () => kernel.ledgerChangeCount,
      cash: () => kernel.cashNumber,
      heldQuantity: (index) => kernel.heldQuantity[index]!,
      sellableQuantity: (symbol) => cache.instrument(symbol).quantityFromUnits(kernel.sellableUnits(symbol, kernel.clock.now())),
      openOrders: () => cache.openOrders,
      cancelOrder: (orderId) => kernel.cancelOrder(orderId),
      submitEmergencyOrder: (request) => kernel.submitOrder(request, true),
      publish: (topic, message) => kernel.publish(topic, message),
    };
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.strategy.attach(this.context);
    this.strategy.onStart();
  }

  stop(): void {
    if (!this.started) return;
    this.strategy.onStop();
    this.started = false;
  }

  // ---- market data -------------------------------------------------------------------------

  onBar(bar: Bar): void {
    this.onBarIndexed(bar, this.cache.symbolIndex(bar.symbol));
  }

  /** The hot path: venue matching, marks, risk observation, indicators, then the strategy. */
  onBarIndexed(bar: Bar, index: number): void {
    this.ingestBar(bar, index);
    this.presentBar(bar, index);
  }

  /** First half of a bar: corporate actions, the venue matches against it, marks move, the risk engine observes. */
  ingestBar(bar: Bar, index: number): void {
    // The market traded at this bar's open: orders decided while it is matched (on its fills) see a live
    // feed, also after a weekend, a holiday or a gap in the data.
    this.cache.lastBarTime[index] = bar.openTime;
    const factor = bar.adjustmentFactor;
    if (factor !== undefined && factor !== this.corporateFactor[index]) this.onExRightsDay(bar, index, factor);
    const listeners = this.barListeners;
    for (let i = 0; i < listeners.length; i++) listeners[i]!(bar, index);
    this.cache.lastClose[index] = bar.close;
    this.cache.lastBarTime[index] = bar.closeTime;
    this.cache.lastBars[index] = bar;
    if (this.risk.onBar !== undefined) this.risk.onBar(bar, index);
  }

  /**
   * The first bar of an ex-rights day, before anything trades on it: the strategy's price factor moves,
   * and a held position becomes its value at the day's reference price (Account.applyCorporateAction).
   */
  private onExRightsDay(bar: Bar, index: number, factor: number): void {
    const previousFactor = this.corporateFactor[index];
    const previousClose = this.cache.lastClose[index];
    if (previousFactor === undefined || previousClose === undefined) throw new RangeError(`ex-rights bar for unknown symbol index ${index}`);
    this.corporateFactor[index] = factor;
    if (this.adjustedPrices) this.strategyFactor[index] = factor;
    if (!(previousClose > 0)) return;
    const given = bar.preClose;
    const referencePrice = given !== undefined && given > 0 ? given : previousClose * (previousFactor / factor);
    const day: ExRightsDay = { index, time: bar.openTime, previousClose, referencePrice };
    // Until the bar's own close is known, the position is marked at the day's reference price.
    this.cache.lastClose[index] = referencePrice;
    if (this.warmingUp) this.exRightsDays.push(day);
    else this.bookExRightsDay(day);
  }

  /** A held position (if any) carried through the ex-rights day, journaled as a CorporateAction. */
  private bookExRightsDay(day: ExRightsDay): void {
    const instrument = this.cache.instruments[day.index];
    if (instrument === undefined) throw new RangeError(`ex-rights day for unknown symbol index ${day.index}`);
    const result = this.account.applyCorporateAction(instrument, day.previousClose, day.referencePrice);
    if (result === undefined) return;
    this.cashNumber = moneyToNumber(this.account.cash);
    this.heldQuantity[day.index] = result.quantity;
    if (result.quantity === 0) this.openPositionCount--;
    this.ledgerChanged();
    const action: CorporateAction = {
      symbol: instrument.symbol,
      time: day.time,
      previousClose: day.previousClose,
      referencePrice: day.referencePrice,
      previousQuantity: result.previousQuantity,
      quantity: result.quantity,
      cash: moneyToNumber(result.cash),
    };
    this.corporateActions.push(action);
    if (this.bus.hasSubscribers(Topic.CorporateAction)) this.bus.publish(Topic.CorporateAction, action);
    this.log(`${instrument.symbol} ex-rights ${new Date(day.time).toISOString().slice(0, 10)}: ${action.previousQuantity} -> ${action.quantity} shares, ${action.cash} ${this.account.currency} paid`);
  }

  /** The bar as the strategy sees it: raw, or its prices x the symbol's factor (volume / factor). */
  private strategyBar(bar: Bar, factor: number): Bar {
    return {
      symbol: bar.symbol,
      openTime: bar.openTime,
      closeTime: bar.closeTime,
      open: bar.open * factor,
      high: bar.high * factor,
      low: bar.low * factor,
      close: bar.close * factor,
      volume: bar.volume / factor,
      preClose: bar.preClose === undefined ? undefined : bar.preClose * factor,
      adjustmentFactor: bar.adjustmentFactor,
    };
  }

  /** Second half: indicators, subscribers and the strategy see the bar (adjusted where the run adjusts). */
  presentBar(rawBar: Bar, index: number): void {
    const factor = this.strategyFactor[index]!;
    const bar = factor === 1 ? rawBar : this.strategyBar(rawBar, factor);
    const feeds = this.feeds[index]!;
    for (let i = 0; i < feeds.length; i++) {
      const feed = feeds[i]!;
      if (feed.hlc) feed.indicator.update(bar.high, bar.low, bar.close);
      else feed.indicator.update(bar.close);
    }
    if (this.barSubscribers.length > 0) this.bus.publish(Topic.Bar, bar);
    this.strategy.onBar(bar);
  }

  /**
   * A reference source's bar while the venue's own feed of the symbol is unusable: the mark and the risk
   * engine move to it. The strategy, its indicators and the venue (paper fills use the venue's own book)
   * do not see it, and the symbol's data time stays the venue's (new orders wait for the venue's feed).
   */
  onReferenceBar(bar: Bar): void {
    const index = this.cache.symbolIndex(bar.symbol);
    this.cache.lastClose[index] = bar.close;
    if (this.risk.onBar !== undefined) this.risk.onBar(bar, index);
  }

  barInterval(symbol: string, intervalMs: number): void {
    if (this.cache.hasSymbol(symbol)) this.barIntervalMs[this.cache.symbolIndex(symbol)] = intervalMs;
  }

  /** A live order book: venues first (paper fills), then the mark (mid price), then the strategy. */
  onBook(book: BookSnapshot): void {
    const index = this.cache.symbolIndex(book.symbol);
    this.lastBookTime[index] = book.time;
    for (let i = 0; i < this.bookListeners.length; i++) this.bookListeners[i]!(book, index);
    const mid = midPrice(book);
    if (mid === mid) {
      this.cache.lastClose[index] = mid;
      this.cache.lastBarTime[index] = book.time;
    }
    this.cache.lastBooks[index] = book;
    if (this.bus.hasSubscribers(Topic.Book)) this.bus.publish(Topic.Book, book);
    this.strategy.onBook(book);
  }

  // ---- account ---------------------------------------------------------------------------

  /** Cash plus every position at its last close (float, for curves and sizing). */
  equity(): number {
    let value = this.cashNumber;
    if (this.openPositionCount > 0) {
      const held = this.heldQuantity;
      const closes = this.cache.lastClose;
      for (let i = 0; i < held.length; i++) if (held[i] !== 0) value += held[i]! * closes[i]!;
    }
    return value;
  }

  get hasOpenPosition(): boolean {
    return this.openPositionCount > 0;
  }

  cash(): number {
    return this.cashNumber;
  }

  sellableUnits(symbol: string, time: number): number {
    const instrument = this.cache.instrument(symbol);
    const position = this.account.positions.get(symbol);
    if (!position) return 0;
    return position.sellableUnits(instrument.tradingDay(time), instrument.market === 'ashare');
  }

  // ---- orders ----------------------------------------------------------------------------

  /** `emergency` marks orders of the emergency close (no participation cap; the risk engine lets them through). */
  submitOrder(request: OrderRequest, emergency = false): Order {
    const now = this.clock.now();
    if ((this.warmingUp && !emergency) || this.muted) {
      // History replayed for indicators: the decision is refused quietly and leaves no trace (no id,
      // no event, no count), so a restarted session numbers its orders exactly as before.
      const order = new Order('warm-up', request.symbol, request.side, request.type, request.quantity, request.price, request.stopPrice, request.timeInForce ?? TimeInForce.GTC, now, NaN, request.tag);
      order.apply(OrderEventKind.Denied, now);
      return order;
    }
    const id = `O-${++this.orderSequence}`;
    if (!this.cache.hasSymbol(request.symbol)) {
      const order = new Order(id, request.symbol, request.side, request.type, request.quantity, request.price, request.stopPrice, request.timeInForce ?? TimeInForce.GTC, now, NaN, request.tag);
      return this.deny(order, { reason: KernelDenial.UnknownSymbol, detail: `symbol ${request.symbol} is not in this run` });
    }
    const instrument = this.cache.instrument(request.symbol);
    const index = this.cache.symbolIndex(request.symbol);
    const quantity = this.orderQuantity(instrument, request, emergency);
    const price = request.price === undefined ? undefined : instrument.roundPrice(request.price);
    const stopPrice = request.stopPrice === undefined ? undefined : instrument.roundPrice(request.stopPrice);
    const order = new Order(
      id,
      request.symbol,
      request.side,
      request.type,
      quantity,
      price,
      stopPrice,
      request.timeInForce ?? TimeInForce.GTC,
      now,
      this.cache.lastClose[index]!,
      request.tag,
    );
    order.emergency = emergency;
    this.cache.addOrder(order);
    const denial =
      this.validate(order, request) ??
      this.risk.checkSubmit(order);
    if (denial) return this.deny(order, denial);
    order.apply(OrderEventKind.Submitted, now);
    this.cache.markOpen(order);
    this.emit({ kind: OrderEventKind.Submitted, order, time: now });
    this.execution.submitOrder(order);
    return order;
  }

  /**
   * Quantity on the lot grid, rounded down. A sell of the whole position keeps an odd lot (A-shares
   * sell odd lots whole). The risk engine may scale increasing orders down (REDUCE_RISK).
   */
  private orderQuantity(instrument: Instrument, request: OrderRequest, emergency: boolean): number {
    const held = this.account.positions.get(instrument.symbol)?.quantityUnits ?? 0;
    if (request.side === 'SELL' && held > 0 && instrument.quantityUnits(request.quantity) === held) return instrument.quantityFromUnits(held);
    const sized = emergency || this.risk.sizeOrder === undefined ? request.quantity : this.risk.sizeOrder(request.symbol, request.side, request.quantity);
    return instrument.roundQuantity(sized, RoundingMode.Down);
  }

  private validate(order: Order, request: OrderRequest): OrderDenial | undefined {
    if (!(order.quantity > 0)) {
      return { reason: KernelDenial.InvalidQuantity, detail: `quantity ${request.quantity} rounds to ${order.quantity} on lot ${this.cache.instrument(order.symbol).lotSize}` };
    }
    const needsPrice = order.type === OrderType.Limit || order.type === OrderType.StopLimit;
    const needsStop = order.type === OrderType.Stop || order.type === OrderType.StopLimit;
    if (needsPrice && !(order.price! > 0)) return { reason: KernelDenial.InvalidPrice, detail: `${order.type} needs a positive price (got ${request.price})` };
    if (needsStop && !(order.stopPrice! > 0)) return { reason: KernelDenial.InvalidPrice, detail: `${order.type} needs a positive stopPrice (got ${request.stopPrice})` };
    return undefined;
  }

  private deny(order: Order, denial: OrderDenial): Order {
    order.apply(OrderEventKind.Denied, order.createdAt);
    this.deniedCounts.set(denial.reason, (this.deniedCounts.get(denial.reason) ?? 0) + 1);
    this.emit({ kind: OrderEventKind.Denied, order, time: order.createdAt, reason: denial.reason, detail: denial.detail });
    return order;
  }

  cancelOrder(orderId: string): void {
    const order = this.cache.orders.get(orderId);
    // A live venue confirms a cancel later; asking again meanwhile would be PENDING_CANCEL + PENDING_CANCEL (illegal).
    if (!order || !order.isOpen || order.status === OrderStatus.PendingCancel || this.muted) return;
    order.apply(OrderEventKind.PendingCancel, this.clock.now());
    this.execution.cancelOrder(order);
  }

  // ---- venue events (ExecutionEventSink) ----------------------------------------------------

  orderAccepted(order: Order, time: number): void {
    order.apply(OrderEventKind.Accepted, time);
    this.emit({ kind: OrderEventKind.Accepted, order, time });
  }

  orderRejected(order: Order, reason: string, detail: string, time: number): void {
    order.apply(OrderEventKind.Rejected, time);
    this.cache.pruneOpen();
    this.emit({ kind: OrderEventKind.Rejected, order, time, reason, detail });
  }

  orderTriggered(order: Order, time: number): void {
    order.triggered = true;
    order.apply(OrderEventKind.Triggered, time);
    this.emit({ kind: OrderEventKind.Triggered, order, time });
  }

  orderCanceled(order: Order, time: number): void {
    order.apply(OrderEventKind.Canceled, time);
    this.cache.pruneOpen();
    this.emit({ kind: OrderEventKind.Canceled, order, time });
  }

  orderExpired(order: Order, time: number): void {
    order.apply(OrderEventKind.Expired, time);
    this.cache.pruneOpen();
    this.emit({ kind: OrderEventKind.Expired, order, time });
  }

  orderFilled(order: Order, fill: Fill): void {
    const instrument = this.cache.instrument(order.symbol);
    const index = this.cache.symbolIndex(order.symbol);
    const filledUnits = instrument.quantityUnits(order.filledQuantity) + instrument.quantityUnits(fill.quantity);
    order.filledQuantity = instrument.quantityFromUnits(filledUnits);
    order.filledNotional += fill.price * fill.quantity;
    const kind = filledUnits >= instrument.quantityUnits(order.quantity) ? OrderEventKind.Filled : OrderEventKind.PartiallyFilled;
    order.apply(kind, fill.time);
    const position = this.account.position(instrument);
    const wasFlat = position.isFlat;
    this.account.applyFill(instrument, fill, instrument.tradingDay(fill.time));
    this.cashNumber = moneyToNumber(this.account.cash);
    this.heldQuantity[index] = position.quantity;
    if (wasFlat && !position.isFlat) this.openPositionCount++;
    else if (!wasFlat && position.isFlat) this.openPositionCount--;
    this.fills.push(fill);
    this.ledgerChanged();
    if (kind === OrderEventKind.Filled) this.cache.pruneOpen();
    if (this.writeAhead !== undefined || this.bus.hasSubscribers(Topic.Fill)) this.publish(Topic.Fill, fill);
    this.emit({ kind, order, time: fill.time, fill });
  }

  private emit(event: OrderEvent): void {
    this.writeAhead?.({ topic: Topic.OrderEvent, message: event });
    if (this.holding) {
      this.held.push({ topic: Topic.OrderEvent, message: event });
      return;
    }
    if (this.bus.hasSubscribers(Topic.OrderEvent)) this.bus.publish(Topic.OrderEvent, event);
    if (this.started) this.strategy.onOrderEvent(event);
  }

  /** Publish on the bus, or hold it with the order events while write-ahead is pending. */
  private publish(topic: string, message: unknown): void {
    this.writeAhead?.({ topic, message });
    if (this.holding) this.held.push({ topic, message });
    else this.bus.publish(topic, message);
  }

  /**
   * Write-ahead: `record` sees every order event, fill and breaker change first, synchronously; while
   * `hold()` is on, nothing else (strategy, subscribers, logs) sees them until `release()`, which the
   * session calls once the records are durable.
   */
  setWriteAhead(record: (item: { topic: string; message: unknown }) => void): void {
    this.writeAhead = record;
  }

  hold(): void {
    this.holding = true;
  }

  /**
   * Deliver what was held, in order, to subscribers and the strategy. With `keepHolding` (live
   * sessions) whatever those deliveries cause is held again until the next release.
   */
  release(keepHolding = false): void {
    this.holding = keepHolding;
    const items = this.held.splice(0);
    for (const { topic, message } of items) {
      this.bus.publish(topic, message);
      if (topic === Topic.OrderEvent && this.started) this.strategy.onOrderEvent(message as OrderEvent);
    }
  }

  // ---- the strategy's view ------------------------------------------------------------------

  private positionView(symbol: string): PositionView {
    const instrument = this.cache.instrument(symbol);
    const position: Position | undefined = this.account.positions.get(symbol);
    const index = this.cache.symbolIndex(symbol);
    const last = this.cache.lastClose[index]!;
    if (!position) return { symbol, quantity: 0, sellableQuantity: 0, averagePrice: NaN, realizedPnl: 0, unrealizedPnl: 0 };
    return {
      symbol,
      quantity: position.quantity,
      sellableQuantity: instrument.quantityFromUnits(position.sellableUnits(instrument.tradingDay(this.clock.now()), instrument.market === 'ashare')),
      averagePrice: position.averagePrice * this.strategyFactor[index]!,
      realizedPnl: moneyToNumber(position.realizedPnl),
      unrealizedPnl: position.unrealizedPnl(last),
    };
  }

  /** A strategy's order: its prices are in the strategy's series; the venue gets raw prices (rounded to the tick by submitOrder). */
  private rawRequest(request: OrderRequest): OrderRequest {
    if (request.price === undefined && request.stopPrice === undefined) return request;
    const index = this.cache.hasSymbol(request.symbol) ? this.cache.symbolIndex(request.symbol) : -1;
    const factor = index < 0 ? 1 : this.strategyFactor[index]!;
    if (factor === 1) return request;
    return {
      ...request,
      price: request.price === undefined ? undefined : request.price / factor,
      stopPrice: request.stopPrice === undefined ? undefined : request.stopPrice / factor,
    };
  }

  private createContext(): StrategyContext {
    const kernel = this;
    const symbols = this.cache.instruments.map((i) => i.symbol);
    return {
      symbols,
      now: () => kernel.clock.now(),
      instrument: (symbol) => kernel.cache.instrument(symbol),
      submitOrder: (request) => kernel.submitOrder(kernel.rawRequest(request)),
      cancelOrder: (orderId) => kernel.cancelOrder(orderId),
      openOrders: (symbol) => kernel.cache.openOrders.filter((o) => symbol === undefined || o.symbol === symbol),
      position: (symbol) => kernel.positionView(symbol),
      cash: () => kernel.cashNumber,
      equity: () => kernel.equity(),
      lastPrice: (symbol) => {
        const index = kernel.cache.symbolIndex(symbol);
        return kernel.cache.lastClose[index]! * kernel.strategyFactor[index]!;
      },
      rawBar: (symbol) => kernel.cache.lastBars[kernel.cache.symbolIndex(symbol)],
      priceFactor: (symbol) => kernel.strategyFactor[kernel.cache.symbolIndex(symbol)]!,
      quantityForFraction: (symbol, fraction, price) => {
        const index = kernel.cache.symbolIndex(symbol);
        const instrument = kernel.cache.instruments[index]!;
        const rawPrice = price / kernel.strategyFactor[index]!;
        if (!(rawPrice > 0) || !(fraction > 0)) return 0;
        return instrument.roundQuantity((fraction * kernel.equity()) / rawPrice, RoundingMode.Down);
      },
      registerIndicator: (symbol, indicator, inputs = 'close') => {
        kernel.feeds[kernel.cache.symbolIndex(symbol)]!.push({ indicator, hlc: inputs === 'hlc' });
      },
      setTimer: (name, time) => kernel.clock.setTimer(name, time, (n, t) => kernel.strategy.onTimer(n, t)),
      setInterval: (name, start, intervalMs) => kernel.clock.setInterval(name, start, intervalMs, (n, t) => kernel.strategy.onTimer(n, t)),
      cancelTimer: (name) => kernel.clock.cancelTimer(name),
      log: (message) => kernel.log(message),
      riskLimits: () => kernel.risk.modeLimits?.(),
    };
  }

  /** Exact value of every position at its last close (ledger units). */
  markedPositionsValue(): bigint {
    let total = 0n;
    for (const position of this.account.positions.values()) {
      if (position.isFlat) continue;
      const close = this.cache.lastClose[this.cache.symbolIndex(position.instrument.symbol)]!;
      total += numberToMoney(position.quantity * close);
    }
    return total;
  }
}
