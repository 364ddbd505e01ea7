// Data quality between a session's data clients and the kernel (SessionDataQuality): withheld bars,
// jumps passed on at once, consensus with one and with two references, failover of marks to a
// reference while the venue is silent and back. Real monitor and failover selector, a recording target.
import { describe, expect, it } from 'vitest';
import { SessionDataQuality, type QualityEvent, type QualityTarget } from '../../src/app/session/data-quality.ts';
import type { Bar } from '../../src/core/bar.ts';
import type { BookSnapshot } from '../../src/core/book.ts';
import { BreakerCause, BreakerLevel } from '../../src/engines/risk/codes.ts';
import { SimulatedClock } from '../../src/common/clock.ts';
import { Harness } from '../risk/helpers.ts';

const MINUTE = 60_000;
const T0 = Date.UTC(2024, 0, 2, 10, 0, 0);
const SYMBOL = 'BTC/USDT';

class Recorder implements QualityTarget {
  readonly bars: Bar[] = [];
  readonly books: BookSnapshot[] = [];
  readonly referenceBars: Bar[] = [];
  /** Source of each mark, in order: 'venue' for onBar, 'ref' for onReferenceBar. */
  readonly marks: Array<{ by: string; price: number }> = [];
  onBar(bar: Bar): void {
    this.bars.push(bar);
    this.marks.push({ by: 'venue', price: bar.close });
  }
  onBook(book: BookSnapshot): void {
    this.books.push(book);
  }
  onReferenceBar(bar: Bar): void {
    this.referenceBars.push(bar);
    this.marks.push({ by: 'ref', price: bar.close });
  }
}

/** The i-th 1-minute bar (opens at T0 + i minutes) around `close`. */
function bar(i: number, close: number, fields: Partial<Bar> = {}): Bar {
  const open = fields.open ?? close;
  return { symbol: SYMBOL, openTime: T0 + i * MINUTE, closeTime: T0 + (i + 1) * MINUTE, open, high: Math.max(open, close) * 1.001, low: Math.min(open, close) * 0.999, close, volume: 5, ...fields };
}

function setup(references: string[]): { q: SessionDataQuality; target: Recorder; clock: SimulatedClock; events: QualityEvent[]; lines: string[] } {
  const target = new Recorder();
  const clock = new SimulatedClock(T0);
  const events: QualityEvent[] = [];
  const lines: string[] = [];
  const q = new SessionDataQuality({ target, clock, references, log: (line) => lines.push(line), onEvent: (e) => events.push(e) });
  q.venue.barInterval!(SYMBOL, MINUTE);
  for (const name of references) q.reference(name).barInterval!(SYMBOL, MINUTE);
  return { q, target, clock, events, lines };
}

/** Bar i of each source (`venue` first, then references in order) at its close plus a few ms; null: silent. */
function round(s: ReturnType<typeof setup>, i: number, prices: Record<string, number | null>): void {
  let delay = 20;
  for (const [source, price] of Object.entries(prices)) {
    if (price === null) continue;
    s.clock.advanceTo(T0 + (i + 1) * MINUTE + delay);
    delay += 10;
    (source === 'venue' ? s.q.venue : s.q.reference(source)).onBar(bar(i, price));
  }
}

describe('SessionDataQuality', () => {
  it('(a) two references: one quoting 3% off is an outlier and never marks, also while failed over', () => {
    const s = setup(['ref1', 'ref2']);
    expect(s.q.config.consensusThreshold).toBe(0.02);
    round(s, 0, { venue: 100, ref1: 100, ref2: 101.5 }); // 1.5% from the median: within the session's 2%
    expect(s.events.filter((e) => e.kind === 'outlier')).toEqual([]);
    for (let i = 1; i < 4; i++) round(s, i, { venue: 100, ref1: 100, ref2: 103 });
    expect(s.target.bars.map((b) => b.close)).toEqual([100, 100, 100, 100]);
    const outliers = s.events.filter((e) => e.kind === 'outlier');
    expect(outliers.map((e) => [e.source, e.severity])).toEqual([['ref2', 'warning']]); // once, not per update
    expect(outliers[0]!.detail).toMatch(/median/);
    expect(s.q.summary().outliers).toBeGreaterThanOrEqual(3);
    expect(s.q.summary().levels).toMatchObject({ venue: 'EXCELLENT', ref1: 'EXCELLENT', ref2: 'INVALID' });

    // the venue goes silent: marks move to ref1, never to the outlier ref2
    for (let i = 4; i < 9; i++) {
      round(s, i, { venue: null, ref1: 100 + i * 0.01, ref2: 103 });
      for (let t = 0; t < 60; t++) s.q.tick(s.clock.now() + t * 1000);
    }
    expect(s.q.active(SYMBOL)).toBe('ref1');
    expect(s.target.referenceBars.length).toBeGreaterThan(0);
    expect(s.target.marks.filter((m) => m.by === 'ref').every((m) => Math.abs(m.price - 100) < 0.1)).toBe(true);
    expect(s.events.filter((e) => e.kind === 'failover').map((e) => e.source)).toEqual(['ref1']);
  });

  it('(a2) two references: a venue bar 3% from their median is withheld, marks move to a reference until the venue is back in line', () => {
    const s = setup(['ref1', 'ref2']);
    round(s, 0, { ref1: 100, ref2: 100.2, venue: 100.1 });
    round(s, 1, { ref1: 100, ref2: 100.2, venue: 103.1 });
    expect(s.target.bars.map((b) => b.close)).toEqual([100.1]);
    expect(s.q.summary()).toMatchObject({ withheld: 1, outliers: 1, failovers: 1 });
    expect(s.events.filter((e) => e.kind === 'outlier').map((e) => [e.source, e.severity])).toEqual([['venue', 'alert']]);
    expect(s.events.find((e) => e.kind === 'withheld')!.detail).toMatch(/CONSENSUS .*median 100\.1/);
    expect(s.q.active(SYMBOL)).toBe('ref1');
    round(s, 2, { ref1: 100.3, ref2: 100.4, venue: 100.35 });
    expect(s.target.marks).toEqual([{ by: 'venue', price: 100.1 }, { by: 'ref', price: 100.3 }, { by: 'venue', price: 100.35 }]);
    expect(s.q.active(SYMBOL)).toBe('venue');
    expect(s.events.filter((e) => e.kind === 'failover').map((e) => e.detail)).toEqual([expect.stringMatching(/venue -> ref1 \(INVALID/), expect.stringMatching(/ref1 -> venue \(RECOVERED/)]);
  });

  it('(b) one reference 3% off: the venue bar is passed on and the disagreement is an alert-level event', () => {
    const s = setup(['ref1']);
    for (let i = 0; i < 3; i++) round(s, i, { ref1: 100, venue: 100 });
    // the venue moves 3% and the reference does not follow: the monitor's two-source rule blames the
    // venue (it moved from the agreed level), but with one reference the venue's own price wins
    // (three rounds in which the reference's bar comes first and the venue's fails the monitor's consensus, then one the other way)
    for (let i = 3; i < 7; i++) round(s, i, i < 6 ? { ref1: 100, venue: 103 } : { venue: 103, ref1: 100 });
    expect(s.target.bars.map((b) => b.close)).toEqual([100, 100, 100, 103, 103, 103, 103]);
    expect(s.q.summary().withheld).toBe(0);
    const disagreements = s.events.filter((e) => e.kind === 'disagreement');
    expect(disagreements.map((e) => e.severity)).toEqual(['alert']); // once, not per update
    expect(disagreements[0]!.detail).toMatch(/2\.91% from the venue's 103.*venue's price is used/);
    // marks stay on the venue (no failover although its updates fail the monitor's consensus)
    expect(s.q.active(SYMBOL)).toBe('venue');
    expect(s.target.referenceBars).toEqual([]);
    expect(s.q.summary().levels.venue).toBe('EXCELLENT');
    expect(s.events.some((e) => e.kind === 'outlier' || e.kind === 'failover')).toBe(false);
    // the venue goes silent: the reference, usable and healthy, takes over
    round(s, 7, { venue: null, ref1: 100 });
    round(s, 8, { venue: null, ref1: 100 });
    expect(s.q.active(SYMBOL)).toBe('ref1');
    expect(s.target.referenceBars.map((b) => b.openTime)).toEqual([T0 + 8 * MINUTE]);
    // they agree again: an info event, and the venue marks again
    round(s, 9, { ref1: 100.4, venue: 100.5 });
    expect(s.events.filter((e) => e.kind === 'disagreement').map((e) => e.severity)).toEqual(['alert', 'info']);
    expect(s.q.active(SYMBOL)).toBe('venue');
  });

  it('(c) a venue bar with high < low is withheld from the kernel, counted and reported', () => {
    const s = setup([]);
    round(s, 0, { venue: 100 });
    s.clock.advanceTo(T0 + 2 * MINUTE + 20);
    s.q.venue.onBar(bar(1, 100, { open: 100, high: 99, low: 101 }));
    round(s, 2, { venue: 100 });
    expect(s.target.bars.map((b) => b.openTime)).toEqual([T0, T0 + 2 * MINUTE]);
    expect(s.q.summary().withheld).toBe(1);
    const withheld = s.events.find((e) => e.kind === 'withheld')!;
    expect(withheld).toMatchObject({ source: 'venue', symbol: SYMBOL, severity: 'warning' });
    expect(withheld.detail).toMatch(/OHLC high 99 below/);
    expect(s.lines.some((l) => l.includes('withheld'))).toBe(true);
    // the level went INVALID and back
    expect(s.events.filter((e) => e.kind === 'level').map((e) => e.level)).toEqual(['EXCELLENT', 'INVALID', 'EXCELLENT']);
  });

  it('(d) a 15% crash bar is passed on at once, flagged as a jump, and reaches the breakers of a real kernel', () => {
    const h = new Harness({ instruments: undefined, capital: 100_000 });
    const events: QualityEvent[] = [];
    const forwarded: Bar[] = [];
    const q = new SessionDataQuality({
      target: {
        onBar: (b) => {
          forwarded.push(b);
          h.kernel.onBar(b);
        },
        onBook: (b) => h.kernel.onBook(b),
        onReferenceBar: () => {
          throw new Error('no references here');
        },
      },
      clock: h.clock,
      references: [],
      log: () => {},
      onEvent: (e) => events.push(e),
    });
    const feed = (i: number, close: number, open = close): Bar => {
      const b = { ...bar(i, close, { open, high: Math.max(open, close), low: Math.min(open, close) }), symbol: h.symbol };
      h.clock.advanceTo(b.closeTime + 20);
      q.venue.onBar(b);
      return b;
    };
    feed(0, 100);
    h.buy(900); // 90% of equity, filled at the next open
    feed(1, 100);
    feed(2, 100);
    expect(h.position()).toBe(900);
    expect(h.risk.level).toBe(BreakerLevel.Normal);

    const crash = feed(3, 85, 100);
    expect(forwarded.at(-1)).toBe(crash);
    expect(h.risk.level).toBe(BreakerLevel.HaltNewPositions);
    expect(h.breakerEvents.map((e) => e.cause)).toContain(BreakerCause.DailyLoss);
    const jump = events.filter((e) => e.kind === 'jump');
    expect(jump).toHaveLength(1);
    expect(jump[0]).toMatchObject({ source: 'venue', severity: 'warning', level: 'INVALID' });
    expect(jump[0]!.detail).toMatch(/15\.00% from the previous good price 100 to 85/);
    expect(q.summary().withheld).toBe(0);

    // later bars at the new level confirm it (the monitor accepts the 3rd)
    feed(4, 85.2);
    feed(5, 85.1);
    expect(forwarded).toHaveLength(6);
    expect(events.filter((e) => e.kind === 'jump').map((e) => e.severity)).toEqual(['warning', 'info']);
    expect(events.filter((e) => e.kind === 'jump')[1]!.detail).toMatch(/confirmed/);
    expect(events.some((e) => e.kind === 'failover')).toBe(false);
  });

  it('(d2) one lagging reference: the venue\'s crash marks at once and marking stays on the venue', () => {
    const s = setup(['ref1']);
    for (let i = 0; i < 3; i++) round(s, i, { ref1: 100, venue: 100 });
    round(s, 3, { ref1: 100, venue: 85 });
    round(s, 4, { ref1: 100, venue: 85 });
    expect(s.target.marks.slice(-2)).toEqual([{ by: 'venue', price: 85 }, { by: 'venue', price: 85 }]);
    expect(s.target.referenceBars).toEqual([]);
    expect(s.q.active(SYMBOL)).toBe('venue');
    expect(s.events.filter((e) => e.kind !== 'level').map((e) => `${e.kind} ${e.source} ${e.severity}`)).toEqual(['jump venue warning', 'disagreement ref1 alert']);
  });

  it('(e) venue silent: the reference marks from its next bar after the venue turns stale; the venue takes marking back when it sends again', () => {
    const s = setup(['ref1']);
    for (let i = 0; i < 3; i++) round(s, i, { venue: 100, ref1: 100.1 });
    expect(s.target.referenceBars).toEqual([]);
    const staleAfter = s.q.config.barStaleMs; // 60 s past the next bar's due close
    expect(staleAfter).toBe(2 * MINUTE);

    // the venue stops; a tick every second, the reference keeps sending (2 s after each close)
    const lastVenueClose = T0 + 3 * MINUTE;
    const referenceBarsAt: number[] = [];
    for (let i = 3; i < 8; i++) {
      const at = T0 + (i + 1) * MINUTE + 2_000;
      for (let t = Math.ceil(s.clock.now() / 1000) * 1000; t < at; t += 1000) {
        s.clock.advanceTo(t);
        s.q.tick(t);
      }
      s.clock.advanceTo(at);
      s.q.reference('ref1').onBar(bar(i, 100.1 + i));
      referenceBarsAt.push(at);
    }
    const failovers = s.events.filter((e) => e.kind === 'failover');
    expect(failovers).toHaveLength(1);
    expect(failovers[0]).toMatchObject({ source: 'ref1', severity: 'alert' });
    expect(failovers[0]!.detail).toMatch(/venue -> ref1 \(STALE/);
    // decided by the tick within a second of the limit, before the reference's next bar
    expect(failovers[0]!.time - lastVenueClose).toBeGreaterThan(staleAfter);
    expect(failovers[0]!.time - lastVenueClose).toBeLessThanOrEqual(staleAfter + 1000);
    expect(s.events.some((e) => e.kind === 'level' && e.source === 'venue' && e.level === 'STALE' && e.severity === 'alert')).toBe(true);
    // the reference's first bar after the switch, and every one after it, marked (marks and risk only: nothing reached onBar)
    expect(failovers[0]!.time).toBeLessThan(referenceBarsAt[1]!);
    expect(s.target.referenceBars.map((b) => b.close)).toEqual([104.1, 105.1, 106.1, 107.1]);
    expect(s.target.bars).toHaveLength(3);

    // the venue is back: its bar goes to onBar and marking returns to it at once
    round(s, 8, { venue: 108.2, ref1: 108.1 });
    round(s, 9, { venue: 109.2, ref1: 109.1 });
    expect(s.target.bars.map((b) => b.close)).toEqual([100, 100, 100, 108.2, 109.2]);
    expect(s.target.marks.slice(-2)).toEqual([{ by: 'venue', price: 108.2 }, { by: 'venue', price: 109.2 }]);
    expect(s.q.active(SYMBOL)).toBe('venue');
    expect(s.events.filter((e) => e.kind === 'failover').map((e) => `${e.source} ${e.severity}`)).toEqual(['ref1 alert', 'venue info']);
    expect(s.q.summary()).toMatchObject({ failovers: 2, withheld: 0, levels: { venue: 'EXCELLENT', ref1: 'EXCELLENT' } });
  });

  it('(e2) without a tick, the reference update that finds the venue stale switches and marks at once', () => {
    const s = setup(['ref1']);
    round(s, 0, { venue: 100, ref1: 100 });
    round(s, 1, { venue: null, ref1: 100 }); // the venue's last close is 60 s old: within the limit (120 s)
    expect(s.target.referenceBars).toEqual([]);
    round(s, 2, { venue: null, ref1: 100.5 }); // 120.02 s: past it
    expect(s.target.referenceBars.map((b) => b.close)).toEqual([100.5]);
    expect(s.events.filter((e) => e.kind === 'failover')).toHaveLength(1);
  });

  it('warm-up: history is checked (broken bars withheld) but not graded on age and not failed over on', () => {
    const s = setup(['ref1']);
    s.clock.advanceTo(T0 + 100 * MINUTE + 20);
    s.q.warmingUp(true);
    for (let i = 0; i < 100; i++) s.q.venue.onBar(i === 50 ? bar(i, 100, { high: 99, low: 101 }) : bar(i, 100));
    for (let i = 0; i < 100; i++) s.q.reference('ref1').onBar(bar(i, 100));
    s.q.warmingUp(false);
    expect(s.target.bars).toHaveLength(99);
    expect(s.events.map((e) => e.kind)).toEqual(['withheld']);
    expect(s.q.summary().levels).toEqual({});
    expect(s.target.referenceBars).toEqual([]);
    // live: both send, then the venue goes silent and the reference (whose history did not count as failures) takes over
    for (let i = 100; i < 103; i++) round(s, i, { venue: 100, ref1: 100 });
    for (let i = 103; i < 106; i++) round(s, i, { venue: null, ref1: 100 });
    expect(s.q.active(SYMBOL)).toBe('ref1');
    expect(s.target.referenceBars.map((b) => b.openTime)).toEqual([T0 + 104 * MINUTE, T0 + 105 * MINUTE]);
  });

  it('level events: at once when usability changes, at most once a minute between usable levels', () => {
    const s = setup([]);
    const book = (time: number): BookSnapshot => ({ symbol: SYMBOL, time, bids: [[100, 1]], asks: [[100.1, 1]] });
    for (let i = 0; i < 320; i++) {
      const time = T0 + i * 200;
      s.clock.advanceTo(time + (i % 2 === 0 ? 50 : 150)); // EXCELLENT, GOOD, EXCELLENT, ...
      s.q.venue.onBook!(book(time));
    }
    expect(s.events.map((e) => e.level)).toEqual(['EXCELLENT', 'GOOD']); // 64 s of flapping: the first, then one change a minute later
    s.clock.advanceTo(T0 + 320 * 200 + 6_000);
    s.q.tick(s.clock.now()); // silent 6 s: STALE at once
    expect(s.events.map((e) => `${e.level} ${e.severity}`).at(-1)).toBe('STALE alert');
  });

  it('books are always passed on and judged; the summary caps its events and counts all', () => {
    const s = setup([]);
    const book = (time: number, bid: number, ask: number): BookSnapshot => ({ symbol: SYMBOL, time, bids: [[bid, 1]], asks: [[ask, 1]] });
    s.clock.advanceTo(T0 + 10);
    s.q.venue.onBook!(book(T0, 100, 100.1));
    s.q.venue.onBook!(book(T0 + 5, 100.2, 100)); // crossed: INVALID, still passed on (paper fills)
    expect(s.target.books).toHaveLength(2);
    expect(s.q.summary().levels.venue).toBe('INVALID');
    for (let i = 0; i < 250; i++) {
      s.clock.advanceTo(T0 + 1000 + i * 10);
      s.q.venue.onBar(bar(i, 100, { high: 99, low: 101 }));
    }
    const summary = s.q.summary();
    expect(summary.withheld).toBe(250);
    expect(summary.events).toHaveLength(200);
    expect(summary.eventCount).toBeGreaterThan(250);
    expect(s.q.summaryLine()).toMatch(/^data quality: venue INVALID; 250 bar\(s\) withheld, 0 outlier update\(s\), 0 failover\(s\), \d+ event\(s\)$/);
  });
});

describe('A-share daily limit moves', () => {
  it('a limit-up day (+10% from the previous close) is legal, a 15% move of a main-board share is a jump', async () => {
    const { legalBandOf } = await import('../../src/app/session/legal-band.ts');
    const { resolveInstrument } = await import('../../src/core/instrument-table.ts');
    const { Market } = await import('../../src/core/market.ts');
    const instrument = resolveInstrument('600519.SH', Market.AShare);
    const DAY = 86_400_000;
    const day = (i: number, preClose: number, close: number): Bar => ({
      symbol: '600519.SH', openTime: Date.UTC(2024, 0, 2 + i, 1, 30), closeTime: Date.UTC(2024, 0, 2 + i, 7), open: preClose, high: Math.max(preClose, close), low: Math.min(preClose, close), close, volume: 100, preClose,
    });
    const run = (withBand: boolean): QualityEvent[] => {
      const events: QualityEvent[] = [];
      const target = new Recorder();
      const clock = new SimulatedClock(Date.UTC(2024, 0, 2));
      const q = new SessionDataQuality({ target, clock, references: [], log: () => {}, onEvent: (e) => events.push(e), legalBand: withBand ? legalBandOf(() => instrument) : undefined });
      q.venue.barInterval!('600519.SH', DAY);
      const bars = [day(0, 100, 100), day(1, 100, 110), day(2, 110, 126.5)];
      for (const b of bars) {
        clock.advanceTo(b.closeTime);
        q.venue.onBar(b);
      }
      expect(target.bars, 'every bar reaches the kernel').toHaveLength(3);
      return events.filter((e) => e.kind === 'jump' && e.severity === 'warning');
    };
    // +10% (limit-up, legal) then +15% (beyond the 10% limit: a jump).
    const jumps = run(true);
    expect(jumps.map((e) => e.time)).toEqual([Date.UTC(2024, 0, 4, 7)]);
    // Without the band the limit-up day would be a jump as well: the band is what makes it legal.
    expect(run(false).map((e) => e.time)).toContain(Date.UTC(2024, 0, 3, 7));
  });
});
