// The report's browser script: draws the equity and drawdown charts from the JSON embedded in the page.
// render.ts inlines this function's source into the page, so the body uses nothing from outside it but its
// argument (the chart library's global) and the browser's own globals; imports here are types only.
import type * as Charts from 'lightweight-charts';
import type { ChartData } from '../chart-data.ts';

type Series = ChartData['equity'];

/** Draws both charts and marks `body[data-charts]` ready, or failed with the reason under the charts. */
export function drawReportCharts(LC: typeof Charts): void {
  'use strict'; // the page runs it as a classic script, not a module
  const errorBox = document.getElementById('chart-error')!;
  try {
    const data = JSON.parse(document.getElementById('report-data')!.textContent!) as ChartData;
    const points = (s: Series): Charts.LineData[] => {
      const out = new Array<Charts.LineData>(s.t.length);
      for (let i = 0; i < s.t.length; i++) out[i] = { time: s.t[i] as Charts.UTCTimestamp, value: s.v[i]! };
      return out;
    };
    const group = (x: number, decimals: number): string => {
      const parts = Math.abs(x).toFixed(decimals).split('.');
      parts[0] = parts[0]!.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
      return (x < 0 ? '-' : '') + parts.join('.');
    };
    const base = (el: HTMLElement, priceFormatter: (price: number) => string, logo: boolean): Charts.DeepPartial<Charts.ChartOptions> => ({
      width: el.clientWidth,
      height: el.clientHeight,
      layout: {
        background: { type: LC.ColorType.Solid, color: '#ffffff' },
        textColor: '#4b5563',
        fontSize: 12,
        fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif',
        attributionLogo: logo,
      },
      grid: { vertLines: { color: '#f0f2f5' }, horzLines: { color: '#f0f2f5' } },
      rightPriceScale: { borderColor: '#e5e7eb', minimumWidth: 96 },
      timeScale: { borderColor: '#e5e7eb', timeVisible: true, secondsVisible: false, minBarSpacing: 0.01 },
      localization: { priceFormatter },
      crosshair: { mode: LC.CrosshairMode.Normal },
    });
    const money = (v: number): string => group(v, 2);
    const equityEl = document.getElementById('equity-chart')!;
    const drawdownEl = document.getElementById('drawdown-chart')!;
    // The TradingView attribution (their licence notice asks for it) is shown once, on the equity chart.
    const equityChart = LC.createChart(equityEl, base(equityEl, money, true));
    equityChart.priceScale('right').applyOptions({ scaleMargins: { top: 0.1, bottom: 0.08 } });
    if (data.benchmark) {
      const benchmarkSeries = equityChart.addSeries(LC.LineSeries, {
        color: '#94a3b8',
        lineWidth: 1,
        lineStyle: LC.LineStyle.Dashed,
        priceLineVisible: false,
        lastValueVisible: true,
        title: data.benchmark.label,
      });
      benchmarkSeries.setData(points(data.benchmark));
    }
    // Episodes of several events: a faint band behind the lines from their first to their last event.
    const banded = data.episodes.filter((e) => e.count > 1 && e.end > e.start);
    if (banded.length > 0) {
      const bands = equityChart.addSeries(LC.HistogramSeries, { priceScaleId: 'episodes', priceLineVisible: false, lastValueVisible: false, base: 0 });
      equityChart.priceScale('episodes').applyOptions({ visible: false, scaleMargins: { top: 0, bottom: 0 } });
      const bars: Charts.HistogramData[] = [];
      let k = 0;
      for (const t of data.equity.t) {
        while (k < banded.length && banded[k]!.end < t) k++;
        const e = banded[k];
        if (e !== undefined && e.start <= t) bars.push({ time: t as Charts.UTCTimestamp, value: 1, color: e.band });
      }
      bands.setData(bars);
    }
    const equitySeries = equityChart.addSeries(LC.LineSeries, { color: '#2563eb', lineWidth: 2, priceLineVisible: false, title: 'Strategy' });
    equitySeries.setData(points(data.equity));
    if (data.markers.length > 0) {
      LC.createSeriesMarkers(
        equitySeries,
        data.markers.map((m) => ({ time: m.time as Charts.UTCTimestamp, position: 'aboveBar', shape: 'arrowDown', color: m.color, text: m.text })),
      );
    }
    // Hovering an episode (its marker or its band) lists its events; a click jumps to them in the event table.
    const tip = document.getElementById('episode-tip')!;
    // Within a few pixels of an episode's span: a single event's marker is one point wide.
    const episodeAt = (x: number | undefined): ChartData['episodes'][number] | undefined => {
      if (x === undefined) return undefined;
      const scale = equityChart.timeScale();
      let best: ChartData['episodes'][number] | undefined;
      let bestDistance = 7;
      for (const e of data.episodes) {
        const x0 = scale.timeToCoordinate(e.start as Charts.UTCTimestamp);
        const x1 = scale.timeToCoordinate(e.end as Charts.UTCTimestamp);
        if (x0 === null || x1 === null) continue;
        const distance = x < x0 ? x0 - x : x > x1 ? x - x1 : 0;
        if (distance < bestDistance) {
          best = e;
          bestDistance = distance;
        }
      }
      return best;
    };
    equityChart.subscribeCrosshairMove((param) => {
      const episode = episodeAt(param.point?.x);
      if (episode === undefined || param.point === undefined) {
        tip.hidden = true;
        return;
      }
      const head = episode.count === 1 ? `Episode ${episode.id}` : `Episode ${episode.id}: ${episode.count} events`;
      const more = episode.more > 0 ? `\n… ${episode.more} more in the event table` : '';
      tip.textContent = `${head}\n${episode.lines.join('\n')}${more}`;
      tip.hidden = false;
      const left = Math.min(param.point.x + 14, equityEl.clientWidth - tip.offsetWidth - 4);
      tip.style.left = `${Math.max(0, left)}px`;
      tip.style.top = `${Math.max(0, param.point.y - tip.offsetHeight - 10)}px`;
    });
    equityChart.subscribeClick((param) => {
      const episode = episodeAt(param.point?.x);
      if (episode !== undefined) document.getElementById(`episode-${episode.id}`)?.scrollIntoView({ block: 'center' });
    });
    const drawdownChart = LC.createChart(drawdownEl, base(drawdownEl, (v) => `${v.toFixed(2)}%`, false));
    drawdownChart.priceScale('right').applyOptions({ scaleMargins: { top: 0.08, bottom: 0.04 } });
    const drawdownSeries = drawdownChart.addSeries(LC.BaselineSeries, {
      baseValue: { type: 'price', price: 0 },
      topLineColor: '#dc2626',
      topFillColor1: 'rgba(220,38,38,0)',
      topFillColor2: 'rgba(220,38,38,0)',
      bottomLineColor: '#dc2626',
      bottomFillColor1: 'rgba(220,38,38,0.08)',
      bottomFillColor2: 'rgba(220,38,38,0.32)',
      lineWidth: 1,
      priceLineVisible: false,
      title: 'Drawdown',
    });
    drawdownSeries.setData(points(data.drawdown));
    // Sized from the containers (not autoSize) so that fitContent sees the real width at once.
    const fit = (): void => {
      equityChart.resize(equityEl.clientWidth, equityEl.clientHeight);
      drawdownChart.resize(drawdownEl.clientWidth, drawdownEl.clientHeight);
      equityChart.timeScale().fitContent();
      drawdownChart.timeScale().fitContent();
    };
    fit();
    // Same price-axis width on both charts, so that their plot areas (and times) line up.
    requestAnimationFrame(() => {
      const w = Math.max(equityChart.priceScale('right').width(), drawdownChart.priceScale('right').width());
      if (w <= 0) return;
      equityChart.priceScale('right').applyOptions({ minimumWidth: w });
      drawdownChart.priceScale('right').applyOptions({ minimumWidth: w });
    });
    let lastWidth = equityEl.clientWidth;
    window.addEventListener('resize', () => {
      if (equityEl.clientWidth === lastWidth) return;
      lastWidth = equityEl.clientWidth;
      fit();
    });

    // Equity and drawdown share their time points: keep their visible ranges and crosshairs together.
    let syncing = false;
    const follow = (from: Charts.IChartApi, to: Charts.IChartApi): void => {
      from.timeScale().subscribeVisibleLogicalRangeChange((range) => {
        if (syncing || range === null) return;
        syncing = true;
        to.timeScale().setVisibleLogicalRange(range);
        syncing = false;
      });
    };
    follow(equityChart, drawdownChart);
    follow(drawdownChart, equityChart);
    const crosshair = (from: Charts.IChartApi, to: Charts.IChartApi, toSeries: Charts.ISeriesApi<Charts.SeriesType>, values: Map<Charts.Time, number>): void => {
      from.subscribeCrosshairMove((param) => {
        const v = param.time === undefined ? undefined : values.get(param.time);
        if (v === undefined) to.clearCrosshairPosition();
        else to.setCrosshairPosition(v, param.time!, toSeries);
      });
    };
    const eqByTime = new Map<Charts.Time, number>();
    const ddByTime = new Map<Charts.Time, number>();
    for (let i = 0; i < data.equity.t.length; i++) {
      eqByTime.set(data.equity.t[i] as Charts.UTCTimestamp, data.equity.v[i]!);
      ddByTime.set(data.drawdown.t[i] as Charts.UTCTimestamp, data.drawdown.v[i]!);
    }
    crosshair(equityChart, drawdownChart, drawdownSeries, ddByTime);
    crosshair(drawdownChart, equityChart, equitySeries, eqByTime);
    document.body.setAttribute('data-charts', 'ready');
  } catch (err) {
    errorBox.style.display = 'block';
    const message = (err as { message?: unknown } | null)?.message;
    errorBox.textContent = `Charts could not be drawn: ${message ? String(message) : String(err)}`;
    document.body.setAttribute('data-charts', 'failed');
    console.error(err);
  }
}
