// Text for the report: HTML escaping and locale-independent number and time formatting.

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => {
    const escaped = HTML_ESCAPES[c];
    if (escaped === undefined) throw new Error(`no HTML escape for ${JSON.stringify(c)}`);
    return escaped;
  });
}

/** JSON that is safe inside a <script> element: no "<" (so no "</script>" or "<!--"), no U+2028/9. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** Fixed decimals with a thin-space-free "," thousands separator: 1234567.891 -> "1,234,567.89". */
export function formatNumber(x: number, decimals: number): string {
  if (!Number.isFinite(x)) return String(x);
  const fixed = Math.abs(x).toFixed(decimals);
  const dot = fixed.indexOf('.');
  const int = dot < 0 ? fixed : fixed.slice(0, dot);
  const frac = dot < 0 ? '' : fixed.slice(dot);
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const negative = x < 0 && Number(fixed) !== 0;
  return (negative ? '-' : '') + grouped + frac;
}

/** A fraction as a percent: 0.1234 -> "12.34%". */
export function formatPercent(fraction: number, decimals = 2): string {
  return `${formatNumber(fraction * 100, decimals)}%`;
}

/** A price with enough decimals for its size (2 for large prices, up to 8 for tiny ones), trailing zeros trimmed past 2. */
export function formatPrice(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const abs = Math.abs(x);
  const magnitude = abs > 0 ? Math.floor(Math.log10(abs)) : 0;
  const decimals = Math.min(8, Math.max(2, 5 - magnitude));
  let text = formatNumber(x, decimals);
  if (decimals > 2) text = text.replace(/(\.\d\d\d*?)0+$/, '$1');
  return text;
}

/** "YYYY-MM-DD HH:MM" in UTC (seconds added when not zero). */
export function formatTime(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  const iso = new Date(ms).toISOString();
  const seconds = iso.slice(17, 19);
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)}${seconds === '00' ? '' : `:${seconds}`}`;
}

/** "YYYY-MM-DD" in UTC. */
export function formatDate(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  return new Date(ms).toISOString().slice(0, 10);
}

const HEX_COLOR = /^#(?:[0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})$/i;
const NAMED_COLOR = /^[a-z]{3,20}$/i;
const RGB_COLOR = /^rgba?\(\s*[\d.]+%?\s*,\s*[\d.]+%?\s*,\s*[\d.]+%?\s*(?:,\s*[\d.]+%?\s*)?\)$/i;

/** The colour if it is a plain CSS colour (#hex, a name, rgb()/rgba()), else the fallback. */
export function safeColor(color: string | undefined, fallback: string): string {
  if (color === undefined) return fallback;
  const c = color.trim();
  return HEX_COLOR.test(c) || NAMED_COLOR.test(c) || RGB_COLOR.test(c) ? c : fallback;
}
