// The exchange's own liquidity around the replayed price: a few ticks of spread, levels spaced evenly,
// sizes drawn (seeded) from the bar's volume, depleted by takers until the next bar refills them.
import { hashUnit } from './rng.ts';
import type { SymbolReplay } from './replay.ts';
import type { SymbolSpec } from './symbols.ts';

export type BookSide = 'bid' | 'ask';

/** How deep a taker may walk the synthetic book before the rest of a market order expires. */
export const MAX_SYNTHETIC_LEVELS = 2000;

export class SyntheticBook {
  /** Book epoch: one data interval; sizes are drawn per epoch and depletion resets with it. */
  private epoch = Number.NaN;
  bestBidTick = 0;
  bestAskTick = 0;
  gapTicks = 1;
  private volumeBase = 0;
  private readonly consumed: Record<BookSide, Map<number, bigint>> = { bid: new Map(), ask: new Map() };
  private readonly tickSize: number;
  private readonly stepSize: number;

  constructor(
    private readonly spec: SymbolSpec,
    private readonly replay: SymbolReplay,
    private readonly seed: number,
  ) {
    this.tickSize = Number(spec.tick) / 1e8;
    this.stepSize = Number(spec.step) / 1e8;
  }

  /** Re-centre on the replayed price at `time`. */
  update(time: number): void {
    const epoch = Math.floor(time / this.replay.intervalMs);
    if (epoch !== this.epoch) {
      this.epoch = epoch;
      this.consumed.bid.clear();
      this.consumed.ask.clear();
    }
    const price = this.replay.priceAt(time);
    const mid = Math.max(4, Math.round(price / this.tickSize));
    const spread = 2 + Math.floor(hashUnit(this.seed, this.spec.index, epoch, 7) * 3);
    this.bestBidTick = mid - Math.floor(spread / 2);
    this.bestAskTick = this.bestBidTick + spread;
    // Levels about 1e-5 of the price apart (BTC at 50,000: 0.50), at least one tick.
    this.gapTicks = Math.max(1, Math.round((price * 1e-5) / this.tickSize));
    const volume = Math.max(this.replay.volumeAt(time), 0.25 * this.replay.meanVolume);
    this.volumeBase = volume > 0 ? volume / 50 : 1000 * this.stepSize;
  }

  /** Price tick of level k (0 = best) on a side; undefined when it would be at or below zero. */
  levelTick(side: BookSide, k: number): number | undefined {
    const tick = side === 'bid' ? this.bestBidTick - k * this.gapTicks : this.bestAskTick + k * this.gapTicks;
    return tick > 0 ? tick : undefined;
  }

  /** Quantity (10^-8 units) resting at level k, after what takers consumed this epoch. */
  levelQty(side: BookSide, k: number): bigint {
    const tick = this.levelTick(side, k);
    if (tick === undefined) return 0n;
    const u = hashUnit(this.seed, this.spec.index, this.epoch, side === 'bid' ? 1 : 2, tick);
    const size = this.volumeBase * (0.25 + 1.5 * u) * (1 + k / 25);
    const steps = BigInt(Math.max(1, Math.floor(size / this.stepSize)));
    const qty = steps * this.spec.step;
    const left = qty - (this.consumed[side].get(tick) ?? 0n);
    return left > 0n ? left : 0n;
  }

  /** Level index of a price tick on the side's grid, or undefined when the tick is between levels. */
  levelOf(side: BookSide, tick: number): number | undefined {
    const distance = side === 'bid' ? this.bestBidTick - tick : tick - this.bestAskTick;
    if (distance < 0 || distance % this.gapTicks !== 0) return undefined;
    return distance / this.gapTicks;
  }

  consume(side: BookSide, tick: number, qty: bigint): void {
    this.consumed[side].set(tick, (this.consumed[side].get(tick) ?? 0n) + qty);
  }
}
