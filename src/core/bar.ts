// Bars: one event type for strategies (Bar) and a columnar series for loading and replay (BarSeries).
import type { Market } from './market.ts';

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
  /** A-shares: raw previous close the daily limits are computed from (NaN when unknown). */
  readonly preClose?: number;
  /** A-shares: adjusted = raw x this factor (1 for raw prices). */
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
 * A whole symbol's bars in columns (struct of arrays), sorted by open time.
 * Prices are adjusted where the loader adjusts them (A-shares by default); `adjustmentFactor`
 * maps back to raw traded prices: raw = adjusted / adjustmentFactor.
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
  /** Adjusted = raw x factor. All ones when prices are raw. Only present for A-shares. */
  readonly adjustmentFactor?: Float64Array;
  readonly source: BarSource;
}
