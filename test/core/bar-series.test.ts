// barSeriesOf: the one builder of a BarSeries from columns (the file loader, tests and the bench use it).
import { describe, expect, it } from 'vitest';
import { barSeriesOf } from '../../src/core/bar.ts';
import { Market } from '../../src/core/market.ts';

const cols = (n: number): Float64Array => Float64Array.from({ length: n }, (_, i) => 100 + i);

describe('barSeriesOf', () => {
  it('closes a crypto minute bar a minute after it opens, and an A-share daily bar at 15:00 Shanghai (07:00 UTC) of its date', () => {
    const crypto = barSeriesOf({ symbol: 'BTC/USDT', market: Market.Crypto, timeframe: '1m', intervalMs: 60_000, openTime: Float64Array.of(0, 60_000), open: cols(2), high: cols(2), low: cols(2), close: cols(2), volume: cols(2) });
    expect([...crypto.closeTime]).toEqual([60_000, 120_000]);
    expect(crypto.length).toBe(2);
    expect(crypto.source).toEqual({ file: 'in-memory', sha256: '', rows: 2, skipped: 0 });
    const day = Date.UTC(2024, 0, 2);
    const ashare = barSeriesOf({ symbol: '600519.SH', market: Market.AShare, timeframe: '1d', intervalMs: 86_400_000, openTime: Float64Array.of(day), open: cols(1), high: cols(1), low: cols(1), close: cols(1), volume: cols(1) });
    expect(ashare.closeTime[0]).toBe(Date.UTC(2024, 0, 2, 7));
  });

  it('keeps closeTime and source when given', () => {
    const series = barSeriesOf({ symbol: 'X', market: Market.Crypto, timeframe: '1m', intervalMs: 60_000, openTime: cols(3), closeTime: Float64Array.of(7, 8, 9), open: cols(3), high: cols(3), low: cols(3), close: cols(3), volume: cols(3), source: { file: 'x.csv', sha256: 'ab', rows: 4, skipped: 1 } });
    expect([...series.closeTime]).toEqual([7, 8, 9]);
    expect(series.source.file).toBe('x.csv');
  });

  it('refuses a column of another length, naming it', () => {
    expect(() => barSeriesOf({ symbol: 'X', market: Market.Crypto, timeframe: '1m', intervalMs: 60_000, openTime: cols(3), open: cols(3), high: cols(3), low: cols(2), close: cols(3), volume: cols(3) })).toThrow(/X: column low has 2 values, openTime 3/);
    expect(() => barSeriesOf({ symbol: 'X', market: Market.AShare, timeframe: '1d', intervalMs: 86_400_000, openTime: cols(3), open: cols(3), high: cols(3), low: cols(3), close: cols(3), volume: cols(3), preClose: cols(4) })).toThrow(/column preClose has 4/);
  });
});
