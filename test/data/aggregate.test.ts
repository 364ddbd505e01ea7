// Timeframe aggregation: hand-checked buckets, A-share sessions, errors, and no-look-ahead properties.
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { type BarSeries, barSeriesOf } from '../../src/core/bar.ts';
import { MS_PER_DAY, MS_PER_HOUR, MS_PER_MINUTE, Market, TIMEFRAME_MS, barCloseTime, tradingDayOf } from '../../src/core/market.ts';
import { loadBarSeries } from '../../src/adapters/files/index.ts';
import { DataOptionError, aggregateSeries, targetTimeframeMs } from '../../src/engines/data/index.ts';
import { BTC_1M, ETH_5M, SSE_1M, fixtureLines, tempDir } from './helpers.ts';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const iso = (t: number): string => new Date(t).toISOString();

/** Reference aggregation by grouping rows of a fixture on a key. */
function groupRows(path: string, key: (t: number) => number): Array<{ key: number; rows: number[][] }> {
  const groups: Array<{ key: number; rows: number[][] }> = [];
  for (const line of fixtureLines(path).slice(1)) {
    const r = line.split(',').map(Number);
    const k = key(r[0]!);
    if (groups.at(-1)?.key !== k) groups.push({ key: k, rows: [] });
    groups.at(-1)!.rows.push(r);
  }
  return groups;
}

describe('crypto 1m -> 5m / 1h / 1d (fixture)', () => {
  it('5m: first open, max high, min low, last close, summed volume; openTime = bucket start, closeTime = end', async () => {
    const { series } = await loadBarSeries(BTC_1M, { timeframe: '5m' });
    const groups = groupRows(BTC_1M, (t) => Math.floor(t / 300_000) * 300_000);
    expect(series.length).toBe(12);
    expect(series.timeframe).toBe('5m');
    expect(series.intervalMs).toBe(300_000);
    groups.forEach((g, j) => {
      expect(series.openTime[j]).toBe(g.key);
      expect(series.closeTime[j]).toBe(g.key + 300_000);
      expect(series.open[j]).toBe(g.rows[0]![1]);
      expect(series.high[j]).toBe(Math.max(...g.rows.map((r) => r[2]!)));
      expect(series.low[j]).toBe(Math.min(...g.rows.map((r) => r[3]!)));
      expect(series.close[j]).toBe(g.rows.at(-1)![4]);
      expect(series.volume[j]).toBeCloseTo(g.rows.reduce((s, r) => s + r[5]!, 0), 9);
    });
    expect(series.source.rows).toBe(60);
  });

  it('1h and 1d: one bucket for the 60 minutes; 1d closes at the next 00:00 UTC', async () => {
    const h = (await loadBarSeries(BTC_1M, { timeframe: '1h' })).series;
    const d = (await loadBarSeries(BTC_1M, { timeframe: '1d' })).series;
    expect([h.length, d.length]).toEqual([1, 1]);
    expect(iso(h.closeTime[0]!)).toBe('2024-01-01T01:00:00.000Z');
    expect(iso(d.openTime[0]!)).toBe('2024-01-01T00:00:00.000Z');
    expect(iso(d.closeTime[0]!)).toBe('2024-01-02T00:00:00.000Z');
    expect(d.close[0]).toBe(h.close[0]);
  });

  it('keeps partial buckets around gaps', async () => {
    const lines = fixtureLines(BTC_1M);
    // Drop minutes 7..13 (file lines 8..14): bucket 00:05 keeps 2 bars, 00:10 keeps 1.
    const path = tmp.write('BTCUSDT-1m-gap.csv', [...lines.slice(0, 8), ...lines.slice(15)].join('\n') + '\n');
    const { series } = await loadBarSeries(path, { timeframe: '5m' });
    expect(series.length).toBe(12);
    expect(series.open[2]).toBe(Number(lines[15]!.split(',')[1]));
  });

  it('same timeframe is a no-op; lower, non-multiple and unknown timeframes are errors', async () => {
    const same = await loadBarSeries(ETH_5M, { timeframe: '5m' });
    expect(same.series.length).toBe(12);
    await expect(loadBarSeries(ETH_5M, { timeframe: '1m' })).rejects.toThrow(
      new DataOptionError("timeframe 1m is lower than the data's interval 5m"),
    );
    await expect(loadBarSeries(ETH_5M, { timeframe: '90s' })).rejects.toThrow('unknown timeframe "90s"');
    expect(() => targetTimeframeMs('5m', 3 * MS_PER_MINUTE)).toThrow("timeframe 5m is not a multiple of the data's interval 3m");
    expect(targetTimeframeMs('4h', MS_PER_HOUR)).toBe(4 * MS_PER_HOUR);
  });
});

describe('A-share 1m -> 5m / 1h / 4h / 1d (fixture, sessions 01:30-03:30 and 05:00-07:00 UTC)', () => {
  it('1d buckets by Shanghai date, labelled 00:00 UTC, closing 07:00 UTC; preClose = previous day close', async () => {
    const { series } = await loadBarSeries(SSE_1M, { timeframe: '1d' });
    const raw = (await loadBarSeries(SSE_1M)).series;
    expect(series.length).toBe(2);
    expect(series.openTime[0]! % MS_PER_DAY).toBe(0);
    expect(iso(series.openTime[1]!)).toBe('2024-01-05T00:00:00.000Z');
    expect(iso(series.closeTime[1]!)).toBe('2024-01-05T07:00:00.000Z');
    expect(series.open[1]).toBe(raw.open[20]);
    expect(series.close[1]).toBe(raw.close[39]);
    expect(series.preClose![0]).toBeNaN();
    expect(series.preClose![1]).toBe(raw.close[19]);
    expect(Array.from(series.adjustmentFactor!)).toEqual([1, 1]);
    // Every 1m bar of day 2 carries the same reference price.
    expect(new Set(Array.from(raw.preClose!.subarray(20))).size).toBe(1);
  });

  it('1h floors to UTC hours (09:30-10:00 Shanghai is its own partial bucket); 4h gives morning and afternoon', async () => {
    const h = (await loadBarSeries(SSE_1M, { timeframe: '1h' })).series;
    expect(Array.from(h.openTime.subarray(0, 4), iso)).toEqual([
      '2024-01-04T01:00:00.000Z',
      '2024-01-04T03:00:00.000Z',
      '2024-01-04T05:00:00.000Z',
      '2024-01-04T06:00:00.000Z',
    ]);
    expect(iso(h.closeTime[0]!)).toBe('2024-01-04T02:00:00.000Z');
    const h4 = (await loadBarSeries(SSE_1M, { timeframe: '4h' })).series;
    expect(Array.from(h4.closeTime.subarray(0, 2), iso)).toEqual(['2024-01-04T04:00:00.000Z', '2024-01-04T08:00:00.000Z']);
    const m5 = (await loadBarSeries(SSE_1M, { timeframe: '5m' })).series;
    expect(m5.length).toBe(8);
    expect(iso(m5.openTime[0]!)).toBe('2024-01-04T01:30:00.000Z');
  });

  it('a bar after 15:00 Shanghai cannot go into that day\'s 1d bar', async () => {
    const lines = fixtureLines(SSE_1M);
    const late = Date.UTC(2024, 0, 5, 7, 0);
    const path = tmp.write('000001.SH-1m-late.csv', [...lines, `${late},3000,3001,2999,3000,1,3000`].join('\n') + '\n');
    expect((await loadBarSeries(path, { timeframe: '5m' })).series.length).toBe(9);
    await expect(loadBarSeries(path, { timeframe: '1d' })).rejects.toThrow(
      `${path}:42: bar ends after its 1d bucket closes (timestamp=${late}, bar closes ${late + 60_000}, bucket closes ${late})`,
    );
  });
});

// ---- properties ----------------------------------------------------------------------------------------

interface RawBar { t: number; o: number; h: number; l: number; c: number; v: number }

function seriesOf(market: Market, intervalMs: number, bars: RawBar[]): BarSeries {
  const col = (f: (b: RawBar) => number): Float64Array => Float64Array.from(bars, f);
  return barSeriesOf({
    symbol: 'TEST',
    market,
    timeframe: Object.keys(TIMEFRAME_MS).find((k) => TIMEFRAME_MS[k] === intervalMs)!,
    intervalMs,
    openTime: col((b) => b.t),
    open: col((b) => b.o),
    high: col((b) => b.h),
    low: col((b) => b.l),
    close: col((b) => b.c),
    volume: col((b) => b.v),
    ...(market === Market.AShare
      ? { preClose: new Float64Array(bars.length).fill(NaN), adjustmentFactor: new Float64Array(bars.length).fill(1) }
      : {}),
    source: { file: 'prop', sha256: '', rows: bars.length, skipped: 0 },
  });
}

const priceBar = fc
  .record({ o: fc.double({ min: 1, max: 1000, noNaN: true }), c: fc.double({ min: 1, max: 1000, noNaN: true }), up: fc.double({ min: 0, max: 50, noNaN: true }), down: fc.double({ min: 0, max: 0.99, noNaN: true }), v: fc.double({ min: 0, max: 1e6, noNaN: true }) })
  .map(({ o, c, up, down, v }) => ({ o, c, h: Math.max(o, c) + up, l: Math.min(o, c) * (1 - down), v }));

/** True if an A-share bar opening at t (UTC ms) lies inside a session. */
function inSession(t: number): boolean {
  const minute = (((t % MS_PER_DAY) + MS_PER_DAY) % MS_PER_DAY) / MS_PER_MINUTE;
  return (minute >= 90 && minute < 210) || (minute >= 300 && minute < 420);
}

/** Random series: market, source interval (1m or 5m), strictly increasing aligned open times with gaps. */
const scenario = fc
  .record({
    market: fc.constantFrom(Market.Crypto, Market.AShare),
    intervalMs: fc.constantFrom(MS_PER_MINUTE, 5 * MS_PER_MINUTE),
    startDay: fc.integer({ min: 19_000, max: 20_000 }),
    steps: fc.array(fc.tuple(fc.integer({ min: 1, max: 400 }), priceBar), { minLength: 1, maxLength: 300 }),
    target: fc.constantFrom('5m', '15m', '1h', '4h', '1d'),
  })
  .map(({ market, intervalMs, startDay, steps, target }) => {
    const bars: RawBar[] = [];
    let t = startDay * MS_PER_DAY;
    for (const [gap, p] of steps) {
      t += gap * intervalMs;
      if (market === Market.AShare && !inSession(t)) continue;
      bars.push({ t, ...p });
    }
    return { market, intervalMs, bars, target };
  })
  .filter((s) => s.bars.length > 0);

function bucketKey(market: Market, tfMs: number, t: number): number {
  return tfMs >= MS_PER_DAY ? tradingDayOf(market, t) * MS_PER_DAY : Math.floor(t / tfMs) * tfMs;
}

describe('aggregation properties (fast-check)', () => {
  it('each bucket uses exactly the bars inside it, none ending after the bucket closes, and keeps high >= open, close >= low', () => {
    fc.assert(
      fc.property(scenario, ({ market, intervalMs, bars, target }) => {
        const src = seriesOf(market, intervalMs, bars);
        const agg = aggregateSeries(src, target);
        const tfMs = TIMEFRAME_MS[target]!;
        let used = 0;
        for (let j = 0; j < agg.length; j++) {
          const members = bars.filter((b) => bucketKey(market, tfMs, b.t) === agg.openTime[j]);
          expect(members.length).toBeGreaterThan(0);
          used += members.length;
          for (const b of members) {
            expect(barCloseTime(market, intervalMs, b.t)).toBeLessThanOrEqual(agg.closeTime[j]!);
            expect(b.t).toBeGreaterThanOrEqual(agg.openTime[j]!);
          }
          expect(agg.open[j]).toBe(members[0]!.o);
          expect(agg.close[j]).toBe(members.at(-1)!.c);
          expect(agg.high[j]).toBe(Math.max(...members.map((b) => b.h)));
          expect(agg.low[j]).toBe(Math.min(...members.map((b) => b.l)));
          expect(agg.high[j]).toBeGreaterThanOrEqual(Math.max(agg.open[j]!, agg.close[j]!));
          expect(agg.low[j]).toBeLessThanOrEqual(Math.min(agg.open[j]!, agg.close[j]!));
          expect(agg.closeTime[j]).toBe(barCloseTime(market, tfMs, agg.openTime[j]!));
          if (j > 0) expect(agg.openTime[j]!).toBeGreaterThanOrEqual(agg.closeTime[j - 1]!);
        }
        expect(used).toBe(bars.length);
      }),
      { numRuns: 150 },
    );
  });

  it('no look-ahead: dropping every bar that closes after time T leaves all buckets closed by T unchanged', () => {
    fc.assert(
      fc.property(scenario, fc.double({ min: 0, max: 1, noNaN: true }), ({ market, intervalMs, bars, target }, cut) => {
        const full = aggregateSeries(seriesOf(market, intervalMs, bars), target);
        const first = bars[0]!.t;
        const last = barCloseTime(market, intervalMs, bars.at(-1)!.t);
        const T = first + Math.floor(cut * (last - first));
        const known = bars.filter((b) => barCloseTime(market, intervalMs, b.t) <= T);
        if (known.length === 0) return;
        const partial = aggregateSeries(seriesOf(market, intervalMs, known), target);
        for (let j = 0; j < full.length && full.closeTime[j]! <= T; j++) {
          expect(partial.openTime[j]).toBe(full.openTime[j]);
          expect(partial.closeTime[j]).toBe(full.closeTime[j]);
          expect(partial.open[j]).toBe(full.open[j]);
          expect(partial.high[j]).toBe(full.high[j]);
          expect(partial.low[j]).toBe(full.low[j]);
          expect(partial.close[j]).toBe(full.close[j]);
          expect(partial.volume[j]).toBe(full.volume[j]);
        }
      }),
      { numRuns: 150 },
    );
  });
});
