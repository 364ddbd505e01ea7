// The breakers' portfolio monitor (VAR_LIMIT, CORRELATION) against the definitions written out plainly:
// daily returns of each symbol (close over its previous close), kept only on the days every symbol
// has (inner join), the last `days` completed days, sample covariance (n - 1), parametric 95% VaR of
// the weighted portfolio. Symbols list on different days and skip days of their own.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normInv } from '../../src/analytics/risk/index.ts';
import { PortfolioMonitor } from '../../src/engines/risk/portfolio-monitor.ts';

interface History {
  days: number[];
  closes: number[];
}

/** Returns on the days all series share, by the definition (not by the monitor's cursors). */
function alignedReturns(histories: readonly History[]): number[][] {
  const returnDays = histories.map((h) => new Set(h.days.slice(1)));
  const common = histories[0]!.days.slice(1).filter((d) => returnDays.every((set) => set.has(d)));
  return histories.map((h) =>
    common.map((d) => {
      const i = h.days.indexOf(d);
      return h.closes[i]! / h.closes[i - 1]! - 1;
    }),
  );
}

function covariance(a: readonly number[], b: readonly number[]): number {
  const n = a.length;
  const ma = a.reduce((s, x) => s + x, 0) / n;
  const mb = b.reduce((s, x) => s + x, 0) / n;
  let sum = 0;
  for (let t = 0; t < n; t++) sum += (a[t]! - ma) * (b[t]! - mb);
  return sum / (n - 1);
}

const history = fc
  .record({
    start: fc.integer({ min: 0, max: 5 }),
    // Mostly consecutive days, with a gap now and then.
    steps: fc.array(fc.record({ gap: fc.oneof({ weight: 9, arbitrary: fc.constant(1) }, { weight: 1, arbitrary: fc.integer({ min: 2, max: 3 }) }), move: fc.double({ min: -0.1, max: 0.1, noNaN: true }) }), { minLength: 25, maxLength: 90, size: "max" }),
  })
  .map(({ start, steps }) => {
    const out: History = { days: [], closes: [] };
    let day = start;
    let close = 100;
    for (const step of steps) {
      out.days.push(day);
      out.closes.push(close);
      day += step.gap;
      close = Math.max(0.01, close * (1 + step.move));
    }
    return out;
  });

describe('the portfolio monitor of the breakers', () => {
  it('VaR and the most correlated pair follow the definitions on inner-joined daily returns', () => {
    let computed = 0;
    fc.assert(
      fc.property(fc.array(history, { minLength: 1, maxLength: 4 }), fc.integer({ min: 15, max: 60 }), (histories, keep) => {
        const monitor = new PortfolioMonitor(histories.length, keep);
        // Feed the days in time order across symbols, as the engine does.
        const events = histories.flatMap((h, s) => h.days.map((day, i) => ({ s, day, close: h.closes[i]! }))).sort((x, y) => x.day - y.day || x.s - y.s);
        for (const e of events) monitor.completeDay(e.s, e.day, e.close);
        // The monitor keeps the last keep + 1 closes of each symbol.
        const kept = histories.map((h) => ({ days: h.days.slice(-(keep + 1)), closes: h.closes.slice(-(keep + 1)) }));
        const returns = alignedReturns(kept);
        const n = returns[0]!.length;
        const weights = histories.map((_, i) => (i + 1) / histories.length);
        const exposures = weights.map((weight, index) => ({ index, weight }));
        const valueAtRisk = monitor.valueAtRisk(exposures);
        if (n < 20) {
          expect(valueAtRisk).toBeNaN();
          return;
        }
        let mean = 0;
        let variance = 0;
        for (let a = 0; a < histories.length; a++) {
          mean += weights[a]! * (returns[a]!.reduce((s, x) => s + x, 0) / n);
          for (let b = 0; b < histories.length; b++) variance += weights[a]! * weights[b]! * covariance(returns[a]!, returns[b]!);
        }
        computed++;
        const expected = -(mean - normInv(0.95) * Math.sqrt(Math.max(variance, 0)));
        expect(valueAtRisk).toBeCloseTo(expected, 12);
        if (histories.length >= 2) {
          const pair = monitor.mostCorrelatedPair(histories.map((_, i) => i))!;
          const correlation = (a: number, b: number): number => {
            const d = Math.sqrt(covariance(returns[a]!, returns[a]!) * covariance(returns[b]!, returns[b]!));
            return d > 0 ? covariance(returns[a]!, returns[b]!) / d : 0;
          };
          let best = -Infinity;
          for (let a = 0; a < histories.length; a++) for (let b = a + 1; b < histories.length; b++) best = Math.max(best, correlation(a, b));
          expect(pair.correlation).toBeCloseTo(best, 12);
        }
      }),
      { numRuns: 300, seed: 20261122 },
    );
    // Not only the "fewer than 20 returns" answer: most runs compare real numbers.
    expect(computed).toBeGreaterThan(50);
  });
});
