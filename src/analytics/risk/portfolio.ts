// computePortfolioRisk: one call from aligned price series and weights to the full risk report.

import {
  alignCloses,
  correlationFromCovariance,
  meanAndCovariance,
  portfolioReturns,
  sampleExcessKurtosis,
  sampleMean,
  sampleSd,
  sampleSkewness,
  simpleReturns,
} from './stats.ts';
import { barInterval, hypotheticalShocks, replayWindow } from './stress.ts';
import type { StressResult, StressWindow } from './stress.ts';
import { cornishFisherRisk, historicalRisk, monteCarloRisk, parametricRisk } from './var.ts';
import type { RiskEstimate } from './var.ts';

export interface PriceSeries {
  readonly symbol: string;
  /** Bar timestamps, UTC ms, strictly increasing. */
  readonly time: Float64Array;
  readonly close: Float64Array;
}

export interface PortfolioRiskInput {
  readonly series: ReadonlyArray<PriceSeries>;
  /** Weight per symbol as a fraction of portfolio value; a series without a weight has weight 0. */
  readonly weights: Readonly<Record<string, number>>;
  readonly horizonBars: number;
  /** Confidence levels in (0, 1); default [0.95, 0.99]. */
  readonly confidence?: readonly number[];
  /** Default { paths: 100_000, seed: 42 }. */
  readonly monteCarlo?: { readonly paths: number; readonly seed: number };
  readonly stressWindows?: ReadonlyArray<StressWindow>;
  /** Correlation above which a pair is listed as a breach; default 0.7. */
  readonly correlationLimit?: number;
}

/** Values keyed by confidence in percent: { "95": x, "99": x }. */
export type ByConfidence = Record<string, number>;

export interface RiskByMethod {
  historical: ByConfidence;
  parametric: ByConfidence;
  cornishFisher: ByConfidence;
  monteCarlo: ByConfidence;
}

export interface CorrelationBreach {
  a: string;
  b: string;
  value: number;
}

export interface CorrelationReport {
  symbols: string[];
  matrix: number[][];
  limit: number;
  breaches: CorrelationBreach[];
}

export interface PortfolioRiskReport {
  var: RiskByMethod;
  es: RiskByMethod;
  correlation: CorrelationReport;
  stress: StressResult[];
  /** Aligned bar returns used (aligned timestamps - 1). */
  observations: number;
  horizonBars: number;
}

export const DEFAULT_CONFIDENCE: readonly number[] = [0.95, 0.99];
export const DEFAULT_MONTE_CARLO = { paths: 100_000, seed: 42 } as const;
export const DEFAULT_CORRELATION_LIMIT = 0.7;
export const MIN_OBSERVATIONS = 30;

/** Invalid input to the risk analytics; names the offending field and value. */
export class RiskInputError extends Error {
  constructor(
    readonly field: string,
    readonly value: unknown,
    reason: string,
  ) {
    super(`${field}: ${reason} (got ${describe(value)})`);
    this.name = 'RiskInputError';
  }
}

function describe(value: unknown): string {
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `array of length ${value.length}`;
  return typeof value;
}

/** Report key of a confidence level: 0.95 -> "95", 0.975 -> "97.5". */
export function confidenceKey(c: number): string {
  return String(Number((c * 100).toFixed(8)));
}

function isInteger(x: unknown): x is number {
  return typeof x === 'number' && Number.isInteger(x);
}

function validateSeries(series: unknown): asserts series is ReadonlyArray<PriceSeries> {
  if (!Array.isArray(series) || series.length === 0) throw new RiskInputError('series', series, 'expected a non-empty array');
  const seen = new Set<string>();
  series.forEach((s: PriceSeries, i) => {
    const at = `series[${i}]`;
    if (typeof s?.symbol !== 'string' || s.symbol === '') throw new RiskInputError(`${at}.symbol`, s?.symbol, 'expected a non-empty string');
    if (seen.has(s.symbol)) throw new RiskInputError(`${at}.symbol`, s.symbol, 'duplicate symbol');
    seen.add(s.symbol);
    if (!(s.time instanceof Float64Array)) throw new RiskInputError(`${at}.time`, s.time, 'expected a Float64Array');
    if (!(s.close instanceof Float64Array)) throw new RiskInputError(`${at}.close`, s.close, 'expected a Float64Array');
    if (s.close.length !== s.time.length) {
      throw new RiskInputError(`${at}.close.length`, s.close.length, `must equal time.length ${s.time.length} (${s.symbol})`);
    }
    for (let t = 0; t < s.time.length; t++) {
      const v = s.time[t]!;
      if (!Number.isFinite(v)) throw new RiskInputError(`${at}.time[${t}]`, v, `not a finite timestamp (${s.symbol})`);
      if (t > 0 && !(v > s.time[t - 1]!)) {
        throw new RiskInputError(`${at}.time[${t}]`, v, `timestamps must be strictly increasing, previous is ${s.time[t - 1]} (${s.symbol})`);
      }
      const c = s.close[t]!;
      if (!(Number.isFinite(c) && c > 0)) throw new RiskInputError(`${at}.close[${t}]`, c, `close must be a finite positive price (${s.symbol})`);
    }
  });
}

function validateOptions(input: PortfolioRiskInput, symbols: readonly string[]): void {
  const weights = input.weights as unknown;
  if (typeof weights !== 'object' || weights === null || Array.isArray(weights)) {
    throw new RiskInputError('weights', weights, 'expected an object mapping symbol to weight');
  }
  for (const [symbol, w] of Object.entries(input.weights)) {
    if (!symbols.includes(symbol)) {
      throw new RiskInputError(`weights.${symbol}`, symbol, `symbol not in series (have ${symbols.join(', ')})`);
    }
    if (typeof w !== 'number' || !Number.isFinite(w)) throw new RiskInputError(`weights.${symbol}`, w, 'weight must be a finite number');
  }
  if (!isInteger(input.horizonBars) || input.horizonBars < 1) {
    throw new RiskInputError('horizonBars', input.horizonBars, 'must be an integer >= 1');
  }
  if (input.confidence !== undefined) {
    if (!Array.isArray(input.confidence) || input.confidence.length === 0) {
      throw new RiskInputError('confidence', input.confidence, 'expected a non-empty array of levels in (0, 1)');
    }
    const keys = new Set<string>();
    input.confidence.forEach((c, i) => {
      if (typeof c !== 'number' || !(c > 0 && c < 1)) throw new RiskInputError(`confidence[${i}]`, c, 'must be a number in (0, 1)');
      const key = confidenceKey(c);
      if (keys.has(key)) throw new RiskInputError(`confidence[${i}]`, c, 'duplicate confidence level');
      keys.add(key);
    });
  }
  if (input.monteCarlo !== undefined) {
    const { paths, seed } = input.monteCarlo;
    if (!isInteger(paths) || paths < 1) throw new RiskInputError('monteCarlo.paths', paths, 'must be an integer >= 1');
    if (!isInteger(seed)) throw new RiskInputError('monteCarlo.seed', seed, 'must be an integer');
  }
  if (input.correlationLimit !== undefined && (typeof input.correlationLimit !== 'number' || !Number.isFinite(input.correlationLimit))) {
    throw new RiskInputError('correlationLimit', input.correlationLimit, 'must be a finite number');
  }
  (input.stressWindows ?? []).forEach((w, i) => {
    if (typeof w?.name !== 'string') throw new RiskInputError(`stressWindows[${i}].name`, w?.name, 'expected a string');
    if (typeof w.start !== 'number' || !Number.isFinite(w.start)) throw new RiskInputError(`stressWindows[${i}].start`, w.start, 'must be a finite UTC ms timestamp');
    if (typeof w.end !== 'number' || !Number.isFinite(w.end) || w.end < w.start) {
      throw new RiskInputError(`stressWindows[${i}].end`, w.end, `must be a finite UTC ms timestamp >= start ${w.start}`);
    }
  });
}

function itemAt<T>(items: ArrayLike<T>, index: number, what: string): T {
  const item = items[index];
  if (item === undefined) throw new Error(`${what} is missing at ${index}`);
  return item;
}

function byConfidence(estimates: readonly RiskEstimate[], pick: 'var' | 'es'): ByConfidence {
  const out: ByConfidence = {};
  for (const e of estimates) out[confidenceKey(e.confidence)] = e[pick];
  return out;
}

/**
 * Full portfolio risk report: VaR / ES (historical, parametric normal, Cornish-Fisher, Monte Carlo),
 * the correlation matrix with its limit check, and stress tests. Pure; throws RiskInputError on bad input.
 * Definitions: docs/risk-analytics.md.
 */
export function computePortfolioRisk(input: PortfolioRiskInput): PortfolioRiskReport {
  if (typeof input !== 'object' || input === null) throw new RiskInputError('input', input, 'expected an object');
  validateSeries(input.series);
  const symbols = input.series.map((s) => s.symbol);
  validateOptions(input, symbols);

  const horizon = input.horizonBars;
  const confidences = input.confidence ?? DEFAULT_CONFIDENCE;
  const mc = input.monteCarlo ?? DEFAULT_MONTE_CARLO;
  const limit = input.correlationLimit ?? DEFAULT_CORRELATION_LIMIT;

  const aligned = alignCloses(input.series);
  const observations = Math.max(0, aligned.time.length - 1);
  if (observations < MIN_OBSERVATIONS) {
    throw new RiskInputError(
      'series',
      observations,
      `need at least ${MIN_OBSERVATIONS} aligned returns (timestamps common to ${symbols.join(', ')}, minus one)`,
    );
  }
  if (horizon > observations) throw new RiskInputError('horizonBars', horizon, `exceeds the ${observations} aligned returns`);

  const weights = new Float64Array(symbols.length);
  symbols.forEach((s, i) => {
    weights[i] = input.weights[s] ?? 0;
  });
  const assetReturns = aligned.close.map((c) => simpleReturns(c));
  const port = portfolioReturns(assetReturns, weights);

  const m = sampleMean(port);
  const sd = sampleSd(port, m);
  const skew = sampleSkewness(port, m);
  const kurt = sampleExcessKurtosis(port, m);

  const historical = historicalRisk(port, horizon, confidences);
  const parametric = parametricRisk(m, sd, horizon, confidences);
  const cornishFisher = cornishFisherRisk(m, sd, skew, kurt, horizon, confidences);

  const { mean, cov } = meanAndCovariance(assetReturns);
  const monteCarlo = monteCarloRisk({ mean, cov, weights, horizon, paths: mc.paths, seed: mc.seed, confidences }).estimates;

  const matrix = correlationFromCovariance(cov, symbols.length);
  const breaches: CorrelationBreach[] = [];
  symbols.forEach((a, i) => {
    const row = itemAt(matrix, i, 'correlation row');
    for (let j = i + 1; j < symbols.length; j++) {
      const value = itemAt(row, j, 'correlation');
      if (value > limit) breaches.push({ a, b: itemAt(symbols, j, 'symbol'), value });
    }
  });

  const interval = barInterval(aligned.time);
  const stress: StressResult[] = (input.stressWindows ?? []).map((w) => replayWindow(aligned.time, aligned.close, weights, w, interval));
  stress.push(...hypotheticalShocks(symbols, weights));

  return {
    var: {
      historical: byConfidence(historical, 'var'),
      parametric: byConfidence(parametric, 'var'),
      cornishFisher: byConfidence(cornishFisher, 'var'),
      monteCarlo: byConfidence(monteCarlo, 'var'),
    },
    es: {
      historical: byConfidence(historical, 'es'),
      parametric: byConfidence(parametric, 'es'),
      cornishFisher: byConfidence(cornishFisher, 'es'),
      monteCarlo: byConfidence(monteCarlo, 'es'),
    },
    correlation: { symbols, matrix, limit, breaches },
    stress,
    observations,
    horizonBars: horizon,
  };
}
