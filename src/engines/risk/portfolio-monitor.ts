// Daily closes per symbol for the VAR_LIMIT and CORRELATION triggers: parametric 1-day VaR of the
// current positions and pairwise correlation of held symbols, from completed days only. The mean
// vector and covariance matrix are rebuilt once per completed day; each check is then O(k^2).
import { normInv } from '../../analytics/risk/index.ts';

const MIN_RETURNS = 20;
const Z95 = normInv(0.95);

class DailyCloses {
  readonly days: number[] = [];
  readonly closes: number[] = [];

  constructor(private readonly keep: number) {}

  complete(day: number, close: number): void {
    this.days.push(day);
    this.closes.push(close);
    if (this.days.length > this.keep) {
      this.days.shift();
      this.closes.shift();
    }
  }
}

export interface Exposure {
  readonly index: number;
  /** Position value as a fraction of equity. */
  readonly weight: number;
}

export class PortfolioMonitor {
  private readonly series: DailyCloses[];
  private stale = true;
  private observations = 0;
  private mean = new Float64Array(0);
  /** Row-major k x k covariance of daily returns (n - 1). */
  private covariance = new Float64Array(0);

  constructor(private readonly symbols: number, days: number) {
    this.series = Array.from({ length: symbols }, () => new DailyCloses(days + 1));
  }

  /** A symbol's trading day ended with this close (the caller tracks days; see RiskEngine.onBar). */
  completeDay(index: number, day: number, close: number): boolean {
    if (!(close > 0)) return false;
    this.series[index]!.complete(day, close);
    this.stale = true;
    return true;
  }

  /** Mean and covariance over the days every symbol has (inner join), rebuilt when a day completed. */
  private refresh(): void {
    if (!this.stale) return;
    this.stale = false;
    const k = this.symbols;
    let days = this.series[0]!.days.slice(1);
    for (let s = 1; s < k && days.length > 0; s++) {
      const own = new Set(this.series[s]!.days.slice(1));
      days = days.filter((d) => own.has(d));
    }
    const n = days.length;
    this.observations = n;
    const returns = this.series.map((s) => {
      const at = new Map(s.days.map((d, i) => [d, i]));
      return days.map((d) => {
        const i = at.get(d)!;
        return s.closes[i]! / s.closes[i - 1]! - 1;
      });
    });
    this.mean = Float64Array.from(returns, (r) => r.reduce((a, x) => a + x, 0) / Math.max(n, 1));
    this.covariance = new Float64Array(k * k);
    if (n < 2) return;
    for (let a = 0; a < k; a++) {
      for (let b = a; b < k; b++) {
        let sum = 0;
        for (let t = 0; t < n; t++) sum += (returns[a]![t]! - this.mean[a]!) * (returns[b]![t]! - this.mean[b]!);
        this.covariance[a * k + b] = this.covariance[b * k + a] = sum / (n - 1);
      }
    }
  }

  /** Parametric 95% 1-day VaR of the positions as a fraction of equity; NaN without 20 aligned returns. */
  valueAtRisk(exposures: readonly Exposure[]): number {
    if (exposures.length === 0) return 0;
    this.refresh();
    if (this.observations < MIN_RETURNS) return NaN;
    const k = this.symbols;
    let mean = 0;
    let variance = 0;
    for (const a of exposures) {
      mean += a.weight * this.mean[a.index]!;
      for (const b of exposures) variance += a.weight * b.weight * this.covariance[a.index * k + b.index]!;
    }
    return -(mean - Z95 * Math.sqrt(Math.max(variance, 0)));
  }

  /** The most correlated pair of held symbols (Pearson on daily returns), or undefined. */
  mostCorrelatedPair(indices: readonly number[]): { a: number; b: number; correlation: number } | undefined {
    this.refresh();
    if (this.observations < MIN_RETURNS) return undefined;
    const k = this.symbols;
    let best: { a: number; b: number; correlation: number } | undefined;
    for (let i = 0; i < indices.length; i++) {
      for (let j = i + 1; j < indices.length; j++) {
        const a = indices[i]!;
        const b = indices[j]!;
        const denominator = Math.sqrt(this.covariance[a * k + a]! * this.covariance[b * k + b]!);
        const correlation = denominator > 0 ? this.covariance[a * k + b]! / denominator : 0;
        if (!best || correlation > best.correlation) best = { a, b, correlation };
      }
    }
    return best;
  }
}
