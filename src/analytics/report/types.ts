// What the HTML report is made from. All times are UTC milliseconds.

/** One closed round trip as the trades table shows it. */
export interface ReportTrade {
  readonly symbol: string;
  readonly entryTime: number;
  readonly exitTime: number;
  /** Decimal string as the ledger keeps it (negative for a short). */
  readonly quantity: string;
  readonly entryPrice: number;
  readonly exitPrice: number;
  /** Net pnl after fees and taxes, in the report currency. */
  readonly pnl: number;
  /** pnl relative to the entry notional, as a fraction. */
  readonly returnFraction: number;
}

/** Something worth marking on the equity chart (a risk breaker tripping, a halt...). */
export interface ReportEvent {
  readonly time: number;
  readonly text: string;
  /** CSS colour (#hex, a colour name or rgb()/rgba()); anything else falls back to the default. */
  readonly color?: string;
}

/** A series sampled at bar closes. */
export interface ReportSeries {
  /** Bar close times, UTC ms, ascending. */
  readonly time: Float64Array;
  readonly equity: Float64Array;
}

export interface ReportInput {
  /** Document title, e.g. "Backtest report". */
  readonly title: string;
  readonly strategy: string;
  readonly symbols: readonly string[];
  /** Currency of money amounts (shown next to them), e.g. "USDT" or "CNY". */
  readonly currency: string;
  /** Run parameters (strategy params, data files, fill model settings...), shown as a table. */
  readonly parameters: Record<string, unknown>;
  /**
   * The backtest's summary numbers, shown as the metrics table in this key order. Known keys
   * (PerformanceMetrics fields, bars, orders, fills, realizedPnl, feesPaid, ...) get a label and a
   * format (fractions as percent, money with the currency); other keys are shown as given.
   */
  readonly summary: Record<string, number | string | null>;
  /** Equity before the first bar: the first peak for the drawdown chart. */
  readonly initialCapital: number;
  readonly equity: ReportSeries;
  /** Drawdown per bar (fraction <= 0) when the caller already has it; computed from equity otherwise. */
  readonly drawdown?: Float64Array;
  readonly benchmark?: ReportSeries & { readonly label: string };
  readonly trades: readonly ReportTrade[];
  readonly events: readonly ReportEvent[];
  /** Fill model assumptions, one sentence each. */
  readonly assumptions: readonly string[];
  /** Period shown in the title; defaults to the first and last equity times. */
  readonly period?: { readonly start: number; readonly end: number };
  /** Most points per chart series (default 5000); longer series are downsampled keeping extremes. */
  readonly maxChartPoints?: number;
}
