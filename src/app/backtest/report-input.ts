// What report.html shows of a backtest: the summary, the curves, breaker events (graver levels weigh more when
// dense events are grouped), refused orders, trades with their prices on the instrument's grid.
import { averagePriceText, type ReportInput } from '../../analytics/index.ts';
import type { BacktestOutcome } from './run-backtest.ts';

/** Marker colours on the equity chart, mildest to worst (the order is the severity). */
const BREAKER_COLORS: Record<string, string> = {
  NORMAL: '#16a34a',
  WARNING: '#ca8a04',
  REDUCE_RISK: '#ea580c',
  HALT_NEW_POSITIONS: '#dc2626',
  HALT_ALL_TRADING: '#991b1b',
  EMERGENCY_CLOSE: '#7f1d1d',
};
const SEVERITY = Object.keys(BREAKER_COLORS);

export function reportInput(outcome: BacktestOutcome): ReportInput {
  const { summary } = outcome;
  const instrumentOf = new Map(outcome.instruments.map((i) => [i.symbol, i]));
  const plainSummary = Object.entries(summary).filter(([k, v]) => k !== 'start' && k !== 'end' && (typeof v === 'number' || typeof v === 'string' || v === null));
  return {
    title: 'Backtest report',
    strategy: summary.strategy,
    symbols: summary.symbols,
    currency: summary.currency,
    parameters: { ...outcome.strategyParameters, timeframe: summary.timeframe, fillModel: summary.fillModel, capital: summary.initialCapital },
    summary: Object.fromEntries(plainSummary) as Record<string, number | string | null>,
    initialCapital: summary.initialCapital,
    equity: { time: outcome.simulation.time, equity: outcome.simulation.equity },
    drawdown: outcome.drawdown,
    benchmark: outcome.benchmark ? { ...outcome.benchmark, label: 'buy and hold' } : undefined,
    trades: outcome.trades.map((t) => {
      const instrument = instrumentOf.get(t.symbol)!;
      return { ...t, quantity: instrument.formatQuantity(t.quantity), priceDecimals: instrument.priceDecimals };
    }),
    events: summary.breakerEvents.map((e) => ({
      time: e.time,
      text: `${e.level} (${e.cause} ${e.value.toFixed(4)} vs ${e.threshold})`,
      color: BREAKER_COLORS[e.level] ?? '#64748b',
      severity: SEVERITY.indexOf(e.level),
    })),
    denials: outcome.denials.map((d) => {
      const instrument = instrumentOf.get(d.symbol);
      const grid = instrument !== undefined && Number.isFinite(d.quantity) && (d.price === null || Number.isFinite(d.price));
      return {
        time: d.time,
        orderId: d.orderId,
        symbol: d.symbol,
        side: d.side,
        quantity: grid ? instrument.formatQuantity(d.quantity) : String(d.quantity),
        price: d.price === null ? null : grid ? averagePriceText(d.price, instrument.priceDecimals) : String(d.price),
        reason: d.reason,
        detail: d.detail,
        value: d.value,
        limit: d.limit,
      };
    }),
    extrapolated: { metrics: summary.extrapolated, spanMs: summary.end - summary.start },
    assumptions: outcome.simulation.assumptions,
  };
}
