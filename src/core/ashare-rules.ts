// China A-share market rules: boards by code, daily price limits, the trading sessions.
import { Board, type Instrument } from './instrument.ts';
import { ASHARE_DAILY_CLOSE_OFFSET_MS, MS_PER_DAY } from './market.ts';

/** 2020-08-24: ChiNext registration reform, daily limit widened from 10% to 20%. */
export const CHINEXT_REFORM_DAY = Math.floor(Date.UTC(2020, 7, 24) / MS_PER_DAY);
/** New ChiNext (after the reform) and STAR listings trade without a limit for their first five days. */
export const UNLIMITED_LISTING_DAYS = 5;

/** Board of an A-share code: 300xxx/301xxx ChiNext, 688xxx/689xxx STAR, anything else main board. */
export function boardOfCode(symbol: string): Board {
  const code = symbol.slice(0, 3);
  if (code === '300' || code === '301') return Board.ChiNext;
  if (code === '688' || code === '689') return Board.Star;
  return Board.Main;
}

/**
 * Daily limit as a fraction of the previous close, or undefined for no limit.
 * `tradingDayIndex` is the number of trading days since listing (0 = the listing day), when known.
 */
export function dailyLimitFraction(instrument: Instrument, day: number, tradingDayIndex?: number): number | undefined {
  const board = instrument.board ?? boardOfCode(instrument.symbol);
  const wide = board === Board.Star || (board === Board.ChiNext && day >= CHINEXT_REFORM_DAY);
  if (wide && tradingDayIndex !== undefined && tradingDayIndex < UNLIMITED_LISTING_DAYS) return undefined;
  if (instrument.st) return board === Board.Main ? 0.05 : 0.2;
  return wide ? 0.2 : 0.1;
}

export interface PriceLimits {
  readonly up: number;
  readonly down: number;
}

/** Limit-up and limit-down prices from a raw previous close, rounded half-up to the fen (tick). */
export function priceLimits(instrument: Instrument, previousClose: number, fraction: number): PriceLimits {
  // Half-up at the tick: add a hair before rounding so 11.045 -> 11.05 despite binary representation.
  const up = instrument.roundPrice(previousClose * (1 + fraction) + instrument.tick * 1e-6);
  const down = instrument.roundPrice(previousClose * (1 - fraction) + instrument.tick * 1e-6);
  return { up, down };
}

/** Days a listing counts as "new" for the no-limit rule when the data starts within this many days of it. */
const LISTING_MATCH_DAYS = 3;

/** Limit prices that are rewritten in place, so that reading them allocates nothing. */
class MutableLimits implements PriceLimits {
  up = Infinity;
  down = 0;
}

/**
 * Follows one A-share through its trading days and knows today's limit prices (raw traded prices): the one
 * source of daily limits for pre-trade checks and the simulated venue, so the two cannot disagree.
 * Feed every raw bar in time order; read `up`/`down` (or `limitsAt`) after.
 */
export class DailyLimitTracker implements PriceLimits {
  /** Trading day of the last bar, -1 before the first. */
  day = -1;
  up = Infinity;
  down = 0;
  /** Trading days since listing (0 = the listing day), or -1 when the data does not start at the listing. */
  private listingDayIndex = -1;
  private previousRawClose = NaN;
  private readonly next = new MutableLimits();
  /** The raw close `next` was computed from, so that it is computed once per bar at most. */
  private nextFrom = NaN;

  constructor(private readonly instrument: Instrument) {}

  /** Call with each raw bar before using the limits; `preClose` NaN or undefined if unknown. */
  onBar(day: number, preClose: number | undefined, close: number): void {
    if (day !== this.day) this.startDay(day, preClose);
    this.previousRawClose = close;
  }

  /**
   * The limits an order placed at `now` meets: today's until the day's 15:00 close; after it, the next
   * session's, from today's last close (a daily bar's strategy decides then). An ex-rights reference price
   * for the next session comes only with its first bar, so until then the projection uses the close.
   */
  limitsAt(now: number): PriceLimits {
    if (now < this.day * MS_PER_DAY + ASHARE_DAILY_CLOSE_OFFSET_MS) return this;
    const close = this.previousRawClose;
    if (close !== this.nextFrom) {
      this.nextFrom = close;
      this.setLimits(this.next, this.day + 1, this.listingDayIndex >= 0 ? this.listingDayIndex + 1 : -1, close);
    }
    return this.next;
  }

  private startDay(day: number, preClose: number | undefined): void {
    const listing = this.instrument.listingDay;
    if (this.day === -1) this.listingDayIndex = listing !== undefined && day >= listing && day - listing <= LISTING_MATCH_DAYS ? 0 : -1;
    else if (this.listingDayIndex >= 0) this.listingDayIndex++;
    this.day = day;
    this.nextFrom = NaN;
    const reference = preClose !== undefined && Number.isFinite(preClose) ? preClose : this.previousRawClose;
    this.setLimits(this, day, this.listingDayIndex, reference);
  }

  private setLimits(target: { up: number; down: number }, day: number, listingDayIndex: number, reference: number): void {
    const fraction = dailyLimitFraction(this.instrument, day, listingDayIndex >= 0 ? listingDayIndex : undefined);
    if (fraction === undefined || !Number.isFinite(reference)) {
      target.up = Infinity;
      target.down = 0;
      return;
    }
    const limits = priceLimits(this.instrument, reference, fraction);
    target.up = limits.up;
    target.down = limits.down;
  }
}
