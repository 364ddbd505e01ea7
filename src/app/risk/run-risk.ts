// The portfolio risk use-case shared by the CLI (and later the server): CSV files + weights -> VaR, ES,
// correlation and stress report. Loading goes through the backtest's loader; the math is
// computePortfolioRisk (src/analytics/risk, definitions in docs/risk-analytics.md).
import { alignCloses, computePortfolioRisk, DEFAULT_CONFIDENCE, DEFAULT_CORRELATION_LIMIT, DEFAULT_MONTE_CARLO, type PortfolioRiskReport, RiskInputError, type StressWindow } from '../../analytics/index.ts';
import { type Market, MS_PER_DAY } from '../../core/index.ts';
import { loadSeries } from '../backtest/index.ts';
import { adjustedCloses } from '../../engines/index.ts';
import { defaultConfig } from '../config/index.ts';

export interface RiskRequest {
  /** OHLCV CSV files (plain or .gz); each file's symbol comes from its name (or `symbol` for a single file). */
  readonly dataFiles: readonly string[];
  /** Fraction of portfolio value per symbol (`BTC/USDT`); the rest is cash, a sum above 1 is leverage. */
  readonly weights: Readonly<Record<string, number>>;
  /** Horizon in bars of the data's interval (default 1). */
  readonly horizonBars?: number;
  /** Confidence levels in (0, 1) (default 0.95 and 0.99). */
  readonly confidence?: readonly number[];
  /** Monte Carlo paths (default 100,000) and seed (default 42). */
  readonly paths?: number;
  readonly seed?: number;
  /** Correlation above which a pair is listed as a breach (default 0.7). */
  readonly correlationLimit?: number;
  readonly symbol?: string;
  readonly market?: Market;
  /** Aggregate every file to this timeframe first (needed when the files' intervals differ). */
  readonly timeframe?: string;
  /** Historical windows to replay (default STRESS_WINDOWS). */
  readonly stressWindows?: readonly StressWindow[];
}

/**
 * The report `traider risk --json` prints: the analytics report (var, es, correlation, stress,
 * observations, horizonBars) first, then what it was computed from. Deterministic for the same input.
 */
export interface RiskReport extends PortfolioRiskReport {
  /** Symbols in --data order, each with its weight (0 for a file without one). */
  weights: Record<string, number>;
  /** 1 - sum of the weights: cash (negative: borrowed). */
  cash: number;
  market: string;
  timeframe: string;
  /** First and last aligned bar (open time, UTC ms). */
  start: number;
  end: number;
  confidence: number[];
  monteCarlo: { paths: number; seed: number };
}

function utcDay(name: string, iso: string): StressWindow {
  const start = Date.parse(`${iso}T00:00:00Z`);
  return { name, start, end: start + MS_PER_DAY - 1 };
}

/**
 * The historical stress days replayed by default, whole UTC days: 2020-03-12 (COVID crash, BTC 1h
 * data), 2021-05-19 (crypto crash, BTC 1h data), 2024-08-05 (yen carry unwind, BTC 1m data). Windows
 * the data does not reach are reported with `covered: false`.
 */
export const STRESS_WINDOWS: readonly StressWindow[] = [
  utcDay('2020-03-12', '2020-03-12'),
  utcDay('2021-05-19', '2021-05-19'),
  utcDay('2024-08-05', '2024-08-05'),
];

/** Loads the files, checks the weights against their symbols and computes the portfolio risk report. */
export async function runRisk(request: RiskRequest): Promise<RiskReport> {
  const horizonBars = request.horizonBars ?? 1;
  const confidence = [...(request.confidence ?? DEFAULT_CONFIDENCE)];
  const monteCarlo = { paths: request.paths ?? DEFAULT_MONTE_CARLO.paths, seed: request.seed ?? DEFAULT_MONTE_CARLO.seed };
  const correlationLimit = request.correlationLimit ?? DEFAULT_CORRELATION_LIMIT;

  const weightEntries = Object.entries(request.weights);
  if (weightEntries.length === 0) throw new RiskInputError('weights', request.weights, 'give a weight for at least one symbol');

  // Bad rows always stop the run (file:line).
  const base = defaultConfig();
  const config = { ...base, backtest: { ...base.backtest, onBadRow: 'fail' as const } };
  const { series } = await loadSeries({ dataFiles: request.dataFiles, symbol: request.symbol, market: request.market, timeframe: request.timeframe, config });
  const symbols = series.map((s) => s.symbol);

  for (const [symbol, weight] of weightEntries) {
    if (!symbols.includes(symbol)) {
      throw new RiskInputError(`weights.${symbol}`, symbol, `no --data file has this symbol (the files give ${symbols.join(', ')})`);
    }
    if (typeof weight !== 'number' || !Number.isFinite(weight)) throw new RiskInputError(`weights.${symbol}`, weight, 'weight must be a finite number');
  }

  // Returns from adjusted closes: an ex-rights gap is no loss (the factors are point in time; their returns equal any adjustment's).
  const priceSeries = series.map((s) => ({ symbol: s.symbol, time: s.openTime, close: adjustedCloses(s) }));
  const report = computePortfolioRisk({
    series: priceSeries,
    weights: request.weights,
    horizonBars,
    confidence,
    monteCarlo,
    correlationLimit,
    stressWindows: request.stressWindows ?? STRESS_WINDOWS,
  });

  const aligned = alignCloses(priceSeries);
  const weights: Record<string, number> = {};
  let invested = 0;
  for (const symbol of symbols) {
    const w = request.weights[symbol] ?? 0;
    weights[symbol] = w;
    invested += w;
  }
  const markets = [...new Set(series.map((s) => s.market))];
  return {
    var: report.var,
    es: report.es,
    correlation: report.correlation,
    stress: report.stress,
    observations: report.observations,
    horizonBars: report.horizonBars,
    weights,
    cash: 1 - invested,
    market: markets.join(','),
    timeframe: series[0]!.timeframe,
    start: aligned.time[0]!,
    end: aligned.time[aligned.time.length - 1]!,
    confidence,
    monteCarlo,
  };
}
