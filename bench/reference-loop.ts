// The bench's yardstick: sma-cross with the realistic fill model as one plain loop over
// Float64Arrays, rolling sums, no objects and no allocation inside the loop.
import type { BarSeries } from '../src/core/index.ts';

export interface ReferenceParams {
  fast: number;
  slow: number;
  fraction: number;
  capital: number;
  feeRate: number;
  halfSpread: number;
  impactCoefficient: number;
  days: number;
  cap: number;
  tick: number;
  lot: number;
}

const DAY = 86_400_000;

export function referenceSmaCross(s: BarSeries, p: ReferenceParams): { fills: number; finalEquity: number; equity: Float64Array } {
  const n = s.length;
  const { open, close, volume, openTime } = s;
  const fastBuf = new Float64Array(p.fast);
  const slowBuf = new Float64Array(p.slow);
  const ringSize = p.days + 1;
  const dayClose = new Float64Array(ringSize);
  const dayVolume = new Float64Array(ringSize);
  const equity = new Float64Array(n);
  const ticksPerUnit = 1 / p.tick;
  const lotsPerUnit = 1 / p.lot;
  let fastSum = 0;
  let slowSum = 0;
  let previousSign = 0;
  let cash = p.capital;
  let heldLots = 0; // integer lot units, so flat is exactly 0
  let pendingSide = 0; // 1 buy, -1 sell, 0 none
  let pendingLots = 0;
  let fills = 0;
  let day = -1;
  let dayCount = 0;
  let dayHead = 0;
  let todayClose = NaN;
  let todayVolume = 0;
  for (let i = 0; i < n; i++) {
    const d = Math.floor(openTime[i]! / DAY);
    if (d !== day) {
      if (day !== -1) {
        dayClose[dayHead] = todayClose;
        dayVolume[dayHead] = todayVolume;
        dayHead = (dayHead + 1) % ringSize;
        if (dayCount < ringSize) dayCount++;
      }
      day = d;
      todayVolume = 0;
    }
    if (pendingSide !== 0) {
      const lots = Math.min(pendingLots, Math.floor(volume[i]! * p.cap * lotsPerUnit + 1e-6));
      if (lots > 0) {
        const qty = lots / lotsPerUnit;
        // sigma: sample sd of daily log returns over up to `days` completed days; V: mean volume.
        let impact = 0;
        const returns = Math.min(dayCount - 1, p.days);
        const volumeDays = Math.min(dayCount, p.days);
        if (returns >= 2 && volumeDays >= 2) {
          let sum = 0;
          let squares = 0;
          let volumeSum = 0;
          for (let k = 1; k <= returns; k++) {
            const a = (dayHead - k + 2 * ringSize) % ringSize;
            const b = (dayHead - k - 1 + 2 * ringSize) % ringSize;
            const r = Math.log(dayClose[a]! / dayClose[b]!);
            sum += r;
            squares += r * r;
          }
          for (let k = 1; k <= volumeDays; k++) volumeSum += dayVolume[(dayHead - k + 2 * ringSize) % ringSize]!;
          const mean = sum / returns;
          const sigma = Math.sqrt(Math.max(0, (squares - returns * mean * mean) / (returns - 1)));
          impact = p.impactCoefficient * sigma * Math.sqrt(qty / (volumeSum / volumeDays));
        }
        const cost = p.halfSpread + impact;
        const price =
          pendingSide > 0
            ? Math.ceil(open[i]! * (1 + cost) * ticksPerUnit - 1e-9) / ticksPerUnit
            : Math.floor(open[i]! * (1 - cost) * ticksPerUnit + 1e-9) / ticksPerUnit;
        const notional = price * qty;
        const fee = Math.round(notional * p.feeRate * 1e8) / 1e8;
        if (pendingSide > 0) {
          cash -= notional + fee;
          heldLots += lots;
        } else {
          cash += notional - fee;
          heldLots -= lots;
        }
        pendingLots -= lots;
        if (pendingLots === 0) pendingSide = 0;
        fills++;
      }
    }
    todayClose = close[i]!;
    todayVolume += volume[i]!;
    const c = close[i]!;
    const fi = i % p.fast;
    const si = i % p.slow;
    fastSum += c - fastBuf[fi]!;
    slowSum += c - slowBuf[si]!;
    fastBuf[fi] = c;
    slowBuf[si] = c;
    if (i >= p.slow - 1) {
      const fast = fastSum / p.fast;
      const slow = slowSum / p.slow;
      const sign = fast > slow ? 1 : fast < slow ? -1 : 0;
      if (sign !== 0 && previousSign !== 0 && sign !== previousSign) {
        if (sign > 0 && heldLots === 0 && pendingSide === 0) {
          const lots = Math.floor(((p.fraction * cash) / c) * lotsPerUnit + 1e-9);
          if (lots > 0) {
            pendingSide = 1;
            pendingLots = lots;
          }
        } else if (sign < 0) {
          pendingSide = 0;
          if (heldLots > 0) {
            pendingSide = -1;
            pendingLots = heldLots;
          }
        }
      }
      if (sign !== 0) previousSign = sign;
    }
    equity[i] = cash + (heldLots / lotsPerUnit) * c;
  }
  return { fills, finalEquity: equity[n - 1]!, equity };
}
