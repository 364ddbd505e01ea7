// The report's event table: every breaker event with its episode (the chart's marker), and the refused orders,
// in time order. Denials can number thousands: the first ones are listed and the rest counted (denials.csv has all).
import { decimalText } from '../decimal-text.ts';
import { DEFAULT_EVENT_COLOR } from './chart-data.ts';
import type { EventEpisode } from './episodes.ts';
import { escapeHtml, formatNumber, formatTime, safeColor } from './format.ts';
import type { ReportDenial } from './types.ts';

export const DEFAULT_MAX_DENIAL_ROWS = 500;

/** The numbers a check reports: 8 decimals at most, no exponent. */
function number(x: number): string {
  return Number.isFinite(x) ? decimalText(x, 8) : String(x);
}

/** One refusal in a line: reason, order, what it was, why, and the numbers that failed. */
export function denialText(d: ReportDenial): string {
  const price = d.price === null ? 'at market' : `@ ${d.price}`;
  const numbers = d.value !== null || d.limit !== null ? ` (value ${d.value === null ? '—' : number(d.value)}, limit ${d.limit === null ? '—' : number(d.limit)})` : '';
  return `${d.reason}: ${d.orderId} ${d.side} ${d.quantity} ${d.symbol} ${price}: ${d.detail}${numbers}`;
}

interface Row {
  readonly time: number;
  readonly html: string;
}

function plural(n: number, one: string, many: string): string {
  return `${formatNumber(n, 0)} ${n === 1 ? one : many}`;
}

export function eventsSection(episodes: readonly EventEpisode[], denials: readonly ReportDenial[], maxDenialRows = DEFAULT_MAX_DENIAL_ROWS): string {
  const eventCount = episodes.reduce((n, e) => n + e.events.length, 0);
  if (eventCount === 0 && denials.length === 0) return '';
  const rows: Row[] = [];
  for (const episode of episodes) {
    episode.events.forEach((e, k) => {
      const id = k === 0 ? ` id="episode-${episode.id}"` : '';
      const swatch = `<span class="swatch" style="background:${escapeHtml(safeColor(e.color, DEFAULT_EVENT_COLOR))}"></span>`;
      rows.push({
        time: e.time,
        html: `<tr class="event breaker"${id} data-episode="${episode.id}"><td>${escapeHtml(formatTime(e.time))}</td><td>event</td><td class="num">${episode.id}</td><td>${swatch}${escapeHtml(e.text)}</td></tr>`,
      });
    });
  }
  const listed = denials.slice(0, Math.max(0, maxDenialRows));
  for (const d of listed) {
    rows.push({ time: d.time, html: `<tr class="event denial"><td>${escapeHtml(formatTime(d.time))}</td><td>denial</td><td></td><td>${escapeHtml(denialText(d))}</td></tr>` });
  }
  // A stable sort: events keep their episode order, and an event precedes a denial at the same time.
  rows.sort((a, b) => a.time - b.time);
  const rest = denials.length - listed.length;
  const restRow = rest > 0 ? `\n<tr class="more"><td colspan="4">… and ${escapeHtml(plural(rest, 'more denial', 'more denials'))} (every denial is in denials.csv)</td></tr>` : '';
  const parts: string[] = [];
  if (eventCount > 0) parts.push(`${plural(eventCount, 'event', 'events')} in ${plural(episodes.length, 'episode', 'episodes')}`);
  if (denials.length > 0) parts.push(plural(denials.length, 'denial', 'denials'));
  return `<section class="panel" id="events"><h2>Events <span class="count">(${escapeHtml(parts.join(', '))})</span></h2>
<p class="note">An episode is a run of events close together; the equity chart marks each episode once (hover it for its events).</p>
<div class="table-wrap"><table class="list events"><thead><tr><th>Time (UTC)</th><th>Kind</th><th class="num">Episode</th><th>What happened</th></tr></thead><tbody>
${rows.map((r) => r.html).join('\n')}${restRow}
</tbody></table></div></section>`;
}
