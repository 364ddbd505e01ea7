// Timeframe aggregation of a bar series (1m -> 5m, 1h -> 1d, ...), without look-ahead.
import { barCloseTime, type BarSeries, type Market, MS_PER_DAY, TIMEFRAME_MS, timeframeOfMs, tradingDayOf } from '../../core/index.ts';
import { DataOptionError } from './errors.ts';

/** Length of a target timeframe, checked against the data's interval. */
export function targetTimeframeMs(timeframe: string, dataIntervalMs: number): number {
  if (!Object.hasOwn(TIMEFRAME_MS, timeframe)) {
    throw new DataOptionError(`unknown timeframe "${timeframe}" (known: ${Object.keys(TIMEFRAME_MS).join(', ')})`);
  }
  const ms = TIMEFRAME_MS[timeframe]!;
  if (ms < dataIntervalMs) {
    throw new DataOptionError(`timeframe ${timeframe} is lower than the data's interval ${formatDuration(dataIntervalMs)}`);
  }
  if (ms % dataIntervalMs !== 0) {
    throw new DataOptionError(
      `timeframe ${timeframe} is not a multiple of the data's interval ${formatDuration(dataIntervalMs)}`,
    );
  }
  return ms;
}

/**
 * Start of the bucket a bar opening at `openTime` falls in. Intraday timeframes floor the time to a multiple
 * of the timeframe (UTC); `1d` is the trading day (crypto: UTC date, A-shares: Shanghai date), labelled
 * 00:00 UTC of that date like the daily files.
 */
export function bucketStartOf(market: Market, timeframeMs: number, openTime: number): number {
  if (timeframeMs >= MS_PER_DAY) return tradingDayOf(market, openTime) * MS_PER_DAY;
  return Math.floor(openTime / timeframeMs) * timeframeMs;
}

/** When the bucket containing `openTime` closes (its bar becomes visible). */
export function bucketCloseOf(market: Market, timeframeMs: number, openTime: number): number {
  return barCloseTime(market, timeframeMs, bucketStartOf(market, timeframeMs, openTime));
}

/**
 * Index of the first bar that would end after the close of its bucket (which would leak the future into
 * the aggregated bar), or -1. Happens with bars not aligned to the timeframe, or A-share bars after 15:00.
 */
export function firstBucketOverrun(series: BarSeries, timeframeMs: number): number {
  for (let i = 0; i < series.length; i++) {
    if (series.closeTime[i]! > bucketCloseOf(series.market, timeframeMs, series.openTime[i]!)) return i;
  }
  return -1;
}

/**
 * Aggregate to `timeframe` (a multiple of the series' interval; same timeframe returns the series itself).
 * open = first open, high = max, low = min, close = last close, volume = sum; openTime = bucket start,
 * closeTime = bucket end (barCloseTime). Partial buckets (first, last, around gaps) are kept.
 * preClose and adjustmentFactor are the first constituent's (both are constant within a trading day, and
 * every bucket lies within one trading day). Throws if a constituent ends after its bucket closes.
 */
export function aggregateSeries(series: BarSeries, timeframe: string): BarSeries {
  const tfMs = targetTimeframeMs(timeframe, series.intervalMs);
  if (tfMs === series.intervalMs) return series;
  if (tfMs > MS_PER_DAY) throw new DataOptionError(`timeframe ${timeframe} is longer than one day`);

  const { market, length: n } = series;
  const openTime = new Float64Array(n);
  const closeTime = new Float64Array(n);
  const open = new Float64Array(n);
  const high = new Float64Array(n);
  const low = new Float64Array(n);
  const close = new Float64Array(n);
  const volume = new Float64Array(n);
  const srcPre = series.preClose;
  const srcFactor = series.adjustmentFactor;
  const preClose = srcPre ? new Float64Array(n) : undefined;
  const factor = srcFactor ? new Float64Array(n) : undefined;

  let m = -1;
  let bucket = Number.NaN;
  for (let i = 0; i < n; i++) {
    const t = series.openTime[i]!;
    const start = bucketStartOf(market, tfMs, t);
    if (start !== bucket) {
      bucket = start;
      m++;
      openTime[m] = start;
      closeTime[m] = barCloseTime(market, tfMs, start);
      open[m] = series.open[i]!;
      high[m] = series.high[i]!;
      low[m] = series.low[i]!;
      volume[m] = 0;
      if (preClose) preClose[m] = srcPre![i]!;
      if (factor) factor[m] = srcFactor![i]!;
    } else {
      if (series.high[i]! > high[m]!) high[m] = series.high[i]!;
      if (series.low[i]! < low[m]!) low[m] = series.low[i]!;
    }
    if (series.closeTime[i]! > closeTime[m]!) {
      throw new DataOptionError(
        `cannot aggregate ${series.symbol} to ${timeframe}: the bar opening at ${new Date(t).toISOString()} ` +
          `ends after its bucket closes at ${new Date(closeTime[m]!).toISOString()}`,
      );
    }
    close[m] = series.close[i]!;
    volume[m] = volume[m]! + series.volume[i]!;
  }
  const length = m + 1;
  return {
    symbol: series.symbol,
    market,
    timeframe,
    intervalMs: tfMs,
    length,
    openTime: openTime.slice(0, length),
    closeTime: closeTime.slice(0, length),
    open: open.slice(0, length),
    high: high.slice(0, length),
    low: low.slice(0, length),
    close: close.slice(0, length),
    volume: volume.slice(0, length),
    ...(preClose ? { preClose: preClose.slice(0, length) } : {}),
    ...(factor ? { adjustmentFactor: factor.slice(0, length) } : {}),
    ...(series.adjust !== undefined ? { adjust: series.adjust } : {}),
    source: series.source,
  };
}

/** Human spelling of a duration for messages: `5m`, `1h`, `3d`, else milliseconds. */
export function formatDuration(ms: number): string {
  const name = timeframeOfMs(ms);
  if (name) return name;
  if (ms % 86_400_000 === 0) return `${ms / 86_400_000}d`;
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}
