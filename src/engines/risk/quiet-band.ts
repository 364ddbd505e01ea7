// The risk engine's per-bar fast path: the quiet account and the band of closes that keeps it quiet.
import type { Bar } from '../../core/index.ts';
import type { Clock, RiskContext } from '../../common/index.ts';
import type { SymbolTracker } from './symbol-tracker.ts';

/** The held symbol when the account is not quiet: every bar gets the full look. */
const NOT_QUIET = -2;
/** The held symbol when the quiet account is flat: its band admits a bar of any symbol. */
const FLAT = -1;

/**
 * The contract between the risk engine and its fast path.
 *
 * Arming (`arm`, only at the end of a full evaluation of the breakers): the account is quiet when no
 * breaker cause is active, no portfolio check (VaR, correlation) is due, equity lies strictly above
 * every loss floor, and the kernel's equity is exactly its cash (flat) or its cash plus the quantity of
 * the one symbol held at that symbol's last price. The band then records the ledger version, the
 * cash, the held symbol and quantity, the highest floor, the end of the account's trading day, and
 * the band of closes (`low`, `high`) inside which equity stays above the floor and below the peak by
 * 1e-9 of the amounts involved, far beyond float rounding.
 *
 * A bar may skip the full look (`settles`) when all of these hold:
 * - the band is open for its symbol: the held symbol, or any symbol when the account is flat;
 * - its close lies strictly inside (`low`, `high`);
 * - it opens before `until`, the end of its symbol's trading day (the end of the first symbol's day
 *   when flat; never where a symbol needs work on every bar: A-share limits, volatility under a mode);
 * - the ledger version is the armed one (no fill, restore, adopted position or ex-rights day since);
 * - the clock is before the end of the account's trading day.
 * Such a bar only records its close; the equity it implies is settled (`settleEquity`) at the next look.
 * A bar that fails them gets a look; while the account is quiet (`isQuiet`) the look still settles
 * from the held symbol's price alone (`equityAt`) when equity stays above the floor.
 *
 * Closing and re-arming: `close` shuts the band (not the quiet account) when something it does not
 * watch changes: a breaker level, an operator action, a feed report, a portfolio check falling due.
 * `disarm` ends the quiet account at every full evaluation and at a reset that restarts the drawdown.
 * The band re-opens with `reband` after a symbol's day rolls or the peak rises on a quiet look, and
 * the account re-arms at the next full evaluation that finds it quiet.
 *
 * Disabled (the engine's `quietPath: false`): never arms, so every bar gets the full look, the
 * reference the fast path must equal.
 */
export class QuietBand {
  /** The highest of the daily, weekly and drawdown floors while quiet. */
  floor = Infinity;
  /** A bar settled inline since the last look: the equity it implies is owed to the engine. */
  owesEquity = false;
  /** The one symbol whose price alone moves equity: an index, FLAT, or NOT_QUIET. */
  private held = NOT_QUIET;
  private cash = NaN;
  private quantity = NaN;
  /** The ledger version armed (NaN: not quiet) and the end of the account's trading day then. */
  private ledger = NaN;
  private dayEnds = -Infinity;
  /** The held symbol found at `scanLedger`: it changes only with the ledger. */
  private scanLedger = -1;
  private scanHeld = -1;
  /** The band: scalars, so the per-bar check reads no array. `symbol` is `held` when last banded. */
  private symbol = NOT_QUIET;
  private low = Infinity;
  private high = -Infinity;
  private until = -Infinity;
  private context!: RiskContext;
  private clock!: Clock;
  private ledgerVersion!: () => number;
  private symbols!: SymbolTracker;
  private closes!: Float64Array;

  constructor(readonly enabled: boolean) {}

  attach(context: RiskContext, symbols: SymbolTracker): void {
    this.context = context;
    this.clock = context.clock;
    this.ledgerVersion = context.ledgerVersion;
    this.symbols = symbols;
    this.closes = symbols.closes;
  }

  /** The per-bar check of the contract; a bar that passes records its close and needs no look. */
  settles(bar: Bar, index: number): boolean {
    const close = bar.close;
    const symbol = this.symbol;
    if ((symbol === index || symbol === FLAT) && close > this.low && close < this.high && bar.openTime < this.until && this.ledgerVersion() === this.ledger && this.clock.now() < this.dayEnds) {
      this.closes[index] = close;
      this.owesEquity = true;
      return true;
    }
    return false;
  }

  /** Armed, the ledger unchanged and the account's day not over: equity moves only with the held symbol. */
  isQuiet(): boolean {
    return this.ledgerVersion() === this.ledger && this.clock.now() < this.dayEnds;
  }

  isFlat(): boolean {
    return this.held === FLAT;
  }

  /** A quiet account holding one symbol: its equity when symbol `index` closes at `close`, the kernel's own sum. */
  equityAt(index: number, close: number): number {
    const held = this.held;
    return this.cash + this.quantity * (held === index ? close : this.context.lastPrice(held));
  }

  /** The equity the last inline bar left: cash (flat) or cash plus the held quantity at its close. */
  settleEquity(): number {
    this.owesEquity = false;
    const held = this.held;
    return held >= 0 ? this.cash + this.quantity * this.closes[held]! : this.cash;
  }

  close(): void {
    this.symbol = NOT_QUIET;
  }

  disarm(): void {
    this.held = NOT_QUIET;
    this.ledger = NaN;
  }

  /**
   * Nothing can trip at this equity: remember what moves it until the ledger changes. Only when the
   * kernel's equity is exactly its cash (flat) or its cash plus one held symbol at its last price, so
   * the per-bar path computes the very number a full look would.
   */
  arm(equity: number, floor: number, peak: number, dayEnds: number): void {
    if (!this.enabled) return;
    const context = this.context;
    const ledger = context.ledgerVersion();
    const open = context.openPositions();
    this.floor = floor;
    this.dayEnds = dayEnds;
    const cash = context.cash();
    if (open === 0) {
      if (equity !== cash) return;
      this.held = FLAT;
      this.cash = cash;
      this.ledger = ledger;
      this.reband(peak);
      return;
    }
    if (open !== 1) return;
    if (this.scanLedger !== ledger) {
      this.scanLedger = ledger;
      this.scanHeld = soleHolding(context);
    }
    const held = this.scanHeld;
    if (held < 0) return;
    const quantity = context.heldQuantity(held);
    if (cash + quantity * context.lastPrice(held) !== equity) return;
    this.held = held;
    this.cash = cash;
    this.quantity = quantity;
    this.ledger = ledger;
    this.reband(peak);
  }

  /** The peak rose on a quiet look: the floor rises with it and the band's top moves up. */
  peakRose(peak: number, floor: number): void {
    this.floor = floor;
    this.reband(peak);
  }

  /**
   * The band of the quiet account. Flat: any close, until the first symbol's day ends. One symbol
   * held: the closes at which cash + quantity x close stays above the floor and below the peak by
   * 1e-9 of the amounts involved, so inside the band the exact comparisons of a full look could only
   * agree. None where a symbol needs work on every bar.
   */
  reband(peak: number): void {
    const held = this.held;
    const { needsWork, dayEnds } = this.symbols;
    this.symbol = held;
    this.low = Infinity;
    this.high = -Infinity;
    this.until = -Infinity;
    if (held === FLAT) {
      let until = Infinity;
      for (let i = 0; i < dayEnds.length; i++) until = needsWork[i] === 1 ? -Infinity : Math.min(until, dayEnds[i]!);
      this.low = -Infinity;
      this.high = Infinity;
      this.until = until;
      return;
    }
    const quantity = this.quantity;
    if (held < 0 || needsWork[held] === 1 || !(quantity > 0) || !Number.isFinite(peak)) return;
    const cash = this.cash;
    const floor = this.floor;
    const margin = 1e-9 * (Math.abs(cash) + Math.abs(peak) + (Number.isFinite(floor) ? Math.abs(floor) : 0));
    this.low = floor === -Infinity ? -Infinity : (floor - cash + margin) / quantity;
    this.high = (peak - cash - margin) / quantity;
    this.until = dayEnds[held]!;
  }
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
