// The chart data of the report: equity, drawdown and benchmark on one downsampled set of times, and event markers.
import { drawdownSeries } from '../metrics.ts';
import { selectDownsampleIndices } from './downsample.ts';
import { type EventEpisode, gravest, groupEpisodes } from './episodes.ts';
import { formatTime, safeColor } from './format.ts';
import type { ReportInput } from './types.ts';

/** Colour of an event without one of its own (markers, swatches, legend). */
export const DEFAULT_EVENT_COLOR = '#d97706';

/** Up to this many markers carry their full text; past it a marker shows the episode's count only. */
const FULL_TEXT_MARKERS = 8;
/** Events listed in an episode's tooltip; the rest are counted (all are in the event table). */
const TOOLTIP_LINES = 10;

/** What the page's charts draw, embedded in the report as JSON: times in seconds, drawdown in percent. */
export interface ChartData {
  equity: { t: number[]; v: number[] };
  drawdown: { t: number[]; v: number[] };
  benchmark: { t: number[]; v: number[]; label: string } | null;
  /** One per episode of events, at its first event. */
  markers: Array<{ time: number; text: string; color: string; episode: number }>;
  /** Episodes on charted times (start and end), with their first events' texts for the tooltip. */
  episodes: Array<{ id: number; start: number; end: number; count: number; color: string; band: string; lines: string[]; more: number }>;
  currency: string;
}

/** Rounds to 12 significant digits: keeps the JSON short without visible change. */
function trim(x: number): number {
  return Number(x.toPrecision(12));
}

/** The last charted time at or before `ms` (the first charted time for earlier ones). */
function snap(ms: number, times: number[]): number {
  const sec = Math.floor(ms / 1000);
  let lo = 0;
  let hi = times.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (times[mid]! <= sec) lo = mid;
    else hi = mid - 1;
  }
  const time = times[lo];
  if (time === undefined) throw new Error(`chart time is missing at ${lo}`);
  return time;
}

/** A faint version of a safe colour for an episode's band: #rgb and #rrggbb get an alpha, others a neutral grey. */
function translucent(color: string): string {
  const short = /^#([0-9a-f])([0-9a-f])([0-9a-f])$/i.exec(color);
  if (short) return `#${short[1]}${short[1]}${short[2]}${short[2]}${short[3]}${short[3]}18`;
  return /^#[0-9a-f]{6}$/i.test(color) ? `${color}18` : 'rgba(100,116,139,0.1)';
}

/** One marker per episode, on the charted time of its first event; dense episodes say how many events they hold. */
function episodeMarks(episodes: readonly EventEpisode[], times: number[]): Pick<ChartData, 'markers' | 'episodes'> {
  if (times.length === 0) return { markers: [], episodes: [] };
  const fullText = episodes.length <= FULL_TEXT_MARKERS;
  const markers: ChartData['markers'] = [];
  const out: ChartData['episodes'] = [];
  for (const episode of episodes) {
    const color = safeColor(gravest(episode).color, DEFAULT_EVENT_COLOR);
    const count = episode.events.length;
    const start = snap(episode.start, times);
    const single = count === 1 ? episode.events[0]!.text : undefined;
    const text = fullText ? (single ?? `${count} events`) : count === 1 ? '' : String(count);
    markers.push({ time: start, text, color, episode: episode.id });
    out.push({
      id: episode.id,
      start,
      end: snap(episode.end, times),
      count,
      color,
      band: translucent(color),
      lines: episode.events.slice(0, TOOLTIP_LINES).map((e) => `${formatTime(e.time)} ${e.text}`),
      more: Math.max(0, count - TOOLTIP_LINES),
    });
  }
  markers.sort((a, b) => a.time - b.time);
  return { markers, episodes: out };
}

function sameTimes(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The events of a report in episodes over the equity's span (see groupEpisodes). */
export function reportEpisodes(input: ReportInput): EventEpisode[] {
  const time = input.equity.time;
  const span = time.length > 1 ? time[time.length - 1]! - time[0]! : 0;
  return groupEpisodes(input.events, span);
}

/**
 * The chart data. Equity, drawdown and benchmark are put on ONE set of times (the equity's,
 * downsampled keeping each bucket's extremes of every series), so the two charts share their logical
 * indices and can be scrolled together. A benchmark sampled at other times is read as of each time.
 */
export function buildChartData(input: ReportInput, maxPoints: number, episodes: readonly EventEpisode[]): { data: ChartData; shown: number; total: number } {
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
      ...episodeMarks(episodes, t),
      currency: input.currency,
    },
    shown: t.length,
    total: equity.length,
  };
}
