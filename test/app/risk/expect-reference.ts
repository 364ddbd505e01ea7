// The check the risk tests share: a report's historical and parametric VaR/ES agree to 1e-9 with the
// independent coding of the definitions in reference.ts (runRisk's report, or `traider risk --json`).
import { expect } from 'vitest';
import { historical, parametric } from './reference.ts';

type Figures = Readonly<Record<string, number | undefined>>;
interface RiskFigures {
  readonly var: { readonly historical: Figures; readonly parametric: Figures };
  readonly es: { readonly historical: Figures; readonly parametric: Figures };
}

/** `report` is runRisk's report, or the parsed JSON of `traider risk --json`. */
export function expectMatchesReference(report: RiskFigures | Record<string, any>, returns: number[], horizon = 1): void {
  for (const c of [0.95, 0.99]) {
    const key = String(c * 100);
    const h = historical(returns, c, horizon);
    const p = parametric(returns, c, horizon);
    expect(Math.abs(report.var.historical[key]! - h.var), `historical VaR ${key}`).toBeLessThan(1e-9);
    expect(Math.abs(report.es.historical[key]! - h.es), `historical ES ${key}`).toBeLessThan(1e-9);
    expect(Math.abs(report.var.parametric[key]! - p.var), `parametric VaR ${key}`).toBeLessThan(1e-9);
    expect(Math.abs(report.es.parametric[key]! - p.es), `parametric ES ${key}`).toBeLessThan(1e-9);
  }
}
