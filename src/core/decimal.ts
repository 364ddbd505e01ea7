// Exact decimal helpers: decimal strings <-> scaled integers, and the ledger's fixed-point money.

const DECIMAL_RE = /^(\d+)(?:\.(\d+))?$/;

/** Number of digits after the point in a plain decimal string ("0.010" -> 3). */
export function decimalsOf(value: string): number {
  const match = DECIMAL_RE.exec(value);
  if (!match) throw new RangeError(`not a plain positive decimal: "${value}"`);
  return match[2]?.length ?? 0;
}

/** A plain decimal string without exponent for a finite number: 1e-7 -> "0.0000001", 1.5e21 -> "1500000000000000000000". */
export function toPlainDecimal(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
  const text = String(value);
  const match = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (match === null) return text;
  const [, sign, whole, fraction = '', exponent] = match as unknown as [string, string, string, string | undefined, string];
  const digits = whole + fraction;
  const point = whole.length + Number(exponent);
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return sign + digits + '0'.repeat(point - digits.length);
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** Parse a plain decimal string into an integer count of 10^-decimals units (exact). */
export function parseScaled(value: string, decimals: number): bigint {
  const match = /^(-)?(\d+)(?:\.(\d+))?$/.exec(value);
  if (!match) throw new RangeError(`not a decimal: "${value}"`);
  const fraction = match[3] ?? '';
  if (fraction.length > decimals && /[1-9]/.test(fraction.slice(decimals))) {
    throw new RangeError(`"${value}" has more than ${decimals} decimals`);
  }
  const units = BigInt(match[2] + fraction.slice(0, decimals).padEnd(decimals, '0'));
  return match[1] ? -units : units;
}

/** Format an integer count of 10^-decimals units as a plain decimal string, trailing zeros stripped. */
export function formatScaled(units: bigint, decimals: number): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(decimals + 1, '0');
  let text = decimals === 0 ? digits : `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
  if (decimals > 0) text = text.replace(/0+$/, '').replace(/\.$/, '');
  return (negative ? '-' : '') + text;
}

/** The ledger's money scale: every amount is an integer count of 10^-8 of the account currency. */
export const MONEY_DECIMALS = 8;
export const MONEY_SCALE = 100_000_000n;
const MONEY_SCALE_NUMBER = 1e8;

/** Money amounts in ledger units (bigint, exact) to a float for reports. */
export function moneyToNumber(units: bigint): number {
  return Number(units) / MONEY_SCALE_NUMBER;
}

export function formatMoney(units: bigint): string {
  return formatScaled(units, MONEY_DECIMALS);
}

/** Float to ledger units, rounded half away from zero at 10^-8 (for marks, never for ledger entries). */
export function numberToMoney(value: number): bigint {
  // Math.round alone rounds -0.5 up to 0: round the magnitude so numberToMoney(-x) === -numberToMoney(x).
  const scaled = value * MONEY_SCALE_NUMBER;
  return BigInt(scaled < 0 ? -Math.round(-scaled) : Math.round(scaled));
}

/** Divide and round half up (toward +infinity at exactly half), for non-negative or negative numerators. */
export function divideRoundHalfUp(numerator: bigint, denominator: bigint): bigint {
  if (denominator <= 0n) throw new RangeError('denominator must be positive');
  const quotient = numerator / denominator;
  const remainder = numerator - quotient * denominator;
  if (remainder === 0n) return quotient;
  if (numerator > 0n) return remainder * 2n >= denominator ? quotient + 1n : quotient;
  return -remainder * 2n > denominator ? quotient - 1n : quotient;
}

const RATE_SCALE = 1_000_000_000_000n;

/**
 * amount x rate, rounded half up to a multiple of `minorUnit` (both in ledger units). Rates are
 * taken to 12 decimals, which covers every fee schedule we know (0.0000487 is exact).
 */
export function applyRate(amount: bigint, rate: number, minorUnit: bigint): bigint {
  const rateUnits = BigInt(Math.round(rate * 1e12));
  return divideRoundHalfUp(amount * rateUnits, RATE_SCALE * minorUnit) * minorUnit;
}
