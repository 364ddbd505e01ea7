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
  /** Decimals of the instrument's tick: average prices then show the tick's decimals + 4 at most. */
  readonly priceDecimals?: number;
}

/** Something worth marking on the equity chart (a risk breaker tripping, a halt...). */
export interface ReportEvent {
  readonly time: number;
  readonly text: string;
  /** CSS colour (#hex, a colour name or rgb()/rgba()); anything else falls back to the default. */
  readonly color?: string;
  /** How grave it is (higher is worse): an episode of dense events takes the colour of its gravest. Default 0. */
  readonly severity?: number;
}

/** An order the risk checks refused, as the event table lists it. */
export interface ReportDenial {
  readonly time: number;
  readonly orderId: string;
  readonly symbol: string;
  readonly side: string;
  /** As the instrument prints it (on the lot). */
  readonly quantity: string;
  /** The order's limit or stop price as printed; null for a market order. */
  readonly price: string | null;
  readonly reason: string;
  readonly detail: string;
  /** The number that failed and the limit it broke, when the check reports them. */
  readonly value: number | null;
  readonly limit: number | null;
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
  /** Refused orders, listed in the event table (the first `maxDenialRows`, then a count of the rest). */
  readonly denials?: readonly ReportDenial[];
  /** Most denial rows in the event table (default 500). */
  readonly maxDenialRows?: number;
  /** Summary keys annualised from a run too short for it, and the run's length (first open to last close, ms). */
  readonly extrapolated?: { readonly metrics: readonly string[]; readonly spanMs: number };
}
