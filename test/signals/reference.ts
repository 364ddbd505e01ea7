// Slow reference indicators: direct definitions over whole arrays, written for obviousness, not
// speed. Every output array has the input's length, with NaN where the indicator is not defined yet
// (the streaming classes' warm-up contract). Used to generate test/fixtures/indicators/*.json and
// to check the streaming classes on random series.

function mean(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

function at(xs: readonly number[], i: number): number {
  const x = xs[i];
  if (x === undefined) throw new Error(`index ${i} is out of range (length ${xs.length})`);
  return x;
}

function nans(length: number): number[] {
  return new Array<number>(length).fill(NaN);
}

/** Mean of the last `period` values. */
export function refSma(xs: readonly number[], period: number): number[] {
  const out = nans(xs.length);
  for (let t = period - 1; t < xs.length; t++) out[t] = mean(xs.slice(t - period + 1, t + 1));
  return out;
}

/** EMA with alpha = 2/(period+1), seeded by the SMA of the first `period` values. */
export function refEma(xs: readonly number[], period: number): number[] {
  const out = nans(xs.length);
  if (xs.length < period) return out;
  const alpha = 2 / (period + 1);
  let ema = mean(xs.slice(0, period));
  out[period - 1] = ema;
  for (let t = period; t < xs.length; t++) {
    ema = alpha * at(xs, t) + (1 - alpha) * ema;
    out[t] = ema;
  }
  return out;
}

/** RSI from Wilder-smoothed gains and losses; avgLoss 0 -> 100, both 0 -> 50. */
export function refRsi(xs: readonly number[], period: number): number[] {
  const out = nans(xs.length);
  if (xs.length < period + 1) return out;
  const gains: number[] = [];
  const losses: number[] = [];
  for (let t = 1; t < xs.length; t++) {
    const change = at(xs, t) - at(xs, t - 1);
    gains.push(Math.max(change, 0));
    losses.push(Math.max(-change, 0));
  }
  const rsi = (avgGain: number, avgLoss: number): number => {
    if (avgLoss === 0) return avgGain === 0 ? 50 : 100;
    return 100 - 100 / (1 + avgGain / avgLoss);
  };
  // gains[i] is the change into xs[i + 1].
  let avgGain = mean(gains.slice(0, period));
  let avgLoss = mean(losses.slice(0, period));
  out[period] = rsi(avgGain, avgLoss);
  for (let t = period + 1; t < xs.length; t++) {
    avgGain = (avgGain * (period - 1) + at(gains, t - 1)) / period;
    avgLoss = (avgLoss * (period - 1) + at(losses, t - 1)) / period;
    out[t] = rsi(avgGain, avgLoss);
  }
  return out;
}

export interface MacdSeries {
  macd: number[];
  signal: number[];
  histogram: number[];
}

/**
 * macd = EMA(fast) - EMA(slow); signal = EMA(signalPeriod) over the macd values (SMA-seeded);
 * histogram = macd - signal. All three are reported from the first index where signal exists.
 */
export function refMacd(xs: readonly number[], fast: number, slow: number, signalPeriod: number): MacdSeries {
  const fastEma = refEma(xs, fast);
  const slowEma = refEma(xs, slow);
  const macdValues: number[] = [];
  for (let t = slow - 1; t < xs.length; t++) macdValues.push(at(fastEma, t) - at(slowEma, t));
  const signalValues = refEma(macdValues, signalPeriod);
  const result: MacdSeries = { macd: nans(xs.length), signal: nans(xs.length), histogram: nans(xs.length) };
  for (const [j, macd] of macdValues.entries()) {
    const signal = at(signalValues, j);
    if (Number.isNaN(signal)) continue;
    const t = j + slow - 1;
    result.macd[t] = macd;
    result.signal[t] = signal;
    result.histogram[t] = macd - signal;
  }
  return result;
}

export interface BandsSeries {
  middle: number[];
  upper: number[];
  lower: number[];
}

/** middle = SMA; upper/lower = middle +/- k * population standard deviation (two-pass). */
export function refBollinger(xs: readonly number[], period: number, k: number): BandsSeries {
  const result: BandsSeries = { middle: nans(xs.length), upper: nans(xs.length), lower: nans(xs.length) };
  for (let t = period - 1; t < xs.length; t++) {
    const window = xs.slice(t - period + 1, t + 1);
    const m = mean(window);
    const sd = Math.sqrt(mean(window.map((x) => (x - m) * (x - m))));
    result.middle[t] = m;
    result.upper[t] = m + k * sd;
    result.lower[t] = m - k * sd;
  }
  return result;
}

/** True range: high - low on the first bar, else max(high-low, |high-prevClose|, |low-prevClose|). */
export function refTrueRange(high: readonly number[], low: readonly number[], close: readonly number[]): number[] {
  return high.map((h, t) => {
    const l = at(low, t);
    if (t === 0) return h - l;
    const previousClose = at(close, t - 1);
    return Math.max(h - l, Math.abs(h - previousClose), Math.abs(l - previousClose));
  });
}

/** ATR: Wilder smoothing of the true range, seeded by the mean of the first `period` true ranges. */
export function refAtr(
  high: readonly number[],
  low: readonly number[],
  close: readonly number[],
  period: number,
): number[] {
  const out = nans(high.length);
  if (high.length < period) return out;
  const tr = refTrueRange(high, low, close);
  let atr = mean(tr.slice(0, period));
  out[period - 1] = atr;
  for (let t = period; t < tr.length; t++) {
    atr = (atr * (period - 1) + at(tr, t)) / period;
    out[t] = atr;
  }
  return out;
}
