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
}

export const RoundingMode = { Nearest: 'nearest', Down: 'down', Up: 'up' } as const;
export type RoundingMode = (typeof RoundingMode)[keyof typeof RoundingMode];

function roundBy(mode: RoundingMode, x: number): number {
  // The epsilon absorbs binary noise such as 0.29999999999999998 / 0.1 before flooring.
  if (mode === RoundingMode.Down) return Math.floor(x + 1e-9);
  if (mode === RoundingMode.Up) return Math.ceil(x - 1e-9);
  return Math.round(x);
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
    this.quantityDecimals = decimalsOf(definition.lotSize);
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
    const ticks = roundBy(mode, (price * this.priceScale) / this.tickUnits);
    return (ticks * this.tickUnits) / this.priceScale;
  }

  /** The quantity on the lot grid, rounded down by default (never buy more than decided). */
  roundQuantity(quantity: number, mode: RoundingMode = RoundingMode.Down): number {
    const lots = roundBy(mode, (quantity * this.quantityScale) / this.lotUnits);
    return (lots * this.lotUnits) / this.quantityScale;
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
    const units = price * this.priceScale;
    return Math.abs(units - Math.round(units)) < 1e-6 && Math.round(units) % this.tickUnits === 0;
  }

  isOnLot(quantity: number): boolean {
    const units = quantity * this.quantityScale;
    return Math.abs(units - Math.round(units)) < 1e-6 && Math.round(units) % this.lotUnits === 0;
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
