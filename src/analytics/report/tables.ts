// HTML tables of the report: key/value tables (metrics, run parameters, flattened) and trade rows.
import { AVERAGE_EXTRA_DECIMALS, decimalText } from '../decimal-text.ts';
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

/**
 * A trade's (average) price: with the tick's decimals known, rounded to them + AVERAGE_EXTRA_DECIMALS, trailing
 * zeros dropped down to the tick's ("4,167.27", "4,109.2310" -> "4,109.231"); else by its magnitude.
 */
export function tradePriceText(price: number, priceDecimals: number | undefined): string {
  if (priceDecimals === undefined || !Number.isFinite(price)) return formatPrice(price);
  const text = formatNumber(price, priceDecimals + AVERAGE_EXTRA_DECIMALS);
  const dot = text.indexOf('.');
  if (dot < 0) return text;
  let end = text.length;
  while (end > dot + 1 + priceDecimals && text[end - 1] === '0') end--;
  return text.slice(0, end === dot + 1 ? dot : end);
}

export function tradeRow(t: ReportTrade, n: number, currency: string): string {
  const pnl = Number.isFinite(t.pnl) ? decimalText(t.pnl, 8) : String(t.pnl);
  return (
    `<tr><td class="num muted">${n}</td><td>${escapeHtml(t.symbol)}</td>` +
    `<td>${escapeHtml(formatTime(t.entryTime))}</td><td>${escapeHtml(formatTime(t.exitTime))}</td>` +
    `<td class="num">${escapeHtml(t.quantity)}</td>` +
    `<td class="num">${escapeHtml(tradePriceText(t.entryPrice, t.priceDecimals))}</td><td class="num">${escapeHtml(tradePriceText(t.exitPrice, t.priceDecimals))}</td>` +
    `<td class="num ${signClass(t.pnl)}" title="${escapeHtml(`${pnl} ${currency}`)}">${escapeHtml(formatNumber(t.pnl, 2))}</td>` +
    `<td class="num ${signClass(t.returnFraction)}">${escapeHtml(formatPercent(t.returnFraction))}</td></tr>`
  );
}
