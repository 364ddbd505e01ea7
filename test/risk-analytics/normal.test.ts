import { describe, expect, it } from 'vitest';
import { normCdf, normInv, normPdf } from '../../src/analytics/risk/normal.ts';

describe('inverse normal CDF', () => {
  it('hits the 95% and 99% quantiles to 1e-12', () => {
    expect(Math.abs(normInv(0.95) - 1.6448536269514722)).toBeLessThan(1e-12);
    expect(Math.abs(normInv(0.99) - 2.3263478740408408)).toBeLessThan(1e-12);
  });

  it('matches reference quantiles across the range', () => {
    const cases: Array<[number, number]> = [
      [1e-10, -6.361340902404056],
      [1e-5, -4.264890793922825],
      [0.001, -3.090232306167813],
      [0.01, -2.3263478740408408],
      [0.025, -1.9599639845400545],
      [0.05, -1.6448536269514729],
      [0.1, -1.2815515655446004],
      [0.3, -0.5244005127080409],
      [0.5, 0],
      [0.8, 0.8416212335729143],
      [0.975, 1.959963984540054],
      [0.999, 3.090232306167813],
    ];
    for (const [p, z] of cases) expect(Math.abs(normInv(p) - z)).toBeLessThan(1e-12 * Math.max(1, Math.abs(z)));
  });

  it('round-trips through the CDF with small relative error', () => {
    for (let k = 1; k < 400; k++) {
      const p = k / 400;
      expect(Math.abs(normCdf(normInv(p)) - p) / Math.min(p, 1 - p)).toBeLessThan(1e-13);
    }
    for (const p of [1e-300, 1e-50, 1e-15, 1e-8]) expect(Math.abs(normCdf(normInv(p)) - p) / p).toBeLessThan(1e-12);
  });

  it('is antisymmetric and handles the edges', () => {
    for (const p of [0.001, 0.05, 0.2, 0.4]) expect(normInv(1 - p)).toBeCloseTo(-normInv(p), 13);
    expect(normInv(0)).toBe(-Infinity);
    expect(normInv(1)).toBe(Infinity);
    expect(normInv(Number.NaN)).toBeNaN();
    expect(normInv(1.5)).toBeNaN();
  });

  it('CDF and density agree with known values', () => {
    expect(normCdf(0)).toBe(0.5);
    expect(normCdf(-1.959963984540054)).toBeCloseTo(0.025, 15);
    expect(normPdf(0)).toBeCloseTo(1 / Math.sqrt(2 * Math.PI), 16);
    expect(Math.abs(normCdf(-8) - 6.22096057427174e-16) / 6.22096057427174e-16).toBeLessThan(1e-13);
  });
});
