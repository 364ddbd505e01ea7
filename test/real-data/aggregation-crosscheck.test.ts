// Cross-checks against the real data in ../shared (skipped when ../shared is absent).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBarSeries } from '../../src/adapters/files/index.ts';
import { SHARED_DATA } from '../data/helpers.ts';

const BTC_1M = join(SHARED_DATA, 'ohlcv/binance_spot/BTCUSDT-1m-2025-05-20_2025-08-18.csv.gz');
const BTC_5M = join(SHARED_DATA, 'ohlcv/binance_spot/BTCUSDT-5m-2025-05-20_2025-08-18.csv.gz');
const SSE_1M = join(SHARED_DATA, 'ashare/index/000001.SH-1m-2015-01-05_2019-02-12.csv.gz');
const SSE_1D = join(SHARED_DATA, 'ashare/index/000001.SH-1d-2006-11-06_2020-07-16.csv');

describe('Binance BTCUSDT 1m aggregated to 5m equals the 5m file', () => {
  it('matches on all 26141 complete buckets (OHLC exact, volume to 1e-6)', async () => {
    const agg = (await loadBarSeries(BTC_1M, { timeframe: '5m' })).series;
    const ref = (await loadBarSeries(BTC_5M)).series;
    expect(ref.length).toBe(26141);
    // 130708 minutes = 26141 complete buckets + one partial bucket of 3 minutes at the end.
    expect(agg.length).toBe(26142);
    expect(agg.source.rows).toBe(130708);
    let mismatches = 0;
    for (let j = 0; j < ref.length; j++) {
      if (
        agg.openTime[j] !== ref.openTime[j] ||
        agg.closeTime[j] !== ref.closeTime[j] ||
        agg.open[j] !== ref.open[j] ||
        agg.high[j] !== ref.high[j] ||
        agg.low[j] !== ref.low[j] ||
        agg.close[j] !== ref.close[j] ||
        Math.abs(agg.volume[j]! - ref.volume[j]!) > 1e-6 * Math.max(1, ref.volume[j]!)
      ) {
        mismatches++;
      }
    }
    expect(mismatches).toBe(0);
  });
});

describe('SSE Composite 1m aggregated to 1d vs the daily file', () => {
  it('gives one bar per trading day, dated and closing like the daily bars', async () => {
    const agg = (await loadBarSeries(SSE_1M, { timeframe: '1d' })).series;
    const daily = (await loadBarSeries(SSE_1D)).series;
    expect(agg.length).toBe(1000);
    const index = new Map(Array.from(daily.openTime, (t, i) => [t, i]));
    let closeMatches = 0;
    for (let j = 0; j < agg.length; j++) {
      const i = index.get(agg.openTime[j]!);
      expect(i).toBeDefined();
      expect(agg.closeTime[j]).toBe(daily.closeTime[i!]);
      if (Math.abs(agg.close[j]! - daily.close[i!]!) <= 0.01) closeMatches++;
    }
    // Two different vendors: the closes agree on the vast majority of days.
    expect(closeMatches / agg.length).toBeGreaterThan(0.98); // 987 of 1000 at the time of writing
  });
});
