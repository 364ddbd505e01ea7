// China A-share market rules: boards by code, daily price limits, the trading sessions.
import { Board, type Instrument } from './instrument.ts';
import { MS_PER_DAY } from './market.ts';

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

/**
 * Follows one A-share through its trading days and knows today's limit prices (raw traded prices).
 * Feed every raw bar in time order; read `up`/`down` after.
 */
export class DailyLimitTracker {
  day = -1;
  /** Trading days since listing (0 = the listing day), or -1 when the data does not start at the listing. */
  private listingDayIndex = -1;
  private previousRawClose = NaN;
  up = Infinity;
  down = 0;

  constructor(private readonly instrument: Instrument) {}

  /** Call with each raw bar before using the limits; `preClose` NaN or undefined if unknown. */
  onBar(day: number, preClose: number | undefined, close: number): void {
    if (day !== this.day) this.startDay(day, preClose);
    this.previousRawClose = close;
  }

  private startDay(day: number, preClose: number | undefined): void {
    const listing = this.instrument.listingDay;
    if (this.day === -1) this.listingDayIndex = listing !== undefined && day >= listing && day - listing <= LISTING_MATCH_DAYS ? 0 : -1;
    else if (this.listingDayIndex >= 0) this.listingDayIndex++;
    this.day = day;
    const reference = preClose !== undefined && Number.isFinite(preClose) ? preClose : this.previousRawClose;
    const fraction = dailyLimitFraction(this.instrument, day, this.listingDayIndex >= 0 ? this.listingDayIndex : undefined);
    if (fraction === undefined || !Number.isFinite(reference)) {
      this.up = Infinity;
      this.down = 0;
      return;
    }
    const limits = priceLimits(this.instrument, reference, fraction);
    this.up = limits.up;
    this.down = limits.down;
  }
}
