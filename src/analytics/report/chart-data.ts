// The chart data of the report: equity, drawdown and benchmark on one downsampled set of times, and event markers.
import { drawdownSeries } from '../metrics.ts';
import { selectDownsampleIndices } from './downsample.ts';
import { safeColor } from './format.ts';
import type { ReportEvent, ReportInput } from './types.ts';

/** Colour of an event without one of its own (markers, swatches, legend). */
export const DEFAULT_EVENT_COLOR = '#d97706';

/** What the page's charts draw, embedded in the report as JSON: times in seconds, drawdown in percent. */
export interface ChartData {
  equity: { t: number[]; v: number[] };
  drawdown: { t: number[]; v: number[] };
  benchmark: { t: number[]; v: number[]; label: string } | null;
  markers: Array<{ time: number; text: string; color: string }>;
  currency: string;
}

/** Rounds to 12 significant digits: keeps the JSON short without visible change. */
function trim(x: number): number {
  return Number(x.toPrecision(12));
}

/** Places each event on the last charted point at or before it (the first point for earlier events). */
function snapMarkers(events: readonly ReportEvent[], times: number[]): ChartData['markers'] {
  if (times.length === 0) return [];
  const out: ChartData['markers'] = [];
  for (const e of events) {
    const sec = Math.floor(e.time / 1000);
    let lo = 0;
    let hi = times.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (times[mid]! <= sec) lo = mid;
      else hi = mid - 1;
    }
    const time = times[lo];
    if (time === undefined) throw new Error(`chart time is missing at ${lo}`);
    out.push({ time, text: e.text, color: safeColor(e.color, DEFAULT_EVENT_COLOR) });
  }
  out.sort((a, b) => a.time - b.time);
  return out;
}

function sameTimes(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The chart data. Equity, drawdown and benchmark are put on ONE set of times (the equity's,
 * downsampled keeping each bucket's extremes of every series), so the two charts share their logical
 * indices and can be scrolled together. A benchmark sampled at other times is read as of each time.
 */
export function buildChartData(input: ReportInput, maxPoints: number): { data: ChartData; shown: number; total: number } {
  const { time, equity } = input.equity;
  if (time.length !== equity.length) throw new RangeError('renderReportHtml: equity time and values differ in length');
  const dd = input.drawdown ?? drawdownSeries(equity, input.initialCapital);
  if (dd.length !== equity.length) throw new RangeError('renderReportHtml: drawdown and equity differ in length');
  const bm = input.benchmark;
  if (bm !== undefined && bm.time.length !== bm.equity.length) {
    throw new RangeError('renderReportHtml: benchmark time and values differ in length');
  }
  const aligned = bm !== undefined && sameTimes(bm.time, time);
  const idx = selectDownsampleIndices(aligned ? [equity, dd, bm.equity] : [equity, dd], maxPoints);

  const t: number[] = [];
  const e: number[] = [];
  const d: number[] = [];
  const bt: number[] = [];
  const bv: number[] = [];
  let last = -Infinity;
  let j = 0; // benchmark cursor when not aligned
  for (let k = 0; k < idx.length; k++) {
    const i = idx[k]!;
    const barTime = time[i]!;
    const value = equity[i]!;
    const drawdown = dd[i]!;
    const sec = Math.floor(barTime / 1000);
    // The chart needs strictly ascending times and finite values.
    if (!Number.isFinite(sec) || sec <= last || !Number.isFinite(value) || !Number.isFinite(drawdown)) continue;
    last = sec;
    t.push(sec);
    e.push(trim(value));
    d.push(trim(drawdown * 100)); // percent on the chart
    if (bm !== undefined) {
      let v: number | undefined;
      if (aligned) v = bm.equity[i];
      else {
        while (j < bm.time.length && bm.time[j]! <= barTime) j++;
        if (j > 0) v = bm.equity[j - 1];
      }
      if (v !== undefined && Number.isFinite(v)) {
        bt.push(sec);
        bv.push(trim(v));
      }
    }
  }
  return {
    data: {
      equity: { t, v: e },
      drawdown: { t, v: d },
      benchmark: bm === undefined ? null : { t: bt, v: bv, label: bm.label },
      markers: snapMarkers(input.events, t),
      currency: input.currency,
    },
    shown: t.length,
    total: equity.length,
  };
}
