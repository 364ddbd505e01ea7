// The summary table's labels and number formats: the metric keys we know, and a readable fallback for others.
import { formatNumber, formatPercent } from './format.ts';

type Kind = 'percent' | 'ratio' | 'money' | 'count' | 'years' | 'perBar';

/** signed: coloured by sign; adverse: a positive value is bad (coloured as a loss). */
const SUMMARY_KEYS: Record<string, { label: string; kind: Kind; signed?: boolean; adverse?: boolean }> = {
  totalReturn: { label: 'Total return', kind: 'percent', signed: true },
  cagr: { label: 'CAGR', kind: 'percent', signed: true },
  benchmarkReturn: { label: 'Benchmark return', kind: 'percent', signed: true },
  sharpe: { label: 'Sharpe ratio', kind: 'ratio', signed: true },
  sortino: { label: 'Sortino ratio', kind: 'ratio', signed: true },
  calmar: { label: 'Calmar ratio', kind: 'ratio', signed: true },
  volatility: { label: 'Volatility (annualised)', kind: 'percent' },
  meanReturn: { label: 'Mean return per bar', kind: 'perBar', signed: true },
  maxDrawdown: { label: 'Max drawdown', kind: 'percent', adverse: true },
  maxDrawdownDurationBars: { label: 'Max drawdown duration (bars)', kind: 'count' },
  years: { label: 'Years', kind: 'years' },
  exposure: { label: 'Exposure', kind: 'percent' },
  bars: { label: 'Bars', kind: 'count' },
  orders: { label: 'Orders', kind: 'count' },
  fills: { label: 'Fills', kind: 'count' },
  trades: { label: 'Trades', kind: 'count' },
  winningTrades: { label: 'Winning trades', kind: 'count' },
  losingTrades: { label: 'Losing trades', kind: 'count' },
  winRate: { label: 'Win rate', kind: 'percent' },
  profitFactor: { label: 'Profit factor', kind: 'ratio' },
  grossProfit: { label: 'Gross profit', kind: 'money' },
  grossLoss: { label: 'Gross loss', kind: 'money' },
  initialCapital: { label: 'Initial capital', kind: 'money' },
  finalEquity: { label: 'Final equity', kind: 'money' },
  realizedPnl: { label: 'Realized PnL', kind: 'money', signed: true },
  unrealizedPnl: { label: 'Unrealized PnL', kind: 'money', signed: true },
  feesPaid: { label: 'Fees paid', kind: 'money' },
  taxesPaid: { label: 'Taxes paid', kind: 'money' },
};

/** "maxDrawdownDurationBars" -> "Max drawdown duration bars" for keys we do not know. */
export function labelOf(key: string): string {
  const known = SUMMARY_KEYS[key];
  if (known !== undefined) return known.label;
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ').trim().toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function formatGeneric(x: number): string {
  if (Number.isInteger(x)) return formatNumber(x, 0);
  const abs = Math.abs(x);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e15)) return x.toExponential(4);
  return formatNumber(x, abs >= 100 ? 2 : 4);
}

/** Formatted summary value and a CSS class ('pos', 'neg' or ''). */
export function formatSummaryValue(key: string, value: number | string | null, currency: string): { text: string; cls: string } {
  if (value === null) return { text: '—', cls: 'muted' };
  if (typeof value === 'string') return { text: value, cls: '' };
  const known = SUMMARY_KEYS[key];
  let text: string;
  switch (known?.kind) {
    case 'percent':
      text = formatPercent(value);
      break;
    case 'perBar':
      text = formatPercent(value, 4);
      break;
    case 'ratio':
      text = formatNumber(value, 2);
      break;
    case 'money':
      text = `${formatNumber(value, 2)} ${currency}`;
      break;
    case 'count':
      text = formatNumber(value, 0);
      break;
    case 'years':
      text = formatNumber(value, 2);
      break;
    default:
      text = formatGeneric(value);
  }
  let cls = '';
  if (known?.signed === true && Number.isFinite(value) && value !== 0) cls = value > 0 ? 'pos' : 'neg';
  if (known?.adverse === true && value > 0) cls = 'neg';
  return { text, cls };
}

/** A run's length in words: whole days from one day up, else hours ("7 days", "5 hours"). */
export function runLengthText(spanMs: number): string {
  const days = spanMs / 86_400_000;
  if (days >= 1) {
    const whole = Math.round(days);
    return `${whole} day${whole === 1 ? '' : 's'}`;
  }
  const hours = Math.max(1, Math.round(days * 24));
  return `${hours} hour${hours === 1 ? '' : 's'}`;
}

/** Why some metrics are marked: "This run covers 7 days: CAGR, Sharpe ratio ... annualise it (extrapolated ...)". */
export function extrapolationNote(metrics: readonly string[], spanMs: number): string {
  return `This run covers ${runLengthText(spanMs)}: ${metrics.map(labelOf).join(', ')} scale it up to a year, so they are extrapolated, not measured (a run of 90 days or more is not marked).`;
}
