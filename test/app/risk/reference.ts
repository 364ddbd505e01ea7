// An independent, straightforward coding of the `traider risk` definitions on plain arrays: read the
// CSV by hand, inner-join on timestamps, constant-weight returns, linear-interpolation quantile, tail
// mean, normal VaR/ES, Pearson correlation and a whole-day replay. Shared by the use-case and CLI tests.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

export function readCloses(path: string): Map<number, number> {
  const bytes = readFileSync(path);
  const text = path.endsWith('.gz') ? gunzipSync(bytes).toString('utf8') : bytes.toString('utf8');
  const out = new Map<number, number>();
  for (const line of text.trim().split(/\r?\n/).slice(1)) {
    const cols = line.split(',');
    out.set(Number(cols[0]), Number(cols[4]));
  }
  return out;
}

/** Timestamps present in every series, ascending. */
export function commonTimes(series: Map<number, number>[]): number[] {
  return [...series[0]!.keys()].filter((t) => series.every((s) => s.has(t))).sort((x, y) => x - y);
}

/** Per-bar returns of each asset on the common timestamps. */
export function assetReturns(series: Map<number, number>[]): number[][] {
  const times = commonTimes(series);
  return series.map((s) => {
    const r: number[] = [];
    for (let i = 1; i < times.length; i++) r.push(s.get(times[i]!)! / s.get(times[i - 1]!)! - 1);
    return r;
  });
}

export function portfolio(series: Map<number, number>[], weights: number[]): number[] {
  const returns = assetReturns(series);
  const out: number[] = [];
  for (let t = 0; t < returns[0]!.length; t++) {
    let r = 0;
    for (let i = 0; i < returns.length; i++) r += weights[i]! * returns[i]![t]!;
    out.push(r);
  }
  return out;
}

export function mean(xs: number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

export function sd(xs: number[]): number {
  const m = mean(xs);
  let s = 0;
  for (const x of xs) s += (x - m) * (x - m);
  return Math.sqrt(s / (xs.length - 1));
}

/** Linear interpolation between order statistics (numpy's default). */
export function quantile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  const h = (s.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, s.length - 1);
  return s[lo]! + (h - lo) * (s[hi]! - s[lo]!);
}

/** Historical VaR/ES over compounded, overlapping `horizon`-bar returns. */
export function historical(returns: number[], confidence: number, horizon = 1): { var: number; es: number } {
  const windows: number[] = [];
  for (let t = 0; t + horizon <= returns.length; t++) {
    let g = 1;
    for (let j = t; j < t + horizon; j++) g *= 1 + returns[j]!;
    windows.push(horizon === 1 ? returns[t]! : g - 1);
  }
  const q = quantile(windows, 1 - confidence);
  const tail = windows.filter((x) => x <= q);
  return { var: -q, es: -mean(tail) };
}

/** Phi^-1 at the two levels the tests use (reference values). */
const Z: Record<string, number> = { '0.95': 1.6448536269514722, '0.99': 2.3263478740408408 };

export function parametric(returns: number[], confidence: number, horizon = 1): { var: number; es: number } {
  const z = Z[String(confidence)]!;
  const m = mean(returns) * horizon;
  const s = sd(returns) * Math.sqrt(horizon);
  const pdf = Math.exp((-z * z) / 2) / Math.sqrt(2 * Math.PI);
  return { var: -(m - z * s), es: -(m - (s * pdf) / (1 - confidence)) };
}

export function pearson(x: number[], y: number[]): number {
  const mx = mean(x);
  const my = mean(y);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < x.length; i++) {
    sxy += (x[i]! - mx) * (y[i]! - my);
    sxx += (x[i]! - mx) ** 2;
    syy += (y[i]! - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

/** Buy-and-hold loss over one whole UTC day `iso`, weights set at the last common close before it. */
export function dayLoss(series: Map<number, number>[], weights: number[], iso: string): number {
  const start = Date.parse(`${iso}T00:00:00Z`);
  const end = start + 86_400_000;
  const times = commonTimes(series);
  const before = times.filter((t) => t < start).at(-1)!;
  const last = times.filter((t) => t < end).at(-1)!;
  let pnl = 0;
  series.forEach((s, i) => {
    pnl += weights[i]! * (s.get(last)! / s.get(before)! - 1);
  });
  return -pnl;
}
