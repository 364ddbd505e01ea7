// A-share reference prices (pre_close) and backward price adjustment for ex-rights / ex-dividend days.
import { Market, isoDateOfDay, tradingDayOf } from '../../core/market.ts';

export type AdjustMode = 'none' | 'backward';

/** Relative gap between a day's pre_close and the previous raw close above which the day is ex-rights. */
export const EX_RIGHTS_TOLERANCE = 1e-6;

export interface AShareAdjustment {
  /** Raw reference price of each bar's trading day (the file's pre_close, else the previous day's last raw close). */
  readonly preClose: Float64Array;
  /** Cumulative factor per bar: adjusted = raw x factor; 1 for the newest segment. */
  readonly factor: Float64Array;
  /** Trading dates (YYYY-MM-DD, Shanghai) whose pre_close differs from the previous raw close. */
  readonly exRightsDates: string[];
}

/**
 * Reference prices and backward adjustment factors for A-share bars (daily or intraday, sorted by time).
 *
 * A trading day (Shanghai date) is ex-rights when its first bar carries a pre_close that differs from the
 * raw close of the previous bar (the last bar of the previous trading day) by more than EX_RIGHTS_TOLERANCE
 * relative. Walking back from the newest bar, every bar before such a day gets its factor multiplied by
 * pre_close / previous close, so the newest prices stay the real traded ones and the history is continuous.
 * With mode `none`, or without a pre_close column, all factors are 1 (ex-rights dates are still reported).
 */
export function computeAShareAdjustment(
  openTime: Float64Array,
  close: Float64Array,
  preCloseColumn: Float64Array | undefined,
  length: number,
  mode: AdjustMode,
): AShareAdjustment {
  const preClose = new Float64Array(length);
  const factor = new Float64Array(length).fill(1);
  // ratio[i] != 1 marks the first bar of an ex-rights day.
  const exAt: number[] = [];
  const ratioAt: number[] = [];

  let day = Number.NaN;
  let previousDayClose = Number.NaN;
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
      const ratio = given / previousDayClose;
      if (Math.abs(ratio - 1) > EX_RIGHTS_TOLERANCE) {
        exAt.push(i);
        ratioAt.push(ratio);
      }
    }
  }

  if (mode === 'backward' && exAt.length > 0) {
    let cumulative = 1;
    let next = exAt.length - 1;
    for (let i = length - 1; i >= 0; i--) {
      // Bars before ex-day exAt[next] carry its ratio.
      while (next >= 0 && exAt[next]! > i) {
        cumulative *= ratioAt[next]!;
        next--;
      }
      factor[i] = cumulative;
    }
  }

  const exRightsDates = exAt.map((i) => isoDateOfDay(tradingDayOf(Market.AShare, openTime[i]!)));
  return { preClose, factor, exRightsDates };
}

/** Apply factors in place: prices x factor, volume / factor. */
export function applyAdjustment(
  factor: Float64Array,
  columns: { open: Float64Array; high: Float64Array; low: Float64Array; close: Float64Array; volume: Float64Array },
  length: number,
): void {
  const { open, high, low, close, volume } = columns;
  for (let i = 0; i < length; i++) {
    const f = factor[i]!;
    if (f === 1) continue;
    open[i] = open[i]! * f;
    high[i] = high[i]! * f;
    low[i] = low[i]! * f;
    close[i] = close[i]! * f;
    volume[i] = volume[i]! / f;
  }
}
