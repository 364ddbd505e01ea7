import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { renderReportHtml } from '../../src/analytics/report/render.ts';
import { downsampleMinMax, selectDownsampleIndices } from '../../src/analytics/report/downsample.ts';
import {
  escapeHtml,
  formatNumber,
  formatPercent,
  formatPrice,
  formatTime,
  jsonForScript,
  safeColor,
} from '../../src/analytics/report/format.ts';
import type { ReportInput } from '../../src/analytics/report/types.ts';
import { at, sampleReportInput } from './report-fixture.ts';

interface EmbeddedData {
  equity: { t: number[]; v: number[] };
  drawdown: { t: number[]; v: number[] };
  benchmark: { t: number[]; v: number[]; label: string } | null;
  markers: Array<{ time: number; text: string; color: string }>;
}

function embedded(html: string): EmbeddedData {
  const json = /<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(html)?.[1];
  if (json === undefined) throw new Error('no embedded data');
  return JSON.parse(json) as EmbeddedData;
}

function count(text: string, needle: string): number {
  return text.split(needle).length - 1;
}

describe('selectDownsampleIndices', () => {
  it('keeps every point of a short series', () => {
    expect(Array.from(selectDownsampleIndices([Float64Array.from([3, 1, 2])], 10))).toEqual([0, 1, 2]);
  });

  it('keeps first, last, and each bucket minimum and maximum', () => {
    // 10 points, maxPoints 6: 2 buckets over indices 1..8 (1-4 and 5-8), min and max of each.
    const v = Float64Array.from([5, 4, 9, 1, 6, 7, 0, 8, 3, 5]);
    // bucket 1..4: values 4, 9, 1, 6 -> min at 3, max at 2; bucket 5..8: 7, 0, 8, 3 -> min at 6, max at 7
    expect(Array.from(selectDownsampleIndices([v], 6))).toEqual([0, 2, 3, 6, 7, 9]);
  });

  it('rejects bad arguments', () => {
    expect(() => selectDownsampleIndices([], 10)).toThrow(RangeError);
    expect(() => selectDownsampleIndices([new Float64Array(3)], 1)).toThrow(RangeError);
    expect(() => selectDownsampleIndices([new Float64Array(3), new Float64Array(4)], 10)).toThrow(RangeError);
  });

  it('properties: ascending unique indices, ends kept, within budget, extremes survive', () => {
    const value = fc.double({ min: -1e6, max: 1e6, noNaN: true });
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }).chain((k) =>
          fc.tuple(
            fc.integer({ min: 1, max: 400 }).chain((n) => fc.array(fc.array(value, { minLength: n, maxLength: n }), { minLength: k, maxLength: k })),
            fc.integer({ min: 2 + 2 * k, max: 120 }),
          ),
        ),
        ([arrays, maxPoints]) => {
          const series = arrays.map((a) => Float64Array.from(a));
          const n = at(series, 0, 'series').length;
          const idx = Array.from(selectDownsampleIndices(series, maxPoints));
          expect(idx.length).toBeLessThanOrEqual(Math.max(n > maxPoints ? maxPoints : n, 0));
          expect(idx[0]).toBe(0);
          expect(idx[idx.length - 1]).toBe(n - 1);
          for (let i = 1; i < idx.length; i++) expect(idx[i]).toBeGreaterThan(at(idx, i - 1, 'index'));
          for (const s of series) {
            const kept = idx.map((i) => at(s, i));
            expect(Math.min(...kept)).toBe(Math.min(...s));
            expect(Math.max(...kept)).toBe(Math.max(...s));
          }
        },
      ),
    );
  });

  it('a 1M-point series comes down to at most 5000 points with its deepest trough', () => {
    const n = 1_000_000;
    const time = new Float64Array(n);
    const v = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      time[i] = i * 60_000;
      v[i] = 100 + Math.sin(i / 5000) * 10;
    }
    v[777_777] = 1; // a one-bar crash
    const out = downsampleMinMax(time, v, 5000);
    expect(out.time.length).toBeLessThanOrEqual(5000);
    expect(out.time.length).toBe(out.value.length);
    expect(Math.min(...out.value)).toBe(1);
    expect(out.time[Array.from(out.value).indexOf(1)]).toBe(777_777 * 60_000);
  });
});

describe('format helpers', () => {
  it('escapes HTML', () => {
    expect(escapeHtml(`<a href="x">Tom & 'Jerry'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;');
  });
  it('keeps script-breaking characters out of embedded JSON', () => {
    const s = jsonForScript({ a: '</script><!-- \u2028' });
    expect(s).not.toContain('<');
    expect(JSON.parse(s)).toEqual({ a: '</script><!-- \u2028' });
  });
  it('formats numbers without locale', () => {
    expect(formatNumber(1234567.891, 2)).toBe('1,234,567.89');
    expect(formatNumber(-1234.5, 0)).toBe('-1,235');
    expect(formatNumber(-0.001, 2)).toBe('0.00');
    expect(formatNumber(999, 1)).toBe('999.0');
    expect(formatPercent(0.12345)).toBe('12.35%');
    expect(formatPercent(-0.5, 0)).toBe('-50%');
  });
  it('formats prices by magnitude', () => {
    expect(formatPrice(65000.5)).toBe('65,000.50');
    expect(formatPrice(1.2345)).toBe('1.2345');
    expect(formatPrice(12.5)).toBe('12.50');
    expect(formatPrice(0.000123)).toBe('0.000123');
  });
  it('formats UTC times', () => {
    expect(formatTime(Date.UTC(2024, 0, 2, 3, 4))).toBe('2024-01-02 03:04');
    expect(formatTime(Date.UTC(2024, 0, 2, 3, 4, 5))).toBe('2024-01-02 03:04:05');
  });
  it('accepts only plain CSS colours', () => {
    expect(safeColor('#ff0000', 'x')).toBe('#ff0000');
    expect(safeColor('red', 'x')).toBe('red');
    expect(safeColor('rgba(1, 2, 3, 0.5)', 'x')).toBe('rgba(1, 2, 3, 0.5)');
    expect(safeColor('red;background:url(http://e)', 'x')).toBe('x');
    expect(safeColor('"><script>', 'x')).toBe('x');
    expect(safeColor(undefined, 'x')).toBe('x');
  });
});

describe('renderReportHtml', () => {
  const input = sampleReportInput(2000);
  const html = renderReportHtml(input);

  it('is one self-contained document with the chart library inline', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('window.LightweightCharts=');
    expect(html).not.toMatch(/<script[^>]*\ssrc=/i);
    expect(html).not.toMatch(/<link[^>]*\shref=/i);
    expect(html).not.toMatch(/<img[^>]*\ssrc=/i);
    expect(html).not.toContain('<script src="http');
    const css = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? '';
    expect(css.length).toBeGreaterThan(100);
    expect(css).not.toMatch(/@import|@font-face|url\(/);
    expect(html).toContain("default-src 'none'");
  });

  it('shows the strategy, symbols and period in the title', () => {
    const title = /<title>([^<]*)<\/title>/.exec(html)?.[1] ?? '';
    expect(title).toContain('sma-cross');
    expect(title).toContain('BTCUSDT, ETHUSDT');
    expect(title).toContain('2024-01-01');
  });

  it('lists the metrics with labels and formats', () => {
    expect(html).toContain('Sharpe ratio');
    expect(html).toContain('Max drawdown');
    expect(html).toContain('Fees paid</th><td class="" title="feesPaid = 61.75">61.75 USDT</td>');
    expect(html).toContain('Orders</th>');
    expect(html).toContain('Benchmark return (Buy &amp; hold BTCUSDT)');
  });

  it('contains every trade row and the assumptions list', () => {
    const body = /<table class="list trades">[\s\S]*?<tbody>([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? '';
    expect(count(body, '<tr>')).toBe(input.trades.length);
    for (const t of input.trades) {
      expect(body).toContain(`<td>${formatTime(t.entryTime)}</td><td>${formatTime(t.exitTime)}</td>`);
      expect(body).toContain(`>${formatNumber(t.pnl, 2)}</td>`);
      expect(body).toContain(`<td class="num">${t.quantity}</td>`);
    }
    for (const a of input.assumptions) expect(html).toContain(`<li>${escapeHtml(a)}</li>`);
    expect(html).toContain('Fill model assumptions');
  });

  it('shows the run parameters', () => {
    expect(html).toContain('<th scope="row">strategy.fast</th><td class="">10</td>');
    expect(html).toContain('<th scope="row">fees.takerBps</th>');
  });

  it('escapes injected markup everywhere', () => {
    const evil = '<script>alert(1)</script>';
    const bad: ReportInput = {
      ...sampleReportInput(300),
      title: `T ${evil}`,
      strategy: `S ${evil}`,
      symbols: [evil],
      currency: `"><b>`,
      parameters: { [evil]: evil },
      summary: { [evil]: evil, sharpe: null },
      benchmark: { ...sampleReportInput(300).benchmark!, label: `</script>${evil}` },
      trades: [{ ...at(sampleReportInput(300).trades, 0, 'trade'), symbol: evil, quantity: evil }],
      events: [{ time: 0, text: `</script>${evil}`, color: `red"><script>` }],
      assumptions: [evil],
    };
    const out = renderReportHtml(bad);
    expect(out).not.toContain('<script>alert');
    expect(out).not.toContain('"><b>');
    expect(out).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    // exactly three script elements: the data, the library, the page script
    expect(count(out.toLowerCase(), '<script')).toBe(3);
    expect(count(out.toLowerCase(), '</script')).toBe(3);
    const data = embedded(out);
    expect(data.benchmark?.label).toBe(`</script>${evil}`);
    expect(at(data.markers, 0, 'marker').color).toBe('#d97706');
    expect(out).toContain('<td class="muted">—</td>'); // sharpe null
  });

  it('embeds chart data on shared ascending times, drawdown in percent, markers on charted times', () => {
    const data = embedded(html);
    expect(data.equity.t).toEqual(data.drawdown.t);
    expect(data.benchmark?.t).toEqual(data.equity.t);
    for (let i = 1; i < data.equity.t.length; i++) expect(data.equity.t[i]).toBeGreaterThan(at(data.equity.t, i - 1, 'time'));
    expect(data.equity.t[0]).toBe(at(input.equity.time, 0, 'time') / 1000);
    expect(Math.max(...data.drawdown.v)).toBeLessThanOrEqual(0);
    expect(-Math.min(...data.drawdown.v) / 100).toBeCloseTo(input.summary.maxDrawdown as number, 9);
    expect(data.markers).toHaveLength(2);
    for (const m of data.markers) expect(data.equity.t).toContain(m.time);
    expect(at(data.markers, 0, 'marker').color).toBe('#dc2626');
  });

  it('downsamples a 1M-bar equity series to about 5000 chart points keeping the max drawdown', () => {
    const big = sampleReportInput(1_000_000, 60_000);
    const out = renderReportHtml({ ...big, trades: big.trades.slice(0, 2) });
    const data = embedded(out);
    expect(data.equity.t.length).toBeLessThanOrEqual(5000);
    expect(data.equity.t.length).toBeGreaterThan(1000);
    expect(-Math.min(...data.drawdown.v) / 100).toBeCloseTo(big.summary.maxDrawdown as number, 9);
    expect(out.length).toBeLessThan(2_000_000);
    expect(out).toContain('Charts show');
  });

  it('reads a benchmark sampled at other times as of each charted time', () => {
    const base = sampleReportInput(100);
    const bt = Float64Array.from([base.equity.time[10], base.equity.time[50]]);
    const out = renderReportHtml({ ...base, benchmark: { time: bt, equity: Float64Array.from([1, 2]), label: 'B' }, events: [] });
    const data = embedded(out);
    expect(data.benchmark!.t[0]).toBe(at(base.equity.time, 10, 'time') / 1000);
    expect(data.benchmark!.v.filter((v) => v === 1)).toHaveLength(40);
    expect(data.benchmark!.v.filter((v) => v === 2)).toHaveLength(50);
  });

  it('renders an empty run', () => {
    const out = renderReportHtml({
      ...sampleReportInput(10),
      equity: { time: new Float64Array(0), equity: new Float64Array(0) },
      benchmark: undefined,
      trades: [],
      events: [],
      assumptions: [],
      parameters: {},
      summary: {},
    });
    expect(out).toContain('No closed trades.');
    expect(out).toContain('No parameters.');
    expect(out).toContain('no bars');
  });

  it('rejects series of different lengths', () => {
    const base = sampleReportInput(10);
    expect(() => renderReportHtml({ ...base, equity: { time: new Float64Array(3), equity: new Float64Array(2) } })).toThrow(RangeError);
    expect(() => renderReportHtml({ ...base, drawdown: new Float64Array(3) })).toThrow(RangeError);
  });
});
