// Seeded pseudo-random numbers: xoshiro128** (32-bit state words), 53-bit uniforms, Marsaglia polar normals.

/** Mixes a 32-bit counter into a well-spread 32-bit word (used only to expand the seed into state). */
function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

const TWO_POW_26 = 67_108_864;
const TWO_POW_53 = 9_007_199_254_740_992;

/** xoshiro128** generator. Same seed, same stream, on every platform. */
export class Xoshiro128 {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(seed: number) {
    let c = seed >>> 0;
    c = (c + 0x9e3779b9) >>> 0;
    this.s0 = mix32(c);
    c = (c + 0x9e3779b9) >>> 0;
    this.s1 = mix32(c);
    c = (c + 0x9e3779b9) >>> 0;
    this.s2 = mix32(c);
    c = (c + 0x9e3779b9) >>> 0;
    this.s3 = mix32(c);
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** Next unsigned 32-bit integer. */
  nextUint32(): number {
    const s1 = this.s1;
    const m = Math.imul(s1, 5);
    const result = Math.imul((m << 7) | (m >>> 25), 9) >>> 0;
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = (this.s3 << 11) | (this.s3 >>> 21);
    return result;
  }

  /** The four state words (for bulk generators that keep the state in locals). */
  getState(): [number, number, number, number] {
    return [this.s0, this.s1, this.s2, this.s3];
  }

  setState(s0: number, s1: number, s2: number, s3: number): void {
    this.s0 = s0;
    this.s1 = s1;
    this.s2 = s2;
    this.s3 = s3;
  }

  /** Uniform double in [0, 1) with 53 random bits. */
  nextDouble(): number {
    const hi = this.nextUint32() >>> 5;
    const lo = this.nextUint32() >>> 6;
    return (hi * TWO_POW_26 + lo) / TWO_POW_53;
  }
}

/** Standard normal draws by the Marsaglia polar method; the second value of each pair is kept for the next call. */
export class NormalSampler {
  private spare = 0;
  private hasSpare = false;

  constructor(private readonly rng: Xoshiro128) {}

  next(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    const rng = this.rng;
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * rng.nextDouble() - 1;
      v = 2 * rng.nextDouble() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    this.spare = v * f;
    this.hasSpare = true;
    return u * f;
  }

  /**
   * Fills `out` with independent standard normals (no allocation). Produces exactly the values that
   * repeated `next()` calls would; the generator state is held in locals for speed.
   */
  fill(out: Float64Array): void {
    let i = 0;
    const n = out.length;
    if (n === 0) return;
    if (this.hasSpare) {
      out[i++] = this.spare;
      this.hasSpare = false;
    }
    let [s0, s1, s2, s3] = this.rng.getState();
    while (i < n) {
      let u: number;
      let v: number;
      let s: number;
      do {
        // Four xoshiro128** steps: two 53-bit uniforms.
        let m = Math.imul(s1, 5);
        const a = Math.imul((m << 7) | (m >>> 25), 9) >>> 5;
        let t = s1 << 9;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = (s3 << 11) | (s3 >>> 21);
        m = Math.imul(s1, 5);
        const b = Math.imul((m << 7) | (m >>> 25), 9) >>> 6;
        t = s1 << 9;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = (s3 << 11) | (s3 >>> 21);
        m = Math.imul(s1, 5);
        const c = Math.imul((m << 7) | (m >>> 25), 9) >>> 5;
        t = s1 << 9;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = (s3 << 11) | (s3 >>> 21);
        m = Math.imul(s1, 5);
        const d = Math.imul((m << 7) | (m >>> 25), 9) >>> 6;
        t = s1 << 9;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = (s3 << 11) | (s3 >>> 21);
        u = (2 * (a * TWO_POW_26 + b)) / TWO_POW_53 - 1;
        v = (2 * (c * TWO_POW_26 + d)) / TWO_POW_53 - 1;
        s = u * u + v * v;
      } while (s >= 1 || s === 0);
      const f = Math.sqrt((-2 * Math.log(s)) / s);
      out[i++] = u * f;
      if (i < n) out[i++] = v * f;
      else {
        this.spare = v * f;
        this.hasSpare = true;
      }
    }
    this.rng.setState(s0, s1, s2, s3);
  }
}
