// Market data replay of one symbol: the price path through each bar, klines (complete and in progress)
// and rolling-window statistics, all as of a given data time.
import type { BarSeries } from '../core/index.ts';

/** OHLCV of a kline bucket as of some time (the last one may still be in progress). */
export interface KlineStats {
  openTime: number;
  closeTime: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  quoteVolume: number;
  closed: boolean;
}

const DAY = 86_400_000;
const WEEK = 7 * DAY;
/** 1970-01-01 was a Thursday: weekly klines start on Mondays, 4 days after the epoch. */
const WEEK_OFFSET = 4 * DAY;

/** Binance kline intervals with a fixed length (1M is not supported). */
export const KLINE_INTERVALS: Readonly<Record<string, number>> = {
  '1s': 1000,
  '1m': 60_000,
  '3m': 180_000,
  '5m': 300_000,
  '15m': 900_000,
  '30m': 1_800_000,
  '1h': 3_600_000,
  '2h': 7_200_000,
  '4h': 14_400_000,
  '6h': 21_600_000,
  '8h': 28_800_000,
  '12h': 43_200_000,
  '1d': DAY,
  '3d': 3 * DAY,
  '1w': WEEK,
};

export function bucketStart(time: number, intervalMs: number): number {
  if (intervalMs === WEEK) return Math.floor((time - WEEK_OFFSET) / WEEK) * WEEK + WEEK_OFFSET;
  return Math.floor(time / intervalMs) * intervalMs;
}

export class SymbolReplay {
  readonly intervalMs: number;
  readonly length: number;
  readonly firstTime: number;
  readonly endTime: number;
  readonly meanVolume: number;

  constructor(readonly series: BarSeries) {
    this.intervalMs = series.intervalMs;
    this.length = series.length;
    const firstTime = series.openTime[0];
    const lastTime = series.openTime[series.length - 1];
    if (firstTime === undefined || lastTime === undefined) throw new RangeError(`no bars to replay for ${series.symbol}`);
    this.firstTime = firstTime;
    this.endTime = lastTime + series.intervalMs;
    let total = 0;
    for (let i = 0; i < series.length; i++) total += series.volume[i]!;
    this.meanVolume = total / series.length;
  }

  /** Index of the last bar that opened at or before `time` (0 before the data starts). */
  barIndexAt(time: number): number {
    const openTime = this.series.openTime;
    let lo = 0;
    let hi = this.length - 1;
    if (time < openTime[0]!) return 0;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (openTime[mid]! <= time) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Index of the first bar that opens at or after `time` (length when none). */
  firstBarFrom(time: number): number {
    const openTime = this.series.openTime;
    let lo = 0;
    let hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (openTime[mid]! < time) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The 4 vertices of bar i's path: open, the nearer extreme, the other extreme, close (times and prices). */
  vertices(i: number): { times: [number, number, number, number]; prices: [number, number, number, number] } {
    const s = this.series;
    const t0 = s.openTime[i]!;
    const step = this.intervalMs / 3;
    const o = s.open[i]!;
    const c = s.close[i]!;
    const up = c >= o;
    return {
      times: [t0, t0 + step, t0 + 2 * step, t0 + this.intervalMs],
      prices: [o, up ? s.low[i]! : s.high[i]!, up ? s.high[i]! : s.low[i]!, c],
    };
  }

  /** The replayed (last trade) price at `time`: piecewise linear through each bar's vertices. */
  priceAt(time: number): number {
    const i = this.barIndexAt(time);
    const { times, prices } = this.vertices(i);
    if (time <= times[0]) return prices[0];
    if (time >= times[3]) return prices[3];
    for (let k = 1; k < 4; k++) {
      if (time <= times[k]!) {
        const f = (time - times[k - 1]!) / (times[k]! - times[k - 1]!);
        return prices[k - 1]! + f * (prices[k]! - prices[k - 1]!);
      }
    }
    return prices[3];
  }

  /** Lowest and highest replayed price over the time range [from, to]. */
  rangeBetween(from: number, to: number): { low: number; high: number } {
    let low = Math.min(this.priceAt(from), this.priceAt(to));
    let high = Math.max(this.priceAt(from), this.priceAt(to));
    const last = this.barIndexAt(to);
    for (let i = this.barIndexAt(from); i <= last; i++) {
      const { times, prices } = this.vertices(i);
      for (let k = 0; k < 4; k++) {
        if (times[k]! > from && times[k]! < to) {
          low = Math.min(low, prices[k]!);
          high = Math.max(high, prices[k]!);
        }
      }
    }
    return { low, high };
  }

  /**
   * The first time in [from, to] at which the replayed price is at or below `level` (`falling`) or at or
   * above it; undefined when it never is. Exact on the piecewise linear path (a gap between bars counts at
   * the next bar's open).
   */
  firstReach(from: number, to: number, level: number, falling: boolean): number | undefined {
    const hit = (price: number): boolean => (falling ? price <= level : price >= level);
    if (hit(this.priceAt(from))) return from;
    const last = this.barIndexAt(to);
    for (let i = this.barIndexAt(from); i <= last; i++) {
      const { times, prices } = this.vertices(i);
      for (let k = 1; k < 4; k++) {
        const start = Math.max(times[k - 1]!, from);
        const end = Math.min(times[k]!, to);
        if (end < start) continue;
        const p0 = start === times[k - 1] ? prices[k - 1]! : this.priceAt(start);
        const p1 = end === times[k] ? prices[k]! : prices[k - 1]! + ((end - times[k - 1]!) / (times[k]! - times[k - 1]!)) * (prices[k]! - prices[k - 1]!);
        if (hit(p0)) return start;
        if (hit(p1)) return p1 === p0 ? end : start + ((level - p0) / (p1 - p0)) * (end - start);
      }
    }
    return undefined;
  }

  /** Bar i as seen at `time`: complete once it closed, else open to now along the path. */
  barAsOf(i: number, time: number): KlineStats {
    const s = this.series;
    const openTime = s.openTime[i]!;
    const closeTime = openTime + this.intervalMs;
    if (time >= closeTime) {
      const mid = (s.open[i]! + s.high[i]! + s.low[i]! + s.close[i]!) / 4;
      return { openTime, closeTime, open: s.open[i]!, high: s.high[i]!, low: s.low[i]!, close: s.close[i]!, volume: s.volume[i]!, quoteVolume: s.volume[i]! * mid, closed: true };
    }
    const { times, prices } = this.vertices(i);
    const now = this.priceAt(time);
    let high = Math.max(prices[0], now);
    let low = Math.min(prices[0], now);
    for (let k = 1; k < 3; k++) {
      if (times[k]! <= time) {
        high = Math.max(high, prices[k]!);
        low = Math.min(low, prices[k]!);
      }
    }
    const fraction = Math.max(0, Math.min(1, (time - openTime) / this.intervalMs));
    const volume = s.volume[i]! * fraction;
    return { openTime, closeTime, open: prices[0], high, low, close: now, volume, quoteVolume: (volume * (prices[0] + now)) / 2, closed: false };
  }

  /** Merge bars [from, to] as seen at `time` into one kline bucket. */
  private merge(from: number, to: number, time: number, bucketOpen: number, bucketMs: number): KlineStats {
    const first = this.barAsOf(from, time);
    const out: KlineStats = { ...first, openTime: bucketOpen, closeTime: bucketOpen + bucketMs };
    let lastClosed = first.closed;
    for (let i = from + 1; i <= to; i++) {
      const bar = this.barAsOf(i, time);
      out.high = Math.max(out.high, bar.high);
      out.low = Math.min(out.low, bar.low);
      out.close = bar.close;
      out.volume += bar.volume;
      out.quoteVolume += bar.quoteVolume;
      lastClosed = bar.closed;
    }
    out.closed = lastClosed && time >= out.closeTime;
    return out;
  }

  /**
   * Klines of `intervalMs` (a multiple of the data's interval) visible at `now`, Binance-style:
   * from startTime forward, else the latest `limit` up to endTime.
   */
  klines(intervalMs: number, now: number, limit: number, startTime?: number, endTime?: number): KlineStats[] {
    const until = Math.min(now, endTime ?? now);
    const lastVisible = this.barIndexAt(until);
    if (this.series.openTime[lastVisible]! > until) return [];
    const buckets: Array<[number, number, number]> = [];
    if (startTime !== undefined) {
      let i = this.firstBarFrom(bucketStart(startTime, intervalMs));
      while (i <= lastVisible && buckets.length < limit) {
        const start = bucketStart(this.series.openTime[i]!, intervalMs);
        let j = i;
        while (j + 1 <= lastVisible && bucketStart(this.series.openTime[j + 1]!, intervalMs) === start) j++;
        if (start + intervalMs > startTime) buckets.push([start, i, j]);
        i = j + 1;
      }
    } else {
      let j = lastVisible;
      while (j >= 0 && buckets.length < limit) {
        const start = bucketStart(this.series.openTime[j]!, intervalMs);
        let i = j;
        while (i - 1 >= 0 && bucketStart(this.series.openTime[i - 1]!, intervalMs) === start) i--;
        buckets.push([start, i, j]);
        j = i - 1;
      }
      buckets.reverse();
    }
    return buckets.map(([start, i, j]) => this.merge(i, j, now, start, intervalMs));
  }

  /** Statistics over the 24 hours up to `now` (bars that opened in the window, the last in progress). */
  window(now: number, spanMs = DAY): KlineStats {
    const last = this.barIndexAt(now);
    const first = Math.min(last, this.firstBarFrom(now - spanMs));
    const stats = this.merge(first, last, now, this.series.openTime[first]!, spanMs);
    if (now < this.firstTime) stats.volume = stats.quoteVolume = 0;
    return stats;
  }

  /** Volume of the bar at `time` (for book sizes and synthetic trades). */
  volumeAt(time: number): number {
    return this.series.volume[this.barIndexAt(time)]!;
  }
}
