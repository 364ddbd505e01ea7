// Daily closes per symbol for the VAR_LIMIT and CORRELATION triggers: parametric 1-day VaR of the
// current positions and pairwise correlation of held symbols, from completed days only.
import { normInv } from '../../analytics/risk/index.ts';

const MIN_RETURNS = 20;
const Z95 = normInv(0.95);

class DailyCloses {
  readonly days: number[] = [];
  readonly closes: number[] = [];
  private currentDay = -1;
  private currentClose = NaN;

  constructor(private readonly keep: number) {}

  /** Returns true when a day completed. */
  onBar(day: number, close: number): boolean {
    let completed = false;
    if (day !== this.currentDay) {
      if (this.currentDay !== -1) {
        this.days.push(this.currentDay);
        this.closes.push(this.currentClose);
        if (this.days.length > this.keep) {
          this.days.shift();
          this.closes.shift();
        }
        completed = true;
      }
      this.currentDay = day;
    }
    this.currentClose = close;
    return completed;
  }

  /** Simple daily returns keyed by the later day. */
  returns(): Map<number, number> {
    const out = new Map<number, number>();
    for (let i = 1; i < this.days.length; i++) out.set(this.days[i]!, this.closes[i]! / this.closes[i - 1]! - 1);
    return out;
  }
}

export interface Exposure {
  readonly index: number;
  /** Position value as a fraction of equity. */
  readonly weight: number;
}

export class PortfolioMonitor {
  private readonly series: DailyCloses[];

  constructor(symbols: number, days: number) {
    this.series = Array.from({ length: symbols }, () => new DailyCloses(days + 1));
  }

  onBar(index: number, day: number, close: number): boolean {
    return this.series[index]!.onBar(day, close);
  }

  /** Aligned daily returns (inner join on day) of the given symbols. */
  private aligned(indices: readonly number[]): number[][] {
    const maps = indices.map((i) => this.series[i]!.returns());
    const days = [...maps[0]!.keys()].filter((d) => maps.every((m) => m.has(d)));
    return maps.map((m) => days.map((d) => m.get(d)!));
  }

  /** Parametric 95% 1-day VaR of the positions as a fraction of equity; NaN without 20 aligned returns. */
  valueAtRisk(exposures: readonly Exposure[]): number {
    if (exposures.length === 0) return 0;
    const columns = this.aligned(exposures.map((e) => e.index));
    const n = columns[0]!.length;
    if (n < MIN_RETURNS) return NaN;
    const portfolio = new Float64Array(n);
    exposures.forEach((e, k) => {
      const column = columns[k]!;
      for (let t = 0; t < n; t++) portfolio[t] += e.weight * column[t]!;
    });
    let mean = 0;
    for (let t = 0; t < n; t++) mean += portfolio[t]!;
    mean /= n;
    let squares = 0;
    for (let t = 0; t < n; t++) squares += (portfolio[t]! - mean) ** 2;
    const sd = Math.sqrt(squares / (n - 1));
    return -(mean - Z95 * sd);
  }

  /** The most correlated pair of held symbols (Pearson on daily returns), or undefined. */
  mostCorrelatedPair(indices: readonly number[]): { a: number; b: number; correlation: number } | undefined {
    let best: { a: number; b: number; correlation: number } | undefined;
    for (let i = 0; i < indices.length; i++) {
      for (let j = i + 1; j < indices.length; j++) {
        const [x, y] = this.aligned([indices[i]!, indices[j]!]) as [number[], number[]];
        if (x.length < MIN_RETURNS) continue;
        const correlation = pearson(x, y);
        if (!best || correlation > best.correlation) best = { a: indices[i]!, b: indices[j]!, correlation };
      }
    }
    return best;
  }
}

function pearson(x: readonly number[], y: readonly number[]): number {
  const n = x.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i]!;
    my += y[i]!;
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - mx;
    const dy = y[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : 0;
}
