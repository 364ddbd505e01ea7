// Risk use-case: portfolio VaR, correlation and stress tests of a set of price files.
export type { RiskReport } from './run-risk.ts';
export { runRisk } from './run-risk.ts';
