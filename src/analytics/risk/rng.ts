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
  /** The four state words s0..s3 (bulk generators step them directly with `uniform53`). */
  readonly state = new Int32Array(4);

  constructor(seed: number) {
    let c = seed >>> 0;
    for (let k = 0; k < 4; k++) {
      c = (c + 0x9e3779b9) >>> 0;
      this.state[k] = mix32(c);
    }
    if ((this.state[0]! | this.state[1]! | this.state[2]! | this.state[3]!) === 0) this.state[0] = 1;
  }

  /** Next unsigned 32-bit integer. */
  nextUint32(): number {
    return step(this.state);
  }

  /** Uniform double in [0, 1) with 53 random bits. */
  nextDouble(): number {
    return uniform53(this.state);
  }
}

/** One xoshiro128** step on `state` (s0..s3), returning the unsigned 32-bit output; small enough for V8 to inline. */
function step(state: Int32Array): number {
  const s1 = state[1]!;
  const m = Math.imul(s1, 5);
  const result = Math.imul((m << 7) | (m >>> 25), 9) >>> 0;
  const s2 = state[2]! ^ state[0]!;
  const s3 = state[3]! ^ s1;
  state[1] = s1 ^ s2;
  state[0] = state[0]! ^ s3;
  state[2] = s2 ^ (s1 << 9);
  state[3] = (s3 << 11) | (s3 >>> 21);
  return result;
}

/** A uniform double in [0, 1) with 53 random bits from two steps, as `Xoshiro128.nextDouble`. */
function uniform53(state: Int32Array): number {
  const hi = step(state) >>> 5;
  const lo = step(state) >>> 6;
  return (hi * TWO_POW_26 + lo) / TWO_POW_53;
}

/** Standard normal draws by the Marsaglia polar method; the second value of each pair is kept for the next call. */
export class NormalSampler {
  private spare = 0;
  private hasSpare = false;
  private readonly one = new Float64Array(1);

  constructor(private readonly rng: Xoshiro128) {}

  next(): number {
    this.fill(this.one);
    return this.one[0]!;
  }

  /** Fills `out` with independent standard normals (no allocation): exactly the values repeated `next()` calls would give. */
  fill(out: Float64Array): void {
    const n = out.length;
    let i = 0;
    if (n > 0 && this.hasSpare) {
      out[i++] = this.spare;
      this.hasSpare = false;
    }
    const state = this.rng.state;
    while (i < n) {
      let u: number;
      let v: number;
      let s: number;
      do {
        u = 2 * uniform53(state) - 1;
        v = 2 * uniform53(state) - 1;
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
  }
}
