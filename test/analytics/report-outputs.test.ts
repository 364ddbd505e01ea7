// Readable report outputs: numbers without float noise, dense events grouped into episodes (every event still in
// the table), denials listed with a cap, monthly returns, the trade-return histogram, and extrapolated metrics.
import { describe, expect, it } from 'vitest';
import { averagePriceText, decimalText } from '../../src/analytics/decimal-text.ts';
import { groupEpisodes } from '../../src/analytics/report/episodes.ts';
import { binStart, histogramOf } from '../../src/analytics/report/histogram.ts';
import { monthlyReturns } from '../../src/analytics/report/monthly.ts';
import { renderReportHtml } from '../../src/analytics/report/render.ts';
import { tradePriceText } from '../../src/analytics/report/tables.ts';
import type { ReportDenial, ReportEvent, ReportInput } from '../../src/analytics/report/types.ts';
import { sampleReportInput } from './report-fixture.ts';

const DAY = 86_400_000;

interface Embedded {
  markers: Array<{ time: number; text: string; episode: number }>;
  episodes: Array<{ id: number; count: number; lines: string[]; more: number }>;
}

function embedded(html: string): Embedded {
  const json = /<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(html)?.[1];
  if (json === undefined) throw new Error('no embedded data');
  return JSON.parse(json) as Embedded;
}

/** Dense bursts of events: `bursts` of `size` events an hour apart, spread over the sample's span. */
function burstyEvents(input: ReportInput, bursts: number, size: number): ReportEvent[] {
  const time = input.equity.time;
  const start = time[0]!;
  const span = time[time.length - 1]! - start;
  const events: ReportEvent[] = [];
  for (let b = 0; b < bursts; b++) {
    for (let k = 0; k < size; k++) events.push({ time: start + (span * (b + 0.5)) / bursts + k * 3_600_000, text: `burst ${b} event ${k}`, color: '#dc2626' });
  }
  return events;
}

describe('numbers as a person reads them', () => {
  it('prints rounded decimals without float noise or exponent', () => {
    expect(decimalText(4167.2699999999995, 8)).toBe('4167.27');
    expect(decimalText(5906.9800000000005, 8)).toBe('5906.98');
    expect(decimalText(0.1 + 0.2, 8)).toBe('0.3');
    expect(decimalText(1e-7, 8)).toBe('0.0000001');
    expect(decimalText(4e-9, 8)).toBe('0');
    expect(decimalText(-4e-9, 8)).toBe('0');
    expect(decimalText(-0.123456789, 8)).toBe('-0.12345679');
    expect(decimalText(1.5e21, 8)).toBe('1500000000000000000000');
    expect(() => decimalText(Number.NaN, 8)).toThrow(/finite/);
  });

  it('rounds an average price to the tick decimals + 4', () => {
    expect(averagePriceText(4109.23104135125, 2)).toBe('4109.231041');
    expect(averagePriceText(4112.736856052033, 2)).toBe('4112.736856');
    expect(averagePriceText(51611.82, 2)).toBe('51611.82');
    expect(tradePriceText(4109.23104135125, 2)).toBe('4,109.231041');
    expect(tradePriceText(4167.2699999999995, 2)).toBe('4,167.27');
    expect(tradePriceText(4167.2, 2)).toBe('4,167.20');
    expect(tradePriceText(12, 0)).toBe('12');
  });
});

describe('dense events', () => {
  it('keeps sparse events apart and groups dense ones into at most 33 episodes', () => {
    const sparse: ReportEvent[] = [0, 100, 200].map((d) => ({ time: d * DAY, text: `e${d}` }));
    expect(groupEpisodes(sparse, 300 * DAY).map((e) => e.events.length)).toEqual([1, 1, 1]);
    const dense: ReportEvent[] = Array.from({ length: 500 }, (_, i) => ({ time: i * 0.6 * DAY, text: `e${i}` }));
    const episodes = groupEpisodes(dense, 300 * DAY);
    expect(episodes.length).toBeLessThanOrEqual(33);
    expect(episodes.reduce((n, e) => n + e.events.length, 0)).toBe(500);
  });

  it('marks hundreds of events with far fewer markers, and lists every event in the table', () => {
    const input = sampleReportInput(4000);
    const events = burstyEvents(input, 12, 25);
    const html = renderReportHtml({ ...input, events });
    const data = embedded(html);
    expect(data.markers.length).toBe(12);
    expect(data.markers.map((m) => m.text)).toEqual(Array(12).fill('25'));
    expect(data.episodes.map((e) => e.count)).toEqual(Array(12).fill(25));
    // The tooltip names the first events and counts the rest; the table has every one, each with its episode.
    expect(data.episodes[0]!.lines[0]).toMatch(/burst 0 event 0$/);
    expect(data.episodes[0]!.more).toBe(15);
    const rows = [...html.matchAll(/<tr class="event breaker"(?: id="episode-\d+")? data-episode="(\d+)">.*?<\/td><td>(?:<span[^>]*><\/span>)?([^<]*)<\/td><\/tr>/g)];
    expect(rows).toHaveLength(300);
    expect(new Set(rows.map((r) => r[2]))).toEqual(new Set(events.map((e) => e.text)));
    expect(rows.find((r) => r[2] === 'burst 7 event 3')![1]).toBe('8');
    expect(html).toContain('id="episode-12"');
  });

  it('labels a few markers in full, and many with their count only', () => {
    const input = sampleReportInput(4000);
    // Between two bursts, far enough from both to stay an episode of its own.
    const alone = (at: number): ReportEvent => ({ time: input.equity.time[Math.round(at * 4000)]!, text: 'alone' });
    const few = embedded(renderReportHtml({ ...input, events: [...burstyEvents(input, 4, 3), alone(0.25)] })).markers.map((m) => m.text);
    expect(few).toEqual(['3 events', 'alone', '3 events', '3 events', '3 events']);
    const many = embedded(renderReportHtml({ ...input, events: [...burstyEvents(input, 10, 3), alone(0.1)] })).markers.map((m) => m.text);
    expect(many).toEqual(['3', '', ...Array(9).fill('3')]);
  });

  it('lists the first denials and counts the rest', () => {
    const input = sampleReportInput(2000);
    const denials: ReportDenial[] = Array.from({ length: 620 }, (_, i) => ({
      time: input.equity.time[i]!,
      orderId: `O-${i + 1}`,
      symbol: 'BTCUSDT',
      side: 'BUY',
      quantity: '1',
      price: i % 2 === 0 ? null : '25000.5',
      reason: 'MAX_NOTIONAL',
      detail: 'order value above the limit',
      value: 50_000.123456789,
      limit: 20_000,
    }));
    const html = renderReportHtml({ ...input, denials, maxDenialRows: 500 });
    expect(html.match(/<tr class="event denial">/g)).toHaveLength(500);
    expect(html).toContain('… and 120 more denials (every denial is in denials.csv)');
    expect(html).toContain('MAX_NOTIONAL: O-1 BUY 1 BTCUSDT at market: order value above the limit (value 50000.12345679, limit 20000)');
    expect(html).toContain('MAX_NOTIONAL: O-2 BUY 1 BTCUSDT @ 25000.5:');
    expect(html).not.toContain('O-501 ');
  });
});

describe('monthly returns', () => {
  it('compares each month-end equity with the month before, the first with the capital', () => {
    const t = (iso: string): number => Date.parse(iso);
    // The bar closing at 00:00 on February 1st ends January.
    const time = [t('2021-01-10T00:00:00Z'), t('2021-02-01T00:00:00Z'), t('2021-02-15T00:00:00Z'), t('2021-04-30T00:00:00Z'), t('2022-01-02T00:00:00Z')];
    const equity = [105, 110, 99, 121, 133.1];
    const years = monthlyReturns(time, equity, 100);
    expect(years.map((y) => y.year)).toEqual([2021, 2022]);
    const [y2021, y2022] = years;
    expect(y2021!.months[0]).toBeCloseTo(0.1, 12);
    expect(y2021!.months[1]).toBeCloseTo(-0.1, 12);
    expect(y2021!.months[2]).toBeNull();
    expect(y2021!.months[3]).toBeCloseTo(121 / 99 - 1, 12);
    expect(y2021!.total).toBeCloseTo(0.21, 12);
    expect(y2022!.months[0]).toBeCloseTo(0.1, 12);
    expect(y2022!.total).toBeCloseTo(0.1, 12);
  });
});

describe('trade return histogram', () => {
  it('puts every return in its bin, zero on an edge, outliers apart', () => {
    const returns = [...Array.from({ length: 200 }, (_, i) => (i - 100) / 2000), 0.9, -0.8];
    const h = histogramOf(returns)!;
    expect(h.below + h.above + h.counts.reduce((a, b) => a + b, 0)).toBe(returns.length);
    expect(h.below).toBe(1);
    expect(h.above).toBe(1);
    // Each bin holds exactly the returns in [start, end).
    h.counts.forEach((count, k) => {
      const inside = returns.filter((r) => r >= binStart(h, k) - 1e-12 && r < binStart(h, k + 1) - 1e-12).length;
      expect(count, `bin ${k}`).toBe(inside);
    });
    expect(Number.isInteger(-h.firstIndex)).toBe(true);
    const html = renderReportHtml(sampleReportInput(1000));
    expect(html).toMatch(/<svg class="histogram"[\s\S]*?<title>[^<]+: \d+ trades?<\/title>/);
  });
});

describe('short runs', () => {
  it('marks annualised metrics of a short run as extrapolated, and nothing otherwise', () => {
    const input = sampleReportInput(500);
    const marked = renderReportHtml({ ...input, extrapolated: { metrics: ['cagr', 'sharpe'], spanMs: 7 * DAY } });
    expect(marked).toContain('This run covers 7 days: CAGR, Sharpe ratio scale it up to a year');
    expect(marked).toContain('<th scope="row">CAGR (extrapolated)</th>');
    expect(marked).toContain('<div class="k">Sharpe ratio (extrapolated)</div>');
    const plain = renderReportHtml({ ...input, extrapolated: { metrics: [], spanMs: 400 * DAY } });
    expect(plain).not.toContain('(extrapolated)');
    expect(plain).not.toContain('id="extrapolated"');
  });
});
