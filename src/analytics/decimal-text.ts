// Numbers as a person reads them in CSV files and tables: a fixed number of decimals at most, no float noise
// (4167.2699999999995 prints 4167.27), never an exponent (1e-7 prints 0.0000001), and UTC times as ISO-8601.
import { toPlainDecimal } from '../core/index.ts';

/** Amounts of money held as floats (equity, a trade's pnl): the ledger's precision, 10^-8. */
export const AMOUNT_DECIMALS = 8;
/** Fractions (returns, drawdown). */
export const FRACTION_DECIMALS = 8;
/** An average of several fills' prices keeps this many decimals beyond the tick's. */
export const AVERAGE_EXTRA_DECIMALS = 4;

/** `value` rounded half up at `decimals` decimals. */
export function roundTo(value: number, decimals: number): number {
  const scale = 10 ** decimals;
  return Math.round(value * scale) / scale;
}

/**
 * `value` rounded at `decimals` decimals as a plain decimal, trailing zeros dropped ("4167.27", "-0.5", "0").
 * k / 10^d is the double nearest that decimal, so its shortest form has no more than d decimals.
 */
export function decimalText(value: number, decimals: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`decimalText: not a finite number: ${value}`);
  const rounded = roundTo(value, decimals);
  return toPlainDecimal(rounded === 0 ? 0 : rounded);
}

/** An average price: the tick's decimals plus AVERAGE_EXTRA_DECIMALS at most. */
export function averagePriceText(price: number, priceDecimals: number): string {
  return decimalText(price, priceDecimals + AVERAGE_EXTRA_DECIMALS);
}

/** UTC milliseconds as ISO-8601 ("2021-02-19T00:00:00.000Z"). */
export function utcText(time: number): string {
  return new Date(time).toISOString();
}
