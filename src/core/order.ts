// Orders: types, statuses and the transition table that is the only way an order changes status.
import type { Instrument } from './instrument.ts';

export const OrderSide = { Buy: 'BUY', Sell: 'SELL' } as const;
export type OrderSide = (typeof OrderSide)[keyof typeof OrderSide];

export const OrderType = { Market: 'MARKET', Limit: 'LIMIT', Stop: 'STOP', StopLimit: 'STOP_LIMIT' } as const;
export type OrderType = (typeof OrderType)[keyof typeof OrderType];

export const TimeInForce = { GTC: 'GTC', IOC: 'IOC', FOK: 'FOK' } as const;
export type TimeInForce = (typeof TimeInForce)[keyof typeof TimeInForce];

export const OrderStatus = {
  Initialized: 'INITIALIZED',
  Denied: 'DENIED',
  Submitted: 'SUBMITTED',
  Accepted: 'ACCEPTED',
  Rejected: 'REJECTED',
  Triggered: 'TRIGGERED',
  PartiallyFilled: 'PARTIALLY_FILLED',
  Filled: 'FILLED',
  PendingCancel: 'PENDING_CANCEL',
  Canceled: 'CANCELED',
  Expired: 'EXPIRED',
} as const;
export type OrderStatus = (typeof OrderStatus)[keyof typeof OrderStatus];

/** What happened to an order; the transition table maps (status, event) to the next status. */
export const OrderEventKind = {
  Denied: 'DENIED',
  Submitted: 'SUBMITTED',
  Accepted: 'ACCEPTED',
  Rejected: 'REJECTED',
  Triggered: 'TRIGGERED',
  PartiallyFilled: 'PARTIALLY_FILLED',
  Filled: 'FILLED',
  PendingCancel: 'PENDING_CANCEL',
  CancelRejected: 'CANCEL_REJECTED',
  Canceled: 'CANCELED',
  Expired: 'EXPIRED',
} as const;
export type OrderEventKind = (typeof OrderEventKind)[keyof typeof OrderEventKind];

const S = OrderStatus;
const E = OrderEventKind;

/**
 * Every legal (status, event) pair. Anything absent is an illegal transition. CANCEL_REJECTED
 * returns to the status before PENDING_CANCEL, which the order remembers.
 */
export const ORDER_TRANSITIONS: Readonly<Record<OrderStatus, Partial<Record<OrderEventKind, OrderStatus>>>> = {
  [S.Initialized]: { [E.Denied]: S.Denied, [E.Submitted]: S.Submitted, [E.Canceled]: S.Canceled },
  [S.Submitted]: {
    [E.Accepted]: S.Accepted,
    [E.Rejected]: S.Rejected,
    [E.PartiallyFilled]: S.PartiallyFilled,
    [E.Filled]: S.Filled,
    [E.PendingCancel]: S.PendingCancel,
    [E.Canceled]: S.Canceled,
    [E.Expired]: S.Expired,
  },
  [S.Accepted]: {
    [E.Rejected]: S.Rejected, // venues that acknowledge first and reject later
    [E.Triggered]: S.Triggered,
    [E.PartiallyFilled]: S.PartiallyFilled,
    [E.Filled]: S.Filled,
    [E.PendingCancel]: S.PendingCancel,
    [E.Canceled]: S.Canceled,
    [E.Expired]: S.Expired,
  },
  [S.Triggered]: {
    [E.PartiallyFilled]: S.PartiallyFilled,
    [E.Filled]: S.Filled,
    [E.PendingCancel]: S.PendingCancel,
    [E.Canceled]: S.Canceled,
    [E.Expired]: S.Expired,
  },
  [S.PartiallyFilled]: {
    [E.PartiallyFilled]: S.PartiallyFilled,
    [E.Filled]: S.Filled,
    [E.PendingCancel]: S.PendingCancel,
    [E.Canceled]: S.Canceled,
    [E.Expired]: S.Expired,
  },
  [S.PendingCancel]: {
    [E.Triggered]: S.PendingCancel, // a stop can trigger while its cancel is on the way
    [E.PartiallyFilled]: S.PendingCancel,
    [E.Filled]: S.Filled,
    [E.CancelRejected]: S.Accepted,
    [E.Canceled]: S.Canceled,
    [E.Expired]: S.Expired,
  },
  [S.Denied]: {},
  [S.Rejected]: {},
  [S.Filled]: {},
  [S.Canceled]: {},
  [S.Expired]: {},
};

export const TERMINAL_STATUSES: ReadonlySet<OrderStatus> = new Set([S.Denied, S.Rejected, S.Filled, S.Canceled, S.Expired]);

export class IllegalOrderTransition extends Error {
  constructor(
    readonly orderId: string,
    readonly status: OrderStatus,
    readonly event: OrderEventKind,
  ) {
    super(`order ${orderId}: ${event} is not allowed in status ${status}`);
    this.name = 'IllegalOrderTransition';
  }
}

export interface OrderRequest {
  readonly symbol: string;
  readonly side: OrderSide;
  readonly type: OrderType;
  readonly quantity: number;
  /** Limit price (LIMIT, STOP_LIMIT). */
  readonly price?: number;
  /** Trigger price (STOP, STOP_LIMIT). */
  readonly stopPrice?: number;
  readonly timeInForce?: TimeInForce;
  /** Free text the strategy attaches (shown in reports). */
  readonly tag?: string;
}

/** An order and its fill state. Quantities stay on the instrument lot grid (applyFill re-rounds each sum). */
export class Order {
  status: OrderStatus = S.Initialized;
  /** Status to return to when a cancel is rejected. */
  private statusBeforeCancel: OrderStatus = S.Accepted;
  filledQuantity = 0;
  /** Sum of price x quantity of the fills, for the average price. */
  filledNotional = 0;
  updatedAt: number;
  /** True for orders of the emergency close (no participation cap). */
  emergency = false;
  /** Set once a stop has triggered. */
  triggered = false;

  constructor(
    readonly id: string,
    readonly symbol: string,
    readonly side: OrderSide,
    readonly type: OrderType,
    readonly quantity: number,
    readonly price: number | undefined,
    readonly stopPrice: number | undefined,
    readonly timeInForce: TimeInForce,
    readonly createdAt: number,
    /** The last price when the decision was made (slippage is measured against it). */
    readonly decisionPrice: number,
    readonly tag?: string,
  ) {
    this.updatedAt = createdAt;
  }

  get remainingQuantity(): number {
    return this.quantity - this.filledQuantity;
  }

  get averageFillPrice(): number {
    return this.filledQuantity > 0 ? this.filledNotional / this.filledQuantity : NaN;
  }

  get isOpen(): boolean {
    return !TERMINAL_STATUSES.has(this.status) && this.status !== S.Initialized;
  }

  get isTerminal(): boolean {
    return TERMINAL_STATUSES.has(this.status);
  }

  /** Mark an order of the emergency close (no participation cap), before it is submitted. */
  markEmergency(): void {
    if (this.status !== S.Initialized) throw new Error(`order ${this.id}: only a new order can be marked emergency (status ${this.status})`);
    this.emergency = true;
  }

  /**
   * Crash recovery and resume: a new order takes the state its journal recorded (status, filled
   * quantity, last change). The journal keeps the status, not the trigger flag: a stop that is
   * TRIGGERED, or has filled at all, was triggered.
   */
  restoreState(status: OrderStatus, filledQuantity: number, updatedAt: number): void {
    if (this.status !== S.Initialized) throw new Error(`order ${this.id}: only a new order can take a journaled state (status ${this.status})`);
    this.status = status;
    this.filledQuantity = filledQuantity;
    this.updatedAt = updatedAt;
    const stop = this.type === OrderType.Stop || this.type === OrderType.StopLimit;
    if (stop && (status === S.Triggered || filledQuantity > 0)) this.triggered = true;
  }

  /** A stop's trigger, through the transition table. */
  trigger(time: number): void {
    this.apply(E.Triggered, time);
    this.triggered = true;
  }

  /**
   * A fill through the transition table: FILLED once the lot-grid sum reaches the quantity, else
   * PARTIALLY_FILLED. The filled quantity is re-summed in instrument units, so it stays on the lot grid.
   */
  applyFill(fill: { readonly price: number; readonly quantity: number; readonly time: number }, instrument: Instrument): OrderEventKind {
    const filledUnits = instrument.quantityUnits(this.filledQuantity) + instrument.quantityUnits(fill.quantity);
    const kind = filledUnits >= instrument.quantityUnits(this.quantity) ? E.Filled : E.PartiallyFilled;
    this.apply(kind, fill.time);
    this.filledQuantity = instrument.quantityFromUnits(filledUnits);
    this.filledNotional += fill.price * fill.quantity;
    return kind;
  }

  /** Apply an event through the transition table; throws IllegalOrderTransition otherwise. */
  apply(event: OrderEventKind, time: number): OrderStatus {
    const next = ORDER_TRANSITIONS[this.status][event];
    if (next === undefined) throw new IllegalOrderTransition(this.id, this.status, event);
    if (event === E.PendingCancel) this.statusBeforeCancel = this.status;
    // A fill while the cancel is pending: if the cancel is then rejected the order is partially filled, not back to ACCEPTED.
    else if (this.status === S.PendingCancel && event === E.PartiallyFilled) this.statusBeforeCancel = S.PartiallyFilled;
    this.status = event === E.CancelRejected ? this.statusBeforeCancel : next;
    this.updatedAt = time;
    return this.status;
  }
}
