// Standard normal distribution: density, CDF and an accurate inverse CDF (Acklam start + Halley refinement).

const SQRT_2PI = Math.sqrt(2 * Math.PI);

/** Standard normal density. */
export function normPdf(x: number): number {
  return Math.exp(-0.5 * x * x) / SQRT_2PI;
}

/**
 * Upper tail Q(x) = 1 - Phi(x) for x >= 1 via the Laplace continued fraction of the Mills ratio,
 * Q(x) = pdf(x) / (x + 1/(x + 2/(x + 3/(x + ...)))), evaluated with the modified Lentz method.
 */
function upperTailCf(x: number): number {
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let k = 1; k < 5000; k++) {
    d = x + k * d;
    if (d === 0) d = tiny;
    d = 1 / d;
    c = x + k / c;
    if (c === 0) c = tiny;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return normPdf(x) / f;
}

/**
 * Phi(x) - 1/2 for |x| < 2 by the everywhere-positive series
 * pdf(x) * (x + x^3/3 + x^5/(3*5) + ...), which has no cancellation.
 */
function centralSeries(x: number): number {
  const x2 = x * x;
  let term = x;
  let sum = x;
  for (let n = 1; n < 200; n++) {
    term *= x2 / (2 * n + 1);
    sum += term;
    if (Math.abs(term) < 1e-17 * Math.abs(sum)) break;
  }
  return normPdf(x) * sum;
}

/** Standard normal CDF, with full relative accuracy in the lower tail. */
export function normCdf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x === Infinity) return 1;
  if (x === -Infinity) return 0;
  if (Math.abs(x) < 2) return 0.5 + centralSeries(x);
  return x < 0 ? upperTailCf(-x) : 1 - upperTailCf(x);
}

/** Lower-tail probability Phi(x) for x <= 0 with full relative accuracy. */
function lowerTail(x: number): number {
  return x > -2 ? 0.5 + centralSeries(x) : upperTailCf(-x);
}

// Acklam's rational approximation (relative error about 1.15e-9), used as the starting point.
const A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239] as const;
const B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1] as const;
const C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783] as const;
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416] as const;
const P_LOW = 0.02425;

/** Acklam's approximation for 0 < p <= 0.5. */
function acklamLower(p: number): number {
  if (p < P_LOW) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) /
      ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1)
    );
  }
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q) /
    (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1)
  );
}

/** Inverse for 0 < p <= 0.5 (result <= 0): Acklam start, then two Halley steps on lowerTail(x) = p. */
function invLower(p: number): number {
  let x = acklamLower(p);
  for (let step = 0; step < 2; step++) {
    const e = lowerTail(x) - p;
    const u = e * SQRT_2PI * Math.exp(0.5 * x * x);
    if (!Number.isFinite(u)) break;
    x -= u / (1 + 0.5 * x * u);
  }
  return x;
}

/**
 * Standard normal quantile Phi^-1(p). Accurate to a few ulps over (0, 1): for p > 1/2 it solves the
 * lower tail at 1 - p, which is exact in floating point there (Sterbenz), and flips the sign.
 */
export function normInv(p: number): number {
  if (Number.isNaN(p) || p < 0 || p > 1) return NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p === 0.5) return 0;
  return p < 0.5 ? invLower(p) : -invLower(1 - p);
}
