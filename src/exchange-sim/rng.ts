// Seeded randomness: a PRNG stream for faults and a stateless hash for book sizes (same seed, same book).

/** Mix 32-bit integers into one well-spread 32-bit hash (murmur3 finaliser per step). */
export function hash32(...values: number[]): number {
  let h = 0x9e3779b9;
  for (const value of values) {
    // Fold values beyond 32 bits so large price ticks or times still mix in completely.
    let v = (value % 4294967296) | 0;
    v ^= Math.floor(value / 4294967296) | 0;
    h = Math.imul(h ^ v, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return h >>> 0;
}

/** A uniform number in [0, 1) derived from the values. */
export function hashUnit(...values: number[]): number {
  return hash32(...values) / 4294967296;
}

/** mulberry32: a small, fast, seeded PRNG returning numbers in [0, 1). */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = hash32(seed) | 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** True with probability `rate` (always draws, so the stream stays aligned whatever the rate). */
  chance(rate: number): boolean {
    const u = this.next();
    return rate > 0 && u < rate;
  }
}
