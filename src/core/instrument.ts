// Instruments: tick, lot, minimum notional, currency and market rules; exact price/quantity rounding.
import { decimalsOf, formatScaled } from './decimal.ts';
import { Market, MS_PER_DAY, tradingDayOf } from './market.ts';

export const Board = { Main: 'main', ChiNext: 'chinext', Star: 'star' } as const;
export type Board = (typeof Board)[keyof typeof Board];

export interface InstrumentDefinition {
  readonly symbol: string;
  readonly market: Market;
  readonly base: string;
  readonly quote: string;
  /** Decimal strings, e.g. "0.01". */
  readonly tickSize: string;
  readonly lotSize: string;
  /** Smallest order value in the quote currency. */
  readonly minNotional: number;
  /** A-shares: board, special treatment and listing date (YYYY-MM-DD) drive the daily price limits. */
  readonly board?: Board;
  readonly st?: boolean;
  readonly listingDate?: string;
  /**
   * Decimals a holding of the base asset can have, when finer than the lot: an exchange that takes a buy's fee in
   * the coin bought leaves holdings off the lot grid (Binance: 8). Orders stay on the lot. Default: the lot's decimals.
   */
  readonly holdingDecimals?: number;
}

export const RoundingMode = { Nearest: 'nearest', Down: 'down', Up: 'up' } as const;
export type RoundingMode = (typeof RoundingMode)[keyof typeof RoundingMode];

function roundBy(mode: RoundingMode, x: number): number {
  // The epsilon absorbs binary noise such as 0.29999999999999998 / 0.1 before flooring.
  if (mode === RoundingMode.Down) return Math.floor(x + 1e-9);
  if (mode === RoundingMode.Up) return Math.ceil(x - 1e-9);
  return Math.round(x);
}

/** Grid counts beyond this are no longer exact integers in a double (k + 1 === k). */
const MAX_GRID_COUNT = 2 ** 52;

/**
 * `value` rounded to the grid of `stepUnits` x 10^-decimals (`scale` = 10^decimals, `step` the grid
 * step as a number). Down and Up compare candidates in the value domain, against the grid doubles
 * themselves: (value x scale) / stepUnits carries relative noise of ~1e-16, which is more than the
 * 1e-9-step snap once a price has millions of ticks (42982.08006543 on a 1e-8 tick), and used to move
 * an on-grid price by a whole tick. A value within 1e-9 step (or 4 ulps) of a grid point snaps to it,
 * so 0.1 + 0.2 rounds up to 0.3 and 0.7 x 3 down to 2.1.
 */
function roundToGrid(value: number, scale: number, stepUnits: number, step: number, mode: RoundingMode): number {
  const x = (value * scale) / stepUnits;
  if (mode === RoundingMode.Nearest || !(Math.abs(x) < MAX_GRID_COUNT)) return (roundBy(mode, x) * stepUnits) / scale;
  const tolerance = Math.max(step * 1e-9, Math.abs(value) * 4 * Number.EPSILON);
  let k = Math.round(x);
  if (mode === RoundingMode.Down) {
    const limit = value + tolerance;
    while ((k * stepUnits) / scale > limit) k--;
    while (((k + 1) * stepUnits) / scale <= limit) k++;
  } else {
    const limit = value - tolerance;
    while ((k * stepUnits) / scale < limit) k++;
    while (((k - 1) * stepUnits) / scale >= limit) k--;
  }
  return (k * stepUnits) / scale;
}

/**
 * Whether `units` (a value x 10^decimals, with its multiplication noise) is a whole multiple of
 * `stepUnits`. The noise grows with the magnitude (~1e-3 units at 4e12), so the tolerance is relative too.
 */
function isOnGrid(units: number, stepUnits: number): boolean {
  const whole = Math.round(units);
  return Math.abs(units - whole) <= Math.max(1e-6, Math.abs(units) * 4 * Number.EPSILON) && whole % stepUnits === 0;
}

/**
 * An instrument with its grid precomputed. Prices and quantities are JS numbers that always sit on
 * the grid: each is the double nearest to an exact decimal k x tick (k an integer), obtained by an
 * integer division by a power of ten (correctly rounded), so they print and parse exactly.
 */
export class Instrument {
  readonly symbol: string;
  readonly market: Market;
  readonly base: string;
  readonly quote: string;
  readonly tickSize: string;
  readonly lotSize: string;
  readonly minNotional: number;
  readonly board: Board | undefined;
  readonly st: boolean;
  readonly listingDate: string | undefined;
  readonly listingDay: number | undefined;
  readonly priceDecimals: number;
  /** Decimals of quantities in the books: the lot's, or the finer holding precision. */
  readonly quantityDecimals: number;
  /** 10^priceDecimals and the tick in those units. */
  readonly priceScale: number;
  readonly tickUnits: number;
  readonly quantityScale: number;
  readonly lotUnits: number;
  readonly tick: number;
  readonly lot: number;

  constructor(definition: InstrumentDefinition) {
    this.symbol = definition.symbol;
    this.market = definition.market;
    this.base = definition.base;
    this.quote = definition.quote;
    this.tickSize = definition.tickSize;
    this.lotSize = definition.lotSize;
    this.minNotional = definition.minNotional;
    this.board = definition.board;
    this.st = definition.st ?? false;
    this.listingDate = definition.listingDate;
    this.listingDay =
      definition.listingDate === undefined ? undefined : Math.floor(Date.parse(`${definition.listingDate}T00:00:00Z`) / MS_PER_DAY);
    this.priceDecimals = decimalsOf(definition.tickSize);
    const holding = definition.holdingDecimals;
    if (holding !== undefined && !(Number.isInteger(holding) && holding >= 0 && holding <= 12)) {
      throw new RangeError(`${definition.symbol}: holdingDecimals must be a whole number from 0 to 12 (got ${holding})`);
    }
    this.quantityDecimals = Math.max(decimalsOf(definition.lotSize), holding ?? 0);
    this.priceScale = 10 ** this.priceDecimals;
    this.quantityScale = 10 ** this.quantityDecimals;
    this.tickUnits = Math.round(Number(definition.tickSize) * this.priceScale);
    this.lotUnits = Math.round(Number(definition.lotSize) * this.quantityScale);
    if (!(this.tickUnits > 0)) throw new RangeError(`${definition.symbol}: tickSize must be > 0 (got ${definition.tickSize})`);
    if (!(this.lotUnits > 0)) throw new RangeError(`${definition.symbol}: lotSize must be > 0 (got ${definition.lotSize})`);
    this.tick = this.tickUnits / this.priceScale;
    this.lot = this.lotUnits / this.quantityScale;
  }

  /** The price on the tick grid nearest (or below / above) to `price`. */
  roundPrice(price: number, mode: RoundingMode = RoundingMode.Nearest): number {
    return roundToGrid(price, this.priceScale, this.tickUnits, this.tick, mode);
  }

  /** The quantity on the lot grid, rounded down by default (never buy more than decided). */
  roundQuantity(quantity: number, mode: RoundingMode = RoundingMode.Down): number {
    return roundToGrid(quantity, this.quantityScale, this.lotUnits, this.lot, mode);
  }

  /** Integer units of 10^-priceDecimals; exact for on-grid prices. */
  priceUnits(price: number): number {
    return Math.round(price * this.priceScale);
  }

  quantityUnits(quantity: number): number {
    return Math.round(quantity * this.quantityScale);
  }

  quantityFromUnits(units: number): number {
    return units / this.quantityScale;
  }

  isOnTick(price: number): boolean {
    return isOnGrid(price * this.priceScale, this.tickUnits);
  }

  /**
   * Units of a holding below one lot that cannot be sold: what a base-asset fee left off the lot grid. A-shares sell
   * an odd lot whole (after a bonus issue, say), so they have none.
   */
  dustUnits(units: number): number {
    return this.market === Market.AShare ? 0 : units % this.lotUnits;
  }

  isOnLot(quantity: number): boolean {
    return isOnGrid(quantity * this.quantityScale, this.lotUnits);
  }

  formatPrice(price: number): string {
    return formatScaled(BigInt(this.priceUnits(price)), this.priceDecimals);
  }

  formatQuantity(quantity: number): string {
    return formatScaled(BigInt(this.quantityUnits(quantity)), this.quantityDecimals);
  }

  /** Trading day of a timestamp in this instrument's market calendar. */
  tradingDay(timeMs: number): number {
    return tradingDayOf(this.market, timeMs);
  }
}
