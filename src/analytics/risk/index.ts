// Portfolio risk analytics: VaR / ES, correlation limits and stress tests (pure functions, no I/O).

export { computePortfolioRisk, confidenceKey, RiskInputError, DEFAULT_CONFIDENCE, DEFAULT_CORRELATION_LIMIT, DEFAULT_MONTE_CARLO, MIN_OBSERVATIONS } from './portfolio.ts';
export type { PortfolioRiskInput, PortfolioRiskReport, PriceSeries, RiskByMethod, ByConfidence, CorrelationReport, CorrelationBreach } from './portfolio.ts';
export { historicalRisk, parametricRisk, cornishFisherRisk, cornishFisherZ, monteCarloRisk, empiricalRisk } from './var.ts';
export type { RiskEstimate, MonteCarloInput, MonteCarloResult } from './var.ts';
export { replayWindow, hypotheticalShocks, barInterval, DEFAULT_SHOCKS } from './stress.ts';
export type { StressResult, StressWindow } from './stress.ts';
export {
  alignCloses,
  simpleReturns,
  portfolioReturns,
  horizonReturns,
  quantileSorted,
  tailMeanSorted,
  sampleMean,
  sampleSd,
  sampleSkewness,
  sampleExcessKurtosis,
  meanAndCovariance,
  correlationFromCovariance,
  choleskyWithJitter,
} from './stats.ts';
export type { AlignedCloses } from './stats.ts';
export { normCdf, normInv, normPdf } from './normal.ts';
export { Xoshiro128, NormalSampler } from './rng.ts';
