// Bars: one event type for strategies (Bar) and a columnar series for loading and replay (BarSeries).
import { barCloseTime, type Market } from './market.ts';

/** One OHLCV bar as a strategy sees it, at its close. Times are UTC milliseconds. */
export interface Bar {
  readonly symbol: string;
  /** Open time (the data's own timestamp). */
  readonly openTime: number;
  /** When the bar became visible: open + interval (A-share daily: 15:00 Shanghai of the date). */
  readonly closeTime: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
  /**
   * A-shares: previous close the daily limits are computed from (NaN when unknown), in this bar's prices
   * (raw on a raw bar; on an adjusted bar, raw pre_close x factor, so close / preClose is the day's return).
   */
  readonly preClose?: number;
  /**
   * A-shares: point-in-time corporate-action factor of this bar, from ex-rights days at or before it:
   * adjusted = raw x factor (1 before the first ex-rights day). On the bar a strategy sees, prices are
   * adjusted by it unless the run shows raw prices (`--adjust none`); `ctx.rawBar(symbol)` is the raw bar.
   */
  readonly adjustmentFactor?: number;
}

/** Where a series came from: reproducibility data for run.json. */
export interface BarSource {
  /** Path as given by the user. */
  readonly file: string;
  /** SHA-256 (hex) of the file's bytes as stored (compressed if .gz). */
  readonly sha256: string;
  /** Data rows read (header excluded). */
  readonly rows: number;
  /** Rows skipped under `--on-bad-row skip`. */
  readonly skipped: number;
}

/**
 * A whole symbol's bars in columns (struct of arrays), sorted by open time. Prices and volumes are raw
 * (as traded); A-shares carry point-in-time factors that adjust them for ex-rights days.
 */
export interface BarSeries {
  readonly symbol: string;
  readonly market: Market;
  /** Timeframe name of the bars ('1m', '5m', '1h', '1d', ...). */
  readonly timeframe: string;
  readonly intervalMs: number;
  readonly length: number;
  readonly openTime: Float64Array;
  readonly closeTime: Float64Array;
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
  /**
   * Raw (unadjusted) reference price for daily limits: the file's `pre_close` where present, else the
   * raw close of the previous trading day; NaN where unknown (first day). Only filled for A-shares.
   */
  readonly preClose?: Float64Array;
  /** Point-in-time factors: adjusted = raw x factor (see Bar.adjustmentFactor). Only present for A-shares. */
  readonly adjustmentFactor?: Float64Array;
  /** A-shares: what strategies see, 'pit' adjusted (default) or 'none' raw prices. */
  readonly adjust?: 'pit' | 'none';
  readonly source: BarSource;
}

/** What a series is built from: its columns, all of one length. */
export interface BarColumns extends Omit<BarSeries, 'length' | 'closeTime' | 'source'> {
  /** Default: each bar's close on the market's calendar (`barCloseTime`). */
  readonly closeTime?: Float64Array;
  /** Default: an in-memory source of `length` rows. */
  readonly source?: BarSource;
}

/** The one way to assemble a BarSeries from columns; throws a RangeError naming a column of another length. */
export function barSeriesOf(columns: BarColumns): BarSeries {
  const { market, intervalMs, openTime } = columns;
  const length = openTime.length;
  let closeTime = columns.closeTime;
  if (closeTime === undefined) {
    closeTime = new Float64Array(length);
    for (let i = 0; i < length; i++) closeTime[i] = barCloseTime(market, intervalMs, openTime[i]!);
  }
  const series: BarSeries = { ...columns, length, closeTime, source: columns.source ?? { file: 'in-memory', sha256: '', rows: length, skipped: 0 } };
  for (const name of ['closeTime', 'open', 'high', 'low', 'close', 'volume', 'preClose', 'adjustmentFactor'] as const) {
    const column = series[name];
    if (column !== undefined && column.length !== length) throw new RangeError(`${columns.symbol}: column ${name} has ${column.length} values, openTime ${length}`);
  }
  return series;
}
