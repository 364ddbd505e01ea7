// Instruments: prices and quantities land exactly on the tick and lot grid and print as exact decimals.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseScaled } from '../../src/core/decimal.ts';
import { Instrument, RoundingMode } from '../../src/core/instrument.ts';
import { defaultInstrumentDefinition, resolveInstrument } from '../../src/core/instrument-table.ts';
import { Market } from '../../src/core/market.ts';

const TICKS = ['0.01', '0.05', '0.0001', '0.5', '1', '0.00000001'] as const;

function instrument(tickSize: string, lotSize = '0.001'): Instrument {
  return new Instrument({ symbol: 'TEST/USDT', market: Market.Crypto, base: 'TEST', quote: 'USDT', tickSize, lotSize, minNotional: 0 });
}

/** Exact grid check through the decimal string, independent of the instrument's own arithmetic. */
function expectOnGrid(inst: Instrument, price: number, label: string): void {
  const text = inst.formatPrice(price);
  expect(text, `${label}: plain decimal`).toMatch(/^-?\d+(\.\d+)?$/);
  const units = parseScaled(text, inst.priceDecimals);
  expect(units % BigInt(inst.tickUnits), `${label}: ${text} is a whole number of ${inst.tickSize} ticks`).toBe(0n);
  expect(Number(text), `${label}: "${text}" parses back to the same double`).toBe(price);
}

/** Prices from 0 to 1e6 (1e14 units of a 1e-8 tick, inside the exact integer range of a double). */
const price = fc.double({ min: 0, max: 1_000_000, noNaN: true, noDefaultInfinity: true });
const mode = fc.constantFrom(RoundingMode.Nearest, RoundingMode.Down, RoundingMode.Up);

describe('roundPrice', () => {
  it('never produces an off-tick price, and its decimal string parses back to the same number (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...TICKS), price, mode, (tick, p, m) => {
        const inst = instrument(tick);
        const rounded = inst.roundPrice(p, m);
        expectOnGrid(inst, rounded, `${p} ${m} on ${tick}`);
        expect(inst.isOnTick(rounded)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('brackets the input: down <= price <= up, one tick apart at most, nearest is one of them (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...TICKS), price, (tick, p) => {
        const inst = instrument(tick);
        const down = inst.roundPrice(p, RoundingMode.Down);
        const up = inst.roundPrice(p, RoundingMode.Up);
        const nearest = inst.roundPrice(p, RoundingMode.Nearest);
        // Values within 1e-9 tick (or a few ulps) of a grid point snap to it: that is float noise, not a price.
        const snap = Math.max(inst.tick * 1e-9, p * 4 * Number.EPSILON);
        expect(down).toBeLessThanOrEqual(p + snap);
        expect(up).toBeGreaterThanOrEqual(p - snap);
        const gap = parseScaled(inst.formatPrice(up), inst.priceDecimals) - parseScaled(inst.formatPrice(down), inst.priceDecimals);
        expect([0n, BigInt(inst.tickUnits)]).toContain(gap);
        expect([down, up]).toContain(nearest);
        if (gap === 0n) expect(down).toBe(up);
      }),
      { numRuns: 3000 },
    );
  });

  it('leaves a price that is already on the tick unchanged in every mode, even with millions of ticks (property)', () => {
    // Regression: (price x scale) / tickUnits carries ~1e-16 relative noise; with 4e12 ticks of 1e-8 that is
    // more than the 1e-9 tick snap, and Down/Up used to move 42982.08006543 by a whole tick.
    fc.assert(
      fc.property(fc.constantFrom(...TICKS), fc.integer({ min: 0, max: 100_000_000_000_000 }), mode, (tick, k, m) => {
        const inst = instrument(tick);
        fc.pre(k * inst.tickUnits <= 100_000_000_000_000);
        const onGrid = (k * inst.tickUnits) / inst.priceScale;
        expect(inst.roundPrice(onGrid, m)).toBe(onGrid);
        expect(inst.isOnTick(onGrid), `${onGrid} on ${tick}`).toBe(true);
      }),
      { numRuns: 3000 },
    );
    const btc = instrument('0.00000001');
    expect(btc.roundPrice(42982.08006543, RoundingMode.Up)).toBe(42982.08006543);
    expect(btc.roundPrice(42982.08006543, RoundingMode.Down)).toBe(42982.08006543);
    expect(instrument('0.05').roundPrice(1161313.15, RoundingMode.Down)).toBe(1161313.15);
  });

  it('rounds to the nearest tick, ties up', () => {
    const inst = instrument('0.05');
    expect(inst.roundPrice(10.024)).toBe(10);
    expect(inst.roundPrice(10.026)).toBe(10.05);
    expect(inst.roundPrice(10.125)).toBe(10.15); // exactly half a tick (10.125 is exact in binary) rounds up
    expect(inst.roundPrice(-10.125)).toBe(-10.1); // ties go toward +infinity
    expect(inst.roundPrice(10.01, RoundingMode.Up)).toBe(10.05);
    expect(inst.roundPrice(10.09, RoundingMode.Down)).toBe(10.05);
  });

  it('gets classic float traps exact', () => {
    const cent = instrument('0.01');
    expect(cent.roundPrice(0.1 + 0.2)).toBe(0.3);
    expect(cent.formatPrice(0.1 + 0.2)).toBe('0.3');
    expect(cent.roundPrice(0.1 + 0.2, RoundingMode.Up)).toBe(0.3); // 0.30000000000000004 is noise, not 0.31
    expect(cent.roundPrice(0.1 + 0.2, RoundingMode.Down)).toBe(0.3);
    expect(cent.roundPrice(1.1 * 1.1)).toBe(1.21); // 1.2100000000000002
    expect(cent.roundPrice(1.1 * 3, RoundingMode.Up)).toBe(3.3); // 3.3000000000000003
    expect(cent.roundPrice(0.57, RoundingMode.Down)).toBe(0.57); // 0.57 x 100 = 56.99999999999999
    expect(cent.roundPrice(4.35, RoundingMode.Down)).toBe(4.35); // 4.35 x 100 = 434.99999999999994
    expect(instrument('0.05').roundPrice(9.95, RoundingMode.Down)).toBe(9.95); // 9.95 / 0.05 = 198.99999999999997
    expect(instrument('1').roundPrice(0.57 * 100, RoundingMode.Down)).toBe(57);
    expect(instrument('0.00000001').formatPrice(0.1 + 0.2)).toBe('0.3');
  });

  it('formats without exponent and without trailing zeros', () => {
    const satoshi = instrument('0.00000001');
    expect(satoshi.formatPrice(0.00000001)).toBe('0.00000001');
    expect(satoshi.formatPrice(1e-7)).toBe('0.0000001');
    expect(instrument('0.01').formatPrice(1800)).toBe('1800');
    expect(instrument('0.01').formatPrice(12.1)).toBe('12.1');
    expect(instrument('0.5').formatPrice(1e21)).toBe('1000000000000000000000');
  });
});

describe('roundQuantity', () => {
  const LOTS = ['0.00001', '0.001', '0.1', '1', '100', '0.00000001'] as const;

  it('rounds down by default and never exceeds the input (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...LOTS), fc.double({ min: 0, max: 1_000_000, noNaN: true }), (lot, q) => {
        const inst = instrument('0.01', lot);
        const rounded = inst.roundQuantity(q);
        const snap = Math.max(inst.lot * 1e-9, q * 4 * Number.EPSILON);
        expect(rounded).toBeLessThanOrEqual(q + snap);
        expect(q - rounded).toBeLessThan(inst.lot);
        expect(inst.isOnLot(rounded)).toBe(true);
        const units = parseScaled(inst.formatQuantity(rounded), inst.quantityDecimals);
        expect(units % BigInt(inst.lotUnits)).toBe(0n);
        expect(Number(inst.formatQuantity(rounded))).toBe(rounded);
      }),
      { numRuns: 3000 },
    );
  });

  it('never exceeds the input when the input is more than float noise away from a lot boundary', () => {
    const shares = instrument('0.01', '100');
    expect(shares.roundQuantity(199.999)).toBe(100);
    expect(shares.roundQuantity(99.99999)).toBe(0);
    expect(instrument('0.01', '0.1').roundQuantity(0.29999)).toBe(0.2);
  });

  it('keeps quantities that float arithmetic lands just below a lot', () => {
    const tenth = instrument('0.01', '0.1');
    expect(tenth.roundQuantity(0.3)).toBe(0.3); // 0.3 / 0.1 = 2.9999999999999996
    expect(tenth.roundQuantity(0.7 * 3)).toBe(2.1); // 2.0999999999999996
    expect(tenth.roundQuantity(0.1 + 0.2)).toBe(0.3);
    expect(tenth.roundQuantity(0.1 + 0.2, RoundingMode.Up)).toBe(0.3);
    expect(tenth.roundQuantity(0.21, RoundingMode.Up)).toBe(0.3);
    expect(tenth.roundQuantity(0.26, RoundingMode.Nearest)).toBe(0.3);
  });
});

describe('instrument definition', () => {
  it('rejects a zero tick or lot', () => {
    expect(() => instrument('0')).toThrow(RangeError);
    expect(() => instrument('0.00')).toThrow(/tickSize must be > 0/);
    expect(() => instrument('0.01', '0')).toThrow(/lotSize must be > 0/);
  });

  it('rejects a tick that is not a plain positive decimal', () => {
    expect(() => instrument('-0.01')).toThrow(RangeError);
    expect(() => instrument('1e-8')).toThrow(RangeError);
    expect(() => instrument('abc')).toThrow(RangeError);
  });

  it('derives the grid from the decimal strings', () => {
    const inst = instrument('0.05', '0.001');
    expect(inst.priceDecimals).toBe(2);
    expect(inst.tickUnits).toBe(5);
    expect(inst.tick).toBe(0.05);
    expect(inst.quantityDecimals).toBe(3);
    expect(inst.lot).toBe(0.001);
    expect(inst.priceUnits(12.35)).toBe(1235);
    expect(inst.quantityFromUnits(1500)).toBe(1.5);
  });

  it('gives A-shares a fen tick, 100-share lots, CNY and the board of their code', () => {
    const moutai = resolveInstrument('600519.SH', Market.AShare);
    expect(moutai.tickSize).toBe('0.01');
    expect(moutai.lot).toBe(100);
    expect(moutai.quote).toBe('CNY');
    expect(moutai.board).toBe('main');
    expect(moutai.listingDate).toBe('2001-08-27');
    expect(resolveInstrument('300750.SZ', Market.AShare).board).toBe('chinext');
  });

  it('splits crypto pairs and lets an override win over the built-in row', () => {
    const def = defaultInstrumentDefinition('BTCUSDT', Market.Crypto);
    expect(def).toMatchObject({ symbol: 'BTC/USDT', base: 'BTC', quote: 'USDT', tickSize: '0.01', lotSize: '0.00001' });
    const custom = resolveInstrument('BTC/USDT', Market.Crypto, { tickSize: '0.1', lotSize: undefined });
    expect(custom.tickSize).toBe('0.1');
    expect(custom.lotSize).toBe('0.00001');
    expect(() => defaultInstrumentDefinition('BTCXYZ', Market.Crypto)).toThrow(/BASE\/QUOTE/);
  });

  it('puts an A-share timestamp on its Shanghai trading date', () => {
    const moutai = resolveInstrument('600519.SH', Market.AShare);
    const day = Math.floor(Date.UTC(2024, 0, 2) / 86_400_000);
    // 2024-01-01 17:00 UTC is 2024-01-02 01:00 in Shanghai.
    expect(moutai.tradingDay(Date.UTC(2024, 0, 1, 17))).toBe(day);
    expect(instrument('0.01').tradingDay(Date.UTC(2024, 0, 1, 17))).toBe(day - 1);
  });
});
