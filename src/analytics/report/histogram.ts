// The distribution of trade returns: a histogram drawn as inline SVG (no script, no network), one bar per bin of
// a round width (0.5%, 1%, 2.5%...) with zero always on a bin edge, so losses and gains never share a bar.
import { decimalText } from '../decimal-text.ts';
import { escapeHtml, formatNumber, formatPercent } from './format.ts';

/**
 * Bins of `step` width from `firstIndex x step`: bin k holds values in [(firstIndex + k) x step, (firstIndex + k + 1) x step).
 * The bins span the middle 98% of the values; the few beyond (`below`, `above`) are counted apart, so that one
 * outlier does not squeeze every other trade into two or three bars.
 */
export interface Histogram {
  readonly step: number;
  readonly firstIndex: number;
  readonly counts: readonly number[];
  readonly below: number;
  readonly above: number;
}

/** About this many bins across the range of the values. */
const TARGET_BINS = 30;
/** The share of values at each end that may fall outside the bins. */
const TAIL = 0.01;

/** The smallest of 1, 2, 2.5, 5 x 10^k that is at least `raw`. */
function roundStep(raw: number): number {
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * power >= raw * (1 - 1e-12)) return m * power;
  return 10 * power;
}

/** Lower edge of bin `k`. */
export function binStart(h: Histogram, k: number): number {
  return (h.firstIndex + k) * h.step;
}

export function histogramOf(values: readonly number[], targetBins = TARGET_BINS): Histogram | undefined {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return undefined;
  const tail = Math.floor(sorted.length * TAIL);
  const min = sorted[tail]!;
  const max = sorted[sorted.length - 1 - tail]!;
  const step = roundStep(max > min ? (max - min) / targetBins : Math.max(Math.abs(max), 0.01) / 10);
  // Float division can put a value lying on an edge just below it: the small nudge puts it in the bin it opens.
  const binOf = (v: number): number => Math.floor(v / step + 1e-9);
  const firstIndex = binOf(min);
  const counts = new Array<number>(binOf(max) - firstIndex + 1).fill(0);
  let below = 0;
  let above = 0;
  for (const v of sorted) {
    const k = binOf(v) - firstIndex;
    if (k < 0) below++;
    else if (k >= counts.length) above++;
    else counts[k]! += 1;
  }
  return { step, firstIndex, counts, below, above };
}

function median(sorted: readonly number[]): number {
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Percent with as many decimals as the bin width needs (0.5% -> 1 decimal). */
function edgeLabel(x: number, step: number): string {
  const decimals = (decimalText(step * 100, 6).split('.')[1] ?? '').length;
  return formatPercent(x, decimals);
}

const W = 960;
const H = 220;
const LEFT = 44;
const RIGHT = 12;
const TOP = 12;
const BOTTOM = 26;

function trades(count: number): string {
  return `${count} trade${count === 1 ? '' : 's'}`;
}

function svgOf(h: Histogram, worst: number, best: number): string {
  // Values beyond the bins get a bar of their own at each end, a gap away from the others.
  const slots = h.counts.length + (h.below > 0 ? 2 : 0) + (h.above > 0 ? 2 : 0);
  const first = h.below > 0 ? 2 : 0;
  const plotW = W - LEFT - RIGHT;
  const plotH = H - TOP - BOTTOM;
  const most = Math.max(...h.counts, h.below, h.above);
  const barW = plotW / slots;
  const parts: string[] = [];
  const bar = (slot: number, count: number, fill: string, label: string, opacity = 0.75): void => {
    if (count === 0) return;
    const height = (count / most) * plotH;
    parts.push(
      `<rect x="${(LEFT + slot * barW + 0.5).toFixed(1)}" y="${(TOP + plotH - height).toFixed(1)}" width="${Math.max(1, barW - 1).toFixed(1)}" height="${height.toFixed(1)}" fill="${fill}" fill-opacity="${opacity}" data-count="${count}"><title>${escapeHtml(label)}</title></rect>`,
    );
  };
  const low = binStart(h, 0);
  const high = binStart(h, h.counts.length);
  bar(0, h.below, '#dc2626', `below ${edgeLabel(low, h.step)} (down to ${formatPercent(worst)}): ${trades(h.below)}`, 0.45);
  h.counts.forEach((count, k) => {
    const lo = binStart(h, k);
    bar(first + k, count, lo >= 0 ? '#16a34a' : '#dc2626', `${edgeLabel(lo, h.step)} to ${edgeLabel(binStart(h, k + 1), h.step)}: ${trades(count)}`);
  });
  bar(slots - 1, h.above, '#16a34a', `${edgeLabel(high, h.step)} and above (up to ${formatPercent(best)}): ${trades(h.above)}`, 0.45);
  // Zero is a bin edge; draw it when it lies inside the bins.
  const zero = -h.firstIndex;
  if (zero > 0 && zero < h.counts.length) {
    const x = (LEFT + (first + zero) * barW).toFixed(1);
    parts.push(`<line x1="${x}" x2="${x}" y1="${TOP}" y2="${TOP + plotH}" stroke="#6b7280" stroke-dasharray="3 3"/>`);
  }
  const axisY = TOP + plotH;
  parts.push(`<line x1="${LEFT}" x2="${W - RIGHT}" y1="${axisY}" y2="${axisY}" stroke="#9ca3af"/>`);
  const label = (x: number, text: string): void => {
    parts.push(`<text x="${x.toFixed(1)}" y="${H - 8}" text-anchor="middle">${escapeHtml(text)}</text>`);
  };
  const every = Math.max(1, Math.ceil(h.counts.length / 8));
  // Labelled edges are multiples of `every` bins, so zero is among them when it is in range.
  for (let k = 0; k <= h.counts.length; k++) {
    if ((h.firstIndex + k) % every === 0) label(LEFT + (first + k) * barW, edgeLabel(binStart(h, k), h.step));
  }
  if (h.below > 0) label(LEFT + 0.5 * barW, 'less');
  if (h.above > 0) label(LEFT + (slots - 0.5) * barW, 'more');
  parts.push(`<text x="${LEFT - 6}" y="${TOP + 10}" text-anchor="end">${most}</text>`, `<text x="${LEFT - 6}" y="${axisY}" text-anchor="end">0</text>`);
  return `<svg class="histogram" viewBox="0 0 ${W} ${H}" role="img" aria-label="Distribution of trade returns">${parts.join('')}</svg>`;
}

/** The section: the histogram and a line of statistics, or a note when no trade closed. */
export function tradeReturnsSection(returns: readonly number[]): string {
  const h = histogramOf(returns);
  if (h === undefined) return '<section class="panel" id="trade-returns"><h2>Trade returns</h2><p class="empty">No closed trades.</p></section>';
  const sorted = returns.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  const mean = sorted.reduce((s, v) => s + v, 0) / sorted.length;
  const wins = sorted.filter((v) => v > 0).length;
  const stats =
    `${formatNumber(sorted.length, 0)} trades in bins of ${edgeLabel(h.step, h.step)}: mean ${formatPercent(mean)}, median ${formatPercent(median(sorted))}, ` +
    `worst ${formatPercent(sorted[0]!)}, best ${formatPercent(sorted[sorted.length - 1]!)}, ${formatPercent(wins / sorted.length, 1)} above zero.`;
  return `<section class="panel" id="trade-returns"><h2>Trade returns</h2>
${svgOf(h, sorted[0]!, sorted[sorted.length - 1]!)}
<p class="note">${escapeHtml(stats)} Hover a bar for its range and count.</p>
</section>`;
}
