// Stress tests: replay of historical windows on the aligned closes, and uniform hypothetical shocks.

/** One stress scenario result; `loss` is a positive fraction of portfolio value for a loss. */
export interface StressResult {
  readonly name: string;
  readonly kind: 'historical' | 'hypothetical';
  readonly loss: number;
  /** Historical windows only: whether the data covers the window (when false, loss and maxDrawdown are NaN). */
  readonly covered?: boolean;
  /** Historical windows only: worst peak-to-trough fall of the portfolio value inside the window, >= 0. */
  readonly maxDrawdown?: number;
}

export interface StressWindow {
  readonly name: string;
  /** Inclusive bounds on bar timestamps, UTC milliseconds. */
  readonly start: number;
  readonly end: number;
}

/** Smallest positive gap between consecutive timestamps: the data's bar interval (NaN with < 2 bars). */
export function barInterval(time: ArrayLike<number>): number {
  let best = Infinity;
  for (let t = 1; t < time.length; t++) {
    const d = time[t]! - time[t - 1]!;
    if (d > 0 && d < best) best = d;
  }
  return best === Infinity ? NaN : best;
}

/** First index with time[i] >= x (strict = false) or time[i] > x (strict = true); time ascending. */
function searchIndex(time: ArrayLike<number>, x: number, strict: boolean): number {
  let lo = 0;
  let hi = time.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (time[mid]! < x || (strict && time[mid] === x)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Replays one window on aligned closes with buy-and-hold weights set at the close before the window:
 * value_k = 1 + sum_i w_i (close_i,k / close_i,prev - 1); loss = 1 - value at the last bar in the window;
 * maxDrawdown = max over the window of (running peak - value) / running peak, the peak starting at 1.
 * Bars in the window are those with start <= time <= end. The window is covered when the bar before it
 * closes at or after `start` (time + interval >= start) and the last bar in it closes after `end`
 * (time + interval > end); gaps inside the window are tolerated.
 */
export function replayWindow(
  time: Float64Array,
  close: readonly Float64Array[],
  weights: ArrayLike<number>,
  window: StressWindow,
  interval = barInterval(time),
): StressResult {
  const first = searchIndex(time, window.start, false);
  const b = searchIndex(time, window.end, true) - 1;
  const timeBefore = time[first - 1];
  const lastTime = time[b];
  const covered =
    Number.isFinite(interval) &&
    timeBefore !== undefined &&
    lastTime !== undefined &&
    first <= b &&
    timeBefore + interval >= window.start &&
    lastTime + interval > window.end;
  if (!covered) return { name: window.name, kind: 'historical', loss: NaN, covered: false, maxDrawdown: NaN };
  const prev = first - 1;
  let peak = 1;
  let maxDrawdown = 0;
  let value = 1;
  for (let t = first; t <= b; t++) {
    value = 1;
    for (let i = 0; i < close.length; i++) {
      const series = close[i]!;
      value += weights[i]! * (series[t]! / series[prev]! - 1);
    }
    if (value > peak) peak = value;
    const dd = (peak - value) / peak;
    if (dd > maxDrawdown) maxDrawdown = dd;
  }
  return { name: window.name, kind: 'historical', loss: 1 - value, covered: true, maxDrawdown };
}

function weightAt(weights: ArrayLike<number>, i: number): number {
  const w = weights[i];
  if (w === undefined) throw new Error(`weight is missing at ${i}`);
  return w;
}

/** Default hypothetical shocks: every asset falls together (correlation 1). */
export const DEFAULT_SHOCKS: readonly number[] = [-0.1, -0.2, -0.3];

/**
 * For each shock s: the portfolio entry `shock -10%` with loss = -(sum_i w_i) s, then one entry per
 * asset `shock -10% SYMBOL` with loss = -w_i s (its contribution).
 */
export function hypotheticalShocks(symbols: readonly string[], weights: ArrayLike<number>, shocks: readonly number[] = DEFAULT_SHOCKS): StressResult[] {
  const out: StressResult[] = [];
  for (const shock of shocks) {
    const label = `shock ${Math.round(shock * 1e4) / 1e2}%`;
    let total = 0;
    for (let i = 0; i < symbols.length; i++) total += weightAt(weights, i) * shock;
    out.push({ name: label, kind: 'hypothetical', loss: 0 - total });
    symbols.forEach((symbol, i) => out.push({ name: `${label} ${symbol}`, kind: 'hypothetical', loss: 0 - weightAt(weights, i) * shock }));
  }
  return out;
}
