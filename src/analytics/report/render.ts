// The backtest report: one self-contained HTML file (inline CSS, inline chart library, inline data and page script).
import { buildChartData, DEFAULT_EVENT_COLOR, reportEpisodes } from './chart-data.ts';
import { eventsSection } from './event-table.ts';
import { escapeHtml, formatDate, formatNumber, jsonForScript } from './format.ts';
import { tradeReturnsSection } from './histogram.ts';
import { monthlyReturns, monthlySection } from './monthly.ts';
import { chartLibrarySource, reportPageScript, reportStylesheet } from './page-assets.ts';
import { extrapolationNote, formatSummaryValue, labelOf } from './summary-format.ts';
import { kvTable, parameterRows, tradeRow } from './tables.ts';
import type { ReportInput } from './types.ts';

export const DEFAULT_MAX_CHART_POINTS = 5000;

/** Renders the whole report as one HTML document that needs no network. */
export function renderReportHtml(input: ReportInput): string {
  const maxPoints = input.maxChartPoints ?? DEFAULT_MAX_CHART_POINTS;
  const episodes = reportEpisodes(input);
  const { data, shown, total } = buildChartData(input, maxPoints, episodes);
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
  // Annualised metrics of a short run say so next to their value.
  const extrapolated = new Set(input.extrapolated?.metrics ?? []);
  const note = input.extrapolated !== undefined && extrapolated.size > 0 ? extrapolationNote(input.extrapolated.metrics, input.extrapolated.spanMs) : undefined;
  const marked = (key: string, text: string): string => (extrapolated.has(key) ? `${text} (extrapolated)` : text);
  const metricRows = Object.entries(summary).map(([key, value]) => {
    const f = formatSummaryValue(key, value, cur);
    const label = key === 'benchmarkReturn' && b !== undefined ? `Benchmark return (${b.label})` : labelOf(key);
    return { key: marked(key, label), value: f.text, cls: f.cls, title: value === null ? undefined : `${key} = ${String(value)}` };
  });

  const cardKeys = ['totalReturn', 'cagr', 'sharpe', 'maxDrawdown', 'winRate', 'trades', 'benchmarkReturn'];
  const cards = cardKeys
    .filter((k) => k in summary)
    .map((k) => {
      const value = summary[k];
      if (value === undefined) throw new Error(`summary value is missing for ${k}`);
      const f = formatSummaryValue(k, value, cur);
      const flag = extrapolated.has(k) ? ' extrapolated' : '';
      return `<div class="card${flag}"><div class="k">${escapeHtml(marked(k, labelOf(k)))}</div><div class="v ${f.cls}">${escapeHtml(f.text)}</div></div>`;
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

  const eventsHtml = eventsSection(episodes, input.denials ?? [], input.maxDenialRows);
  const monthlyHtml = monthlySection(monthlyReturns(time, input.equity.equity, input.initialCapital));
  const returnsHtml = tradeReturnsSection(input.trades.map((t) => t.returnFraction));

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
<style>
${reportStylesheet()}</style>
</head>
<body>
<main>
<header class="page">
<div class="eyebrow">${escapeHtml(input.title)}</div>
<h1>${escapeHtml(input.strategy)}</h1>
<div class="meta"><span>Symbols <b>${escapeHtml(symbols)}</b></span><span>Period <b>${escapeHtml(period)}</b></span><span>Currency <b>${escapeHtml(cur)}</b></span></div>
</header>
${cards === '' ? '' : `<section class="cards">\n${cards}\n</section>`}
${note === undefined ? '' : `<p class="warning" id="extrapolated">${escapeHtml(note)}</p>`}
<section class="panel">
<div class="chart-head"><h2>Equity</h2><div class="legend">${legend}</div></div>
<div id="equity-chart" class="chart"><div id="episode-tip" class="tip" hidden></div></div>
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
${monthlyHtml}
${returnsHtml}
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
<script>
${reportPageScript()}
</script>
</body>
</html>
`;
}
