// The ports: what a data source and a venue must offer the kernel. Backtest, paper and live differ only here.
import type { Bar, BookSnapshot, Fill, Instrument, Order, OrderRequest, OrderSide } from '../core/index.ts';
import type { Clock } from './clock.ts';

/** Receives market data: the kernel implements it. */
export interface MarketDataSink {
  onBar(bar: Bar): void;
  /** Order book updates from live feeds (paper and live). */
  onBook?(book: BookSnapshot): void;
  /** Fast path for replays that know the symbol's index in the kernel (its instruments' order). */
  onBarIndexed?(bar: Bar, symbolIndex: number): void;
  /** The interval of a symbol's bars (ms), told once before its first bar: staleness allows one interval. */
  barInterval?(symbol: string, intervalMs: number): void;
}

/** A source of market data (a replay of files, an exchange feed). */
export interface DataClient {
  /** Symbols this client provides. */
  readonly symbols: readonly string[];
  /** Start delivering to `sink`. A replay returns when the data ends; a live feed returns at once. */
  start(sink: MarketDataSink): Promise<void> | void;
  stop(): Promise<void> | void;
}

/** What a venue reports back. The kernel implements it and applies each through the order transition table. */
export interface ExecutionEventSink {
  orderAccepted(order: Order, time: number): void;
  orderRejected(order: Order, reason: string, detail: string, time: number): void;
  orderTriggered(order: Order, time: number): void;
  orderFilled(order: Order, fill: Fill): void;
  orderCanceled(order: Order, time: number): void;
  orderExpired(order: Order, time: number): void;
}

/** Read-only account facts a simulated venue needs (a real exchange keeps its own). */
export interface AccountView {
  /** Free cash in ledger units. */
  cash(): bigint;
  /** Units of the symbol that may be sold now (T+1 aware, dust below one lot excluded). */
  sellableUnits(symbol: string, time: number): number;
  /** Units of the symbol held, dust included. */
  heldUnits(symbol: string): number;
}

/** Bars as seen by a simulated venue, before strategies see them. */
export type BarListener = (bar: Bar, symbolIndex: number) => void;
export type BookListener = (book: BookSnapshot, symbolIndex: number) => void;

export interface ExecutionContext {
  readonly clock: Clock;
  readonly events: ExecutionEventSink;
  readonly account: AccountView;
  instrument(symbol: string): Instrument;
  symbolIndex(symbol: string): number;
  /** Simulated venues match against the data stream. */
  onBar(listener: BarListener): void;
  onBook(listener: BookListener): void;
}

/** A venue: the simulated one for backtests and paper, an exchange for live. */
export interface ExecutionClient {
  readonly name: string;
  connect(context: ExecutionContext): void;
  submitOrder(order: Order): void;
  cancelOrder(order: Order): void;
  /** Human-readable assumptions of the fill model, for reports. */
  describe(): string[];
  /** Recovery: take back an order that was open when the process stopped, with its fills so far. */
  restoreOrder?(order: Order, fills: readonly Fill[]): void;
}

/** Decision of the pre-trade checks: undefined lets the order through. */
export interface OrderDenial {
  readonly reason: string;
  readonly detail: string;
  /** The number that failed and the limit it broke, when there is one. */
  readonly value?: number;
  readonly limit?: number;
}

/** What the kernel lets the risk engine see and do. */
export interface RiskContext {
  readonly clock: Clock;
  readonly instruments: readonly Instrument[];
  symbolIndex(symbol: string): number;
  /** Last close (NaN before the first bar) and its close time, by symbol index. */
  lastPrice(index: number): number;
  lastBarTime(index: number): number;
  /**
   * How long the last price may age before the next one is due, beyond the age limit: the bar interval
   * when the last price came from a bar, 0 when it came from a book (or the interval is unknown).
   */
  priceIntervalMs(index: number): number;
  /** Cash plus positions at their last close. */
  equity(): number;
  /** Positions held now (0: equity is cash). */
  openPositions(): number;
  /**
   * A version number of the ledger: it moves whenever cash or a held quantity changes (a fill, a restore, an
   * adopted position, an ex-rights day), so while it stands still equity moves only with the prices of the held
   * symbols. Read on every bar: keep it a field read.
   */
  ledgerVersion(): number;
  cash(): number;
  /** Held quantity by symbol index. */
  heldQuantity(index: number): number;
  /** Quantity that may be sold now (T+1 aware). */
  sellableQuantity(symbol: string): number;
  /** What of the held quantity a closing sell can ask the venue for: held, less its dust below one lot. */
  closableQuantity?(symbol: string): number;
  openOrders(): readonly Order[];
  cancelOrder(orderId: string): void;
  /** An order of the emergency close: skips the pre-trade chain and the participation cap, not market rules. */
  submitEmergencyOrder(request: OrderRequest): Order;
  publish(topic: string, message: unknown): void;
}

/** The pre-trade hook between strategy and venue; the risk engine implements it. */
export interface RiskGate {
  /** Called once by the kernel that installs the gate. */
  attach?(context: RiskContext): void;
  checkSubmit(order: Order): OrderDenial | undefined;
  /**
   * The quantity the gate lets a new order have, before lot rounding: REDUCE_RISK halves increasing
   * orders, a mode's limits cap them by risk per trade and exposure. Absent: unchanged.
   */
  sizeOrder?(symbol: string, side: OrderSide, quantity: number): number;
  /** Why the last sizeOrder cut its order (the limit and its numbers); undefined when it did not. */
  sizingReason?(): string | undefined;
  /** Limits of the deployment mode in force (undefined for a plain backtest). */
  modeLimits?(): { readonly riskPerTrade: number; readonly totalExposure: number; readonly dailyLoss: number } | undefined;
  /** A chance to observe each bar (breakers, marks) after the venue and before strategies. */
  onBar?(bar: Bar, index: number): void;
}

export const PASS_THROUGH_RISK: RiskGate = { checkSubmit: () => undefined };
