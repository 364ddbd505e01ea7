// The CCXT data client skips no bar: a candle that closed between the warm-up's history and the stream's
// first message comes from REST before the stream's candles. A scripted exchange API (unit test).
import { describe, expect, it } from 'vitest';
import { CcxtDataClient, type CcxtMarketApi } from '../../src/adapters/ccxt/ccxt-data-client.ts';
import type { Bar } from '../../src/core/bar.ts';
import { LiveClock } from '../../src/common/clock.ts';

const MINUTE = 60_000;
const T = Date.UTC(2021, 1, 22, 12, 0);
const candle = (openTime: number): number[] => [openTime, 100, 101, 99, 100 + (openTime - T) / MINUTE, 5];

describe('CcxtDataClient bar continuity', () => {
  it('fetches the candle the stream starts after, and delivers every bar once, in order', async () => {
    // Venue time 12:02:10: the warm-up history ends with 11:59; the stream's first message is already 12:01 and 12:02.
    const clock = new LiveClock();
    clock.sync(T + 2 * MINUTE + 10_000, LiveClock.wallNow(), 1);
    const rest: Array<{ since: number | undefined; limit: number | undefined }> = [];
    let streamed = 0;
    const api: CcxtMarketApi = {
      fetchTime: async () => clock.now(),
      fetchOHLCV: async (_symbol, _timeframe, since, limit) => {
        rest.push({ since, limit });
        const all = [-3, -2, -1, 0, 1].map((k) => candle(T + k * MINUTE));
        // The history the warm-up asks for ends before 12:00 (it was taken a moment earlier).
        if (rest.length === 1) return all.filter((c) => c[0]! < T);
        return all.filter((c) => c[0]! >= since! && c[0]! < since! + limit! * MINUTE);
      },
      watchOHLCV: async () => {
        streamed++;
        if (streamed === 1) return [candle(T + MINUTE), candle(T + 2 * MINUTE)];
        await new Promise((resolve) => setTimeout(resolve, 5));
        return [candle(T + MINUTE), candle(T + 2 * MINUTE)];
      },
      watchOrderBook: async () => ({ bids: [], asks: [] }),
    };
    const bars: Bar[] = [];
    const data = new CcxtDataClient(api, clock, { symbols: ['BTC/USDT'], timeframe: '1m', warmupBars: 2 });
    await data.start({ onBar: (bar) => void bars.push(bar) });
    for (let i = 0; i < 100 && bars.length < 5; i++) await new Promise((resolve) => setTimeout(resolve, 5));
    await data.stop();
    clock.cancelAll();
    const times = bars.map((b) => (b.openTime - T) / MINUTE);
    expect(times, 'warm-up 11:57 to 11:59, then 12:00 from REST (the stream started after it), then 12:01 from the stream').toEqual([-3, -2, -1, 0, 1]);
    expect(rest[1], 'the gap is asked for from the candle after the last one delivered').toEqual({ since: T, limit: 1 });
  });
});
