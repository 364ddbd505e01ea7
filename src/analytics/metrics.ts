// Performance metrics of a backtest: returns, risk-adjusted ratios, drawdown and trade statistics.
// Definitions and formulas: docs/metrics.md. Everything is a plain fraction (0.1 = 10 %), never a percent.
import { type Market, MS_PER_DAY, MS_PER_MINUTE } from '../core/index.ts';

/** A year for CAGR: 365.25 days in milliseconds. */
export const MS_PER_YEAR = 365.25 * MS_PER_DAY;

/**
 * A per-bar return dispersion at or below this is numerical noise (equity carries ~16 significant
 * digits), so the standard deviation counts as zero and the Sharpe ratio is null.
 */
export const ZERO_DEVIATION = 1e-12;

/**
 * A run shorter than this many days has its annualised metrics marked as extrapolated: a week's return
 * compounded over a year, or a week's Sharpe scaled by sqrt(bars per year), says little about a year.
 */
export const MIN_ANNUALISING_DAYS = 90;

/** The summary metrics that scale a run's numbers up to a year (calmar through cagr). */
export const ANNUALISED_METRICS = ['cagr', 'sharpe', 'sortino', 'calmar'] as const;
export type AnnualisedMetric = (typeof ANNUALISED_METRICS)[number];

/** The annualised metrics a run of `spanMs` (first bar's open to last bar's close) extrapolates: all of them under 90 days, else none. */
export function extrapolatedMetrics(spanMs: number): AnnualisedMetric[] {
  return spanMs < MIN_ANNUALISING_DAYS * MS_PER_DAY ? [...ANNUALISED_METRICS] : [];
}

/** A closed round trip as the metrics need it: its net result after fees and taxes. */
export interface ClosedTradePnl {
  readonly pnl: number;
}

export interface MetricsInput {
  /** Marked-to-market equity at each bar close. */
  readonly equity: Float64Array;
  /** Bar close times, UTC ms, same length as `equity`. */
  readonly time: Float64Array;
  /** Equity before the first bar; must be > 0. */
  readonly initialCapital: number;
  /** Bars per year, for annualising (see `periodsPerYear`). */
  readonly periodsPerYear: number;
  /** Open time of the first bar, UTC ms: the start of the period for CAGR. */
  readonly firstTime: number;
  /** Closed round trips with their net pnl. */
  readonly trades: ReadonlyArray<ClosedTradePnl>;
  /** Bars at whose close any position was held. */
  readonly barsInPosition: number;
}

/** All fractions are plain fractions; every field is a finite number or null (JSON-safe). */
export interface PerformanceMetrics {
  /** Bars in the equity series. */
  readonly bars: number;
  readonly initialCapital: number;
  readonly finalEquity: number;
  /** final / initial - 1. */
  readonly totalReturn: number;
  /** (lastTime - firstTime) / 365.25 days; 0 when there are no bars. */
  readonly years: number;
  /** (final / initial)^(1 / years) - 1; -1 when final <= 0; null when years <= 0 or it overflows. */
  readonly cagr: number | null;
  /** Arithmetic mean of the per-bar returns; null without returns. */
  readonly meanReturn: number | null;
  /** Sample standard deviation of per-bar returns x sqrt(periodsPerYear); null with fewer than 2 returns. */
  readonly volatility: number | null;
  /** mean / sample sd x sqrt(periodsPerYear), risk-free 0; null when sd is 0 or fewer than 2 returns. */
  readonly sharpe: number | null;
  /** mean / downside deviation x sqrt(periodsPerYear); null when the downside deviation is 0. */
  readonly sortino: number | null;
  /** Largest (peak - equity) / peak, peak including the initial capital; a positive fraction, 0 without drawdown. */
  readonly maxDrawdown: number;
  /** Longest run of consecutive bars whose equity is below the running peak. */
  readonly maxDrawdownDurationBars: number;
  /** cagr / maxDrawdown; null when maxDrawdown is 0 or cagr is null. */
  readonly calmar: number | null;
  /** Closed round trips. */
  readonly trades: number;
  /** Trades with pnl > 0. */
  readonly winningTrades: number;
  /** Trades with pnl < 0. */
  readonly losingTrades: number;
  /** winningTrades / trades; null without trades. */
  readonly winRate: number | null;
  /** Sum of positive pnl. */
  readonly grossProfit: number;
  /** |sum of negative pnl| (a positive number). */
  readonly grossLoss: number;
  /** grossProfit / grossLoss; null when grossLoss is 0. */
  readonly profitFactor: number | null;
  /** barsInPosition / bars; 0 without bars. */
  readonly exposure: number;
}

/**
 * Bars per year for annualising per-bar statistics.
 * Crypto trades around the clock: 365 days / interval. A-shares: 252 trading days of 240 minutes
 * (two 2-hour sessions), so daily bars give 252 and intraday bars 252 x 240 / interval minutes;
 * bars of several days count each day as a trading day (252 / days).
 */
export function periodsPerYear(market: Market, intervalMs: number): number {
  if (!Number.isFinite(intervalMs) || intervalMs <= 0) {
    throw new RangeError(`periodsPerYear: interval must be a positive number of ms, got ${intervalMs}`);
  }
  if (market === 'crypto') return (365 * MS_PER_DAY) / intervalMs;
  if (market === 'ashare') {
    if (intervalMs >= MS_PER_DAY) return (252 * MS_PER_DAY) / intervalMs;
    return (252 * 240) / (intervalMs / MS_PER_MINUTE);
  }
  throw new RangeError(`periodsPerYear: unknown market ${String(market)}`);
}

/**
 * Computes every metric in one pass over the equity series.
 * When `drawdownOut` is given (length >= bars) it is filled in the same pass with the drawdown
 * series as `drawdownSeries` defines it, so a caller that charts it does not walk the data twice.
 */
export function computeMetrics(input: MetricsInput, drawdownOut?: Float64Array): PerformanceMetrics {
  const { equity, time, initialCapital, periodsPerYear: ppy, firstTime, trades, barsInPosition } = input;
  const n = equity.length;
  if (!(initialCapital > 0) || !Number.isFinite(initialCapital)) {
    throw new RangeError(`computeMetrics: initialCapital must be a positive number, got ${initialCapital}`);
  }
  if (time.length !== n) throw new RangeError(`computeMetrics: time has ${time.length} entries, equity ${n}`);
  if (!(ppy > 0) || !Number.isFinite(ppy)) throw new RangeError(`computeMetrics: periodsPerYear must be > 0, got ${ppy}`);
  if (drawdownOut !== undefined && drawdownOut.length < n) {
    throw new RangeError(`computeMetrics: drawdownOut has ${drawdownOut.length} entries, need ${n}`);
  }

  // Returns: Welford's running mean and sum of squared deviations (stable over 1M bars).
  let count = 0;
  let mean = 0;
  let m2 = 0;
  let downsideSq = 0;
  // Drawdown.
  let peak = initialCapital;
  let maxDd = 0;
  let underwater = 0;
  let maxUnderwater = 0;
  let prev = initialCapital;
  for (let i = 0; i < n; i++) {
    const e = equity[i]!;
    if (prev > 0) {
      // A return is only defined against a positive previous equity; bars after a wipe-out are skipped.
      const r = e / prev - 1;
      count++;
      const delta = r - mean;
      mean += delta / count;
      m2 += delta * (r - mean);
      if (r < 0) downsideSq += r * r;
    }
    prev = e;
    if (e >= peak) {
      peak = e;
      underwater = 0;
      if (drawdownOut !== undefined) drawdownOut[i] = 0;
    } else {
      const dd = (peak - e) / peak;
      if (dd > maxDd) maxDd = dd;
      underwater++;
      if (underwater > maxUnderwater) maxUnderwater = underwater;
      if (drawdownOut !== undefined) drawdownOut[i] = -dd;
    }
  }

  const finalEquity = equity[n - 1] ?? initialCapital;
  const totalReturn = finalEquity / initialCapital - 1;
  const lastTime = time[n - 1];
  const years = lastTime === undefined ? 0 : (lastTime - firstTime) / MS_PER_YEAR;
  let cagr: number | null = null;
  if (years > 0) {
    cagr = finalEquity <= 0 ? -1 : Math.pow(finalEquity / initialCapital, 1 / years) - 1;
    // Compounding a short period over a year can overflow: no meaningful number then.
    if (!Number.isFinite(cagr)) cagr = null;
  }

  const annualiser = Math.sqrt(ppy);
  let volatility: number | null = null;
  let sharpe: number | null = null;
  if (count >= 2) {
    const sd = Math.sqrt(m2 / (count - 1));
    volatility = sd * annualiser;
    if (sd > ZERO_DEVIATION) sharpe = (mean / sd) * annualiser;
  }
  let sortino: number | null = null;
  if (count > 0) {
    const downsideDeviation = Math.sqrt(downsideSq / count);
    if (downsideDeviation > 0) sortino = (mean / downsideDeviation) * annualiser;
  }
  const calmar = maxDd > 0 && cagr !== null ? cagr / maxDd : null;

  let wins = 0;
  let losses = 0;
  let grossProfit = 0;
  let grossLoss = 0;
  for (const { pnl } of trades) {
    if (pnl > 0) {
      wins++;
      grossProfit += pnl;
    } else if (pnl < 0) {
      losses++;
      grossLoss -= pnl;
    }
  }

  return {
    bars: n,
    initialCapital,
    finalEquity,
    totalReturn,
    years,
    cagr,
    meanReturn: count > 0 ? mean : null,
    volatility,
    sharpe,
    sortino,
    maxDrawdown: maxDd,
    maxDrawdownDurationBars: maxUnderwater,
    calmar,
    trades: trades.length,
    winningTrades: wins,
    losingTrades: losses,
    winRate: trades.length > 0 ? wins / trades.length : null,
    grossProfit,
    grossLoss,
    profitFactor: grossLoss > 0 ? grossProfit / grossLoss : null,
    exposure: n > 0 ? barsInPosition / n : 0,
  };
}

/**
 * Drawdown at each bar close as a fraction <= 0: -(runningPeak - equity) / runningPeak, the peak including the
 * initial capital (-0.1 = 10 % below the best equity so far; 0 at a new high). Negative so that
 * it plots as an area hanging below zero.
 */
export function drawdownSeries(equity: Float64Array, initialCapital: number): Float64Array {
  if (!(initialCapital > 0)) throw new RangeError(`drawdownSeries: initialCapital must be > 0, got ${initialCapital}`);
  const out = new Float64Array(equity.length);
  let peak = initialCapital;
  for (let i = 0; i < equity.length; i++) {
    const e = equity[i]!;
    if (e >= peak) {
      peak = e;
      out[i] = 0;
    } else {
      out[i] = -(peak - e) / peak;
    }
  }
  return out;
}
