// mergeOrder: one event order over several series, by closeTime then series index.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BarSeries } from '../../src/core/bar.ts';
import { loadBarSeries } from '../../src/adapters/files/index.ts';
import { mergeOrder } from '../../src/engines/data/index.ts';
import { BTC_1M, ETH_5M, MOUTAI_1D } from './helpers.ts';

function withCloseTimes(closeTimes: number[]): BarSeries {
  const col = Float64Array.from(closeTimes);
  return {
    symbol: 'S', market: 'crypto', timeframe: '1m', intervalMs: 60_000, length: closeTimes.length,
    openTime: col, closeTime: col, open: col, high: col, low: col, close: col, volume: col,
    source: { file: '', sha256: '', rows: closeTimes.length, skipped: 0 },
  };
}

describe('mergeOrder', () => {
  it('orders a 1m and a 5m series by close time, ties by series index', async () => {
    const btc = (await loadBarSeries(BTC_1M)).series;
    const eth = (await loadBarSeries(ETH_5M)).series;
    const { seriesIndex, barIndex } = mergeOrder([btc, eth]);
    expect(seriesIndex).toBeInstanceOf(Uint8Array);
    expect(seriesIndex.length).toBe(72);
    // 00:01 .. 00:04 BTC, then at 00:05 BTC bar 4 before ETH bar 0.
    expect(Array.from(seriesIndex.subarray(0, 6))).toEqual([0, 0, 0, 0, 0, 1]);
    expect(Array.from(barIndex.subarray(0, 6))).toEqual([0, 1, 2, 3, 4, 0]);
    const swapped = mergeOrder([eth, btc]);
    expect(Array.from(swapped.seriesIndex.subarray(0, 6))).toEqual([1, 1, 1, 1, 0, 1]);
    expect(Array.from(swapped.barIndex.subarray(0, 6))).toEqual([0, 1, 2, 3, 0, 4]);
  });

  it('mixes markets by close time (A-share daily bars close at 07:00 UTC)', async () => {
    const a = (await loadBarSeries(MOUTAI_1D)).series;
    const b = (await loadBarSeries(BTC_1M)).series;
    const order = mergeOrder([a, b]);
    const times = Array.from(order.seriesIndex, (s, k) => [a, b][s]!.closeTime[order.barIndex[k]!]!);
    expect(times).toEqual([...times].sort((x, y) => x - y));
  });

  it('handles empty input and empty series; uses Uint16Array beyond 256 series', () => {
    expect(mergeOrder([]).barIndex.length).toBe(0);
    expect(mergeOrder([withCloseTimes([]), withCloseTimes([5])]).seriesIndex[0]).toBe(1);
    const many = Array.from({ length: 300 }, (_, k) => withCloseTimes([300 - k]));
    const order = mergeOrder(many);
    expect(order.seriesIndex).toBeInstanceOf(Uint16Array);
    expect(order.seriesIndex[0]).toBe(299);
  });

  it('rejects a series not sorted by closeTime', () => {
    expect(() => mergeOrder([withCloseTimes([1, 3, 2])])).toThrow('not sorted by closeTime at bar 2');
  });

  it('equals a stable sort by (closeTime, series, bar) (fast-check)', () => {
    const sortedTimes = fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 30 }).map((a) => a.sort((x, y) => x - y));
    fc.assert(
      fc.property(fc.array(sortedTimes, { maxLength: 8 }), (lists) => {
        const order = mergeOrder(lists.map(withCloseTimes));
        const expected = lists
          .flatMap((times, s) => times.map((t, b) => ({ t, s, b })))
          .sort((x, y) => x.t - y.t || x.s - y.s || x.b - y.b);
        expect(Array.from(order.seriesIndex)).toEqual(expected.map((e) => e.s));
        expect(Array.from(order.barIndex)).toEqual(expected.map((e) => e.b));
      }),
      { numRuns: 200 },
    );
  });
});
