// The execution engine: the one place orders are made, checked, sent to the venue and moved through the transition table.
import { type Fill, type Instrument, Order, OrderEventKind, type OrderRequest, OrderStatus, OrderType, RoundingMode, TimeInForce } from '../../core/index.ts';
import { type BarListener, type BookListener, type Cache, type Clock, type ExecutionClient, type ExecutionEventSink, type MessageBus, type OrderDenial, type RiskGate, Topic } from '../../common/index.ts';
import type { Portfolio } from '../portfolio/index.ts';
import { WriteAheadGate } from './write-ahead-gate.ts';

/** Reason codes for orders refused before any risk check (malformed requests, or a symbol not in the run). */
export const KernelDenial = {
  InvalidQuantity: 'INVALID_QUANTITY',
  InvalidPrice: 'INVALID_PRICE',
  UnknownSymbol: 'UNKNOWN_SYMBOL',
  WarmingUp: 'WARMING_UP',
} as const;

/** Whether orders may reach the venue now: flags the kernel sets, read on every order. */
export interface TradingMode {
  /** Replaying history at the start of a live session: strategies see data but cannot trade. */
  readonly warmingUp: boolean;
  /**
   * A resumed session playing its journal back: nothing reaches the venue; decisions, emergency
   * orders and cancels are refused quietly, as during a warm-up.
   */
  readonly muted: boolean;
}

export interface ExecutionEngineConfig {
  readonly clock: Clock;
  /** Instruments and last prices; the engine keeps every order and the open ones here. */
  readonly cache: Cache;
  readonly bus: MessageBus;
  readonly client: ExecutionClient;
  readonly portfolio: Portfolio;
  readonly risk: RiskGate;
  readonly mode: TradingMode;
  /** A line for the run's log (an order the risk gate sized down says so: nothing is cut silently). */
  readonly note?: (message: string) => void;
}

export class ExecutionEngine implements ExecutionEventSink {
  readonly deniedCounts = new Map<string, number>();
  readonly gate: WriteAheadGate;
  private riskGate: RiskGate;
  private orderSequence = 0;
  private readonly clock: Clock;
  private readonly cache: Cache;
  private readonly bus: MessageBus;
  private readonly client: ExecutionClient;
  private readonly portfolio: Portfolio;
  private readonly mode: TradingMode;
  private readonly note: ((message: string) => void) | undefined;

  constructor(config: ExecutionEngineConfig) {
    this.note = config.note;
    this.gate = new WriteAheadGate(config.bus);
    this.riskGate = config.risk;
    this.mode = config.mode;
    this.clock = config.clock;
    this.cache = config.cache;
    this.bus = config.bus;
    this.client = config.client;
    this.portfolio = config.portfolio;
  }

  /** The pre-trade gate in force. */
  get risk(): RiskGate {
    return this.riskGate;
  }

  setRiskGate(risk: RiskGate): void {
    this.riskGate = risk;
  }

  /** Connect the venue: it reports here, reads the portfolio, and (simulated venues) adds its data listeners to these lists. */
  connect(barListeners: BarListener[], bookListeners: BookListener[]): void {
    const portfolio = this.portfolio;
    this.client.connect({
      clock: this.clock,
      events: this,
      account: { cash: () => portfolio.account.cash, sellableUnits: (symbol, time) => portfolio.sellableUnits(symbol, time), heldUnits: (symbol) => portfolio.heldUnits(symbol) },
      instrument: (symbol) => this.cache.instrument(symbol),
      symbolIndex: (symbol) => this.cache.symbolIndex(symbol),
      onBar: (listener) => barListeners.push(listener),
      onBook: (listener) => bookListeners.push(listener),
    });
  }

  /** `emergency` marks orders of the emergency close (no participation cap; the risk engine lets them through). */
  submitOrder(request: OrderRequest, emergency = false): Order {
    const now = this.clock.now();
    // History replayed for indicators: the decision is refused quietly and leaves no trace (no id, no
    // event, no count), so a restarted session numbers its orders exactly as before.
    const quiet = (this.mode.warmingUp && !emergency) || this.mode.muted;
    const id = quiet ? 'warm-up' : `O-${++this.orderSequence}`;
    if (quiet || !this.cache.hasSymbol(request.symbol)) {
      const order = this.createOrder(id, request, now, NaN, request.quantity, request.price, request.stopPrice);
      if (quiet) {
        order.apply(OrderEventKind.Denied, now);
        return order;
      }
      return this.deny(order, { reason: KernelDenial.UnknownSymbol, detail: `symbol ${request.symbol} is not in this run` });
    }
    const index = this.cache.symbolIndex(request.symbol);
    const instrument = this.cache.instruments[index]!;
    const quantity = this.orderQuantity(instrument, request, emergency);
    const price = request.price === undefined ? undefined : instrument.roundPrice(request.price);
    const stopPrice = request.stopPrice === undefined ? undefined : instrument.roundPrice(request.stopPrice);
    const order = this.createOrder(id, request, now, this.cache.lastClose[index]!, quantity, price, stopPrice);
    if (emergency) order.markEmergency();
    this.cache.addOrder(order);
    const denial = this.validate(order, request) ?? this.riskGate.checkSubmit(order);
    if (denial) return this.deny(order, denial);
    order.apply(OrderEventKind.Submitted, now);
    this.cache.markOpen(order);
    this.gate.emit({ kind: OrderEventKind.Submitted, order, time: now });
    this.client.submitOrder(order);
    return order;
  }

  /** Every order is made here: the request's side, type, time in force and tag, with the quantity and prices as checked. */
  private createOrder(id: string, request: OrderRequest, now: number, decisionPrice: number, quantity: number, price: number | undefined, stopPrice: number | undefined): Order {
    return new Order(id, request.symbol, request.side, request.type, quantity, price, stopPrice, request.timeInForce ?? TimeInForce.GTC, now, decisionPrice, request.tag);
  }

  /**
   * Quantity on the lot grid, rounded down. A sell of the whole position keeps an odd lot (A-shares
   * sell odd lots whole), and leaves a crypto holding's dust. The risk engine may scale increasing orders down (REDUCE_RISK).
   */
  private orderQuantity(instrument: Instrument, request: OrderRequest, emergency: boolean): number {
    const held = this.portfolio.heldUnits(instrument.symbol);
    if (request.side === 'SELL' && held > 0 && instrument.quantityUnits(request.quantity) === held) return instrument.quantityFromUnits(held - instrument.dustUnits(held));
    const sized = emergency || this.riskGate.sizeOrder === undefined ? request.quantity : this.riskGate.sizeOrder(request.symbol, request.side, request.quantity);
    const quantity = instrument.roundQuantity(sized, RoundingMode.Down);
    if (sized < request.quantity && this.note !== undefined && quantity > 0) {
      const why = this.riskGate.sizingReason?.() ?? 'by the risk gate';
      this.note(`${request.side} ${instrument.formatQuantity(request.quantity)} ${request.symbol} sized to ${instrument.formatQuantity(quantity)} ${why}`);
    }
    return quantity;
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
    this.gate.emit({ kind: OrderEventKind.Denied, order, time: order.createdAt, ...denial });
    return order;
  }

  cancelOrder(orderId: string): void {
    const order = this.cache.orders.get(orderId);
    // A live venue confirms a cancel later; asking again meanwhile would be PENDING_CANCEL + PENDING_CANCEL (illegal).
    if (!order || !order.isOpen || order.status === OrderStatus.PendingCancel || this.mode.muted) return;
    order.apply(OrderEventKind.PendingCancel, this.clock.now());
    this.client.cancelOrder(order);
  }

  /** Orders in their last journaled state; open ones go back to the venue with the fills they already had (from `fills`). */
  restoreOrders(orders: readonly Order[], fills: readonly Fill[]): void {
    for (const order of orders) {
      this.cache.addOrder(order);
      const sequence = Number(/^O-(\d+)$/.exec(order.id)?.[1] ?? 0);
      if (sequence > this.orderSequence) this.orderSequence = sequence;
      if (order.isOpen) {
        this.cache.markOpen(order);
        this.client.restoreOrder?.(order, fills.filter((f) => f.orderId === order.id));
      }
    }
  }

  // ---- venue events (ExecutionEventSink) ----

  orderAccepted(order: Order, time: number): void {
    order.apply(OrderEventKind.Accepted, time);
    this.gate.emit({ kind: OrderEventKind.Accepted, order, time });
  }

  orderRejected(order: Order, reason: string, detail: string, time: number): void {
    order.apply(OrderEventKind.Rejected, time);
    this.cache.pruneOpen();
    this.gate.emit({ kind: OrderEventKind.Rejected, order, time, reason, detail });
  }

  orderTriggered(order: Order, time: number): void {
    order.trigger(time);
    this.gate.emit({ kind: OrderEventKind.Triggered, order, time });
  }

  orderCanceled(order: Order, time: number): void {
    order.apply(OrderEventKind.Canceled, time);
    this.cache.pruneOpen();
    this.gate.emit({ kind: OrderEventKind.Canceled, order, time });
  }

  orderExpired(order: Order, time: number): void {
    order.apply(OrderEventKind.Expired, time);
    this.cache.pruneOpen();
    this.gate.emit({ kind: OrderEventKind.Expired, order, time });
  }

  orderFilled(order: Order, fill: Fill): void {
    const index = this.cache.symbolIndex(order.symbol);
    const kind = order.applyFill(fill, this.cache.instruments[index]!);
    this.portfolio.applyFill(fill, index);
    if (kind === OrderEventKind.Filled) this.cache.pruneOpen();
    if (this.gate.recording || this.bus.hasSubscribers(Topic.Fill)) this.gate.publish(Topic.Fill, fill);
    this.gate.emit({ kind, order, time: fill.time, fill });
  }
}
