// A-share reference prices (pre_close), ex-rights days and point-in-time adjustment factors.
import { type BarSeries, isoDateOfDay, Market, tradingDayOf } from '../../core/index.ts';

/**
 * What strategies see of A-share prices: `pit` (default) prices adjusted point in time, `none` raw
 * traded prices. Trading always uses raw prices. Backward adjustment is not offered (see ADJUST_BACKWARD_REFUSAL).
 */
export type AdjustMode = 'pit' | 'none';

export const ADJUST_MODES: readonly AdjustMode[] = ['pit', 'none'];

/** Why `--adjust backward` is refused: it would hand every bar factors built from later rows. */
export const ADJUST_BACKWARD_REFUSAL =
  'backward adjustment is refused: it scales every bar by factors from ex-rights days after it, so a strategy would see ' +
  'the future (and a bar would change when a later row changes); use pit (default: adjusted from ex-rights days up to ' +
  'each bar only) or none (raw prices)';

/** Relative gap between a day's pre_close and the previous raw close above which the day is ex-rights. */
export const EX_RIGHTS_TOLERANCE = 1e-6;

export interface AShareAdjustment {
  /** Raw reference price of each bar's trading day (the file's pre_close, else the previous day's last raw close). */
  readonly preClose: Float64Array;
  /**
   * Point-in-time cumulative factor per bar: adjusted = raw x factor. 1 up to the first ex-rights day;
   * on each ex-rights day it is multiplied by (previous raw close / pre_close), so it depends only on
   * rows at or before its bar.
   */
  readonly factor: Float64Array;
  /** Trading dates (YYYY-MM-DD, Shanghai) whose pre_close differs from the previous raw close. */
  readonly exRightsDates: string[];
}

/**
 * Reference prices and point-in-time factors for A-share bars (daily or intraday, sorted by time).
 *
 * A trading day (Shanghai date) is ex-rights when its first bar carries a pre_close that differs from the
 * raw close of the previous bar (the last bar of the previous trading day) by more than EX_RIGHTS_TOLERANCE
 * relative. Walking forward from the first bar (factor 1), each ex-rights day multiplies the factor by
 * previous close / pre_close, so the adjusted close-to-close return across it is raw close / pre_close and
 * no value ever changes once seen. Without a pre_close column all factors are 1.
 */
export function computeAShareAdjustment(
  openTime: Float64Array,
  close: Float64Array,
  preCloseColumn: Float64Array | undefined,
  length: number,
): AShareAdjustment {
  const preClose = new Float64Array(length);
  const factor = new Float64Array(length);
  const exAt: number[] = [];

  let day = Number.NaN;
  let previousDayClose = Number.NaN;
  let cumulative = 1;
  for (let i = 0; i < length; i++) {
    const d = tradingDayOf(Market.AShare, openTime[i]!);
    const firstOfDay = d !== day;
    if (firstOfDay) {
      day = d;
      previousDayClose = i > 0 ? close[i - 1]! : Number.NaN;
    }
    const given = preCloseColumn === undefined ? Number.NaN : preCloseColumn[i]!;
    preClose[i] = Number.isNaN(given) ? previousDayClose : given;
    if (firstOfDay && i > 0 && !Number.isNaN(given)) {
      const ratio = previousDayClose / given;
      if (Math.abs(given / previousDayClose - 1) > EX_RIGHTS_TOLERANCE) {
        exAt.push(i);
        cumulative *= ratio;
      }
    }
    factor[i] = cumulative;
  }

  const exRightsDates = exAt.map((i) => isoDateOfDay(tradingDayOf(Market.AShare, openTime[i]!)));
  return { preClose, factor, exRightsDates };
}

/** Closes adjusted point in time (raw x factor); the raw closes themselves where the series has no factors. */
export function adjustedCloses(series: BarSeries): Float64Array {
  const factor = series.adjustmentFactor;
  if (factor === undefined) return series.close;
  const out = new Float64Array(series.length);
  for (let i = 0; i < series.length; i++) out[i] = series.close[i]! * factor[i]!;
  return out;
}
