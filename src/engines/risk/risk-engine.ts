// The risk engine: the kernel's RiskGate. Pre-trade checks on every order, breakers on every bar,
// the kill switch, and the emergency close. Same engine in backtest, paper and live.
import { ASHARE_DAILY_CLOSE_OFFSET_MS, type Bar, dailyLimitFraction, DailyLimitTracker, Market, MS_PER_DAY, type Order, OrderSide, OrderType, priceLimits, SHANGHAI_OFFSET_MS, tradingDayOf, tradingWeekOf } from '../../core/index.ts';
import { type Clock, type OrderDenial, type RiskContext, type RiskGate, Topic } from '../../common/index.ts';
import { BreakerLadder, type BreakerEvent } from './breaker-ladder.ts';
import { BreakerCause, BreakerLevel, DenialReason, levelRank, needsReset, RiskMode } from './codes.ts';
import { type BreakerProfile, type Cooldown, DEFAULT_RISK_CONFIG, type ModeLimits, profileFor, type RiskConfig, type TriggerConfig } from './config.ts';
import { PortfolioMonitor } from './portfolio-monitor.ts';
import { checkOrder, OrderRateLimiter, type SymbolLimits } from './pre-trade.ts';
import { sizeWithinLimits } from './position-sizer.ts';
import { Atr, Sma } from '../../signals/index.ts';

/** Stop distance assumed for risk-per-trade sizing, in ATRs. */
const ATR_STOP_MULTIPLE = 2;

/** ATR(14) of a symbol and its 100-bar average, the volatility norm. Kept only under a mode's limits. */
class VolatilityTracker {
  private readonly atr = new Atr(14);
  private readonly average = new Sma(100);
  value = NaN;
  norm = NaN;

  update(high: number, low: number, close: number): void {
    this.value = this.atr.update(high, low, close);
    if (this.value === this.value) this.norm = this.average.update(this.value);
  }
}

function hasEmergencyOrder(orders: readonly Order[]): boolean {
  for (let i = 0; i < orders.length; i++) if (orders[i]!.emergency) return true;
  return false;
}

/** The index of the only symbol held, or -1 when none or several are. */
function soleHolding(context: RiskContext): number {
  let held = -1;
  for (let i = 0; i < context.instruments.length; i++) {
    if (context.heldQuantity(i) === 0) continue;
    if (held !== -1) return -1;
    held = i;
  }
  return held;
}

/**
 * The equity at or below which a loss of `threshold` from `start` may have been reached. Set a hair
 * above start x (1 - threshold): equity that rounds to the threshold itself must reach the exact
 * check ((start - equity) / start >= threshold), not be skipped by the fast path.
 */
function floorOf(start: number, threshold: number): number {
  return start * (1 - threshold) * (1 + 1e-9);
}

/** Topic of the emergency close's reports of what market rules keep it from selling now. */
export const EMERGENCY_TOPIC = 'risk.emergency';

/** Part of a position the emergency close cannot sell now; its order keeps working at the venue. */
export interface HeldBack {
  readonly time: number;
  readonly symbol: string;
  readonly quantity: number;
  /** T_PLUS_ONE: bought today (A-shares); LIMIT_DOWN: the last price is at the daily limit-down. */
  readonly reason: 'T_PLUS_ONE' | 'LIMIT_DOWN';
}

/** Whether a loss condition currently holds and until when the ladder has it cooling down. */
interface LossState {
  holding: boolean;
  until: number;
}

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
  private readonly backtest: boolean;
  private context!: RiskContext;
  /** The context's clock and ledger version, held directly: the per-bar path reads them without a hop. */
  private clock!: Clock;
  private ledgerVersion!: () => number;
  private rate!: OrderRateLimiter;
  private market: Market = Market.Crypto;
  private limitTrackers: (DailyLimitTracker | undefined)[] = [];
  private volatility: (VolatilityTracker | undefined)[] = [];
  /** Per symbol: the market's UTC offset for trading days (A-shares: Shanghai). */
  private dayOffset = new Float64Array(0);
  private symbolDay = new Float64Array(0);
  /** Last close per symbol (the close of its day when the next day's first bar arrives). */
  private symbolClose = new Float64Array(0);
  /**
   * The quiet account of the last full look (no breaker active, nothing pending, every floor clear):
   * the ledger version it saw (NaN: none), and the one symbol whose price alone moves equity (-1:
   * flat; -2: no quiet account, look in full). Its cash and quantity give equity from a bar's close
   * exactly as the kernel computes it.
   */
  private ledgerSeen = NaN;
  private readonly quietPath: boolean;
  private quietIndex = -2;
  private quietCash = NaN;
  private quietQuantity = NaN;
  /** The highest of the daily, weekly and drawdown floors. */
  private quietFloor = Infinity;
  private heldScanLedger = -1;
  private heldScan = -1;
  /**
   * The quiet band: bars of `bandSymbol` (-1: of any symbol, the account being flat) that open before
   * `bandUntil` (the end of their trading day) and close strictly between bandLow and bandHigh keep a
   * quiet account quiet: equity stays above every floor and at or below the peak, by a margin that
   * float rounding cannot cross. Scalars, so the per-bar check reads no array but the counters.
   */
  private bandSymbol = -2;
  private bandLow = Infinity;
  private bandHigh = -Infinity;
  private bandUntil = -Infinity;
  /** A bar took the inline path since the last look: the equity it implies is owed to lastEquity. */
  private inlineBars = false;
  /** 1 where every bar needs symbol work (A-share limits, volatility under a mode). */
  private needsSymbolWork = new Uint8Array(0);
  private symbolDayEnds = new Float64Array(0);
  /** A-shares: last raw close (the next session's limits after the close) and the corporate-action factor of the last bar. */
  private lastRawClose = new Float64Array(0);
  private lastFactor = new Float64Array(0);
  /** When the current trading day of the account ends (UTC ms): the per-bar path only compares. */
  private dayEnds = -Infinity;
  private monitor!: PortfolioMonitor;
  private day = -1;
  private week = -1;
  private dayStartEquity = NaN;
  private weekStartEquity = NaN;
  private peakEquity = NaN;
  private dailyFloor = -Infinity;
  private weeklyFloor = -Infinity;
  private drawdownFloor = -Infinity;
  private lastEquity = NaN;
  /** Set when an order passed, positions changed or a day completed: VaR and correlation are due. */
  private portfolioDirty = false;
  /** The ledger version VaR and correlation last saw: a fill since then makes them due. */
  private portfolioLedger = 0;
  private readonly dailyState: LossState = { holding: false, until: -Infinity };
  private readonly weeklyState: LossState = { holding: false, until: -Infinity };
  private readonly drawdownState: LossState = { holding: false, until: -Infinity };
  private consecutiveDataFailures = 0;
  readonly deniedCounts = new Map<string, number>();
  /** Symbols halted on their own (reconciliation found a position the platform does not know), with why. */
  private readonly haltedSymbols = new Map<string, string>();
  /** Every part of a position an emergency close could not sell at once, and why. */
  readonly heldBack: HeldBack[] = [];

  constructor(options: RiskEngineOptions = {}) {
    this.config = options.config ?? DEFAULT_RISK_CONFIG;
    this.mode = options.mode ?? RiskMode.Backtest;
    this.backtest = options.backtest ?? this.mode === RiskMode.Backtest;
    this.quietPath = options.quietPath ?? true;
    this.profile = profileFor(this.config, this.mode);
    const modes = this.config.modes;
    this.limitsOfMode =
      this.mode === RiskMode.Paper ? modes.PAPER
      : this.mode === RiskMode.LiveMinimal ? modes.LIVE_MINIMAL
      : this.mode === RiskMode.LiveScaled ? modes.LIVE_SCALED[Math.min(options.scaledStep ?? 0, modes.LIVE_SCALED.length - 1)]
      : undefined;
    this.ladder = new BreakerLadder((event) => this.onLevelChange(event));
  }

  get level(): BreakerLevel {
    return this.ladder.level;
  }

  get events(): readonly BreakerEvent[] {
    return this.ladder.events;
  }

  /** The limits of the current mode (undefined for a plain backtest). */
  get limits(): ModeLimits | undefined {
    return this.limitsOfMode;
  }

  attach(context: RiskContext): void {
    this.context = context;
    this.clock = context.clock;
    this.ledgerVersion = context.ledgerVersion;
    const pre = this.config.preTrade;
    this.rate = new OrderRateLimiter(pre.maxOrdersPerSecond, pre.maxOrdersPerDay);
    this.market = context.instruments[0]?.market ?? Market.Crypto;
    this.limitTrackers = context.instruments.map((i) => (i.market === Market.AShare ? new DailyLimitTracker(i) : undefined));
    this.volatility = context.instruments.map(() => (this.limitsOfMode ? new VolatilityTracker() : undefined));
    this.needsSymbolWork = Uint8Array.from(context.instruments, (_, i) => (this.limitTrackers[i] !== undefined || this.volatility[i] !== undefined ? 1 : 0));
    this.monitor = new PortfolioMonitor(context.instruments.length, this.config.monitorDays);
    this.dayOffset = Float64Array.from(context.instruments, (i) => (i.market === Market.AShare ? SHANGHAI_OFFSET_MS : 0));
    this.symbolDay = new Float64Array(context.instruments.length).fill(-1);
    this.symbolClose = new Float64Array(context.instruments.length).fill(NaN);
    this.symbolDayEnds = new Float64Array(context.instruments.length).fill(-Infinity);
    this.lastRawClose = new Float64Array(context.instruments.length).fill(NaN);
    this.lastFactor = new Float64Array(context.instruments.length).fill(1);
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
   * Increasing orders: x reduceRiskFactor at REDUCE_RISK, and under a mode's limits no more than
   * risk per trade over a 2 x ATR(14) stop, scaled down when ATR runs above its 100-bar norm, within
   * the exposure headroom. Reducing orders pass unchanged.
   */
  sizeOrder(symbol: string, side: OrderSide, quantity: number): number {
    const index = this.context.symbolIndex(symbol);
    if (!this.isIncreasing({ side }, index)) return quantity;
    let sized = this.ladder.level === BreakerLevel.ReduceRisk ? quantity * this.config.reduceRiskFactor : quantity;
    const limits = this.limitsOfMode;
    if (limits === undefined) return sized;
    const context = this.context;
    const price = context.lastPrice(index);
    let exposure = 0;
    for (let i = 0; i < context.instruments.length; i++) exposure += Math.abs(context.heldQuantity(i)) * context.lastPrice(i);
    for (const order of context.openOrders()) if (order.side === OrderSide.Buy) exposure += order.remainingQuantity * (order.price ?? context.lastPrice(context.symbolIndex(order.symbol)));
    const atr = this.volatility[index];
    // The ATR runs on adjusted prices (an ex-rights gap is no range); back to today's raw prices.
    const factor = this.lastFactor[index]!;
    const decision = sizeWithinLimits(sized, limits, {
      equity: context.equity(),
      price,
      stopDistance: atr ? (ATR_STOP_MULTIPLE * atr.value) / factor : NaN,
      currentExposure: exposure,
      volatility: atr ? atr.value / factor : NaN,
      normalVolatility: atr ? atr.norm / factor : NaN,
    });
    // No room left under the exposure cap: leave the size alone so the pre-trade chain denies the order
    // with MAX_EXPOSURE and its numbers, not the kernel with "rounds to 0".
    if (decision.boundBy === 'exposure' && context.instruments[index]!.roundQuantity(decision.quantity) <= 0) return sized;
    return decision.quantity;
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
    const halted = this.haltedSymbols.size === 0 ? undefined : this.haltedSymbols.get(order.symbol);
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
      dailyLoss: this.dayStartEquity > 0 ? (this.dayStartEquity - equity) / this.dayStartEquity : 0,
      symbolLimits: this.symbolLimits(index),
      increasing,
      equity,
    });
    if (!denial) {
      this.rate.record(now);
      this.markPortfolioDue();
    }
    return denial;
  }

  /**
   * Today's A-share limits while the day's session can still trade; after its 15:00 close an order is
   * for the next session, whose limits come from today's close (a daily bar's strategy decides then).
   */
  private symbolLimits(index: number): SymbolLimits | undefined {
    const tracker = this.limitTrackers[index];
    if (tracker === undefined) return undefined;
    const sessionEnd = tracker.day * MS_PER_DAY + ASHARE_DAILY_CLOSE_OFFSET_MS; // 15:00 Shanghai of the tracker's day
    if (this.context.clock.now() < sessionEnd || tracker.up === Infinity) return { up: tracker.up, down: tracker.down };
    const instrument = this.context.instruments[index]!;
    const fraction = dailyLimitFraction(instrument, tracker.day + 1);
    const raw = this.lastRawClose[index]!;
    if (fraction === undefined || !Number.isFinite(raw)) return { up: Infinity, down: 0 };
    const next = priceLimits(instrument, raw, fraction);
    return { up: next.up, down: next.down };
  }

  // ---- breakers ----------------------------------------------------------------------------

  /**
   * Every bar, after the venue. The common case, small enough to inline into the kernel's loop: the
   * close lies inside its symbol's quiet band, the symbol's day, the ledger and the account's day are
   * unchanged, no breaker is active and no portfolio check is due. Everything else is in `look`.
   */
  onBar(bar: Bar, index: number): void {
    const close = bar.close;
    const band = this.bandSymbol;
    if (this.quietPath && (band === index || band === -1) && close > this.bandLow && close < this.bandHigh && bar.openTime < this.bandUntil && this.ledgerVersion() === this.ledgerSeen && this.clock.now() < this.dayEnds) {
      this.symbolClose[index] = close;
      this.inlineBars = true;
      return;
    }
    this.look(bar, index);
  }

  private look(bar: Bar, index: number): void {
    this.settleInlineBars();
    if (this.needsSymbolWork[index] === 1 || bar.openTime >= this.symbolDayEnds[index]!) {
      this.symbolWork(bar, index);
      this.setBand();
    }
    this.symbolClose[index] = bar.close;
    const context = this.context;
    if (this.quietPath && this.ledgerVersion() === this.ledgerSeen && this.ladder.activeMask === 0 && !this.portfolioDirty && this.clock.now() < this.dayEnds) {
      const quiet = this.quietIndex;
      // Flat and the ledger unchanged: equity is the cash, nothing can trip.
      if (quiet === -1) return;
      if (quiet >= 0) {
        // One symbol held: equity from its last price, the kernel's own sum (cash + quantity x price).
        const equity = this.quietCash + this.quietQuantity * (quiet === index ? bar.close : context.lastPrice(quiet));
        if (equity > this.quietFloor) {
          this.lastEquity = equity;
          if (equity > this.peakEquity) {
            this.raisePeak(equity);
            this.setBand();
          }
          return;
        }
      }
    }
    this.evaluateBreakers(this.clock.now());
  }

  /** VaR and correlation are due at the next look: the band closes until then. */
  private markPortfolioDue(): void {
    this.portfolioDirty = true;
    this.closeBand();
  }

  /** Something the band does not watch changed (a breaker, a portfolio check due): every bar looks. */
  private closeBand(): void {
    this.bandSymbol = -2;
  }

  /**
   * The last inline bar left equity at cash (flat) or cash plus the held quantity at its close: the
   * number a full look would have recorded as the last equity.
   */
  private settleInlineBars(): void {
    if (!this.inlineBars) return;
    this.inlineBars = false;
    const held = this.quietIndex;
    this.lastEquity = held >= 0 ? this.quietCash + this.quietQuantity * this.symbolClose[held]! : this.quietCash;
  }

  /**
   * The band of the quiet account. Flat: any close, until the first symbol's day ends. One symbol
   * held: the closes at which cash + quantity x close stays above the highest floor and below the
   * peak by 1e-9 of the amounts involved, far beyond float rounding, so inside the band the exact
   * comparisons of a full look could only agree. None where a symbol needs work on every bar.
   */
  private setBand(): void {
    const held = this.quietIndex;
    this.bandSymbol = held;
    this.bandLow = Infinity;
    this.bandHigh = -Infinity;
    this.bandUntil = -Infinity;
    if (held === -1) {
      let until = Infinity;
      for (let i = 0; i < this.symbolDayEnds.length; i++) until = this.needsSymbolWork[i] === 1 ? -Infinity : Math.min(until, this.symbolDayEnds[i]!);
      this.bandLow = -Infinity;
      this.bandHigh = Infinity;
      this.bandUntil = until;
      return;
    }
    const quantity = this.quietQuantity;
    if (held < 0 || this.needsSymbolWork[held] === 1 || !(quantity > 0) || !Number.isFinite(this.peakEquity)) return;
    const cash = this.quietCash;
    const floor = this.quietFloor;
    const margin = 1e-9 * (Math.abs(cash) + Math.abs(this.peakEquity) + (Number.isFinite(floor) ? Math.abs(floor) : 0));
    this.bandLow = floor === -Infinity ? -Infinity : (floor - cash + margin) / quantity;
    this.bandHigh = (this.peakEquity - cash - margin) / quantity;
    this.bandUntil = this.symbolDayEnds[held]!;
  }

  private symbolWork(bar: Bar, index: number): void {
    // The symbol's trading day changes rarely: compare with when it ends instead of dividing each bar.
    if (bar.openTime >= this.symbolDayEnds[index]!) {
      const day = Math.floor((bar.openTime + this.dayOffset[index]!) / MS_PER_DAY);
      // The day that just ended completes in the monitor with its last close, adjusted by the factor of
      // its bar (an ex-rights gap is no return; 1 where nothing adjusts).
      const close = this.symbolClose[index]! * this.lastFactor[index]!;
      if (this.symbolDay[index]! >= 0 && this.monitor.completeDay(index, this.symbolDay[index]!, close)) this.markPortfolioDue();
      this.symbolDay[index] = day;
      this.symbolDayEnds[index] = (day + 1) * MS_PER_DAY - this.dayOffset[index]!;
    }
    const factor = bar.adjustmentFactor ?? 1;
    this.lastFactor[index] = factor;
    const tracker = this.limitTrackers[index];
    if (tracker !== undefined) {
      tracker.onBar(this.symbolDay[index]!, bar.preClose, bar.close);
      this.lastRawClose[index] = bar.close;
    }
    const volatility = this.volatility[index];
    if (volatility !== undefined) volatility.update(bar.high * factor, bar.low * factor, bar.close * factor);
  }

  /**
   * Equity-based triggers, then the periodic ones, then expiry. The common case (nothing near a
   * threshold, nothing active, nothing due) is a few comparisons: this runs on every bar.
   */
  evaluateBreakers(now: number): void {
    this.settleInlineBars();
    const equity = this.context.equity();
    this.quietIndex = -2;
    this.ledgerSeen = NaN;
    if (this.ledgerVersion() !== this.portfolioLedger) this.markPortfolioDue();
    if (now >= this.dayEnds) this.startDay(now);
    if (equity > this.peakEquity || this.peakEquity !== this.peakEquity) this.raisePeak(equity);
    this.lastEquity = equity;
    // Floors are the equity at which each loss trigger fires; above all of them nothing can trip.
    if (this.ladder.activeMask === 0 && !this.portfolioDirty && equity > this.dailyFloor && equity > this.weeklyFloor && equity > this.drawdownFloor) {
      this.rememberQuiet(equity);
      return;
    }
    const p = this.profile;
    this.lossTrigger(BreakerCause.DailyLoss, p.dailyLoss, this.dailyState, (this.dayStartEquity - equity) / this.dayStartEquity, now);
    this.lossTrigger(BreakerCause.WeeklyLoss, p.weeklyLoss, this.weeklyState, (this.weekStartEquity - equity) / this.weekStartEquity, now);
    this.lossTrigger(BreakerCause.Drawdown, p.drawdown, this.drawdownState, (this.peakEquity - equity) / this.peakEquity, now);
    if (this.portfolioDirty) {
      this.portfolioTriggers(equity, now);
      // Emergency orders skip the pre-trade chain that marks positions as changing: look again until they are done.
      this.portfolioDirty = hasEmergencyOrder(this.context.openOrders());
    }
    this.ladder.expire(now);
    // Nothing tripped and nothing is left to do: the next bars may take the quiet path at once.
    if (this.ladder.activeMask === 0 && !this.portfolioDirty && equity > this.dailyFloor && equity > this.weeklyFloor && equity > this.drawdownFloor) this.rememberQuiet(equity);
  }

  private raisePeak(equity: number): void {
    this.peakEquity = equity;
    this.drawdownFloor = this.profile.drawdown.enabled ? floorOf(equity, this.profile.drawdown.threshold) : -Infinity;
    this.quietFloor = Math.max(this.dailyFloor, this.weeklyFloor, this.drawdownFloor);
  }

  /**
   * Nothing can trip at this equity: remember what moves it until the ledger changes. Only when the
   * kernel's equity is exactly its cash (flat) or its cash plus one held symbol at its last price, so
   * the per-bar path computes the very number a full look would.
   */
  private rememberQuiet(equity: number): void {
    const context = this.context;
    const ledger = context.ledgerVersion();
    const open = context.openPositions();
    this.quietFloor = Math.max(this.dailyFloor, this.weeklyFloor, this.drawdownFloor);
    const cash = context.cash();
    if (open === 0) {
      if (equity !== cash) return;
      this.quietIndex = -1;
      this.quietCash = cash;
      this.ledgerSeen = ledger;
      this.setBand();
      return;
    }
    if (open !== 1) return;
    // Which symbol is held changes only with the ledger: look it up once per ledger change.
    if (this.heldScanLedger !== ledger) {
      this.heldScanLedger = ledger;
      this.heldScan = soleHolding(context);
    }
    const held = this.heldScan;
    if (held < 0) return;
    const quantity = context.heldQuantity(held);
    if (cash + quantity * context.lastPrice(held) !== equity) return;
    this.quietIndex = held;
    this.quietCash = cash;
    this.quietQuantity = quantity;
    this.ledgerSeen = ledger;
    this.setBand();
  }

  /** A new trading day (and maybe week): losses are measured from the equity at its start. */
  private startDay(now: number): void {
    const day = tradingDayOf(this.market, now);
    this.day = day;
    this.dayEnds = this.dayStartTime(day + 1);
    this.dayStartEquity = Number.isNaN(this.lastEquity) ? this.context.equity() : this.lastEquity;
    const week = tradingWeekOf(day);
    if (week !== this.week) {
      this.week = week;
      this.weekStartEquity = this.dayStartEquity;
    }
    const p = this.profile;
    this.dailyFloor = p.dailyLoss.enabled ? floorOf(this.dayStartEquity, p.dailyLoss.threshold) : -Infinity;
    this.weeklyFloor = p.weeklyLoss.enabled ? floorOf(this.weekStartEquity, p.weeklyLoss.threshold) : -Infinity;
  }

  /** The ladder is called only on transitions: while a condition holds inside its cooldown this is two comparisons. */
  private lossTrigger(cause: BreakerCause, trigger: TriggerConfig, state: LossState, loss: number, now: number): void {
    if (!trigger.enabled || loss !== loss) return;
    if (loss >= trigger.threshold) {
      if (!state.holding || now >= state.until) {
        state.until = this.ladder.trip(cause, trigger.level, loss, trigger.threshold, now, this.cooldownEnd(trigger.cooldown, now));
        state.holding = true;
      }
    } else if (state.holding) {
      state.holding = false;
      this.ladder.release(cause, loss);
    }
  }

  private portfolioTriggers(equity: number, now: number): void {
    const context = this.context;
    this.portfolioLedger = this.ledgerVersion();
    const held: number[] = [];
    const exposures: { index: number; weight: number }[] = [];
    for (let i = 0; i < context.instruments.length; i++) {
      const q = context.heldQuantity(i);
      if (q === 0) continue;
      held.push(i);
      exposures.push({ index: i, weight: (q * context.lastPrice(i)) / equity });
    }
    const varTrigger = this.profile.varLimit;
    if (varTrigger.enabled) {
      const valueAtRisk = this.monitor.valueAtRisk(exposures);
      if (valueAtRisk > varTrigger.threshold) this.ladder.trip(BreakerCause.VarLimit, varTrigger.level, valueAtRisk, varTrigger.threshold, now, this.cooldownEnd(varTrigger.cooldown, now));
      else if (!Number.isNaN(valueAtRisk)) this.ladder.release(BreakerCause.VarLimit, valueAtRisk);
    }
    const correlation = this.profile.correlation;
    if (correlation.enabled && held.length >= 2) {
      const pair = this.monitor.mostCorrelatedPair(held);
      if (pair && pair.correlation > correlation.threshold) {
        const a = context.instruments[pair.a]!.symbol;
        const b = context.instruments[pair.b]!.symbol;
        const wasActive = this.ladder.isActive(BreakerCause.Correlation);
        this.ladder.trip(BreakerCause.Correlation, correlation.level, pair.correlation, correlation.threshold, now, this.cooldownEnd(correlation.cooldown, now), { detail: `${a} and ${b}` });
        if (!wasActive && this.profile === this.config.breakers.live) this.closeSmallerOf(pair.a, pair.b);
      } else {
        this.ladder.release(BreakerCause.Correlation);
      }
    } else {
      this.ladder.release(BreakerCause.Correlation);
    }
  }

  /** Live profile: a correlated pair is cut to one position by closing the smaller. */
  private closeSmallerOf(a: number, b: number): void {
    const context = this.context;
    const value = (i: number): number => Math.abs(context.heldQuantity(i) * context.lastPrice(i));
    const smaller = value(a) <= value(b) ? a : b;
    this.flatten([smaller]);
  }

  private cooldownEnd(cooldown: Cooldown, now: number): number {
    switch (cooldown.kind) {
      case 'duration':
        return now + cooldown.ms;
      case 'while-above':
        return now;
      case 'next-week': {
        const week = tradingWeekOf(tradingDayOf(this.market, now));
        return this.dayStartTime((week + 1) * 7 - 3);
      }
      case 'next-trading-day': {
        const next = this.dayStartTime(tradingDayOf(this.market, now) + 1);
        return Math.max(next, now + (cooldown.minimumMs ?? 0));
      }
    }
  }

  /** UTC time at which trading day `day` starts in the market's calendar. */
  private dayStartTime(day: number): number {
    return day * MS_PER_DAY - (this.market === Market.AShare ? SHANGHAI_OFFSET_MS : 0);
  }

  private onLevelChange(event: BreakerEvent): void {
    this.closeBand();
    if (!this.context) return;
    this.context.publish(Topic.Breaker, event);
    if (levelRank(event.level) > levelRank(event.previousLevel) && levelRank(event.level) >= levelRank(BreakerLevel.HaltAllTrading)) {
      this.cancelAll();
      if (event.level === BreakerLevel.EmergencyClose) this.flatten();
    }
  }

  private cancelAll(): void {
    for (const order of [...this.context.openOrders()]) if (!order.emergency) this.context.cancelOrder(order.id);
  }

  /**
   * Closing orders for every position (or the given symbols) in this same event. The participation
   * cap is waived for them; T+1 and limit-down are not (the venue keeps those parts working).
   * What market rules keep from selling now is returned, kept in `heldBack` and published on
   * EMERGENCY_TOPIC.
   */
  flatten(indices?: readonly number[]): HeldBack[] {
    const context = this.context;
    const time = context.clock.now();
    const reports: HeldBack[] = [];
    const targets = indices ?? context.instruments.map((_, i) => i);
    for (const i of targets) {
      const quantity = context.heldQuantity(i);
      if (quantity <= 0) continue;
      const symbol = context.instruments[i]!.symbol;
      const sellable = context.instruments[i]!.market === Market.AShare ? Math.min(quantity, context.sellableQuantity(symbol)) : quantity;
      if (sellable < quantity) reports.push({ time, symbol, quantity: quantity - sellable, reason: 'T_PLUS_ONE' });
      const tracker = this.limitTrackers[i];
      const down = tracker === undefined ? 0 : this.symbolLimits(i)!.down;
      if (sellable > 0 && context.lastPrice(i) <= down * (1 + 1e-9)) reports.push({ time, symbol, quantity: sellable, reason: 'LIMIT_DOWN' });
      context.submitEmergencyOrder({ symbol, side: OrderSide.Sell, type: OrderType.Market, quantity, tag: 'emergency-close' });
    }
    this.markPortfolioDue();
    for (const report of reports) {
      this.heldBack.push(report);
      context.publish(EMERGENCY_TOPIC, report);
    }
    return reports;
  }

  // ---- operator controls and live feeds ---------------------------------------------------------

  /** Kill switch: HALT_ALL_TRADING now (EMERGENCY_CLOSE with flatten), open orders canceled in this call. */
  killSwitch(actor: string, options: { flatten?: boolean; reason?: string } = {}): void {
    if (!actor.trim()) throw new RangeError('the kill switch needs the name of the person using it');
    const level = options.flatten ? BreakerLevel.EmergencyClose : BreakerLevel.HaltAllTrading;
    this.setManualLevel(level, actor, options.reason ?? 'kill switch');
  }

  /** A person sets a level (MANUAL). It stays until `reset`. */
  setManualLevel(level: BreakerLevel, actor: string, detail = 'manual'): void {
    if (!actor.trim()) throw new RangeError('a manual level change needs the name of the person making it');
    this.closeBand();
    this.ladder.setManual(level, this.context.clock.now(), actor, detail);
  }

  /** Halt one symbol (every order on it is denied) until `resumeSymbol`: e.g. an unknown position. */
  haltSymbol(symbol: string, reason: string): void {
    this.haltedSymbols.set(symbol, reason);
  }

  /** A named person lets a halted symbol trade again. */
  resumeSymbol(symbol: string, actor: string): void {
    if (!actor.trim()) throw new RangeError('resuming a symbol needs the name of the person deciding it');
    this.haltedSymbols.delete(symbol);
  }

  isSymbolHalted(symbol: string): boolean {
    return this.haltedSymbols.has(symbol);
  }

  /**
   * A named person clears the manual level and the reset requirement of HALT_ALL_TRADING /
   * EMERGENCY_CLOSE. A drawdown that needed the reset is measured from the equity at the reset from
   * then on (else the flattened account would stay below its old peak, and halted, for ever).
   */
  reset(actor: string): void {
    if (!actor.trim()) throw new RangeError('reset needs the name of the person doing it');
    this.resetAt(actor, this.context.clock.now());
  }

  private resetAt(actor: string, now: number): void {
    const drawdown = this.profile.drawdown;
    if (this.ladder.isActive(BreakerCause.Drawdown) && needsReset(drawdown.level)) {
      this.peakEquity = this.context.equity();
      this.drawdownFloor = floorOf(this.peakEquity, drawdown.threshold);
      this.quietIndex = -2;
      this.ledgerSeen = NaN;
      this.lossTrigger(BreakerCause.Drawdown, drawdown, this.drawdownState, 0, now);
    }
    this.closeBand();
    this.ladder.reset(actor, now);
  }

  /**
   * Before trading, a session's daily history from its venue (or files): completed days' closes per
   * symbol, oldest first. VAR_LIMIT and CORRELATION then act from the first bar with what exists (at
   * least MIN_SESSION_RETURNS returns). Returns the aligned daily returns now available.
   */
  seedDailyHistory(symbol: string, days: ReadonlyArray<{ readonly openTime: number; readonly close: number }>): number {
    const index = this.context.symbolIndex(symbol);
    for (const { openTime, close } of days) this.monitor.completeDay(index, Math.floor((openTime + this.dayOffset[index]!) / MS_PER_DAY), close);
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

  /**
   * Resume playback: a journaled level change that the played-back bars and fills cannot cause again
   * happens again at its own time. A person's MANUAL level holds until a reset; a reset resets; a
   * data-quality cause (DATA_STALE, DATA_FAILURES, API_LATENCY) trips with the cooldown its trigger
   * gives from that time and clears once cooled down (live reports trip it again while the fault lasts).
   * Loss, drawdown, VaR and correlation causes are left to the playback, which trips them again.
   */
  replayBreaker(event: Pick<BreakerEvent, 'time' | 'level' | 'previousLevel' | 'cause' | 'value' | 'threshold'> & { actor?: string | null; detail?: string | null }): void {
    const { time, cause } = event;
    this.closeBand();
    if (event.detail === 'reset' && event.actor) {
      this.resetAt(event.actor, time);
      return;
    }
    if (levelRank(event.level) <= levelRank(event.previousLevel)) return; // falls follow from cooldowns and resets
    if (cause === BreakerCause.Manual) {
      this.ladder.setManual(event.level, time, event.actor ?? 'unknown', event.detail ?? undefined);
      return;
    }
    const trigger = cause === BreakerCause.DataStale ? this.profile.dataStale : cause === BreakerCause.DataFailures ? this.profile.dataFailures : cause === BreakerCause.ApiLatency ? this.profile.apiLatency : undefined;
    if (trigger === undefined) return;
    this.ladder.trip(cause, event.level, event.value, event.threshold, time, this.cooldownEnd(trigger.cooldown, time));
    this.ladder.release(cause);
  }

  /**
   * A session's staleness check on the clock (each second): the oldest market data in use is `ageMs`
   * old against its own limit (`limitMs`: maxQuoteAgeMs for books and quotes, one interval plus
   * maxBarAgeMs past a bar's close for bars). Past it, DATA_STALE trips; within it, it releases.
   */
  reportStaleness(ageMs: number, limitMs: number): void {
    this.closeBand();
    const trigger = this.profile.dataStale;
    if (this.backtest || !trigger.enabled) return;
    const now = this.context.clock.now();
    if (ageMs > limitMs) this.ladder.trip(BreakerCause.DataStale, trigger.level, ageMs, limitMs, now, this.cooldownEnd(trigger.cooldown, now));
    else {
      this.ladder.release(BreakerCause.DataStale, ageMs);
      this.ladder.expire(now);
    }
  }

  /** Live data clients report the age of their freshest quote (ms). Not used in backtests. */
  reportDataAge(ageMs: number): void {
    this.closeBand();
    const trigger = this.profile.dataStale;
    if (this.backtest || !trigger.enabled) return;
    const now = this.context.clock.now();
    if (ageMs > trigger.threshold) this.ladder.trip(BreakerCause.DataStale, trigger.level, ageMs, trigger.threshold, now, this.cooldownEnd(trigger.cooldown, now));
    else {
      this.ladder.release(BreakerCause.DataStale);
      this.ladder.expire(now);
    }
  }

  /** A data request failed (true) or succeeded (false). */
  reportDataResult(failed: boolean): void {
    this.closeBand();
    const trigger = this.profile.dataFailures;
    this.consecutiveDataFailures = failed ? this.consecutiveDataFailures + 1 : 0;
    if (!trigger.enabled) return;
    const now = this.context.clock.now();
    if (this.consecutiveDataFailures >= trigger.threshold) {
      this.ladder.trip(BreakerCause.DataFailures, trigger.level, this.consecutiveDataFailures, trigger.threshold, now, this.cooldownEnd(trigger.cooldown, now));
    } else {
      this.ladder.release(BreakerCause.DataFailures);
    }
  }

  /** Round-trip time of a venue request (ms). */
  reportApiLatency(latencyMs: number): void {
    this.closeBand();
    const trigger = this.profile.apiLatency;
    if (!trigger.enabled) return;
    const now = this.context.clock.now();
    if (latencyMs > trigger.threshold) this.ladder.trip(BreakerCause.ApiLatency, trigger.level, latencyMs, trigger.threshold, now, this.cooldownEnd(trigger.cooldown, now));
    else this.ladder.release(BreakerCause.ApiLatency);
  }
}

