// Building blocks: timestamp alignment, simple returns, sample moments, the linear quantile,
// covariance / correlation and a Cholesky factorisation with diagonal jitter.

/** Aligned closes: the timestamps common to every series (inner join) and each series' close there. */
export interface AlignedCloses {
  readonly time: Float64Array;
  /** One array per input series, in input order, each `time.length` long. */
  readonly close: Float64Array[];
}

/**
 * Inner join on timestamps. Each `time` array must be strictly increasing (checked by the caller);
 * runs in O(total length) with one cursor per series.
 */
export function alignCloses(series: ReadonlyArray<{ time: ArrayLike<number>; close: ArrayLike<number> }>): AlignedCloses {
  const k = series.length;
  const base = series[0];
  if (base === undefined) return { time: new Float64Array(0), close: [] };
  const cursors = new Int32Array(k);
  const picked: Int32Array[] = series.map(() => new Int32Array(base.time.length));
  let count = 0;
  outer: for (let b = 0; b < base.time.length; b++) {
    const t = base.time[b]!;
    for (let i = 1; i < k; i++) {
      const times = series[i]!.time;
      let c = cursors[i]!;
      while (c < times.length && times[c]! < t) c++;
      cursors[i] = c;
      if (c >= times.length) break outer;
      if (times[c] !== t) continue outer;
    }
    picked[0]![count] = b;
    for (let i = 1; i < k; i++) picked[i]![count] = cursors[i]!;
    count++;
  }
  const gather = (values: ArrayLike<number>, i: number): Float64Array => {
    const idx = picked[i];
    if (idx === undefined) throw new Error(`aligned indices are missing for series ${i}`);
    const out = new Float64Array(count);
    for (let j = 0; j < count; j++) out[j] = values[idx[j]!]!;
    return out;
  };
  return { time: gather(base.time, 0), close: series.map((s, i) => gather(s.close, i)) };
}

/** Simple close-to-close returns r_t = c_t / c_{t-1} - 1 (length n - 1). */
export function simpleReturns(close: ArrayLike<number>): Float64Array {
  const n = Math.max(0, close.length - 1);
  const out = new Float64Array(n);
  for (let t = 0; t < n; t++) out[t] = close[t + 1]! / close[t]! - 1;
  return out;
}

/** Constant-weight portfolio return per bar: sum_i w_i r_i, summed in asset order. */
export function portfolioReturns(assetReturns: ReadonlyArray<ArrayLike<number>>, weights: ArrayLike<number>): Float64Array {
  const n = assetReturns[0]?.length ?? 0;
  const out = new Float64Array(n);
  for (let i = 0; i < assetReturns.length; i++) {
    const w = weights[i];
    if (w === undefined) throw new Error(`portfolio weight is missing at ${i}`);
    const r = assetReturns[i]!;
    for (let t = 0; t < n; t++) out[t] = out[t]! + w * r[t]!;
  }
  return out;
}

/**
 * Overlapping compounded N-bar returns: prod(1 + r) - 1 over every window of N consecutive bars
 * (n - N + 1 values); N = 1 returns a copy of the input.
 */
export function horizonReturns(returns: ArrayLike<number>, horizon: number): Float64Array {
  const m = returns.length - horizon + 1;
  if (m <= 0) return new Float64Array(0);
  const out = new Float64Array(m);
  if (horizon === 1) {
    for (let t = 0; t < m; t++) out[t] = returns[t]!;
    return out;
  }
  for (let t = 0; t < m; t++) {
    let g = 1;
    for (let j = 0; j < horizon; j++) g *= 1 + returns[t + j]!;
    out[t] = g - 1;
  }
  return out;
}

/**
 * Quantile of ascending-sorted data by linear interpolation between order statistics
 * (numpy's default): h = (n-1) alpha, q = x[floor h] + (h - floor h)(x[floor h + 1] - x[floor h]).
 */
export function quantileSorted(sorted: ArrayLike<number>, alpha: number): number {
  const n = sorted.length;
  const last = sorted[n - 1];
  if (last === undefined) return NaN;
  const h = (n - 1) * alpha;
  const lo = Math.floor(h);
  if (lo >= n - 1) return last;
  const lower = sorted[lo];
  const upper = sorted[lo + 1];
  if (lower === undefined || upper === undefined) return NaN;
  const frac = h - lo;
  return lower + frac * (upper - lower);
}

/** Mean of the ascending-sorted values at or below q (the historical tail mean). */
export function tailMeanSorted(sorted: ArrayLike<number>, q: number): number {
  let sum = 0;
  let k = 0;
  while (k < sorted.length && sorted[k]! <= q) {
    sum += sorted[k]!;
    k++;
  }
  return k === 0 ? NaN : sum / k;
}

export function sampleMean(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]!;
  return s / x.length;
}

/** Sample standard deviation with the n - 1 divisor (two-pass). */
export function sampleSd(x: ArrayLike<number>, mean = sampleMean(x)): number {
  let ss = 0;
  for (let i = 0; i < x.length; i++) {
    const d = x[i]! - mean;
    ss += d * d;
  }
  return Math.sqrt(ss / (x.length - 1));
}

/** Central moment sums m2, m3, m4 (divided by n). */
function centralMoments(x: ArrayLike<number>, mean: number): [number, number, number] {
  let s2 = 0;
  let s3 = 0;
  let s4 = 0;
  for (let i = 0; i < x.length; i++) {
    const d = x[i]! - mean;
    const d2 = d * d;
    s2 += d2;
    s3 += d2 * d;
    s4 += d2 * d2;
  }
  const n = x.length;
  return [s2 / n, s3 / n, s4 / n];
}

/**
 * Adjusted Fisher-Pearson skewness G1 = g1 sqrt(n(n-1)) / (n-2), g1 = m3 / m2^1.5
 * (what pandas `skew()` and Excel SKEW report). 0 for constant data. Needs n >= 3.
 */
export function sampleSkewness(x: ArrayLike<number>, mean = sampleMean(x)): number {
  const n = x.length;
  const [m2, m3] = centralMoments(x, mean);
  if (!(m2 > 0)) return 0;
  const g1 = m3 / Math.pow(m2, 1.5);
  return (g1 * Math.sqrt(n * (n - 1))) / (n - 2);
}

/**
 * Bias-adjusted excess kurtosis G2 = ((n+1) g2 + 6)(n-1) / ((n-2)(n-3)), g2 = m4 / m2^2 - 3
 * (pandas `kurt()`, Excel KURT). 0 for constant data. Needs n >= 4.
 */
export function sampleExcessKurtosis(x: ArrayLike<number>, mean = sampleMean(x)): number {
  const n = x.length;
  const [m2, , m4] = centralMoments(x, mean);
  if (!(m2 > 0)) return 0;
  const g2 = m4 / (m2 * m2) - 3;
  return (((n + 1) * g2 + 6) * (n - 1)) / ((n - 2) * (n - 3));
}

/**
 * Sample means and covariance (n - 1 divisor) of k series of equal length n.
 * `cov` is k x k row-major.
 */
export function meanAndCovariance(returns: ReadonlyArray<ArrayLike<number>>): { mean: Float64Array; cov: Float64Array } {
  const k = returns.length;
  const n = returns[0]?.length ?? 0;
  const mean = new Float64Array(k);
  const centred = new Float64Array(k * n);
  for (let i = 0; i < k; i++) {
    const r = returns[i]!;
    const m = sampleMean(r);
    mean[i] = m;
    const off = i * n;
    for (let t = 0; t < n; t++) centred[off + t] = r[t]! - m;
  }
  const cov = new Float64Array(k * k);
  const denom = n - 1;
  for (let i = 0; i < k; i++) {
    const oi = i * n;
    for (let j = 0; j <= i; j++) {
      const oj = j * n;
      let s = 0;
      for (let t = 0; t < n; t++) s += centred[oi + t]! * centred[oj + t]!;
      const c = s / denom;
      cov[i * k + j] = c;
      cov[j * k + i] = c;
    }
  }
  return { mean, cov };
}

/**
 * Pearson correlation from a k x k covariance. The diagonal is exactly 1; a pair involving a
 * zero-variance series is NaN (undefined).
 */
export function correlationFromCovariance(cov: Float64Array, k: number): number[][] {
  const sd = new Float64Array(k);
  for (let i = 0; i < k; i++) sd[i] = Math.sqrt(cov[i * k + i]!);
  const out: number[][] = [];
  for (let i = 0; i < k; i++) {
    const row: number[] = new Array(k);
    const sdi = sd[i]!;
    for (let j = 0; j < k; j++) {
      const sdj = sd[j]!;
      if (i === j) row[j] = 1;
      else if (sdi > 0 && sdj > 0) row[j] = Math.max(-1, Math.min(1, cov[i * k + j]! / (sdi * sdj)));
      else row[j] = NaN;
    }
    out.push(row);
  }
  return out;
}

/** Lower-triangular Cholesky factor (row-major, k x k) or null when a pivot is not positive. */
function choleskyOnce(a: Float64Array, k: number, jitter: number, out: Float64Array): boolean {
  out.fill(0);
  for (let i = 0; i < k; i++) {
    const oi = i * k;
    for (let j = 0; j <= i; j++) {
      const oj = j * k;
      let s = a[oi + j]! + (i === j ? jitter : 0);
      for (let p = 0; p < j; p++) s -= out[oi + p]! * out[oj + p]!;
      if (i === j) {
        if (!(s > 0)) return false;
        out[oi + i] = Math.sqrt(s);
      } else {
        out[oi + j] = s / out[oj + j]!;
      }
    }
  }
  return true;
}

/**
 * Cholesky factor L (row-major lower triangle, L L^T = A + jitter I). If A is not numerically
 * positive definite, retries with a diagonal jitter starting at 1e-12 x mean(diag A) (or 1e-300 when
 * the diagonal is all zero) and growing tenfold, and reports the jitter used (0 when none was needed).
 */
export function choleskyWithJitter(a: Float64Array, k: number): { l: Float64Array; jitter: number } {
  const l = new Float64Array(k * k);
  if (choleskyOnce(a, k, 0, l)) return { l, jitter: 0 };
  let trace = 0;
  for (let i = 0; i < k; i++) trace += Math.abs(a[i * k + i]!);
  let jitter = trace > 0 ? (1e-12 * trace) / k : 1e-300;
  for (let attempt = 0; attempt < 40; attempt++) {
    if (choleskyOnce(a, k, jitter, l)) return { l, jitter };
    jitter *= 10;
  }
  throw new Error('covariance matrix could not be factorised even with a diagonal jitter (non-finite entries?)');
}
