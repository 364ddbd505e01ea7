// Analytics: performance metrics, CSV output, the HTML report, and portfolio risk (VaR, correlation, stress).
export { toCsv } from './csv.ts';
export { AMOUNT_DECIMALS, averagePriceText, decimalText, FRACTION_DECIMALS, utcText } from './decimal-text.ts';
export { computeMetrics, extrapolatedMetrics, periodsPerYear } from './metrics.ts';
export type { PerformanceMetrics } from './metrics.ts';
export { renderReportHtml } from './report/index.ts';
export type { ReportInput } from './report/index.ts';
export { DEFAULT_CONFIDENCE, DEFAULT_CORRELATION_LIMIT, DEFAULT_MONTE_CARLO, NormalSampler, RiskInputError, Xoshiro128, alignCloses, computePortfolioRisk, normInv } from './risk/index.ts';
export type { PortfolioRiskReport, PriceSeries, StressResult, StressWindow } from './risk/index.ts';
