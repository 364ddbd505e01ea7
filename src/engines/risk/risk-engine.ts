// The risk engine: the kernel's RiskGate. Pre-trade checks on every order, breakers on every bar,
// the kill switch, and the emergency close. Same engine in backtest, paper and live.
import { type Bar, Market, type Order, OrderSide, tradingDayOf } from '../../core/index.ts';
import { type Clock, type OrderDenial, type RiskContext, type RiskGate, Topic } from '../../common/index.ts';
import { BreakerLadder, type BreakerEvent } from './breaker-ladder.ts';
import { BreakerLevel, DenialReason, levelRank, RiskMode } from './codes.ts';
import { type BreakerProfile, DEFAULT_RISK_CONFIG, type ModeLimits, profileFor, type RiskConfig } from './config.ts';
import { cancelAllButEmergency, EMERGENCY_TOPIC, type HeldBack, hasEmergencyOrder, submitClosingOrders } from './emergency-close.ts';
import { FeedHealth } from './feed-health.ts';
import { LossTriggers } from './loss-triggers.ts';
import { type JournaledBreakerChange, OperatorControls } from './operator-controls.ts';
import { PortfolioMonitor } from './portfolio-monitor.ts';
import { PortfolioTriggers } from './portfolio-triggers.ts';
import { checkOrder, OrderRateLimiter } from './pre-trade.ts';
import { committedExposure, describeSizing, type SizingInput, sizeWithinLimits } from './position-sizer.ts';
import { QuietBand } from './quiet-band.ts';
import { SymbolTracker } from './symbol-tracker.ts';

/** Stop distance assumed for risk-per-trade sizing, in ATRs. */
const ATR_STOP_MULTIPLE = 2;

export interface RiskEngineOptions {
  readonly config?: RiskConfig;
  readonly mode?: RiskMode;
  /** LIVE_SCALED step (0-based). */
  readonly scaledStep?: number;
  /** True when the engine runs a backtest (DATA_STALE does not apply). */
  readonly backtest?: boolean;
  /**
   * The per-bar quiet path (default true): a bar inside the quiet band, with nothing else changed, is
   * settled without a full look at the account. False makes every bar a full look: the reference the
   * quiet path must equal (tests, audits of a decision).
   */
  readonly quietPath?: boolean;
}

export class RiskEngine implements RiskGate {
  readonly config: RiskConfig;
  readonly mode: RiskMode;
  readonly ladder: BreakerLadder;
  private readonly profile: BreakerProfile;
  private readonly limitsOfMode: ModeLimits | undefined;
  /** Why the last sizeOrder cut its order. */
  private lastSizing: string | undefined;
  /** The per-bar fast path; its contract is at the top of quiet-band.ts. */
  private readonly band: QuietBand;
  private readonly losses: LossTriggers;
  private readonly feed: FeedHealth;
  private readonly controls: OperatorControls;
  private context!: RiskContext;
  /** The context's clock and ledger version, held directly: every look reads them. */
  private clock!: Clock;
  private ledgerVersion!: () => number;
  private rate!: OrderRateLimiter;
  private market: Market = Market.Crypto;
  private symbols!: SymbolTracker;
  private monitor!: PortfolioMonitor;
  private portfolio!: PortfolioTriggers;
  /** Set when an order passed, positions changed or a day completed: VaR and correlation are due. */
  private portfolioDirty = false;
  /** The ledger version VaR and correlation last saw: a fill since then makes them due. */
  private portfolioLedger = 0;
  readonly deniedCounts = new Map<string, number>();
  /** Every part of a position an emergency close could not sell at once, and why. */
  readonly heldBack: HeldBack[] = [];

  constructor(options: RiskEngineOptions = {}) {
    this.config = options.config ?? DEFAULT_RISK_CONFIG;
    this.mode = options.mode ?? RiskMode.Backtest;
    this.profile = profileFor(this.config, this.mode);
    const modes = this.config.modes;
    this.limitsOfMode =
      this.mode === RiskMode.Paper ? modes.PAPER
      : this.mode === RiskMode.LiveMinimal ? modes.LIVE_MINIMAL
      : this.mode === RiskMode.LiveScaled ? modes.LIVE_SCALED[Math.min(options.scaledStep ?? 0, modes.LIVE_SCALED.length - 1)]
      : undefined;
    this.ladder = new BreakerLadder((event) => this.onLevelChange(event));
    this.band = new QuietBand(options.quietPath ?? true);
    this.losses = new LossTriggers(this.profile, this.ladder);
    this.feed = new FeedHealth(this.profile, options.backtest ?? this.mode === RiskMode.Backtest, this.ladder, this.band);
    this.controls = new OperatorControls(this.profile, this.ladder, this.band, this.losses, this.feed);
  }

  get level(): BreakerLevel {
    return this.ladder.level;
  }

  get events(): readonly BreakerEvent[] {
    return this.ladder.events;
  }

  attach(context: RiskContext): void {
    this.context = context;
    this.clock = context.clock;
    this.ledgerVersion = context.ledgerVersion;
    const pre = this.config.preTrade;
    this.rate = new OrderRateLimiter(pre.maxOrdersPerSecond, pre.maxOrdersPerDay);
    this.market = context.instruments[0]?.market ?? Market.Crypto;
    this.monitor = new PortfolioMonitor(context.instruments.length, this.config.monitorDays);
    this.portfolio = new PortfolioTriggers(this.profile, this.profile === this.config.breakers.live, this.ladder, this.monitor, this.market);
    this.symbols = new SymbolTracker(context.instruments, this.limitsOfMode !== undefined, this.monitor);
    this.band.attach(context, this.symbols);
    this.losses.attach(this.market);
    this.feed.attach(context.clock, this.market);
    this.controls.attach(context);
  }

  // ---- pre-trade ---------------------------------------------------------------------------

  /** Orders that add to a position (spot: buys). Sells of what is held reduce it. */
  private isIncreasing(order: { side: OrderSide }, index: number): boolean {
    const held = this.context.heldQuantity(index);
    return order.side === OrderSide.Buy ? held >= 0 : held <= 0;
  }

  modeLimits(): ModeLimits | undefined {
    return this.limitsOfMode;
  }

  /**
   * Increasing orders: x reduceRiskFactor at REDUCE_RISK, and under a mode's limits no more than risk per trade over
   * a 2 x ATR(14) stop, scaled down when ATR runs above its 100-bar norm, within the exposure headroom.
   */
  sizeOrder(symbol: string, side: OrderSide, quantity: number): number {
    this.lastSizing = undefined;
    const index = this.context.symbolIndex(symbol);
    if (!this.isIncreasing({ side }, index)) return quantity;
    const reduced = this.ladder.level === BreakerLevel.ReduceRisk;
    let sized = reduced ? quantity * this.config.reduceRiskFactor : quantity;
    if (reduced) this.lastSizing = `x${this.config.reduceRiskFactor} at REDUCE_RISK`;
    const limits = this.limitsOfMode;
    if (limits === undefined) return sized;
    const context = this.context;
    const price = context.lastPrice(index);
    const atr = this.symbols.volatilityOf(index);
    // The ATR runs on adjusted prices (an ex-rights gap is no range); back to today's raw prices.
    const factor = this.symbols.factorOf(index);
    const input: SizingInput = {
      equity: context.equity(),
      price,
      stopDistance: atr ? (ATR_STOP_MULTIPLE * atr.value) / factor : NaN,
      currentExposure: committedExposure(context),
      volatility: atr ? atr.value / factor : NaN,
      normalVolatility: atr ? atr.norm / factor : NaN,
    };
    const decision = sizeWithinLimits(sized, limits, input);
    // No room left under the exposure cap: leave the size alone so the pre-trade chain denies the order
    // with MAX_EXPOSURE and its numbers, not the kernel with "rounds to 0".
    if (decision.boundBy === 'exposure' && context.instruments[index]!.roundQuantity(decision.quantity) <= 0) return sized;
    this.lastSizing = describeSizing(decision, this.mode, limits, input, ATR_STOP_MULTIPLE) ?? this.lastSizing;
    return decision.quantity;
  }

  /** Why the last sizeOrder cut its order, undefined when it did not. */
  sizingReason(): string | undefined {
    return this.lastSizing;
  }

  checkSubmit(order: Order): OrderDenial | undefined {
    const denial = this.evaluate(order);
    if (denial) this.deniedCounts.set(denial.reason, (this.deniedCounts.get(denial.reason) ?? 0) + 1);
    return denial;
  }

  private evaluate(order: Order): OrderDenial | undefined {
    const context = this.context;
    const index = context.symbolIndex(order.symbol);
    const now = context.clock.now();
    const level = this.ladder.level;
    if (order.emergency) return undefined; // the emergency close itself: market rules stay with the venue
    if (level === BreakerLevel.EmergencyClose || level === BreakerLevel.HaltAllTrading) {
      return { reason: DenialReason.TradingHalted, detail: `breaker at ${level}: only cancels are allowed` };
    }
    const halted = this.controls.haltReason(order.symbol);
    if (halted !== undefined) return { reason: DenialReason.SymbolHalted, detail: `trading ${order.symbol} is halted until a person decides: ${halted}` };
    const increasing = this.isIncreasing(order, index);
    if (level === BreakerLevel.HaltNewPositions && increasing) {
      return { reason: DenialReason.ReduceOnly, detail: `breaker at ${level}: only orders that reduce a position are allowed` };
    }
    const rateDenial = this.rate.check(now, tradingDayOf(this.market, now));
    if (rateDenial) return rateDenial;
    const equity = context.equity();
    const denial = checkOrder({
      order,
      index,
      instrument: context.instruments[index]!,
      context,
      limits: this.config.preTrade,
      exposureCap: this.limitsOfMode ? Math.min(this.limitsOfMode.totalExposure, this.config.preTrade.maxExposureFraction) : this.config.preTrade.maxExposureFraction,
      dailyLossLimit: this.limitsOfMode ? this.limitsOfMode.dailyLoss : this.config.preTrade.dailyLossLimit,
      dailyLoss: this.losses.dailyLoss(equity),
      symbolLimits: this.symbols.limits(index, context.clock.now()),
      increasing,
      equity,
    });
    if (!denial) {
      this.rate.record(now);
      this.markPortfolioDue();
    }
    return denial;
  }

  // ---- breakers ----------------------------------------------------------------------------

  /**
   * Every bar, after the venue. The common case, small enough to inline into the kernel's loop: the
   * quiet band settles the bar (see quiet-band.ts for when). Everything else is in `look`.
   */
  onBar(bar: Bar, index: number): void {
    if (this.band.settles(bar, index)) return;
    this.look(bar, index);
  }

  private look(bar: Bar, index: number): void {
    this.settleInlineBars();
    const symbols = this.symbols;
    const band = this.band;
    if (symbols.needsWork[index] === 1 || bar.openTime >= symbols.dayEnds[index]!) {
      if (symbols.update(bar, index)) this.markPortfolioDue();
      band.reband(this.losses.peakEquity);
    }
    symbols.closes[index] = bar.close;
    if (this.ladder.activeMask === 0 && !this.portfolioDirty && band.isQuiet()) {
      // Flat and the ledger unchanged: equity is the cash, nothing can trip.
      if (band.isFlat()) return;
      // One symbol held: equity from its last price, the kernel's own sum (cash + quantity x price).
      const equity = band.equityAt(index, bar.close);
      if (equity > band.floor) {
        const losses = this.losses;
        losses.lastEquity = equity;
        if (equity > losses.peakEquity) {
          losses.raisePeak(equity);
          band.peakRose(equity, losses.highestFloor());
        }
        return;
      }
    }
    this.evaluateBreakers(this.clock.now());
  }

  /** VaR and correlation are due at the next look: the band closes until then. */
  private markPortfolioDue(): void {
    this.portfolioDirty = true;
    this.band.close();
  }

  /** Bars settled inline since the last look leave the equity the quiet band implies. */
  private settleInlineBars(): void {
    if (this.band.owesEquity) this.losses.lastEquity = this.band.settleEquity();
  }

  /**
   * Equity-based triggers, then the periodic ones, then expiry. The common case (nothing near a
   * threshold, nothing active, nothing due) is a few comparisons: this runs on every bar.
   */
  evaluateBreakers(now: number): void {
    this.settleInlineBars();
    const equity = this.context.equity();
    const losses = this.losses;
    this.band.disarm();
    if (this.ledgerVersion() !== this.portfolioLedger) this.markPortfolioDue();
    if (now >= losses.dayEnds) losses.startDay(now, equity);
    if (equity > losses.peakEquity || losses.peakEquity !== losses.peakEquity) losses.raisePeak(equity);
    losses.lastEquity = equity;
    if (this.armIfQuiet(equity)) return;
    losses.check(equity, now);
    if (this.portfolioDirty) {
      this.portfolioLedger = this.ledgerVersion();
      const toClose = this.portfolio.check(this.context, equity, now);
      if (toClose !== undefined) this.flatten([toClose]);
      // Emergency orders skip the pre-trade chain that marks positions as changing: look again until they are done.
      this.portfolioDirty = hasEmergencyOrder(this.context.openOrders());
    }
    this.ladder.expire(now);
    // Nothing tripped and nothing is left to do: the next bars may take the quiet path at once.
    this.armIfQuiet(equity);
  }

  /** No cause active, no portfolio check due, equity above every floor: the quiet band may arm. */
  private armIfQuiet(equity: number): boolean {
    const losses = this.losses;
    if (this.ladder.activeMask !== 0 || this.portfolioDirty || !losses.clearOf(equity)) return false;
    this.band.arm(equity, losses.highestFloor(), losses.peakEquity, losses.dayEnds);
    return true;
  }

  private onLevelChange(event: BreakerEvent): void {
    this.band.close();
    if (!this.context) return;
    this.context.publish(Topic.Breaker, event);
    if (levelRank(event.level) > levelRank(event.previousLevel) && levelRank(event.level) >= levelRank(BreakerLevel.HaltAllTrading)) {
      cancelAllButEmergency(this.context);
      if (event.level === BreakerLevel.EmergencyClose) this.flatten();
    }
  }

  /**
   * Closing orders for every position (or the given symbols) in this same event. The participation
   * cap is waived for them; T+1 and limit-down are not (the venue keeps those parts working).
   * What market rules keep from selling now is returned, kept in `heldBack` and published on
   * EMERGENCY_TOPIC.
   */
  flatten(indices?: readonly number[]): HeldBack[] {
    const reports = submitClosingOrders(this.context, this.symbols, indices);
    this.markPortfolioDue();
    for (const report of reports) {
      this.heldBack.push(report);
      this.context.publish(EMERGENCY_TOPIC, report);
    }
    return reports;
  }

  // ---- operator controls (operator-controls.ts) and feed health (feed-health.ts) -----------------

  /** Kill switch: HALT_ALL_TRADING now (EMERGENCY_CLOSE with flatten), open orders canceled in this call. */
  killSwitch(actor: string, options: { flatten?: boolean; reason?: string } = {}): void {
    this.controls.killSwitch(actor, options);
  }

  /** A person sets a level (MANUAL). It stays until `reset`. */
  setManualLevel(level: BreakerLevel, actor: string, detail = 'manual'): void {
    this.controls.setManualLevel(level, actor, detail);
  }

  /** Halt one symbol (every order on it is denied) until `resumeSymbol`: e.g. an unknown position. */
  haltSymbol(symbol: string, reason: string): void {
    this.controls.haltSymbol(symbol, reason);
  }

  /** A named person lets a halted symbol trade again. */
  resumeSymbol(symbol: string, actor: string): void {
    this.controls.resumeSymbol(symbol, actor);
  }

  isSymbolHalted(symbol: string): boolean {
    return this.controls.isSymbolHalted(symbol);
  }

  /** A named person clears the manual level and the reset requirement of HALT_ALL_TRADING / EMERGENCY_CLOSE. */
  reset(actor: string): void {
    this.controls.reset(actor);
  }

  /** A session's staleness check: the oldest market data in use is `ageMs` old against its own limit. */
  reportStaleness(ageMs: number, limitMs: number): void {
    this.feed.reportStaleness(ageMs, limitMs);
  }

  /** Live data clients report the age of their freshest quote (ms). Not used in backtests. */
  reportDataAge(ageMs: number): void {
    this.feed.reportDataAge(ageMs);
  }

  /** A data request failed (true) or succeeded (false). */
  reportDataResult(failed: boolean): void {
    this.feed.reportDataResult(failed);
  }

  /** Round-trip time of a venue request (ms). */
  reportApiLatency(latencyMs: number): void {
    this.feed.reportApiLatency(latencyMs);
  }

  // ---- session start and resume ------------------------------------------------------------------

  /**
   * Before trading, a session's daily history from its venue (or files): completed days' closes per
   * symbol, oldest first. VAR_LIMIT and CORRELATION then act from the first bar with what exists (at
   * least MIN_SESSION_RETURNS returns). Returns the aligned daily returns now available.
   */
  seedDailyHistory(symbol: string, days: ReadonlyArray<{ readonly openTime: number; readonly close: number }>): number {
    const index = this.context.symbolIndex(symbol);
    for (const { openTime, close } of days) this.monitor.completeDay(index, this.symbols.dayOf(index, openTime), close);
    const available = this.monitor.returnsAvailable;
    this.monitor.useHistoryOf(available);
    this.markPortfolioDue();
    return available;
  }

  /** Sessions without history before their first bar (replays): VaR and correlation speak after MIN_SESSION_RETURNS days. */
  useShortHistory(): void {
    this.monitor.useHistoryOf(0);
  }

  /** Resume: the submission times of orders an earlier process of the run sent count in the order-rate windows. */
  restoreSubmissions(times: readonly number[]): void {
    for (const time of times) {
      this.rate.check(time, tradingDayOf(this.market, time));
      this.rate.record(time);
    }
  }

  /** Resume playback of a journaled level change (see OperatorControls.replayBreaker). */
  replayBreaker(event: JournaledBreakerChange): void {
    this.controls.replayBreaker(event);
  }
}
