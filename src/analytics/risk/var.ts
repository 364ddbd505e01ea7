// Value at Risk and Expected Shortfall by four methods. All results are POSITIVE fractions of
// portfolio value for losses (a negative number means even the tail is a gain).

import { normInv, normPdf } from './normal.ts';
import { NormalSampler, Xoshiro128 } from './rng.ts';
import { choleskyWithJitter, horizonReturns, quantileSorted, tailMeanSorted } from './stats.ts';

/** VaR and ES at one confidence level. */
export interface RiskEstimate {
  readonly confidence: number;
  readonly var: number;
  readonly es: number;
}

/** VaR / ES from an unsorted sample of horizon returns (the sample is sorted in place). */
export function empiricalRisk(sample: Float64Array, confidences: readonly number[]): RiskEstimate[] {
  sample.sort();
  return confidences.map((c) => {
    const q = quantileSorted(sample, 1 - c);
    return { confidence: c, var: -q, es: -tailMeanSorted(sample, q) };
  });
}

/**
 * Historical simulation: overlapping compounded N-bar returns of the portfolio's bar returns,
 * linear-interpolated quantile at alpha = 1 - confidence, ES = -(mean of the returns at or below it).
 */
export function historicalRisk(barReturns: ArrayLike<number>, horizon: number, confidences: readonly number[]): RiskEstimate[] {
  return empiricalRisk(horizonReturns(barReturns, horizon), confidences);
}

/**
 * Parametric normal: mean x N and sd x sqrt(N); VaR = -(mN - z sN), ES = -(mN - sN pdf(z) / alpha),
 * z = Phi^-1(confidence).
 */
export function parametricRisk(mean: number, sd: number, horizon: number, confidences: readonly number[]): RiskEstimate[] {
  const mN = mean * horizon;
  const sN = sd * Math.sqrt(horizon);
  return confidences.map((c) => {
    const alpha = 1 - c;
    const z = normInv(c);
    return { confidence: c, var: -(mN - z * sN), es: -(mN - (sN * normPdf(z)) / alpha) };
  });
}

/** Cornish-Fisher expansion of a standard normal quantile z given skewness S and excess kurtosis K. */
export function cornishFisherZ(z: number, skew: number, exKurt: number): number {
  const z2 = z * z;
  const z3 = z2 * z;
  return z + ((z2 - 1) * skew) / 6 + ((z3 - 3 * z) * exKurt) / 24 - ((2 * z3 - 5 * z) * skew * skew) / 36;
}

// Four-point Gauss-Legendre rule on [-1, 1].
const GL_X1 = Math.sqrt(3 / 7 - (2 / 7) * Math.sqrt(6 / 5));
const GL_X2 = Math.sqrt(3 / 7 + (2 / 7) * Math.sqrt(6 / 5));
const GL_W1 = (18 + Math.sqrt(30)) / 36;
const GL_W2 = (18 - Math.sqrt(30)) / 36;
const GL_NODES = [-GL_X2, -GL_X1, GL_X1, GL_X2];
const GL_WEIGHTS = [GL_W2, GL_W1, GL_W1, GL_W2];

/** Panels of the composite rule (x 4 nodes) and how far below z_alpha the integral starts. */
const CF_PANELS = 1000;
const CF_SPAN = 12;

/**
 * integral_0^alpha q(p) dp for q(p) = mN + sN z_cf(Phi^-1(p)), computed after the substitution
 * p = Phi(z): integral_{-inf}^{z_alpha} (mN + sN z_cf(z)) pdf(z) dz, truncated at z_alpha - 12
 * (the neglected mass is below 1e-30) with composite 4-point Gauss-Legendre on 1000 panels.
 */
function cornishFisherTailIntegral(mN: number, sN: number, skew: number, exKurt: number, zAlpha: number): number {
  const lo = zAlpha - CF_SPAN;
  const width = CF_SPAN / CF_PANELS;
  const half = width / 2;
  let total = 0;
  for (let p = 0; p < CF_PANELS; p++) {
    const mid = lo + (p + 0.5) * width;
    let panel = 0;
    for (let g = 0; g < GL_NODES.length; g++) {
      const z = mid + half * GL_NODES[g]!;
      panel += GL_WEIGHTS[g]! * (mN + sN * cornishFisherZ(z, skew, exKurt)) * normPdf(z);
    }
    total += panel * half;
  }
  return total;
}

/**
 * Cornish-Fisher: the lower-tail (loss side) quantile of returns is mN + z_cf sN with
 * z_cf = cornishFisherZ(Phi^-1(alpha), S, K); VaR = -(mN + z_cf sN), which equals the parametric
 * -(mN - z sN) when S = K = 0. ES = -(1/alpha) integral_0^alpha q_cf(p) dp (numerical).
 */
export function cornishFisherRisk(
  mean: number,
  sd: number,
  skew: number,
  exKurt: number,
  horizon: number,
  confidences: readonly number[],
): RiskEstimate[] {
  const mN = mean * horizon;
  const sN = sd * Math.sqrt(horizon);
  // The sum of N independent bar returns has skewness S/sqrt(N) and excess kurtosis K/N: the
  // expansion uses the horizon's own moments (identical for N = 1).
  const skewN = skew / Math.sqrt(horizon);
  const kurtN = exKurt / horizon;
  return confidences.map((c) => {
    const alpha = 1 - c;
    const zAlpha = normInv(alpha);
    const zcf = cornishFisherZ(zAlpha, skewN, kurtN);
    const integral = cornishFisherTailIntegral(mN, sN, skewN, kurtN, zAlpha);
    return { confidence: c, var: -(mN + zcf * sN), es: -integral / alpha };
  });
}

export interface MonteCarloInput {
  /** Mean bar return per asset. */
  readonly mean: ArrayLike<number>;
  /** Covariance of bar returns, k x k row-major. */
  readonly cov: Float64Array;
  readonly weights: ArrayLike<number>;
  readonly horizon: number;
  readonly paths: number;
  readonly seed: number;
  readonly confidences: readonly number[];
}

export interface MonteCarloResult {
  readonly estimates: RiskEstimate[];
  /** Diagonal jitter added to the covariance to factorise it (0 when it was positive definite). */
  readonly jitter: number;
}

/**
 * Monte Carlo: each path draws k independent standard normals z, the asset horizon returns are
 * R = N mu + sqrt(N) L z (L L^T = covariance; the same law as summing N independent bar draws), and the
 * portfolio return is w . R, evaluated as N (w . mu) + sqrt(N) (L^T w) . z so that a path costs O(k)
 * instead of O(k^2). VaR / ES are then taken over the paths exactly as in the historical method.
 */
export function monteCarloRisk(input: MonteCarloInput): MonteCarloResult {
  const k = input.weights.length;
  const { l, jitter } = choleskyWithJitter(input.cov, k);
  // v = L^T w: v_j = sum_{i >= j} w_i L_ij.
  const v = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    const w = input.weights[i]!;
    if (w === 0) continue;
    const oi = i * k;
    for (let j = 0; j <= i; j++) v[j] = v[j]! + w * l[oi + j]!;
  }
  let drift = 0;
  for (let i = 0; i < k; i++) {
    const mean = input.mean[i];
    if (mean === undefined) throw new Error(`mean return is missing for asset ${i}`);
    drift += input.weights[i]! * mean;
  }
  drift *= input.horizon;
  const scale = Math.sqrt(input.horizon);
  const sampler = new NormalSampler(new Xoshiro128(input.seed));
  const z = new Float64Array(k);
  const out = new Float64Array(input.paths);
  for (let p = 0; p < input.paths; p++) {
    sampler.fill(z);
    let s = 0;
    for (let j = 0; j < k; j++) s += v[j]! * z[j]!;
    out[p] = drift + scale * s;
  }
  return { estimates: empiricalRisk(out, input.confidences), jitter };
}
