// Consensus marks a lying source and failover leaves it within the same update; hysteresis on return.
import { describe, expect, it } from 'vitest';
import { type FailoverEvent, FailoverReason, FailoverSelector } from '../../src/engines/data/quality/failover.ts';
import { DataQualityMonitor } from '../../src/engines/data/quality/monitor.ts';
import { ProviderHealth } from '../../src/engines/data/quality/provider-health.ts';
import { IssueCode, QualityLevel } from '../../src/engines/data/quality/types.ts';
import { quote, T0 } from './helpers.ts';

const SECOND = 1_000;
const fair = (round: number): number => 100 + round * 0.01;

describe('acceptance: two sources, one starts lying by 3%', () => {
  it('marks B CONSENSUS/INVALID, moves from B to A within that update, and returns to B after N good updates', () => {
    const monitor = new DataQualityMonitor();
    const selector = new FailoverSelector({ providers: ['B', 'A'], health: (p) => monitor.health(p), config: { failover: { returnAfterUpdates: 5 } } });
    const round = (i: number, bFactor: number): { b: FailoverEvent | undefined; a: FailoverEvent | undefined; bLevel: QualityLevel; bCodes: string[]; aLevel: QualityLevel; aOutliers: readonly string[] } => {
      const t = T0 + i * SECOND;
      const bAssessment = monitor.onQuote(quote('B', fair(i) * bFactor, t));
      const b = selector.onAssessment(bAssessment);
      const aAssessment = monitor.onQuote(quote('A', fair(i), t + 5));
      const a = selector.onAssessment(aAssessment);
      return { b, a, bLevel: bAssessment.level, bCodes: bAssessment.issues.map((x) => x.code), aLevel: aAssessment.level, aOutliers: aAssessment.outliers };
    };

    // they agree: B (the primary) stays active
    for (let i = 0; i < 20; i++) {
      const r = round(i, 1);
      expect([r.bLevel, r.aLevel, r.b, r.a]).toEqual([QualityLevel.Excellent, QualityLevel.Excellent, undefined, undefined]);
    }
    expect(selector.active('BTCUSDT')).toBe('B');

    // B lies: its own update is the outlier and the switch happens on that very update
    const lie = round(20, 1.03);
    expect(lie.bLevel).toBe(QualityLevel.Invalid);
    expect(lie.bCodes).toEqual([IssueCode.Consensus]);
    expect(lie.b).toMatchObject({ symbol: 'BTCUSDT', from: 'B', to: 'A', reason: FailoverReason.Invalid, time: T0 + 20 * SECOND + 50 });
    expect(lie.b!.detail).toContain('CONSENSUS');
    expect(selector.active('BTCUSDT')).toBe('A');
    // A's own check, against the lying B, names B and passes
    expect(lie.aLevel).toBe(QualityLevel.Excellent);
    expect(lie.aOutliers).toEqual(['B']);

    for (let i = 21; i < 24; i++) {
      const r = round(i, 1.03);
      expect(r.bLevel).toBe(QualityLevel.Invalid);
      expect(r.b ?? r.a).toBeUndefined();
    }
    expect(monitor.health('B').unhealthyReason()).toMatch(/consecutive failures/);

    // back in line: B needs 5 usable updates in a row before the selector returns to it
    for (let i = 24; i < 28; i++) {
      const r = round(i, 1);
      expect(r.bLevel).toBe(QualityLevel.Excellent);
      expect(r.b ?? r.a).toBeUndefined();
      expect(selector.active('BTCUSDT')).toBe('A');
    }
    const back = round(28, 1);
    expect(back.b).toMatchObject({ from: 'A', to: 'B', reason: FailoverReason.Recovered });
    expect(selector.events.map((e) => [e.from, e.to, e.reason])).toEqual([
      ['B', 'A', FailoverReason.Invalid],
      ['A', 'B', FailoverReason.Recovered],
    ]);
  });
});

describe('failover rules', () => {
  it('leaves a provider with 3 consecutive request failures and comes back after it recovers', () => {
    const monitor = new DataQualityMonitor({ failover: { returnAfterUpdates: 2 } });
    const selector = new FailoverSelector({ providers: ['A', 'B'], health: (p) => monitor.health(p), config: monitor.config });
    selector.onAssessment(monitor.onQuote(quote('A', 100, T0)));
    selector.onAssessment(monitor.onQuote(quote('B', 100, T0)));
    // a REST request of A fails: recorded on its health, then failover is decided again without an update
    const requestFails = (time: number, error: unknown) => {
      monitor.health('A').recordFailure(time, error);
      return selector.check('BTCUSDT', time);
    };
    expect(requestFails(T0 + 100, new Error('timeout'))).toBeUndefined();
    expect(requestFails(T0 + 200, 'timeout')).toBeUndefined();
    const event = requestFails(T0 + 300, 'timeout');
    expect(event).toMatchObject({ from: 'A', to: 'B', reason: FailoverReason.Unhealthy });
    expect(event!.detail).toContain('3 consecutive failures');
    // A's data is good again: two usable updates bring it back
    expect(selector.onAssessment(monitor.onQuote(quote('A', 100, T0 + 1_000)))).toBeUndefined();
    expect(selector.onAssessment(monitor.onQuote(quote('A', 100, T0 + 2_000)))).toMatchObject({ from: 'B', to: 'A', reason: FailoverReason.Recovered });
  });

  it('leaves a silent provider once its data is older than the staleness limit', () => {
    const monitor = new DataQualityMonitor();
    const selector = new FailoverSelector({ providers: ['A', 'B'], health: (p) => monitor.health(p), config: monitor.config });
    selector.onAssessment(monitor.onQuote(quote('A', 100, T0)));
    selector.onAssessment(monitor.onQuote(quote('B', 100, T0)));
    selector.onAssessment(monitor.onQuote(quote('B', 100, T0 + 4_000)));
    expect(selector.check('BTCUSDT', T0 + 5_000)).toBeUndefined();
    expect(selector.check('BTCUSDT', T0 + 5_100)).toMatchObject({ from: 'A', to: 'B', reason: FailoverReason.Stale });
  });

  it('stays with a failing provider when no other is usable', () => {
    const monitor = new DataQualityMonitor();
    const selector = new FailoverSelector({ providers: ['A', 'B'], health: (p) => monitor.health(p) });
    selector.onAssessment(monitor.onQuote(quote('A', 100, T0)));
    selector.onAssessment(monitor.onQuote(quote('B', 100, T0, 6_000))); // B stale
    expect(selector.onAssessment(monitor.onQuote(quote('A', Number.NaN, T0 + 1_000)))).toBeUndefined();
    expect(selector.active('BTCUSDT')).toBe('A');
    // once B is usable the pending failover happens on B's update
    expect(selector.onAssessment(monitor.onQuote(quote('B', 100, T0 + 1_000)))).toMatchObject({ from: 'A', to: 'B', reason: FailoverReason.Invalid });
  });

  it('gives a primary that has not reported a start-up grace, then fails over with NO_DATA', () => {
    const monitor = new DataQualityMonitor();
    const selector = new FailoverSelector({ providers: ['A', 'B'], health: (p) => monitor.health(p) });
    expect(selector.onAssessment(monitor.onQuote(quote('B', 100, T0)))).toBeUndefined();
    expect(selector.onAssessment(monitor.onQuote(quote('B', 100, T0 + 4_000)))).toBeUndefined();
    expect(selector.onAssessment(monitor.onQuote(quote('B', 100, T0 + 5_100)))).toMatchObject({ from: 'A', to: 'B', reason: FailoverReason.NoData });
  });

  it('picks the best usable provider: quality level first, then preference', () => {
    const monitor = new DataQualityMonitor();
    const selector = new FailoverSelector({ providers: ['A', 'B', 'C'], health: (p) => monitor.health(p) });
    selector.onAssessment(monitor.onQuote(quote('A', 100, T0)));
    selector.onAssessment(monitor.onQuote(quote('B', 100, T0, 1_500))); // FAIR
    selector.onAssessment(monitor.onQuote(quote('C', 100, T0, 300))); // GOOD
    const event = selector.onAssessment(monitor.onQuote(quote('A', 100, T0 - 2_000, 6_000))); // stale on arrival at T0 + 4 s
    expect(event).toMatchObject({ from: 'A', to: 'C', reason: FailoverReason.Stale });
  });

  it('moves away from a provider another source names the outlier, within that update', () => {
    // B reports first while A is out of the window (nothing to compare with), A then names B
    const m2 = new DataQualityMonitor();
    const s2 = new FailoverSelector({ providers: ['B', 'A'], health: (p) => m2.health(p) });
    s2.onAssessment(m2.onQuote(quote('A', 100, T0)));
    s2.onAssessment(m2.onQuote(quote('B', 100, T0)));
    expect(s2.onAssessment(m2.onQuote(quote('B', 103, T0 + 10_000)))).toBeUndefined(); // nobody to compare with
    const a = m2.onQuote(quote('A', 100, T0 + 10_010));
    expect(a.outliers).toEqual(['B']);
    expect(s2.onAssessment(a)).toMatchObject({ from: 'B', to: 'A', reason: FailoverReason.Outlier });
  });
});

describe('ProviderHealth', () => {
  it('keeps success rate, average and p95 latency over a window and the failure streak', () => {
    const health = new ProviderHealth('X', 10);
    for (let i = 1; i <= 8; i++) health.recordSuccess(i * 10, T0 + i);
    health.recordFailure(T0 + 9, new Error('HTTP 502'));
    health.recordFailure(T0 + 10, 'timeout');
    expect(health.successRate).toBeCloseTo(0.8, 12);
    expect(health.averageLatencyMs).toBe(45);
    expect(health.p95LatencyMs).toBe(80);
    expect(health.consecutiveFailures).toBe(2);
    expect(health.lastError).toBe('timeout');
    expect(health.isHealthy()).toBe(true);
    health.recordFailure(T0 + 11, 'timeout'); // pushes out the 10 ms success
    expect(health.successRate).toBeCloseTo(0.7, 12);
    expect(health.unhealthyReason()).toMatch(/3 consecutive failures/);
    health.recordSuccess(20, T0 + 12);
    expect(health.consecutiveFailures).toBe(0);
    expect(health.unhealthyReason()).toMatch(/success rate 70\.0%/);
    expect(health.snapshot()).toMatchObject({ provider: 'X', samples: 10, totalSuccesses: 9, totalFailures: 3, lastSuccessTime: T0 + 12, lastFailureTime: T0 + 11 });
  });

  it('is unhealthy when the p95 latency is above the limit', () => {
    const health = new ProviderHealth('X');
    for (let i = 0; i < 20; i++) health.recordSuccess(i < 18 ? 100 : 5_000, T0 + i);
    expect(health.p95LatencyMs).toBe(5_000);
    expect(health.unhealthyReason()).toMatch(/p95 latency 5000 ms/);
  });

  it('reports NaN statistics before the first result', () => {
    const health = new ProviderHealth('X');
    expect([health.successRate, health.averageLatencyMs, health.p95LatencyMs]).toEqual([NaN, NaN, NaN]);
    expect(health.isHealthy()).toBe(true);
  });
});
