// Amounts as exact integers of 10^-8 (Binance prints 8 decimals): parsing, formatting, arithmetic.

export const SCALE = 100_000_000n;

/** Parse a plain decimal string (up to 8 decimals) into 10^-8 units; undefined when malformed or too precise. */
export function parseUnits(text: string | undefined): bigint | undefined {
  if (text === undefined) return undefined;
  const match = /^(\d+)(?:\.(\d*))?$/.exec(text.trim());
  if (!match) return undefined;
  const fraction = match[2] ?? '';
  if (fraction.length > 8 && /[1-9]/.test(fraction.slice(8))) return undefined;
  return BigInt(match[1]! + fraction.slice(0, 8).padEnd(8, '0'));
}

/** 10^-8 units as Binance prints them: a fixed 8 decimals ("0.00100000"). */
export function fmt(units: bigint): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(9, '0');
  return `${negative ? '-' : ''}${digits.slice(0, -8)}.${digits.slice(-8)}`;
}

/** A float (market data) as 10^-8 units, rounded to nearest. */
export function unitsOf(value: number): bigint {
  return BigInt(Math.round(value * 1e8));
}

/** A float printed with 8 decimals. */
export function fmtNumber(value: number): string {
  return value.toFixed(8);
}

/** 10^-8 units to a float (for reports and comparisons only). */
export function toNumber(units: bigint): number {
  return Number(units) / 1e8;
}

/** a x b / SCALE, rounded half up (price x quantity = quote amount). */
export function mulUnits(a: bigint, b: bigint): bigint {
  const product = a * b;
  return (product + SCALE / 2n) / SCALE;
}

/** amount x bps / 10000, rounded half up (fees). */
export function feeOf(amount: bigint, bps: bigint): bigint {
  return (amount * bps + 5000n) / 10000n;
}

/** Round `value` down to a multiple of `step`. */
export function floorTo(value: bigint, step: bigint): bigint {
  return (value / step) * step;
}

export function minUnits(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}
