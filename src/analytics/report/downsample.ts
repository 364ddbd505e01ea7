// Downsampling long series for charting: per bucket keep each series' lowest and highest point, so
// spikes and drawdown troughs survive even when a million bars become a few thousand points.

/**
 * Indices (ascending, unique) of the points to keep from `n = series[0].length` points.
 * With n <= maxPoints every index is kept. Otherwise the first and last points are always kept and
 * the points between them are cut into equal buckets; each bucket keeps the index of the minimum
 * and of the maximum of every series (first occurrence; NaN ignored). Sharing one index set keeps
 * several series (equity and its drawdown) on the same times. At most `maxPoints` indices come
 * back when maxPoints >= 2 + 2 x series.length (one bucket is always used).
 */
export function selectDownsampleIndices(series: ReadonlyArray<ArrayLike<number>>, maxPoints: number): Uint32Array {
  const first = series[0];
  if (first === undefined) throw new RangeError('selectDownsampleIndices: no series');
  if (!Number.isInteger(maxPoints) || maxPoints < 2) {
    throw new RangeError(`selectDownsampleIndices: maxPoints must be an integer >= 2, got ${maxPoints}`);
  }
  const n = first.length;
  for (const s of series) {
    if (s.length !== n) throw new RangeError('selectDownsampleIndices: series differ in length');
  }
  if (n <= maxPoints) {
    const all = new Uint32Array(n);
    for (let i = 0; i < n; i++) all[i] = i;
    return all;
  }
  const perBucket = 2 * series.length;
  const buckets = Math.max(1, Math.floor((maxPoints - 2) / perBucket));
  const inner = n - 2;
  const out = new Uint32Array(2 + buckets * perBucket);
  let k = 0;
  out[k++] = 0;
  const picks: number[] = [];
  for (let b = 0; b < buckets; b++) {
    const from = 1 + Math.floor((b * inner) / buckets);
    const to = 1 + Math.floor(((b + 1) * inner) / buckets);
    if (from >= to) continue;
    picks.length = 0;
    for (const s of series) {
      let lo = -1;
      let hi = -1;
      let min = Infinity;
      let max = -Infinity;
      for (let i = from; i < to; i++) {
        const v = s[i]!;
        if (v < min) {
          min = v;
          lo = i;
        }
        if (v > max) {
          max = v;
          hi = i;
        }
      }
      if (lo >= 0) picks.push(lo);
      if (hi >= 0) picks.push(hi);
    }
    picks.sort((x, y) => x - y);
    let last = -1;
    for (const p of picks) {
      if (p !== last) out[k++] = p;
      last = p;
    }
  }
  out[k++] = n - 1;
  return out.slice(0, k);
}

/** Downsamples one series (time, value) to at most `maxPoints` points keeping bucket minima and maxima. */
export function downsampleMinMax(
  time: Float64Array,
  value: Float64Array,
  maxPoints: number,
): { time: Float64Array; value: Float64Array } {
  if (time.length !== value.length) throw new RangeError('downsampleMinMax: time and value differ in length');
  const idx = selectDownsampleIndices([value], maxPoints);
  const t = new Float64Array(idx.length);
  const v = new Float64Array(idx.length);
  for (let i = 0; i < idx.length; i++) {
    const j = idx[i]!;
    t[i] = time[j]!;
    v[i] = value[j]!;
  }
  return { time: t, value: v };
}
