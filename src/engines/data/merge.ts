// One time-ordered event order over several bar series (the replay order of a multi-symbol run).
import type { BarSeries } from '../../core/index.ts';

export interface MergeOrder {
  /** Series of the k-th event (Uint8Array up to 256 series, else Uint16Array). */
  readonly seriesIndex: Uint16Array | Uint8Array;
  /** Bar index within that series. */
  readonly barIndex: Uint32Array;
}

/**
 * Order all bars of all series by closeTime, ties broken by series index (then bar index): a k-way merge
 * with a binary heap of the series' next bars, O(N log k). Each series must have non-decreasing closeTime
 * (the loader guarantees it); otherwise throws.
 */
export function mergeOrder(series: readonly BarSeries[]): MergeOrder {
  const k = series.length;
  if (k > 65_536) throw new RangeError(`mergeOrder: at most 65536 series (got ${k})`);
  let total = 0;
  for (const s of series) total += s.length;
  if (total > 0xffff_ffff) throw new RangeError(`mergeOrder: too many bars (${total})`);
  const seriesIndex = k <= 256 ? new Uint8Array(total) : new Uint16Array(total);
  const barIndex = new Uint32Array(total);

  const next = new Uint32Array(k);
  // Heap of series indices, keyed by (closeTime of the next bar, series index).
  const heap = new Int32Array(k);
  const key = new Float64Array(k);
  let size = 0;

  const less = (a: number, b: number): boolean => key[a]! < key[b]! || (key[a] === key[b] && a < b);
  const siftUp = (pos: number): void => {
    const item = heap[pos]!;
    while (pos > 0) {
      const parent = (pos - 1) >> 1;
      if (!less(item, heap[parent]!)) break;
      heap[pos] = heap[parent]!;
      pos = parent;
    }
    heap[pos] = item;
  };
  const siftDown = (pos: number): void => {
    const item = heap[pos]!;
    for (;;) {
      let child = 2 * pos + 1;
      if (child >= size) break;
      if (child + 1 < size && less(heap[child + 1]!, heap[child]!)) child++;
      if (!less(heap[child]!, item)) break;
      heap[pos] = heap[child]!;
      pos = child;
    }
    heap[pos] = item;
  };

  for (let s = 0; s < k; s++) {
    if (series[s]!.length === 0) continue;
    key[s] = series[s]!.closeTime[0]!;
    heap[size] = s;
    siftUp(size++);
  }

  for (let out = 0; out < total; out++) {
    const s = heap[0]!;
    const bar = next[s]!;
    seriesIndex[out] = s;
    barIndex[out] = bar;
    const src = series[s]!;
    next[s] = bar + 1;
    if (bar + 1 < src.length) {
      const t = src.closeTime[bar + 1]!;
      if (!(t >= key[s]!)) {
        throw new RangeError(`mergeOrder: series ${s} (${src.symbol}) is not sorted by closeTime at bar ${bar + 1}`);
      }
      key[s] = t;
    } else {
      heap[0] = heap[--size]!;
    }
    if (size > 0) siftDown(0);
  }
  return { seriesIndex, barIndex };
}
