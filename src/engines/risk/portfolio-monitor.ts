// Daily closes per symbol for the VAR_LIMIT and CORRELATION triggers: parametric 1-day VaR of the
// current positions and pairwise correlation of held symbols, from completed days only. The mean
// vector and covariance matrix are rebuilt once per completed day; each check is then O(k^2).
import { normInv } from '../../analytics/index.ts';

/** Aligned daily returns VaR and correlation need by default (a backtest starts without history). */
const MIN_RETURNS = 20;
/** The least a session lowers it to when the venue has less history than that. */
export const MIN_SESSION_RETURNS = 2;
const Z95 = normInv(0.95);

class DailyCloses {
  readonly days: number[] = [];
  readonly closes: number[] = [];

  constructor(private readonly keep: number) {}

  /** A completed day; one already known (or older than the last) is ignored. */
  complete(day: number, close: number): boolean {
    if (this.days.length > 0 && day <= this.days[this.days.length - 1]!) return false;
    this.days.push(day);
    this.closes.push(close);
    if (this.days.length > this.keep) {
      this.days.shift();
      this.closes.shift();
    }
    return true;
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
  /** Returns needed before VaR and correlation speak (see `useHistoryOf`). */
  private minReturns = MIN_RETURNS;
  private readonly mean: Float64Array;
  /** Row-major k x k covariance of daily returns (n - 1). */
  private readonly covariance: Float64Array;
  /** Work space of refresh, allocated once: aligned returns per symbol and one cursor per series. */
  private readonly returns: Float64Array[];
  private readonly cursor: Int32Array;

  constructor(private readonly symbols: number, days: number) {
    this.series = Array.from({ length: symbols }, () => new DailyCloses(days + 1));
    this.mean = new Float64Array(symbols);
    this.covariance = new Float64Array(symbols * symbols);
    this.returns = Array.from({ length: symbols }, () => new Float64Array(days));
    this.cursor = new Int32Array(symbols);
  }

  /** A symbol's trading day ended with this close (the caller tracks days; see RiskEngine.onBar). */
  completeDay(index: number, day: number, close: number): boolean {
    if (!(close > 0) || !this.series[index]!.complete(day, close)) return false;
    this.stale = true;
    return true;
  }

  /**
   * A session seeded with the daily history its venue has: VaR and correlation speak once `returns`
   * aligned returns exist (at most the default 20, at least MIN_SESSION_RETURNS).
   */
  useHistoryOf(returns: number): void {
    this.minReturns = Math.min(MIN_RETURNS, Math.max(MIN_SESSION_RETURNS, returns));
  }

  /** Aligned daily returns available now. */
  get returnsAvailable(): number {
    this.refresh();
    return this.observations;
  }

  /**
   * Mean and covariance over the days every symbol has (inner join), rebuilt when a day completed.
   * Each series' days ascend, so the join walks one cursor per series; a day's return is its close
   * over the series' previous close.
   */
  private refresh(): void {
    if (!this.stale) return;
    this.stale = false;
    const k = this.symbols;
    const series = this.series;
    const cursor = this.cursor.fill(1); // a return needs the close before it
    const returns = this.returns;
    let n = 0;
    for (;;) {
      // The largest current day of all cursors: every series must reach it.
      let day = -Infinity;
      let done = false;
      for (let s = 0; s < k; s++) {
        if (cursor[s]! >= series[s]!.days.length) {
          done = true;
          break;
        }
        day = Math.max(day, series[s]!.days[cursor[s]!]!);
      }
      if (done || k === 0) break;
      let aligned = true;
      for (let s = 0; s < k; s++) {
        const days = series[s]!.days;
        while (cursor[s]! < days.length && days[cursor[s]!]! < day) cursor[s]!++;
        if (cursor[s]! >= days.length || days[cursor[s]!]! !== day) aligned = false;
      }
      if (!aligned) continue;
      for (let s = 0; s < k; s++) {
        const i = cursor[s]!;
        const closes = series[s]!.closes;
        returns[s]![n] = closes[i]! / closes[i - 1]! - 1;
        cursor[s]!++;
      }
      n++;
    }
    this.observations = n;
    for (let s = 0; s < k; s++) {
      let sum = 0;
      for (let t = 0; t < n; t++) sum += returns[s]![t]!;
      this.mean[s] = sum / Math.max(n, 1);
    }
    this.covariance.fill(0);
    if (n < 2) return;
    for (let a = 0; a < k; a++) {
      for (let b = a; b < k; b++) {
        let sum = 0;
        for (let t = 0; t < n; t++) sum += (returns[a]![t]! - this.mean[a]!) * (returns[b]![t]! - this.mean[b]!);
        this.covariance[a * k + b] = this.covariance[b * k + a] = sum / (n - 1);
      }
    }
  }

  /** Parametric 95% 1-day VaR of the positions as a fraction of equity; NaN without enough aligned returns (20, or what a session's history allows). */
  valueAtRisk(exposures: readonly Exposure[]): number {
    if (exposures.length === 0) return 0;
    this.refresh();
    if (this.observations < this.minReturns) return NaN;
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
    if (this.observations < this.minReturns) return undefined;
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
