// Straightforward reference implementations on plain arrays, written independently of
// src/analytics/risk so the tests compare two different codings of the same definitions.

export interface PlainSeries {
  symbol: string;
  time: number[];
  close: number[];
}

/** items[index], or a thrown error naming what is missing. */
export function at<T>(items: ArrayLike<T>, index: number, what = 'value'): T {
  const item = items[index];
  if (item === undefined) throw new Error(`${what} is missing at ${index}`);
  return item;
}

/** record[key], or a thrown error naming the missing key. */
export function valueAt(record: Readonly<Record<string, number>>, key: string): number {
  const value = record[key];
  if (value === undefined) throw new Error(`no value for key ${key}`);
  return value;
}

/** mulberry32 + Box-Muller: the tests' own seeded generator (deliberately not the library's). */
export function testRandom(seed: number): { uniform: () => number; normal: () => number } {
  let a = seed >>> 0;
  const uniform = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = (): number => {
    let u = uniform();
    while (u === 0) u = uniform();
    const v = uniform();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
  return { uniform, normal };
}

/** Inner join on timestamps, then each symbol's close-to-close returns, in series order. */
export function referenceReturns(series: PlainSeries[]): number[][] {
  let common = new Set(at(series, 0, 'series').time);
  for (const s of series.slice(1)) {
    const own = new Set(s.time);
    common = new Set([...common].filter((t) => own.has(t)));
  }
  const times = [...common].sort((x, y) => x - y);
  return series.map((s) => {
    const byTime = new Map<number, number>();
    s.time.forEach((t, i) => byTime.set(t, at(s.close, i, `${s.symbol} close`)));
    const closes = times.map((t) => byTime.get(t) as number);
    const out: number[] = [];
    for (let i = 1; i < closes.length; i++) out.push(at(closes, i) / at(closes, i - 1) - 1);
    return out;
  });
}

export function referencePortfolio(series: PlainSeries[], weights: Record<string, number>): number[] {
  const rets = referenceReturns(series);
  const n = at(rets, 0, 'returns').length;
  const out: number[] = [];
  for (let t = 0; t < n; t++) {
    let r = 0;
    series.forEach((s, i) => {
      r += (weights[s.symbol] ?? 0) * at(at(rets, i, 'returns'), t);
    });
    out.push(r);
  }
  return out;
}

export function referenceHistorical(port: number[], horizon: number, confidence: number): { var: number; es: number } {
  const windows: number[] = [];
  for (let t = 0; t + horizon <= port.length; t++) {
    let growth = 1;
    for (let j = t; j < t + horizon; j++) growth *= 1 + at(port, j);
    windows.push(growth - 1);
  }
  const x = [...windows].sort((p, q) => p - q);
  const alpha = 1 - confidence;
  const h = (x.length - 1) * alpha;
  const f = Math.floor(h);
  const q = f + 1 < x.length ? at(x, f) + (h - f) * (at(x, f + 1) - at(x, f)) : at(x, f);
  const tail = x.filter((v) => v <= q);
  return { var: -q, es: -(tail.reduce((s, v) => s + v, 0) / tail.length) };
}

const Z: Record<string, number> = { '0.95': 1.6448536269514722, '0.99': 2.3263478740408408 };

export function referenceParametric(port: number[], horizon: number, confidence: number): { var: number; es: number } {
  const n = port.length;
  const m = port.reduce((s, v) => s + v, 0) / n;
  const sd = Math.sqrt(port.reduce((s, v) => s + (v - m) * (v - m), 0) / (n - 1));
  const z = Z[String(confidence)];
  if (z === undefined) throw new Error(`no reference z for confidence ${confidence}`);
  const mN = m * horizon;
  const sN = sd * Math.sqrt(horizon);
  const pdf = Math.exp((-z * z) / 2) / Math.sqrt(2 * Math.PI);
  return { var: -(mN - z * sN), es: -(mN - (sN * pdf) / (1 - confidence)) };
}

export function toTyped(s: PlainSeries): { symbol: string; time: Float64Array; close: Float64Array } {
  return { symbol: s.symbol, time: Float64Array.from(s.time), close: Float64Array.from(s.close) };
}
