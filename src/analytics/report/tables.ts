// HTML tables of the report: key/value tables (metrics, run parameters, flattened) and trade rows.
import { escapeHtml, formatNumber, formatPercent, formatPrice, formatTime } from './format.ts';
import type { ReportTrade } from './types.ts';

export function parameterRows(value: unknown, prefix: string, rows: Array<[string, string]>): void {
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

export function kvTable(rows: Array<{ key: string; value: string; cls?: string; title?: string }>, cls: string): string {
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

export function tradeRow(t: ReportTrade, n: number, currency: string): string {
  return (
    `<tr><td class="num muted">${n}</td><td>${escapeHtml(t.symbol)}</td>` +
    `<td>${escapeHtml(formatTime(t.entryTime))}</td><td>${escapeHtml(formatTime(t.exitTime))}</td>` +
    `<td class="num">${escapeHtml(t.quantity)}</td>` +
    `<td class="num">${escapeHtml(formatPrice(t.entryPrice))}</td><td class="num">${escapeHtml(formatPrice(t.exitPrice))}</td>` +
    `<td class="num ${signClass(t.pnl)}" title="${escapeHtml(`${t.pnl} ${currency}`)}">${escapeHtml(formatNumber(t.pnl, 2))}</td>` +
    `<td class="num ${signClass(t.returnFraction)}">${escapeHtml(formatPercent(t.returnFraction))}</td></tr>`
  );
}
