// The kernel: wires clock, bus, cache, data, strategy and the engines (risk, execution, portfolio). The same object runs backtest, paper and live.
import { type Account, type Bar, type BookSnapshot, type Fill, midPrice, type Order, type OrderRequest } from '../core/index.ts';
import { type BarListener, type BookListener, Cache, type Clock, type MarketDataSink, MessageBus, PASS_THROUGH_RISK, type RiskContext, type RiskGate, type Strategy, type StrategyContext, Topic } from '../common/index.ts';
import { type CorporateAction, ExecutionEngine, type GatedMessage, KernelDenial, Portfolio } from '../engines/index.ts';
import type { KernelConfig } from './kernel-config.ts';
import { riskContext } from './risk-context.ts';
import { strategyContext, strategyLogLine } from './strategy-context.ts';
import { StrategyFeed } from './strategy-feed.ts';

export { KernelDenial };
export type { CorporateAction, KernelConfig };

export class Kernel implements MarketDataSink {
  readonly cache = new Cache();
  readonly bus: MessageBus;
  readonly clock: Clock;
  readonly portfolio: Portfolio;
  readonly execution: ExecutionEngine;
  readonly account: Account;
  readonly fills: Fill[];
  /** Ex-rights days that changed a position. */
  readonly corporateActions: CorporateAction[];
  readonly deniedCounts: Map<string, number>;
  /** Every breaker level change published by the risk engine (Topic.Breaker). */
  readonly breakerEvents: unknown[] = [];
  readonly log: (message: string) => void;
  /** While true (replaying history at the start of a live session) strategies see data but cannot trade. */
  warmingUp = false;
  /**
   * While true (a resumed session playing its journal back) nothing reaches the venue: decisions,
   * emergency orders and cancels are refused quietly, as during a warm-up.
   */
  muted = false;
  private readonly strategy: Strategy;
  private readonly context: StrategyContext;
  private readonly riskView: RiskContext;
  private started = false;
  private readonly barListeners: BarListener[] = [];
  /** The bus's live list of bar subscribers: one length check per bar instead of a map lookup. */
  private readonly barSubscribers: unknown[];
  private readonly bookListeners: BookListener[] = [];
  private readonly strategyFeed: StrategyFeed;
  /** Bar interval per symbol as its data client told (0: unknown), and when the last book arrived. */
  private readonly barIntervalMs: Float64Array;
  private readonly lastBookTime: Float64Array;

  constructor(config: KernelConfig) {
    this.clock = config.clock;
    this.strategy = config.strategy;
    this.bus = config.bus ?? new MessageBus();
    this.barSubscribers = this.bus.handlersOf(Topic.Bar);
    this.log = config.log ?? (() => {});
    for (const instrument of config.instruments) this.cache.addInstrument(instrument);
    const symbols = this.cache.instruments.length;
    this.strategyFeed = new StrategyFeed(symbols, config.adjustedPrices ?? true);
    this.barIntervalMs = new Float64Array(symbols);
    this.lastBookTime = new Float64Array(symbols).fill(-Infinity);
    const { clock, cache, bus, log, strategy, strategyFeed: feed, barIntervalMs, lastBookTime } = this;
    // The portfolio's notes (an A-share holding changed by an ex-rights day) share the strategy's log, in its format.
    const note = (message: string): void => log(strategyLogLine(clock.now(), 'portfolio', message));
    const portfolio = new Portfolio({ cache, bus, currency: config.currency, initialCapital: config.initialCapital, log: note });
    const risk = config.risk ?? PASS_THROUGH_RISK;
    const execution = new ExecutionEngine({ clock, cache, bus, client: config.execution, portfolio, risk, mode: this, note: (message) => log(strategyLogLine(clock.now(), 'risk', message)) });
    this.portfolio = portfolio;
    this.execution = execution;
    this.account = portfolio.account;
    this.fills = portfolio.fills;
    this.corporateActions = portfolio.corporateActions;
    this.deniedCounts = execution.deniedCounts;
    this.context = strategyContext({ clock, cache, execution, portfolio, strategy, feed, log, mode: this });
    this.riskView = riskContext({ clock, cache, execution, portfolio, barIntervalMs, lastBookTime });
    bus.subscribe(Topic.Breaker, (event) => this.breakerEvents.push(event));
    risk.attach?.(this.riskView);
    execution.connect(this.barListeners, this.bookListeners);
  }

  /**
   * Recovery: rebuild the ledger, positions and orders from a journal (fills in journal order, orders
   * in their last journaled state) before any new data. Open orders go back to the venue. Nothing is
   * re-journaled and no strategy sees these events: they happened before the restart.
   */
  restore(state: { fills: readonly Fill[]; orders: readonly Order[] }): void {
    this.portfolio.restore(state.fills);
    this.execution.restoreOrders(state.orders, state.fills);
  }

  restoreOrders(orders: readonly Order[], fills: readonly Fill[]): void {
    this.execution.restoreOrders(orders, fills);
  }

  adoptPosition(symbol: string, quantity: number, price: number): void {
    this.portfolio.adoptPosition(symbol, quantity, price);
  }

  /** Replace the pre-trade gate (the risk engine installs itself here). */
  setRiskGate(risk: RiskGate): void {
    this.execution.setRiskGate(risk);
    risk.attach?.(this.riskView);
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.execution.gate.deliverTo(this.strategy);
    this.strategy.attach(this.context);
    this.strategy.onStart();
  }

  stop(): void {
    if (!this.started) return;
    this.strategy.onStop();
    this.execution.gate.deliverTo(undefined);
    this.started = false;
  }

  // ---- market data ----

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
    if (factor !== undefined && factor !== this.portfolio.corporateFactor[index]) {
      // An ex-rights day, before anything trades on it: the portfolio books it, the strategy's prices move.
      this.portfolio.exRightsDay(bar, index, factor, this.warmingUp);
      this.strategyFeed.exRightsDay(index, factor);
    }
    const listeners = this.barListeners;
    for (let i = 0; i < listeners.length; i++) listeners[i]!(bar, index);
    this.cache.lastClose[index] = bar.close;
    this.cache.lastBarTime[index] = bar.closeTime;
    this.cache.lastBars[index] = bar;
    const risk = this.execution.risk;
    if (risk.onBar !== undefined) risk.onBar(bar, index);
  }

  /** Second half: indicators, subscribers and the strategy see the bar (adjusted where the run adjusts). */
  presentBar(rawBar: Bar, index: number): void {
    const bar = this.strategyFeed.present(rawBar, index);
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
    const risk = this.execution.risk;
    if (risk.onBar !== undefined) risk.onBar(bar, index);
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

  // ---- the portfolio and the execution engine, as the session and the reports use them ----

  equity(): number {
    return this.portfolio.equity();
  }

  /** What of the position in `symbol` a closing sell can ask the venue for: held, less its dust below one lot. */
  closableQuantity(symbol: string): number {
    return this.riskView.closableQuantity!(symbol);
  }

  cash(): number {
    return this.portfolio.cash();
  }

  get hasOpenPosition(): boolean {
    return this.portfolio.hasOpenPosition;
  }

  sellableUnits(symbol: string, time: number): number {
    return this.portfolio.sellableUnits(symbol, time);
  }

  markedPositionsValue(): bigint {
    return this.portfolio.markedPositionsValue();
  }

  /** `emergency` marks orders of the emergency close (no participation cap; the risk engine lets them through). */
  submitOrder(request: OrderRequest, emergency = false): Order {
    return this.execution.submitOrder(request, emergency);
  }

  cancelOrder(orderId: string): void {
    this.execution.cancelOrder(orderId);
  }

  /** A fill reported for `order` from outside its venue (a transfer in), booked like a venue's. */
  orderFilled(order: Order, fill: Fill): void {
    this.execution.orderFilled(order, fill);
  }

  /** Write-ahead: see WriteAheadGate. */
  setWriteAhead(record: (item: GatedMessage) => void): void {
    this.execution.gate.setWriteAhead(record);
  }

  hold(): void {
    this.execution.gate.hold();
  }

  release(keepHolding = false): void {
    this.execution.gate.release(keepHolding);
  }
}
