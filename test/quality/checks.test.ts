// Per-update checks of DataQualityMonitor: staleness, jumps, OHLC sanity, gaps, crossed and unusable numbers, levels.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DataQualityMonitor, IssueCode, QualityLevel, resolveDataQualityConfig } from '../../src/engines/index.ts';
import { bar, MINUTE, quote, T0 } from './helpers.ts';

const codes = (a: { issues: readonly { code: string }[] }): string[] => a.issues.map((i) => i.code);

describe('staleness', () => {
  it('marks a live quote STALE once it is older than 5 s, not at 5 s', () => {
    const monitor = new DataQualityMonitor();
    const atLimit = monitor.onQuote(quote('A', 100, T0, 5_000));
    expect(atLimit.level).toBe(QualityLevel.Poor);
    const stale = monitor.onQuote(quote('A', 100, T0 + 1_000, 5_001));
    expect(stale.level).toBe(QualityLevel.Stale);
    expect(stale.issues).toEqual([expect.objectContaining({ code: IssueCode.Stale, value: 5_001, limit: 5_000 })]);
  });

  it('measures a bar from its close and marks it STALE after 60 s', () => {
    const monitor = new DataQualityMonitor();
    const b1 = bar();
    expect(monitor.onBar({ source: 'A', bar: b1, receivedTime: b1.closeTime + 59_000 }).level).toBe(QualityLevel.Poor);
    const b2 = bar({ openTime: T0 + MINUTE });
    const stale = monitor.onBar({ source: 'A', bar: b2, receivedTime: b2.closeTime + 60_001 });
    expect(stale.level).toBe(QualityLevel.Stale);
    expect(stale.issues[0]).toMatchObject({ code: IssueCode.Stale, value: 60_001, limit: 60_000 });
  });

  it('notices a silent feed: assessAge turns STALE once the last quote is older than the limit', () => {
    const monitor = new DataQualityMonitor();
    monitor.onQuote(quote('A', 100, T0));
    expect(monitor.assessAge('BTCUSDT', 'A', T0 + 4_000)!.level).toBe(QualityLevel.Excellent);
    const silent = monitor.assessAge('BTCUSDT', 'A', T0 + 6_000)!;
    expect(silent.level).toBe(QualityLevel.Stale);
    expect(silent.ageMs).toBe(6_000);
    expect(monitor.assessAge('BTCUSDT', 'B', T0)).toBeUndefined();
  });

  it('takes other limits from the config', () => {
    const monitor = new DataQualityMonitor({ quoteStaleMs: 1_000 });
    expect(monitor.onQuote(quote('A', 100, T0, 1_500)).level).toBe(QualityLevel.Stale);
  });
});

describe('quality level from latency', () => {
  it.each([
    [50, QualityLevel.Excellent],
    [300, QualityLevel.Good],
    [1_500, QualityLevel.Fair],
    [3_000, QualityLevel.Poor],
  ])('latency %i ms is %s', (latency, level) => {
    const monitor = new DataQualityMonitor();
    const assessment = monitor.onQuote(quote('A', 100, T0, latency));
    expect(assessment.level).toBe(level);
    expect(assessment.ageMs).toBe(latency);
    expect(assessment.issues).toEqual([]);
  });

  it('puts the boundaries in the worse level (100 ms is GOOD, 500 FAIR, 2000 POOR)', () => {
    const monitor = new DataQualityMonitor();
    expect(monitor.onQuote(quote('A', 100, T0, 100)).level).toBe(QualityLevel.Good);
    expect(monitor.onQuote(quote('A', 100, T0 + 1, 500)).level).toBe(QualityLevel.Fair);
    expect(monitor.onQuote(quote('A', 100, T0 + 2, 2_000)).level).toBe(QualityLevel.Poor);
  });
});

describe('price jump', () => {
  it('flags a 10% move from the previous good price and lets 9.9% through', () => {
    const up = new DataQualityMonitor();
    up.onQuote(quote('A', 100, T0));
    const jump = up.onQuote(quote('A', 110, T0 + 1_000));
    expect(jump.level).toBe(QualityLevel.Invalid);
    expect(jump.issues[0]).toMatchObject({ code: IssueCode.PriceJump, limit: 0.1 });
    expect(jump.issues[0]!.value).toBeCloseTo(0.1, 12);

    const small = new DataQualityMonitor();
    small.onQuote(quote('A', 100, T0));
    expect(small.onQuote(quote('A', 109.9, T0 + 1_000)).level).toBe(QualityLevel.Excellent);
  });

  it('flags a 10% drop too (0.9 / 1 - 1 is not exactly -0.1 in binary)', () => {
    const monitor = new DataQualityMonitor();
    monitor.onQuote(quote('A', 100, T0));
    expect(codes(monitor.onQuote(quote('A', 90, T0 + 1_000)))).toEqual([IssueCode.PriceJump]);
  });

  it('measures against the previous good price, not the rejected one', () => {
    const monitor = new DataQualityMonitor();
    monitor.onQuote(quote('A', 100, T0));
    expect(monitor.onQuote(quote('A', 150, T0 + 1_000)).level).toBe(QualityLevel.Invalid);
    // 105 is 30% below the rejected 150 but only 5% from the good 100
    expect(monitor.onQuote(quote('A', 105, T0 + 2_000)).level).toBe(QualityLevel.Excellent);
  });

  it('accepts an uncorroborated level shift on the third consecutive update at the new level', () => {
    const monitor = new DataQualityMonitor();
    monitor.onQuote(quote('A', 100, T0));
    expect(monitor.onQuote(quote('A', 80, T0 + 1_000)).level).toBe(QualityLevel.Invalid);
    expect(monitor.onQuote(quote('A', 80.2, T0 + 2_000)).level).toBe(QualityLevel.Invalid);
    expect(monitor.onQuote(quote('A', 80.1, T0 + 3_000)).level).toBe(QualityLevel.Excellent);
    expect(monitor.latest('BTCUSDT', 'A')!.lastGoodPrice).toBe(80.1);
    expect(monitor.onQuote(quote('A', 80, T0 + 4_000)).level).toBe(QualityLevel.Excellent);
  });

  it('accepts a jump at once when another source corroborates it', () => {
    const monitor = new DataQualityMonitor();
    monitor.onQuote(quote('A', 100, T0));
    monitor.onQuote(quote('B', 100, T0));
    expect(monitor.onQuote(quote('A', 85, T0 + 1_000)).level).toBe(QualityLevel.Invalid); // B still at 100
    const b = monitor.onQuote(quote('B', 85.1, T0 + 1_100)); // agrees with A's latest price
    expect(b.level).toBe(QualityLevel.Excellent);
    expect(monitor.onQuote(quote('A', 85, T0 + 2_000)).level).toBe(QualityLevel.Excellent);
  });
});

describe('OHLC sanity', () => {
  const check = (fields: Parameters<typeof bar>[0]) => new DataQualityMonitor().onBar({ source: 'A', bar: bar(fields), receivedTime: T0 + MINUTE + 10 });

  it('passes a sound bar', () => {
    const assessment = check({});
    expect(assessment.level).toBe(QualityLevel.Excellent);
    expect(assessment.issues).toEqual([]);
  });

  it('rejects high below the open', () => {
    const a = check({ open: 101.5, high: 101, close: 100 });
    expect(a.level).toBe(QualityLevel.Invalid);
    expect(a.issues).toEqual([expect.objectContaining({ code: IssueCode.Ohlc, value: 101, limit: 101.5 })]);
  });

  it('rejects high below the close', () => {
    expect(check({ high: 100.4, close: 100.5 }).issues).toEqual([expect.objectContaining({ code: IssueCode.Ohlc, value: 100.4, limit: 100.5 })]);
  });

  it('rejects low above the open', () => {
    expect(check({ open: 99, low: 99.5, close: 100 }).issues).toEqual([expect.objectContaining({ code: IssueCode.Ohlc, value: 99.5, limit: 99 })]);
  });

  it('rejects low above the close', () => {
    expect(check({ open: 100, low: 99.5, close: 99.2 }).issues).toEqual([expect.objectContaining({ code: IssueCode.Ohlc, value: 99.5, limit: 99.2 })]);
  });

  it('rejects negative volume and accepts zero volume', () => {
    expect(check({ volume: -1 }).issues).toEqual([expect.objectContaining({ code: IssueCode.Ohlc, value: -1, limit: 0 })]);
    expect(check({ volume: 0 }).level).toBe(QualityLevel.Excellent);
  });

  it('rejects a close time not after the open time', () => {
    expect(codes(check({ closeTime: T0 }))).toContain(IssueCode.Ohlc);
  });

  it.each([
    ['open', { open: 0 }],
    ['high', { high: Number.POSITIVE_INFINITY }],
    ['low', { low: -1 }],
    ['close', { close: Number.NaN }],
    ['volume', { volume: Number.NaN }],
  ])('rejects a %s that is not a finite positive number as NOT_FINITE', (field, fields) => {
    const a = check(fields);
    expect(a.level).toBe(QualityLevel.Invalid);
    expect(a.issues.find((i) => i.code === IssueCode.NotFinite)?.detail).toContain(field);
  });

  it('property: any bar with high < max(open, close) or low > min(open, close) is INVALID', () => {
    const price = fc.double({ min: 0.01, max: 1e6, noNaN: true });
    const cut = fc.double({ min: 1e-6, max: 0.5, noNaN: true });
    const spare = fc.double({ min: 0, max: 0.5, noNaN: true });
    // high cut below max(open, close), or low lifted above min(open, close), or both; the other side sound
    const broken = fc
      .record({ open: price, close: price, highCut: fc.option(cut), lowLift: fc.option(cut), up: spare, down: spare })
      .filter((r) => r.highCut !== null || r.lowLift !== null)
      .map(({ open, close, highCut, lowLift, up, down }) => {
        const top = Math.max(open, close);
        const bottom = Math.min(open, close);
        return {
          open,
          close,
          high: highCut !== null ? top * (1 - highCut) : top * (1 + up),
          low: lowLift !== null ? bottom * (1 + lowLift) : bottom * (1 - down),
        };
      })
      .filter(({ open, close, high, low }) => high < Math.max(open, close) || low > Math.min(open, close));
    fc.assert(
      fc.property(broken, fc.double({ min: 0, max: 1e9, noNaN: true }), (prices, volume) => {
        const a = new DataQualityMonitor().onBar({ source: 'A', bar: bar({ ...prices, volume }), receivedTime: T0 + MINUTE });
        expect(a.level).toBe(QualityLevel.Invalid);
        expect(codes(a)).toContain(IssueCode.Ohlc);
      }),
      { numRuns: 500 },
    );
  });

  it('property: a bar within its bounds and positive passes OHLC', () => {
    const price = fc.double({ min: 0.01, max: 1e6, noNaN: true });
    fc.assert(
      fc.property(price, price, fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 0.99, noNaN: true }), (open, close, up, down) => {
        const high = Math.max(open, close) * (1 + up);
        const low = Math.min(open, close) * (1 - down);
        const a = new DataQualityMonitor().onBar({ source: 'A', bar: bar({ open, close, high, low }), receivedTime: T0 + MINUTE });
        expect(codes(a)).not.toContain(IssueCode.Ohlc);
        expect(a.level).toBe(QualityLevel.Excellent);
      }),
      { numRuns: 300 },
    );
  });
});

describe('gaps', () => {
  it('counts the missing bars between two opens and keeps the level (GAP is informational)', () => {
    const monitor = new DataQualityMonitor();
    const first = bar();
    monitor.onBar({ source: 'A', bar: first, receivedTime: first.closeTime + 10 });
    const next = bar({ openTime: T0 + MINUTE });
    expect(monitor.onBar({ source: 'A', bar: next, receivedTime: next.closeTime + 10 }).issues).toEqual([]);
    const after = bar({ openTime: T0 + 5 * MINUTE });
    const a = monitor.onBar({ source: 'A', bar: after, receivedTime: after.closeTime + 10 });
    expect(a.issues).toEqual([expect.objectContaining({ code: IssueCode.Gap, value: 3, limit: 0 })]);
    expect(a.level).toBe(QualityLevel.Excellent);
  });

  it('tracks gaps per source and uses a given interval over the bar span', () => {
    const monitor = new DataQualityMonitor();
    const b = (openTime: number) => bar({ openTime, closeTime: openTime + 1_000 });
    monitor.onBar({ source: 'A', bar: b(T0), receivedTime: T0 + 1_010, intervalMs: MINUTE });
    monitor.onBar({ source: 'B', bar: b(T0), receivedTime: T0 + 1_010, intervalMs: MINUTE });
    const a = monitor.onBar({ source: 'A', bar: b(T0 + 3 * MINUTE), receivedTime: T0 + 3 * MINUTE + 1_010, intervalMs: MINUTE });
    expect(a.issues).toEqual([expect.objectContaining({ code: IssueCode.Gap, value: 2 })]);
    const bOk = monitor.onBar({ source: 'B', bar: b(T0 + MINUTE), receivedTime: T0 + MINUTE + 1_010, intervalMs: MINUTE });
    expect(bOk.issues).toEqual([]);
  });

  it('does not report a repeated or late bar as a gap', () => {
    const monitor = new DataQualityMonitor();
    for (const openTime of [T0, T0 + MINUTE, T0 + MINUTE, T0]) {
      const b = bar({ openTime });
      expect(monitor.onBar({ source: 'A', bar: b, receivedTime: T0 + 2 * MINUTE + 10 }).issues.filter((i) => i.code === IssueCode.Gap)).toEqual([]);
    }
  });
});

describe('quote sanity', () => {
  it('rejects a crossed quote and accepts a locked one', () => {
    const monitor = new DataQualityMonitor();
    const crossed = monitor.onQuote(quote('A', 100, T0, 50, { bid: 100.1, ask: 100 }));
    expect(crossed.level).toBe(QualityLevel.Invalid);
    expect(crossed.issues).toEqual([expect.objectContaining({ code: IssueCode.Crossed, value: 100.1, limit: 100 })]);
    expect(monitor.onQuote(quote('A', 100, T0 + 1, 50, { bid: 100, ask: 100 })).level).toBe(QualityLevel.Excellent);
  });

  it('rejects NaN, infinite and non-positive prices and times as NOT_FINITE', () => {
    const monitor = new DataQualityMonitor();
    for (const bad of [quote('A', Number.NaN, T0), quote('A', 0, T0), quote('A', -5, T0), quote('A', Number.POSITIVE_INFINITY, T0), quote('A', 100, Number.NaN), quote('A', 100, T0, 50, { bid: Number.NaN })]) {
      const a = monitor.onQuote(bad);
      expect(a.level).toBe(QualityLevel.Invalid);
      expect(codes(a)).toContain(IssueCode.NotFinite);
    }
    expect(monitor.health('A').consecutiveFailures).toBe(6);
  });
});

describe('consensus', () => {
  it('marks a source more than 1% from the median of two or more other sources', () => {
    const monitor = new DataQualityMonitor();
    monitor.onQuote(quote('A', 100, T0));
    monitor.onQuote(quote('B', 100.2, T0));
    monitor.onQuote(quote('C', 99.9, T0));
    const liar = monitor.onQuote(quote('D', 102, T0 + 10));
    expect(liar.level).toBe(QualityLevel.Invalid);
    expect(liar.issues[0]).toMatchObject({ code: IssueCode.Consensus, limit: 0.01 });
    expect(liar.issues[0]!.value).toBeCloseTo(0.02, 10);
    expect(monitor.onQuote(quote('D', 100.5, T0 + 20)).level).toBe(QualityLevel.Excellent);
  });

  it('leaves an outlier out of the median for the others (three sources, one 3% off)', () => {
    const monitor = new DataQualityMonitor();
    monitor.onQuote(quote('A', 100, T0));
    monitor.onQuote(quote('B', 100, T0));
    monitor.onQuote(quote('C', 100, T0));
    expect(monitor.onQuote(quote('B', 103, T0 + 1_000)).level).toBe(QualityLevel.Invalid);
    // with B in, A's median of the others would be 101.5 (1.5% off)
    expect(monitor.onQuote(quote('A', 100, T0 + 1_100)).level).toBe(QualityLevel.Excellent);
    expect(monitor.onQuote(quote('C', 100.1, T0 + 1_200)).level).toBe(QualityLevel.Excellent);
  });

  it('only compares prices within the freshness window', () => {
    const monitor = new DataQualityMonitor();
    monitor.onQuote(quote('A', 100, T0));
    expect(monitor.onQuote(quote('B', 103, T0 + 6_000)).level).toBe(QualityLevel.Excellent);
  });

  it('with one other source blames the one that moved away from its own last good price', () => {
    const monitor = new DataQualityMonitor();
    monitor.onQuote(quote('A', 100, T0));
    monitor.onQuote(quote('B', 100, T0));
    const b = monitor.onQuote(quote('B', 103, T0 + 1_000));
    expect(b.level).toBe(QualityLevel.Invalid);
    expect(b.issues[0]!.detail).toContain('B moved 3.00% from its own history');
    // A keeps its price: the disagreement is B's, so A passes and names B
    const a = monitor.onQuote(quote('A', 100.05, T0 + 1_100));
    expect(a.level).toBe(QualityLevel.Excellent);
    expect(monitor.latest('BTCUSDT', 'B')!.trusted).toBe(false);
  });

  it('with one other source and no history to tell them apart, health decides, then the update is blamed', () => {
    const monitor = new DataQualityMonitor();
    monitor.onQuote(quote('A', 100, T0));
    const first = monitor.onQuote(quote('B', 103, T0 + 10)); // B has no history: both moved 0 / unknown
    expect(first.level).toBe(QualityLevel.Invalid);
    expect(first.issues[0]!.detail).toContain('uncorroborated');

    const byHealth = new DataQualityMonitor();
    byHealth.health('A').recordFailure(T0 - 1, 'timeout');
    byHealth.health('A').recordSuccess(10, T0 - 1);
    byHealth.onQuote(quote('A', 100, T0));
    const b = byHealth.onQuote(quote('B', 103, T0 + 10)); // A's success rate 2/3 < B's (no results: 1)
    expect(b.level).toBe(QualityLevel.Excellent);
    expect(b.outliers).toEqual(['A']);
  });
});

describe('config', () => {
  it('has the documented defaults and rejects bad values', () => {
    const config = resolveDataQualityConfig();
    expect(config).toMatchObject({ quoteStaleMs: 5_000, barStaleMs: 60_000, priceJumpThreshold: 0.1, consensusThreshold: 0.01, latency: { excellentMs: 100, goodMs: 500, fairMs: 2_000 } });
    expect(resolveDataQualityConfig({ health: { maxConsecutiveFailures: 5 } }).health).toMatchObject({ maxConsecutiveFailures: 5, windowSize: 100 });
    expect(() => resolveDataQualityConfig({ quoteStaleMs: 0 })).toThrow(/quoteStaleMs/);
    expect(() => resolveDataQualityConfig({ latency: { goodMs: 50 } })).toThrow(/latency/);
    expect(() => resolveDataQualityConfig({ health: { minSuccessRate: 2 } })).toThrow(/minSuccessRate/);
  });
});
