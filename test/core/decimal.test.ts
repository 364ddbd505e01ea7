// Exact decimal helpers: scaled integers, half-up division, fee rates and plain decimal strings.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyRate,
  decimalsOf,
  divideRoundHalfUp,
  formatMoney,
  formatScaled,
  MONEY_SCALE,
  moneyToNumber,
  numberToMoney,
  parseScaled,
  toPlainDecimal,
} from '../../src/core/decimal.ts';

/** Floor division for a positive denominator (bigint `/` truncates toward zero). */
function floorDiv(numerator: bigint, denominator: bigint): bigint {
  const quotient = numerator / denominator;
  return numerator % denominator !== 0n && numerator < 0n ? quotient - 1n : quotient;
}

const FEN = 1_000_000n; // 0.01 CNY in ledger units (10^-8)

describe('parseScaled and formatScaled', () => {
  it('round-trip any integer count at any scale (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), fc.integer({ min: 0, max: 18 }), (units, decimals) => {
        const text = formatScaled(units, decimals);
        expect(text).toMatch(/^-?\d+(\.\d*[1-9])?$/);
        expect(parseScaled(text, decimals)).toBe(units);
      }),
      { numRuns: 2000 },
    );
  });

  it('round-trip decimal strings, dropping only trailing zeros (property)', () => {
    const digits = (max: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 1, maxLength: max });
    fc.assert(
      fc.property(fc.boolean(), digits(15), fc.option(digits(8)), (negative, whole, fraction) => {
        const text = `${negative ? '-' : ''}${whole}${fraction === null ? '' : `.${fraction}`}`;
        const units = parseScaled(text, 8);
        const back = formatScaled(units, 8);
        // Same number: compare at the scale, and the canonical form has no leading or trailing zeros.
        expect(parseScaled(back, 8)).toBe(units);
        expect(back).not.toMatch(/^-?0\d/);
        expect(back).not.toMatch(/\.\d*0$/);
      }),
      { numRuns: 1000 },
    );
  });

  it('parses exactly where floats cannot', () => {
    expect(parseScaled('0.1', 8)).toBe(10_000_000n);
    expect(parseScaled('1800.00', 2)).toBe(180_000n);
    expect(parseScaled('-0.00000001', 8)).toBe(-1n);
    expect(parseScaled('123456789012345678.9', 1)).toBe(1_234_567_890_123_456_789n);
    expect(parseScaled('5', 0)).toBe(5n);
    expect(parseScaled('1.2300', 2)).toBe(123n); // trailing zeros beyond the scale are harmless
  });

  it('refuses digits it would have to drop, and non-decimals', () => {
    expect(() => parseScaled('0.001', 2)).toThrow(/more than 2 decimals/);
    expect(() => parseScaled('1e-8', 8)).toThrow(RangeError);
    expect(() => parseScaled('', 2)).toThrow(RangeError);
    expect(() => parseScaled('1.', 2)).toThrow(RangeError);
    expect(() => parseScaled('NaN', 2)).toThrow(RangeError);
  });

  it('formats with a leading zero, a sign and no trailing zeros', () => {
    expect(formatScaled(5n, 3)).toBe('0.005');
    expect(formatScaled(-5n, 3)).toBe('-0.005');
    expect(formatScaled(1_500n, 3)).toBe('1.5');
    expect(formatScaled(2_000n, 3)).toBe('2');
    expect(formatScaled(0n, 8)).toBe('0');
    expect(formatScaled(120n, 0)).toBe('120');
    expect(formatMoney(876_600_000n)).toBe('8.766');
  });

  it('counts decimals of plain decimal strings only', () => {
    expect(decimalsOf('0.010')).toBe(3);
    expect(decimalsOf('100')).toBe(0);
    expect(() => decimalsOf('-1')).toThrow(RangeError);
    expect(() => decimalsOf('1e-8')).toThrow(RangeError);
  });
});

describe('divideRoundHalfUp', () => {
  it('rounds positive ties up', () => {
    expect(divideRoundHalfUp(5n, 2n)).toBe(3n); // 2.5 -> 3
    expect(divideRoundHalfUp(15n, 10n)).toBe(2n); // 1.5 -> 2
    expect(divideRoundHalfUp(8_766n, 1_000n)).toBe(9n); // 8.766 -> 9
    expect(divideRoundHalfUp(8_499n, 1_000n)).toBe(8n);
  });

  it('rounds negative ties toward +infinity', () => {
    expect(divideRoundHalfUp(-5n, 2n)).toBe(-2n); // -2.5 -> -2
    expect(divideRoundHalfUp(-15n, 10n)).toBe(-1n); // -1.5 -> -1
    expect(divideRoundHalfUp(-25n, 10n)).toBe(-2n); // -2.5 -> -2
    expect(divideRoundHalfUp(-26n, 10n)).toBe(-3n); // -2.6 -> -3
    expect(divideRoundHalfUp(-24n, 10n)).toBe(-2n); // -2.4 -> -2
    expect(divideRoundHalfUp(-8n, 3n)).toBe(-3n); // -2.67 -> -3
  });

  it('is exact on multiples and zero', () => {
    expect(divideRoundHalfUp(0n, 7n)).toBe(0n);
    expect(divideRoundHalfUp(-21n, 7n)).toBe(-3n);
    expect(divideRoundHalfUp(21n, 7n)).toBe(3n);
  });

  it('equals floor(n / d + 1/2) for every numerator (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 24n), max: 10n ** 24n }), fc.bigInt({ min: 1n, max: 10n ** 12n }), (n, d) => {
        expect(divideRoundHalfUp(n, d)).toBe(floorDiv(2n * n + d, 2n * d));
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses a zero or negative denominator', () => {
    expect(() => divideRoundHalfUp(1n, 0n)).toThrow(RangeError);
    expect(() => divideRoundHalfUp(1n, -2n)).toThrow(RangeError);
  });
});

describe('applyRate', () => {
  it('charges 180,000 CNY x 0.0000487 = 8.766 as 8.77 at the fen', () => {
    expect(applyRate(180_000n * MONEY_SCALE, 0.0000487, FEN)).toBe(877n * FEN);
  });

  it('charges 190,000 CNY x 0.0000487 = 9.253 as 9.25, and exact products unrounded', () => {
    expect(applyRate(190_000n * MONEY_SCALE, 0.0000487, FEN)).toBe(925n * FEN);
    expect(applyRate(180_000n * MONEY_SCALE, 0.00025, FEN)).toBe(4_500n * FEN); // 45.00
    expect(applyRate(180_000n * MONEY_SCALE, 0.00002, FEN)).toBe(360n * FEN); // 3.60
  });

  it('rounds an exact half fen up', () => {
    // 10 CNY x 0.0005 = 0.005 CNY = half a fen -> 0.01.
    expect(applyRate(10n * MONEY_SCALE, 0.0005, FEN)).toBe(FEN);
    // 9.99 CNY x 0.0005 = 0.004995 -> 0.00.
    expect(applyRate(999_000_000n, 0.0005, FEN)).toBe(0n);
  });

  it('is the exact product rounded half up to the minor unit (property)', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 18n }),
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.constantFrom(1n, FEN),
        (amount, ratePerTenMillion, minor) => {
          // Rates with up to 7 decimals (0.0000487 is 487 / 10^7): the exact product is amount x k / 10^7.
          const rate = ratePerTenMillion / 1e7;
          const exact = divideRoundHalfUp(amount * BigInt(ratePerTenMillion), 10_000_000n * minor) * minor;
          const charged = applyRate(amount, rate, minor);
          expect(charged % minor).toBe(0n);
          expect(charged).toBe(exact);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('toPlainDecimal', () => {
  it('expands exponent notation', () => {
    expect(toPlainDecimal(1e-7)).toBe('0.0000001');
    expect(toPlainDecimal(1.5e21)).toBe('1500000000000000000000');
    expect(toPlainDecimal(0.1)).toBe('0.1');
    expect(toPlainDecimal(-2.5e-8)).toBe('-0.000000025');
    expect(toPlainDecimal(1.234e-10)).toBe('0.0000000001234');
    expect(toPlainDecimal(1e21)).toBe('1000000000000000000000');
    expect(toPlainDecimal(42)).toBe('42');
  });

  it('gives the shortest digits that parse back to the same double (property)', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (value) => {
        const text = toPlainDecimal(value);
        expect(text).toMatch(/^-?\d+(\.\d+)?$/);
        expect(Number(text)).toBe(value === 0 ? 0 : value);
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses NaN and infinities', () => {
    expect(() => toPlainDecimal(Number.NaN)).toThrow(RangeError);
    expect(() => toPlainDecimal(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});

describe('money as numbers', () => {
  it('converts ledger units to numbers and back', () => {
    expect(moneyToNumber(123_456_789n)).toBe(1.23456789);
    expect(numberToMoney(0.1 + 0.2)).toBe(30_000_000n);
    expect(numberToMoney(1.23456789)).toBe(123_456_789n);
  });

  it('rounds half away from zero, so a negative amount is the mirror of the positive one', () => {
    expect(numberToMoney(5e-9)).toBe(1n); // 0.5 unit
    expect(numberToMoney(-5e-9)).toBe(-1n);
    expect(numberToMoney(-2.5e-8)).toBe(-3n);
    expect(numberToMoney(-0)).toBe(0n);
    fc.assert(
      fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), (value) => {
        expect(numberToMoney(-value)).toBe(-numberToMoney(value));
      }),
    );
  });
});
