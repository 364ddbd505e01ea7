// The backtest report: one self-contained HTML file (inline CSS, inline chart library, inline data).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { drawdownSeries } from '../metrics.ts';
import { selectDownsampleIndices } from './downsample.ts';
import {
  escapeHtml,
  formatDate,
  formatNumber,
  formatPercent,
  formatPrice,
  formatTime,
  jsonForScript,
  safeColor,
} from './format.ts';
import type { ReportEvent, ReportInput, ReportTrade } from './types.ts';

export const DEFAULT_MAX_CHART_POINTS = 5000;
const DEFAULT_EVENT_COLOR = '#d97706';

let chartLibrary: string | undefined;

/** The standalone (global `LightweightCharts`) build of lightweight-charts, read once from node_modules. */
export function chartLibrarySource(): string {
  if (chartLibrary === undefined) {
    const require = createRequire(import.meta.url);
    const root = dirname(require.resolve('lightweight-charts/package.json'));
    const source = readFileSync(join(root, 'dist', 'lightweight-charts.standalone.production.js'), 'utf8');
    // Cannot happen with the shipped build, but a "</script" inside would end the element early.
    chartLibrary = source.replace(/<\/script/gi, '<\\/script');
  }
  return chartLibrary;
}

// ---------------------------------------------------------------------------------------------
// Summary table: labels and formats of the keys we know.

type Kind = 'percent' | 'ratio' | 'money' | 'count' | 'years' | 'perBar';

/** signed: coloured by sign; adverse: a positive value is bad (coloured as a loss). */
const SUMMARY_KEYS: Record<string, { label: string; kind: Kind; signed?: boolean; adverse?: boolean }> = {
  totalReturn: { label: 'Total return', kind: 'percent', signed: true },
  cagr: { label: 'CAGR', kind: 'percent', signed: true },
  benchmarkReturn: { label: 'Benchmark return', kind: 'percent', signed: true },
  sharpe: { label: 'Sharpe ratio', kind: 'ratio', signed: true },
  sortino: { label: 'Sortino ratio', kind: 'ratio', signed: true },
  calmar: { label: 'Calmar ratio', kind: 'ratio', signed: true },
  volatility: { label: 'Volatility (annualised)', kind: 'percent' },
  meanReturn: { label: 'Mean return per bar', kind: 'perBar', signed: true },
  maxDrawdown: { label: 'Max drawdown', kind: 'percent', adverse: true },
  maxDrawdownDurationBars: { label: 'Max drawdown duration (bars)', kind: 'count' },
  years: { label: 'Years', kind: 'years' },
  exposure: { label: 'Exposure', kind: 'percent' },
  bars: { label: 'Bars', kind: 'count' },
  orders: { label: 'Orders', kind: 'count' },
  fills: { label: 'Fills', kind: 'count' },
  trades: { label: 'Trades', kind: 'count' },
  winningTrades: { label: 'Winning trades', kind: 'count' },
  losingTrades: { label: 'Losing trades', kind: 'count' },
  winRate: { label: 'Win rate', kind: 'percent' },
  profitFactor: { label: 'Profit factor', kind: 'ratio' },
  grossProfit: { label: 'Gross profit', kind: 'money' },
  grossLoss: { label: 'Gross loss', kind: 'money' },
  initialCapital: { label: 'Initial capital', kind: 'money' },
  finalEquity: { label: 'Final equity', kind: 'money' },
  realizedPnl: { label: 'Realized PnL', kind: 'money', signed: true },
  unrealizedPnl: { label: 'Unrealized PnL', kind: 'money', signed: true },
  feesPaid: { label: 'Fees paid', kind: 'money' },
  taxesPaid: { label: 'Taxes paid', kind: 'money' },
};

/** "maxDrawdownDurationBars" -> "Max drawdown duration bars" for keys we do not know. */
function labelOf(key: string): string {
  const known = SUMMARY_KEYS[key];
  if (known !== undefined) return known.label;
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ').trim().toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function formatGeneric(x: number): string {
  if (Number.isInteger(x)) return formatNumber(x, 0);
  const abs = Math.abs(x);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e15)) return x.toExponential(4);
  return formatNumber(x, abs >= 100 ? 2 : 4);
}

/** Formatted summary value and a CSS class ('pos', 'neg' or ''). */
function formatSummaryValue(key: string, value: number | string | null, currency: string): { text: string; cls: string } {
  if (value === null) return { text: '—', cls: 'muted' };
  if (typeof value === 'string') return { text: value, cls: '' };
  const known = SUMMARY_KEYS[key];
  let text: string;
  switch (known?.kind) {
    case 'percent':
      text = formatPercent(value);
      break;
    case 'perBar':
      text = formatPercent(value, 4);
      break;
    case 'ratio':
      text = formatNumber(value, 2);
      break;
    case 'money':
      text = `${formatNumber(value, 2)} ${currency}`;
      break;
    case 'count':
      text = formatNumber(value, 0);
      break;
    case 'years':
      text = formatNumber(value, 2);
      break;
    default:
      text = formatGeneric(value);
  }
  let cls = '';
  if (known?.signed === true && Number.isFinite(value) && value !== 0) cls = value > 0 ? 'pos' : 'neg';
  if (known?.adverse === true && value > 0) cls = 'neg';
  return { text, cls };
}

// ---------------------------------------------------------------------------------------------
// Chart data.

interface ChartData {
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
function buildChartData(input: ReportInput, maxPoints: number): { data: ChartData; shown: number; total: number } {
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

// ---------------------------------------------------------------------------------------------
// HTML pieces.

function parameterRows(value: unknown, prefix: string, rows: Array<[string, string]>): void {
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length > 0) {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      parameterRows(v, prefix === '' ? k : `${prefix}.${k}`, rows);
    }
    return;
  }
  let text: string;
  if (typeof value === 'string') text = value;
  else if (typeof value === 'bigint') text = value.toString();
  else if (value === undefined) text = '';
  else {
    try {
      text = JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) ?? String(value);
    } catch {
      text = String(value);
    }
  }
  rows.push([prefix, text]);
}

function kvTable(rows: Array<{ key: string; value: string; cls?: string; title?: string }>, cls: string): string {
  const body = rows
    .map((r) => {
      const title = r.title !== undefined ? ` title="${escapeHtml(r.title)}"` : '';
      return `<tr><th scope="row">${escapeHtml(r.key)}</th><td class="${r.cls ?? ''}"${title}>${escapeHtml(r.value)}</td></tr>`;
    })
    .join('\n');
  return `<table class="${cls}"><tbody>\n${body}\n</tbody></table>`;
}

function signClass(x: number): string {
  return x > 0 ? 'pos' : x < 0 ? 'neg' : '';
}

function tradeRow(t: ReportTrade, n: number, currency: string): string {
  return (
    `<tr><td class="num muted">${n}</td><td>${escapeHtml(t.symbol)}</td>` +
    `<td>${escapeHtml(formatTime(t.entryTime))}</td><td>${escapeHtml(formatTime(t.exitTime))}</td>` +
    `<td class="num">${escapeHtml(t.quantity)}</td>` +
    `<td class="num">${escapeHtml(formatPrice(t.entryPrice))}</td><td class="num">${escapeHtml(formatPrice(t.exitPrice))}</td>` +
    `<td class="num ${signClass(t.pnl)}" title="${escapeHtml(`${t.pnl} ${currency}`)}">${escapeHtml(formatNumber(t.pnl, 2))}</td>` +
    `<td class="num ${signClass(t.returnFraction)}">${escapeHtml(formatPercent(t.returnFraction))}</td></tr>`
  );
}

const CSS = `
:root { --ink: #1f2937; --muted: #6b7280; --line: #e5e7eb; --panel: #ffffff; --bg: #f4f6f9;
  --accent: #2563eb; --pos: #15803d; --neg: #b91c1c; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: var(--bg); color: var(--ink);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1240px; margin: 0 auto; padding: 24px 24px 40px; }
header.page { margin-bottom: 18px; }
header.page .eyebrow { color: var(--muted); font-size: 12px; letter-spacing: .06em; text-transform: uppercase; }
header.page h1 { margin: 2px 0 6px; font-size: 24px; font-weight: 650; }
header.page .meta { display: flex; flex-wrap: wrap; gap: 6px 18px; color: var(--muted); }
header.page .meta b { color: var(--ink); font-weight: 600; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 12px; margin-bottom: 16px; }
.card { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; }
.card .k { color: var(--muted); font-size: 12px; }
.card .v { font-size: 20px; font-weight: 650; font-variant-numeric: tabular-nums; margin-top: 2px; overflow-wrap: anywhere; }
.panel { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 16px 18px; margin-bottom: 16px; min-width: 0; }
.panel h2 { font-size: 15px; font-weight: 650; margin: 0 0 10px; }
.panel h2 .count { color: var(--muted); font-weight: 500; }
.panel h3 { font-size: 13px; font-weight: 650; margin: 18px 0 8px; color: var(--ink); }
.chart-head { display: flex; align-items: baseline; justify-content: space-between; gap: 12px; }
.legend { display: flex; gap: 16px; color: var(--muted); font-size: 12px; }
.legend i { display: inline-block; width: 16px; height: 0; border-top: 2px solid; vertical-align: middle; margin-right: 6px; }
.legend i.dash { border-top-style: dashed; }
.chart { position: relative; width: 100%; }
#equity-chart { height: 380px; }
#drawdown-chart { height: 170px; }
.note { color: var(--muted); font-size: 12px; margin: 8px 0 0; }
.grid2 { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 16px; align-items: start; }
@media (max-width: 860px) { .grid2 { grid-template-columns: minmax(0, 1fr); } }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
table.kv th, table.kv td { padding: 5px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
table.kv th { text-align: left; font-weight: 500; color: var(--muted); width: 55%; }
table.kv td { text-align: right; font-weight: 550; overflow-wrap: anywhere; }
table.kv.params th { width: 40%; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
table.kv.params td { text-align: left; font-weight: 450; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
table.kv tr:last-child th, table.kv tr:last-child td { border-bottom: 0; }
.table-wrap { max-height: 560px; overflow: auto; border: 1px solid var(--line); border-radius: 6px; }
table.list th, table.list td { padding: 6px 10px; border-bottom: 1px solid var(--line); white-space: nowrap; }
table.list thead th { position: sticky; top: 0; background: #f9fafb; text-align: left; font-weight: 600; font-size: 12px;
  color: var(--muted); text-transform: uppercase; letter-spacing: .03em; z-index: 1; }
table.list thead th.num { text-align: right; }
table.list tbody tr:nth-child(even) { background: #fafbfc; }
table.list tbody tr:hover { background: #eef4ff; }
td.num { text-align: right; }
.pos { color: var(--pos); }
.neg { color: var(--neg); }
.muted { color: var(--muted); }
ul.assumptions { margin: 0; padding-left: 20px; }
ul.assumptions li { margin: 3px 0; }
.swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 8px; vertical-align: -1px; }
.empty { color: var(--muted); font-style: italic; }
#chart-error { display: none; color: var(--neg); margin: 8px 0 0; }
footer { color: var(--muted); font-size: 12px; text-align: center; margin-top: 8px; }
`;

/** Runs in the page: draws the equity and drawdown charts from the embedded JSON. */
const PAGE_SCRIPT = `
(function () {
  'use strict';
  var errorBox = document.getElementById('chart-error');
  try {
    var LC = window.LightweightCharts;
    var data = JSON.parse(document.getElementById('report-data').textContent);
    function points(s) {
      var out = new Array(s.t.length);
      for (var i = 0; i < s.t.length; i++) out[i] = { time: s.t[i], value: s.v[i] };
      return out;
    }
    function group(x, decimals) {
      var parts = Math.abs(x).toFixed(decimals).split('.');
      parts[0] = parts[0].replace(/\\B(?=(\\d{3})+(?!\\d))/g, ',');
      return (x < 0 ? '-' : '') + parts.join('.');
    }
    function base(el, priceFormatter, logo) {
      return {
        width: el.clientWidth, height: el.clientHeight,
        layout: { background: { type: 'solid', color: '#ffffff' }, textColor: '#4b5563', fontSize: 12,
          fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif', attributionLogo: logo },
        grid: { vertLines: { color: '#f0f2f5' }, horzLines: { color: '#f0f2f5' } },
        rightPriceScale: { borderColor: '#e5e7eb', minimumWidth: 96 },
        timeScale: { borderColor: '#e5e7eb', timeVisible: true, secondsVisible: false, minBarSpacing: 0.01 },
        localization: { priceFormatter: priceFormatter },
        crosshair: { mode: 0 }
      };
    }
    var money = function (v) { return group(v, 2); };
    var equityEl = document.getElementById('equity-chart');
    var drawdownEl = document.getElementById('drawdown-chart');
    // The TradingView attribution (their licence notice asks for it) is shown once, on the equity chart.
    var equityChart = LC.createChart(equityEl, base(equityEl, money, true));
    equityChart.priceScale('right').applyOptions({ scaleMargins: { top: 0.1, bottom: 0.08 } });
    var benchmarkSeries = null;
    if (data.benchmark) {
      benchmarkSeries = equityChart.addSeries(LC.LineSeries, {
        color: '#94a3b8', lineWidth: 1, lineStyle: 2, priceLineVisible: false, lastValueVisible: true,
        title: data.benchmark.label
      });
      benchmarkSeries.setData(points(data.benchmark));
    }
    var equitySeries = equityChart.addSeries(LC.LineSeries, {
      color: '#2563eb', lineWidth: 2, priceLineVisible: false, title: 'Strategy'
    });
    equitySeries.setData(points(data.equity));
    if (data.markers.length > 0) {
      LC.createSeriesMarkers(equitySeries, data.markers.map(function (m) {
        return { time: m.time, position: 'aboveBar', shape: 'arrowDown', color: m.color, text: m.text };
      }));
    }
    var drawdownChart = LC.createChart(drawdownEl, base(drawdownEl, function (v) { return v.toFixed(2) + '%'; }, false));
    drawdownChart.priceScale('right').applyOptions({ scaleMargins: { top: 0.08, bottom: 0.04 } });
    var drawdownSeries = drawdownChart.addSeries(LC.BaselineSeries, {
      baseValue: { type: 'price', price: 0 },
      topLineColor: '#dc2626', topFillColor1: 'rgba(220,38,38,0)', topFillColor2: 'rgba(220,38,38,0)',
      bottomLineColor: '#dc2626', bottomFillColor1: 'rgba(220,38,38,0.08)', bottomFillColor2: 'rgba(220,38,38,0.32)',
      lineWidth: 1, priceLineVisible: false, title: 'Drawdown'
    });
    drawdownSeries.setData(points(data.drawdown));
    // Sized from the containers (not autoSize) so that fitContent sees the real width at once.
    function fit() {
      equityChart.resize(equityEl.clientWidth, equityEl.clientHeight);
      drawdownChart.resize(drawdownEl.clientWidth, drawdownEl.clientHeight);
      equityChart.timeScale().fitContent();
      drawdownChart.timeScale().fitContent();
    }
    fit();
    // Same price-axis width on both charts, so that their plot areas (and times) line up.
    function alignScales() {
      var w = Math.max(equityChart.priceScale('right').width(), drawdownChart.priceScale('right').width());
      if (w <= 0) return;
      equityChart.priceScale('right').applyOptions({ minimumWidth: w });
      drawdownChart.priceScale('right').applyOptions({ minimumWidth: w });
    }
    requestAnimationFrame(alignScales);
    var lastWidth = equityEl.clientWidth;
    window.addEventListener('resize', function () {
      if (equityEl.clientWidth === lastWidth) return;
      lastWidth = equityEl.clientWidth;
      fit();
    });

    // Equity and drawdown share their time points: keep their visible ranges and crosshairs together.
    var syncing = false;
    function follow(from, to) {
      from.timeScale().subscribeVisibleLogicalRangeChange(function (range) {
        if (syncing || range === null) return;
        syncing = true;
        to.timeScale().setVisibleLogicalRange(range);
        syncing = false;
      });
    }
    follow(equityChart, drawdownChart);
    follow(drawdownChart, equityChart);
    function crosshair(from, to, toSeries, values) {
      from.subscribeCrosshairMove(function (param) {
        if (param.time === undefined) { to.clearCrosshairPosition(); return; }
        var v = values[param.time];
        if (v === undefined) { to.clearCrosshairPosition(); return; }
        to.setCrosshairPosition(v, param.time, toSeries);
      });
    }
    var eqByTime = {}, ddByTime = {};
    for (var i = 0; i < data.equity.t.length; i++) {
      eqByTime[data.equity.t[i]] = data.equity.v[i];
      ddByTime[data.drawdown.t[i]] = data.drawdown.v[i];
    }
    crosshair(equityChart, drawdownChart, drawdownSeries, ddByTime);
    crosshair(drawdownChart, equityChart, equitySeries, eqByTime);
    document.body.setAttribute('data-charts', 'ready');
  } catch (err) {
    errorBox.style.display = 'block';
    errorBox.textContent = 'Charts could not be drawn: ' + (err && err.message ? err.message : String(err));
    document.body.setAttribute('data-charts', 'failed');
    console.error(err);
  }
})();
`;

/** Renders the whole report as one HTML document that needs no network. */
export function renderReportHtml(input: ReportInput): string {
  const maxPoints = input.maxChartPoints ?? DEFAULT_MAX_CHART_POINTS;
  const { data, shown, total } = buildChartData(input, maxPoints);
  const time = input.equity.time;
  const start = input.period?.start ?? time[0] ?? Number.NaN;
  const end = input.period?.end ?? time[time.length - 1] ?? Number.NaN;
  const period = Number.isFinite(start) && Number.isFinite(end) ? `${formatDate(start)} – ${formatDate(end)}` : 'no bars';
  const symbols = input.symbols.length > 0 ? input.symbols.join(', ') : '—';
  const cur = input.currency;

  // Metrics table, with the benchmark's return added when the summary lacks it.
  const summary: Record<string, number | string | null> = { ...input.summary };
  const b = input.benchmark;
  if (b !== undefined && !('benchmarkReturn' in summary)) {
    const first = b.equity[0];
    const last = b.equity[b.equity.length - 1];
    if (first !== undefined && last !== undefined && first !== 0) summary.benchmarkReturn = last / first - 1;
  }
  const metricRows = Object.entries(summary).map(([key, value]) => {
    const f = formatSummaryValue(key, value, cur);
    const label = key === 'benchmarkReturn' && b !== undefined ? `Benchmark return (${b.label})` : labelOf(key);
    return { key: label, value: f.text, cls: f.cls, title: value === null ? undefined : `${key} = ${String(value)}` };
  });

  const cardKeys = ['totalReturn', 'cagr', 'sharpe', 'maxDrawdown', 'winRate', 'trades', 'benchmarkReturn'];
  const cards = cardKeys
    .filter((k) => k in summary)
    .map((k) => {
      const value = summary[k];
      if (value === undefined) throw new Error(`summary value is missing for ${k}`);
      const f = formatSummaryValue(k, value, cur);
      return `<div class="card"><div class="k">${escapeHtml(labelOf(k))}</div><div class="v ${f.cls}">${escapeHtml(f.text)}</div></div>`;
    })
    .join('\n');

  const paramRows: Array<[string, string]> = [];
  parameterRows(input.parameters, '', paramRows);
  const paramsHtml =
    Object.keys(input.parameters).length === 0
      ? '<p class="empty">No parameters.</p>'
      : kvTable(paramRows.map(([key, value]) => ({ key, value })), 'kv params');

  const assumptionsHtml =
    input.assumptions.length === 0
      ? '<p class="empty">None given.</p>'
      : `<ul class="assumptions">\n${input.assumptions.map((a) => `<li>${escapeHtml(a)}</li>`).join('\n')}\n</ul>`;

  const eventsHtml =
    input.events.length === 0
      ? ''
      : `<section class="panel"><h2>Events <span class="count">(${input.events.length})</span></h2>
<div class="table-wrap"><table class="list"><thead><tr><th>Time (UTC)</th><th>Event</th></tr></thead><tbody>
${[...input.events]
  .sort((x, y) => x.time - y.time)
  .map(
    (e) =>
      `<tr><td>${escapeHtml(formatTime(e.time))}</td><td><span class="swatch" style="background:${escapeHtml(safeColor(e.color, DEFAULT_EVENT_COLOR))}"></span>${escapeHtml(e.text)}</td></tr>`,
  )
  .join('\n')}
</tbody></table></div></section>`;

  const tradeRows = input.trades.map((t, i) => tradeRow(t, i + 1, cur));
  const tradesHtml =
    input.trades.length === 0
      ? '<p class="empty">No closed trades.</p>'
      : `<div class="table-wrap"><table class="list trades"><thead><tr><th class="num">#</th><th>Symbol</th><th>Entry (UTC)</th><th>Exit (UTC)</th>` +
        `<th class="num">Quantity</th><th class="num">Entry price</th><th class="num">Exit price</th><th class="num">PnL (${escapeHtml(cur)})</th><th class="num">Return</th></tr></thead><tbody>\n` +
        tradeRows.join('\n') +
        '\n</tbody></table></div>';

  const legend =
    `<span><i style="border-color:#2563eb"></i>Strategy</span>` +
    (b !== undefined ? `<span><i class="dash" style="border-color:#94a3b8"></i>${escapeHtml(b.label)}</span>` : '') +
    (input.events.length > 0 ? `<span><i style="border-color:${DEFAULT_EVENT_COLOR}"></i>Events</span>` : '');
  const sampling =
    shown < total
      ? `Charts show ${formatNumber(shown, 0)} of ${formatNumber(total, 0)} bars (lowest and highest point of each bucket kept). Times in UTC.`
      : `${formatNumber(total, 0)} bars. Times in UTC.`;

  const docTitle = `${input.title} — ${input.strategy} — ${symbols} — ${period}`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(docTitle)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
<header class="page">
<div class="eyebrow">${escapeHtml(input.title)}</div>
<h1>${escapeHtml(input.strategy)}</h1>
<div class="meta"><span>Symbols <b>${escapeHtml(symbols)}</b></span><span>Period <b>${escapeHtml(period)}</b></span><span>Currency <b>${escapeHtml(cur)}</b></span></div>
</header>
${cards === '' ? '' : `<section class="cards">\n${cards}\n</section>`}
<section class="panel">
<div class="chart-head"><h2>Equity</h2><div class="legend">${legend}</div></div>
<div id="equity-chart" class="chart"></div>
<div class="chart-head"><h2 style="margin-top:14px">Drawdown</h2></div>
<div id="drawdown-chart" class="chart"></div>
<p class="note">${escapeHtml(sampling)}</p>
<p id="chart-error"></p>
</section>
<div class="grid2">
<section class="panel"><h2>Performance</h2>
${metricRows.length === 0 ? '<p class="empty">No metrics.</p>' : kvTable(metricRows, 'kv metrics')}
</section>
<section class="panel"><h2>Run parameters</h2>
${paramsHtml}
<h3>Fill model assumptions</h3>
${assumptionsHtml}
</section>
</div>
${eventsHtml}
<section class="panel"><h2>Trades <span class="count">(${formatNumber(input.trades.length, 0)})</span></h2>
${tradesHtml}
</section>
<footer>Generated by traider. Charts drawn with TradingView Lightweight Charts™ (Apache-2.0), embedded in this file.</footer>
</main>
<script type="application/json" id="report-data">${jsonForScript(data)}</script>
<script>
${chartLibrarySource()}
</script>
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;
}
