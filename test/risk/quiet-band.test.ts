// The quiet band's contract (src/engines/risk/quiet-band.ts): when a bar may skip the risk engine's full
// look, what shuts the band or ends the quiet account, and when it opens again. The equivalence with full
// looks over whole backtests is in quiet-path.property.test.ts.
import { describe, expect, it } from 'vitest';
import type { Bar } from '../../src/core/bar.ts';
import { SimulatedClock } from '../../src/common/clock.ts';
import type { RiskContext } from '../../src/common/ports.ts';
import { PortfolioMonitor } from '../../src/engines/risk/portfolio-monitor.ts';
import { QuietBand } from '../../src/engines/risk/quiet-band.ts';
import { SymbolTracker } from '../../src/engines/risk/symbol-tracker.ts';
import { ashareInstrument, cryptoInstrument, MS_PER_DAY, MS_PER_HOUR, T0 } from '../sim/helpers.ts';

const DAY_ENDS = T0 + MS_PER_DAY;

function bar(symbol: string, openTime: number, close: number): Bar {
  return { symbol, openTime, closeTime: openTime + MS_PER_HOUR, open: close, high: close, low: close, close, volume: 1 };
}

/** A band on a two-symbol account whose cash, holdings, prices and ledger version a test sets. */
function setup(options: { enabled?: boolean; ashare?: boolean } = {}) {
  const instruments = [cryptoInstrument({ symbol: 'A/USDT', base: 'A' }), options.ashare ? ashareInstrument() : cryptoInstrument({ symbol: 'B/USDT', base: 'B' })];
  const clock = new SimulatedClock(T0);
  const account = { cash: 1_000, held: [0, 0], prices: [100, 50], ledger: 1 };
  const context = {
    clock,
    instruments,
    lastPrice: (i: number) => account.prices[i]!,
    ledgerVersion: () => account.ledger,
    openPositions: () => account.held.filter((q) => q !== 0).length,
    cash: () => account.cash,
    heldQuantity: (i: number) => account.held[i]!,
  } as unknown as RiskContext;
  const symbols = new SymbolTracker(instruments, false, new PortfolioMonitor(instruments.length, 60));
  const band = new QuietBand(options.enabled ?? true);
  band.attach(context, symbols);
  // Each symbol's first bar starts its trading day: no band reaches past the end of it.
  instruments.forEach((instrument, i) => symbols.update(bar(instrument.symbol, T0, account.prices[i]!), i));
  const barOf = (index: number, close: number, openTime = T0 + MS_PER_HOUR): Bar => bar(instruments[index]!.symbol, openTime, close);
  return { band, account, clock, symbols, barOf };
}

/** Arms a band on 2 A held from 800 cash at 100 (equity 1,000), floor 950, peak 1,010: closes in about (75, 105) keep it quiet. */
function holdingOne(options: { enabled?: boolean } = {}) {
  const s = setup(options);
  s.account.cash = 800;
  s.account.held = [2, 0];
  s.band.arm(1_000, 950, 1_010, DAY_ENDS);
  return s;
}

describe('the quiet band', () => {
  it('flat: a bar of any symbol settles until its day ends, the ledger moves or the account day ends', () => {
    const { band, account, clock, symbols, barOf } = setup();
    band.arm(1_000, 900, 1_000, DAY_ENDS);
    expect(band.isQuiet()).toBe(true);
    expect(band.isFlat()).toBe(true);
    expect(band.settles(barOf(0, 123), 0)).toBe(true);
    expect(band.settles(barOf(1, 1), 1)).toBe(true);
    expect(symbols.closes[0]).toBe(123);
    expect(band.owesEquity).toBe(true);
    expect(band.settleEquity()).toBe(1_000);
    expect(band.owesEquity).toBe(false);
    // The next trading day of the symbols: a look (the day rolls there).
    expect(band.settles(barOf(0, 100, DAY_ENDS), 0)).toBe(false);
    account.ledger = 2;
    expect(band.settles(barOf(0, 100), 0)).toBe(false);
    expect(band.isQuiet()).toBe(false);
    account.ledger = 1;
    clock.advanceTo(DAY_ENDS);
    expect(band.settles(barOf(0, 100), 0)).toBe(false);
    expect(band.isQuiet()).toBe(false);
  });

  it('one symbol held: only its closes strictly inside the band settle, and they owe cash + quantity x close', () => {
    const { band, barOf } = holdingOne();
    expect(band.isFlat()).toBe(false);
    expect(band.settles(barOf(0, 100), 0)).toBe(true);
    expect(band.settles(barOf(0, 104.9), 0)).toBe(true);
    expect(band.settleEquity()).toBe(800 + 2 * 104.9);
    // At the floor's or the peak's close (less the margin) and beyond: a full look decides.
    for (const close of [74, 75, 105, 106]) expect(band.settles(barOf(0, close), 0)).toBe(false);
    // A bar of a symbol not held moves no equity but is not the band's: the account stays quiet.
    expect(band.settles(barOf(1, 50), 1)).toBe(false);
    expect(band.isQuiet()).toBe(true);
    expect(band.equityAt(1, 50)).toBe(800 + 2 * 100);
    expect(band.equityAt(0, 101)).toBe(800 + 2 * 101);
  });

  it('arms only when equity is exactly the cash, or the cash plus the one symbol held at its last price', () => {
    const flat = setup();
    flat.band.arm(1_000.5, 900, 1_000.5, DAY_ENDS);
    expect(flat.band.isQuiet()).toBe(false);
    expect(flat.band.settles(flat.barOf(0, 100), 0)).toBe(false);

    const two = setup();
    two.account.cash = 700;
    two.account.held = [2, 2];
    two.band.arm(1_000, 900, 1_000, DAY_ENDS);
    expect(two.band.isQuiet()).toBe(false);

    const mismatch = setup();
    mismatch.account.cash = 800;
    mismatch.account.held = [2, 0];
    mismatch.band.arm(1_000.01, 900, 1_010, DAY_ENDS);
    expect(mismatch.band.isQuiet()).toBe(false);
    expect(mismatch.band.settles(mismatch.barOf(0, 100), 0)).toBe(false);
  });

  it('close shuts the band but keeps the account quiet; reband opens it again', () => {
    const { band, barOf } = holdingOne();
    band.close();
    expect(band.settles(barOf(0, 100), 0)).toBe(false);
    expect(band.isQuiet()).toBe(true);
    band.reband(1_010);
    expect(band.settles(barOf(0, 100), 0)).toBe(true);
  });

  it('a new peak raises the top of the band', () => {
    const { band, barOf } = holdingOne();
    expect(band.settles(barOf(0, 106), 0)).toBe(false);
    band.peakRose(1_030, 950);
    expect(band.settles(barOf(0, 106), 0)).toBe(true);
    expect(band.settles(barOf(0, 115), 0)).toBe(false);
  });

  it('disarm ends the quiet account: no bar settles until the next arm', () => {
    const { band, barOf } = holdingOne();
    band.disarm();
    expect(band.isQuiet()).toBe(false);
    expect(band.settles(barOf(0, 100), 0)).toBe(false);
    band.reband(1_010);
    expect(band.settles(barOf(0, 100), 0)).toBe(false);
    band.arm(1_000, 950, 1_010, DAY_ENDS);
    expect(band.settles(barOf(0, 100), 0)).toBe(true);
  });

  it('no band where a symbol needs work on every bar (A-share limits); the account may still be quiet', () => {
    const { band, barOf } = setup({ ashare: true });
    band.arm(1_000, 900, 1_000, DAY_ENDS);
    expect(band.isQuiet()).toBe(true);
    expect(band.settles(barOf(0, 100), 0)).toBe(false);
    expect(band.settles(barOf(1, 50), 1)).toBe(false);
  });

  it('disabled (quietPath: false) never arms: every bar gets the full look', () => {
    const { band, barOf } = holdingOne({ enabled: false });
    expect(band.isQuiet()).toBe(false);
    band.reband(1_010);
    expect(band.settles(barOf(0, 100), 0)).toBe(false);
  });
});
