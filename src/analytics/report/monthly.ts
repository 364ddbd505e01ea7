// Monthly returns: the equity at the end of each month against the end of the month before (the initial capital
// before the first), one row per year with the year's own return. Months are UTC calendar months of bar closes.
import { decimalText } from '../decimal-text.ts';
import { escapeHtml, formatPercent } from './format.ts';

export interface YearOfReturns {
  readonly year: number;
  /** January .. December; null for a month without an equity point. */
  readonly months: ReadonlyArray<number | null>;
  /** The year's last equity against the last equity before it (the initial capital in the first year). */
  readonly total: number;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * Each equity point belongs to the month its bar ended in: a point at a bar's close time `t` counts in the month
 * of `t - 1 ms`, so the hourly bar closing at 00:00 on March 1st ends February.
 */
function monthIndexOf(closeTime: number): number {
  const d = new Date(closeTime - 1);
  return d.getUTCFullYear() * 12 + d.getUTCMonth();
}

export function monthlyReturns(time: ArrayLike<number>, equity: ArrayLike<number>, initialCapital: number): YearOfReturns[] {
  if (time.length !== equity.length) throw new RangeError('monthlyReturns: time and equity differ in length');
  // The last equity of each month, months ascending (the times are).
  const ends: Array<{ month: number; equity: number }> = [];
  for (let i = 0; i < time.length; i++) {
    const month = monthIndexOf(time[i]!);
    const last = ends[ends.length - 1];
    if (last !== undefined && last.month === month) last.equity = equity[i]!;
    else ends.push({ month, equity: equity[i]! });
  }
  const years: YearOfReturns[] = [];
  let before = initialCapital;
  let yearStart = initialCapital;
  let row: { year: number; months: Array<number | null>; total: number } | undefined;
  for (const { month, equity: end } of ends) {
    const year = Math.floor(month / 12);
    if (row === undefined || row.year !== year) {
      yearStart = before;
      row = { year, months: new Array<number | null>(12).fill(null), total: 0 };
      years.push(row);
    }
    row.months[month % 12] = before > 0 ? end / before - 1 : null;
    row.total = yearStart > 0 ? end / yearStart - 1 : 0;
    before = end;
  }
  return years;
}

function cell(value: number | null, label: string, extraClass = ''): string {
  if (value === null) return `<td class="num${extraClass}"></td>`;
  const cls = value > 0 ? ' pos' : value < 0 ? ' neg' : '';
  return `<td class="num${extraClass}${cls}" data-value="${decimalText(value, 8)}" title="${escapeHtml(label)}">${escapeHtml(formatPercent(value))}</td>`;
}

export function monthlySection(years: readonly YearOfReturns[]): string {
  if (years.length === 0) return '';
  const head = `<tr><th>Year</th>${MONTHS.map((m) => `<th class="num">${m}</th>`).join('')}<th class="num">Total</th></tr>`;
  const body = years
    .map((y) => {
      const months = y.months.map((v, m) => cell(v, `${MONTHS[m]} ${y.year}`)).join('');
      return `<tr data-year="${y.year}"><th scope="row">${y.year}</th>${months}${cell(y.total, `${y.year}`, ' total')}</tr>`;
    })
    .join('\n');
  return `<section class="panel" id="monthly-returns"><h2>Monthly returns</h2>
<p class="note">Equity at each month's end against the month before (the initial capital before the first); months in UTC.</p>
<div class="table-wrap"><table class="list monthly"><thead>${head}</thead><tbody>
${body}
</tbody></table></div></section>`;
}
