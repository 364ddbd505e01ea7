// Every trigger of the breaker table, for the paper/backtest profile and the live profile: the level
// it reaches, the event it publishes (with value and threshold) and when it clears.
import { describe, expect, it } from 'vitest';
import { OrderStatus, OrderType } from '../../src/core/order.ts';
import { BreakerCause, BreakerLevel, DenialReason, RiskMode } from '../../src/engines/risk/codes.ts';
import { Topic } from '../../src/common/message-bus.ts';
import { ashareInstrument, cryptoInstrument } from '../sim/helpers.ts';
import { DAY, Harness, type HarnessOptions, HOUR, MINUTE, T0 } from './helpers.ts';

const L = BreakerLevel;
const C = BreakerCause;

/** Close time `day` days after T0 (Monday 2024-01-01) at hh:mm UTC. */
const t = (day: number, hours: number, minutes = 0): number => T0 + day * DAY + hours * HOUR + minutes * MINUTE;

/** The live breaker profile, with the mode's exposure cap lifted so one position can carry the loss. */
const LIVE: Pick<HarnessOptions, 'engine'> = { engine: { mode: RiskMode.LiveMinimal } };
const liveRisk = (breakers: Record<string, unknown> = {}): Record<string, unknown> => ({
  modes: { LIVE_MINIMAL: { totalExposure: 1, dailyLoss: 1 } },
  breakers: { live: breakers },
});

/** Capital `capital` fully invested at 100 (quantity capital / 100) by the close of T0 + 2 min; equity = quantity x price. */
function invested(options: HarnessOptions = {}, capital = 100_000): Harness {
  const h = new Harness({ capital, ...options });
  h.at(t(0, 0, 1), 100);
  h.buy(capital / 100);
  h.at(t(0, 0, 2), 100);
  expect(h.position()).toBe(capital / 100);
  return h;
}

const off = { enabled: false };

describe('paper and backtest profile', () => {
  it('DAILY_LOSS: 3% below the equity at the start of the day halts new positions until the next trading day (00:00 UTC)', () => {
    const h = invested();
    h.at(t(0, 10), 97.01);
    expect(h.risk.level).toBe(L.Normal);
    h.at(t(0, 11), 97);
    expect(h.risk.level).toBe(L.HaltNewPositions);
    expect(h.breakerEvents).toEqual([{ time: t(0, 11), level: L.HaltNewPositions, previousLevel: L.Normal, cause: C.DailyLoss, value: 0.03, threshold: 0.03 }]);
    // Recovering the same day does not clear it: the cooldown runs to the next trading day.
    h.at(t(0, 12), 100);
    h.at(t(0, 23, 59), 100);
    expect(h.risk.level).toBe(L.HaltNewPositions);
    h.buy(1);
    expect(h.lastDenial().reason).toBe(DenialReason.ReduceOnly);
    h.at(t(1, 0), 100);
    expect(h.risk.level).toBe(L.Normal);
    expect(h.breakerEvents[1]).toMatchObject({ time: t(1, 0), level: L.Normal, previousLevel: L.HaltNewPositions, cause: C.DailyLoss });
    // Past the breaker: the (fully invested) account now meets the balance check instead.
    h.buy(1);
    expect(h.lastDenial().reason).toBe(DenialReason.InsufficientBalance);
  });

  it('DAILY_LOSS on A-shares: the next trading day starts at 00:00 Asia/Shanghai (16:00 UTC)', () => {
    const h = new Harness({ instruments: [ashareInstrument()], capital: 100_000, start: Date.UTC(2024, 0, 2) });
    const session = (day: number, hh: number, mm: number): number => Date.UTC(2024, 0, 2 + day, hh - 8, mm);
    h.at(session(0, 9, 31), { close: 10, preClose: 10 });
    h.buy(10_000);
    h.at(session(0, 9, 32), { close: 10, preClose: 10 });
    h.at(session(0, 10, 0), { close: 9.7, preClose: 10 });
    expect(h.risk.level).toBe(L.HaltNewPositions);
    expect(h.risk.ladder.activeCauses()[0]).toMatchObject({ cause: C.DailyLoss, until: Date.UTC(2024, 0, 2, 16) });
    h.at(session(0, 15, 0), { close: 9.7, preClose: 10 });
    expect(h.risk.level).toBe(L.HaltNewPositions);
    h.at(session(1, 9, 31), { close: 9.7, preClose: 9.7 });
    expect(h.risk.level).toBe(L.Normal);
  });

  it('WEEKLY_LOSS: 7% below the equity at the start of the week (Monday) halts new positions until next Monday', () => {
    // Three days of 2-3% losses: no day reaches 3%, the week reaches exactly 7% of 1,000,000.
    const h = invested({}, 1_000_000);
    h.at(t(0, 10), 97.5);
    h.at(t(1, 10), 95);
    h.at(t(2, 9), 94);
    expect(h.risk.level).toBe(L.Normal);
    h.at(t(2, 10), 93);
    expect(h.risk.level).toBe(L.HaltNewPositions);
    expect(h.breakerEvents).toEqual([{ time: t(2, 10), level: L.HaltNewPositions, previousLevel: L.Normal, cause: C.WeeklyLoss, value: 0.07, threshold: 0.07 }]);
    // Not the next day: the next week.
    h.at(t(3, 10), 93);
    h.at(t(6, 23, 59), 93);
    expect(h.risk.level).toBe(L.HaltNewPositions);
    h.at(t(7, 0), 93);
    expect(h.risk.level).toBe(L.Normal);
    expect(h.breakerEvents[1]).toMatchObject({ time: t(7, 0), level: L.Normal, cause: C.WeeklyLoss });
  });

  it('DRAWDOWN: 10% below peak equity reduces risk for 24 h; increasing orders are halved, reducing ones are not', () => {
    const h = invested({ risk: { breakers: { paper: { dailyLoss: off, weeklyLoss: off } } } });
    h.at(t(0, 1), 110);
    h.at(t(0, 2), 99.01);
    expect(h.risk.level).toBe(L.Normal);
    h.at(t(0, 3), 99);
    expect(h.risk.level).toBe(L.ReduceRisk);
    expect(h.breakerEvents).toEqual([{ time: t(0, 3), level: L.ReduceRisk, previousLevel: L.Normal, cause: C.Drawdown, value: 0.1, threshold: 0.1 }]);
    expect(h.sell(10).quantity).toBe(10);
    expect(h.buy(10).quantity).toBe(5);
    expect(h.buy(0.003).quantity).toBe(0.001);
    // Back above the 10% line after an hour: still REDUCE_RISK until 24 h after the trip.
    h.at(t(0, 4), 105);
    h.at(t(1, 2, 59), 105);
    expect(h.risk.level).toBe(L.ReduceRisk);
    h.at(t(1, 3), 105);
    expect(h.risk.level).toBe(L.Normal);
  });

  it('DRAWDOWN: a drawdown still there when the 24 h run out renews the cooldown for another 24 h', () => {
    const h = invested({ risk: { breakers: { paper: { dailyLoss: off, weeklyLoss: off } } } });
    h.at(t(0, 3), 89);
    expect(h.risk.level).toBe(L.ReduceRisk);
    h.at(t(1, 3), 89);
    expect(h.risk.level).toBe(L.ReduceRisk);
    h.at(t(1, 5), 100);
    h.at(t(2, 2, 59), 100);
    expect(h.risk.level).toBe(L.ReduceRisk);
    h.at(t(2, 3), 100);
    expect(h.risk.level).toBe(L.Normal);
    expect(h.breakerEvents.map((e) => e.level)).toEqual([L.ReduceRisk, L.Normal]);
  });

  it('DATA_STALE: a quote older than 5 s halts new positions until fresh data arrives; backtests ignore it', () => {
    const backtest = new Harness();
    backtest.at(t(0, 0, 1), 100);
    backtest.risk.reportDataAge(60_000);
    expect(backtest.risk.level).toBe(L.Normal);

    const h = new Harness({ engine: { backtest: false } });
    h.at(t(0, 0, 1), 100);
    h.risk.reportDataAge(5_000);
    expect(h.risk.level).toBe(L.Normal);
    h.risk.reportDataAge(5_001);
    expect(h.risk.level).toBe(L.HaltNewPositions);
    expect(h.breakerEvents).toEqual([{ time: t(0, 0, 1), level: L.HaltNewPositions, previousLevel: L.Normal, cause: C.DataStale, value: 5_001, threshold: 5_000 }]);
    expect(h.buy(1).status).toBe(OrderStatus.Denied);
    h.risk.reportDataAge(200);
    expect(h.risk.level).toBe(L.Normal);
  });

  it('API_LATENCY: a request slower than 2 s halts new positions for 1 h', () => {
    const h = new Harness();
    h.at(t(0, 0, 1), 100);
    h.risk.reportApiLatency(2_000);
    expect(h.risk.level).toBe(L.Normal);
    h.risk.reportApiLatency(2_500);
    expect(h.breakerEvents).toEqual([{ time: t(0, 0, 1), level: L.HaltNewPositions, previousLevel: L.Normal, cause: C.ApiLatency, value: 2_500, threshold: 2_000 }]);
    h.risk.reportApiLatency(150);
    h.at(t(0, 1, 0), 100);
    expect(h.risk.level).toBe(L.HaltNewPositions);
    h.at(t(0, 1, 1), 100);
    expect(h.risk.level).toBe(L.Normal);
  });

  it('MANUAL: a named person sets any level; it stays, whatever the time, until a named person resets it', () => {
    const h = new Harness();
    h.at(t(0, 0, 1), 100);
    expect(() => h.risk.setManualLevel(L.Warning, ' ')).toThrow(/name/);
    h.risk.setManualLevel(L.Warning, 'carol', 'watch the open');
    expect(h.breakerEvents).toEqual([
      { time: t(0, 0, 1), level: L.Warning, previousLevel: L.Normal, cause: C.Manual, value: 1, threshold: 1, actor: 'carol', detail: 'watch the open' },
    ]);
    // WARNING only logs: orders pass unscaled.
    const order = h.buy(10);
    expect(order.quantity).toBe(10);
    expect(order.status).not.toBe(OrderStatus.Denied);
    h.at(t(3, 0), 100);
    expect(h.risk.level).toBe(L.Warning);
    expect(() => h.risk.reset('')).toThrow(/name/);
    h.risk.reset('dave');
    expect(h.risk.level).toBe(L.Normal);
    expect(h.breakerEvents[1]).toMatchObject({ level: L.Normal, previousLevel: L.Warning, cause: C.Manual, actor: 'dave' });
  });
});

describe('both profiles', () => {
  for (const [profile, options] of [
    ['paper', {}],
    ['live', { ...LIVE, risk: liveRisk() }],
  ] as const) {
    it(`DATA_FAILURES (${profile}): 5 failed requests in a row halt all trading, canceling open orders; clears after 1 h and a reset`, () => {
      const h = new Harness(options);
      h.at(t(0, 0, 1), 100);
      const resting = h.buy(1, { type: OrderType.Limit, price: 99 });
      for (let i = 0; i < 4; i++) h.risk.reportDataResult(true);
      h.risk.reportDataResult(false);
      for (let i = 0; i < 4; i++) h.risk.reportDataResult(true);
      expect(h.risk.level).toBe(L.Normal);
      expect(resting.isOpen).toBe(true);
      h.risk.reportDataResult(true);
      expect(h.risk.level).toBe(L.HaltAllTrading);
      expect(h.breakerEvents).toEqual([{ time: t(0, 0, 1), level: L.HaltAllTrading, previousLevel: L.Normal, cause: C.DataFailures, value: 5, threshold: 5 }]);
      expect(resting.status).toBe(OrderStatus.Canceled);
      expect(h.openOrders()).toHaveLength(0);
      h.risk.reportDataResult(false);
      // A reset before the hour is up does not clear it early.
      h.at(t(0, 0, 30), 100);
      h.risk.reset('erin');
      expect(h.risk.level).toBe(L.HaltAllTrading);
      h.at(t(0, 1, 0), 100);
      expect(h.risk.level).toBe(L.HaltAllTrading);
      h.at(t(0, 1, 1), 100);
      expect(h.risk.level).toBe(L.Normal);
    });

    it(`DATA_FAILURES (${profile}): without a reset the halt stays after the hour`, () => {
      const h = new Harness(options);
      h.at(t(0, 0, 1), 100);
      for (let i = 0; i < 5; i++) h.risk.reportDataResult(true);
      h.risk.reportDataResult(false);
      h.at(t(0, 5), 100);
      expect(h.risk.level).toBe(L.HaltAllTrading);
      expect(h.risk.ladder.activeCauses()).toMatchObject([{ cause: C.DataFailures, awaitingReset: true }]);
      h.risk.reset('frank');
      expect(h.risk.level).toBe(L.Normal);
      expect(h.breakerEvents.at(-1)).toMatchObject({ level: L.Normal, previousLevel: L.HaltAllTrading, actor: 'frank' });
    });

    it(`API_LATENCY (${profile}): over 2 s -> HALT_NEW_POSITIONS; reducing orders still pass`, () => {
      const h = new Harness(options);
      h.at(t(0, 0, 1), 100);
      h.buy(10);
      h.at(t(0, 0, 2), 100);
      h.risk.reportApiLatency(2_001);
      expect(h.risk.level).toBe(L.HaltNewPositions);
      expect(h.sell(5).status).not.toBe(OrderStatus.Denied);
      expect(h.buy(5).status).toBe(OrderStatus.Denied);
      expect(h.lastDenial().reason).toBe(DenialReason.ReduceOnly);
    });
  }
});

describe('live profile (LIVE_MINIMAL, LIVE_SCALED)', () => {
  it('DAILY_LOSS: 1% halts new positions to the next trading day, but for at least 4 h', () => {
    const late = invested({ ...LIVE, risk: liveRisk() });
    late.at(t(0, 22), 99);
    expect(late.breakerEvents).toEqual([{ time: t(0, 22), level: L.HaltNewPositions, previousLevel: L.Normal, cause: C.DailyLoss, value: 0.01, threshold: 0.01 }]);
    late.at(t(1, 0), 99);
    late.at(t(1, 1, 59), 99);
    expect(late.risk.level).toBe(L.HaltNewPositions);
    late.at(t(1, 2), 99);
    expect(late.risk.level).toBe(L.Normal);

    const early = invested({ ...LIVE, risk: liveRisk() });
    early.at(t(0, 10), 99);
    expect(early.risk.level).toBe(L.HaltNewPositions);
    early.at(t(0, 23, 59), 99.5);
    expect(early.risk.level).toBe(L.HaltNewPositions);
    early.at(t(1, 0), 99.5);
    expect(early.risk.level).toBe(L.Normal);
  });

  it('LIVE_SCALED uses the live profile too', () => {
    const h = invested({ engine: { mode: RiskMode.LiveScaled, scaledStep: 2 }, risk: { modes: { LIVE_SCALED: [{ totalExposure: 1, dailyLoss: 1 }] } } });
    h.at(t(0, 10), 99);
    expect(h.breakerEvents[0]).toMatchObject({ cause: C.DailyLoss, threshold: 0.01, level: L.HaltNewPositions });
  });

  it('WEEKLY_LOSS: 7% halts all trading (open orders canceled); it clears in the next week, and only after a reset', () => {
    const h = invested({ ...LIVE, risk: liveRisk({ dailyLoss: off, drawdown: off }) });
    const resting = h.sell(10, { type: OrderType.Limit, price: 101 });
    h.at(t(2, 10), 93);
    expect(h.risk.level).toBe(L.HaltAllTrading);
    expect(h.breakerEvents).toEqual([{ time: t(2, 10), level: L.HaltAllTrading, previousLevel: L.Normal, cause: C.WeeklyLoss, value: 0.07, threshold: 0.07 }]);
    expect(resting.status).toBe(OrderStatus.Canceled);
    expect(h.sell(10).status).toBe(OrderStatus.Denied);
    expect(h.lastDenial().reason).toBe(DenialReason.TradingHalted);
    h.at(t(7, 0), 93);
    h.at(t(8, 0), 93);
    expect(h.risk.level).toBe(L.HaltAllTrading);
    h.risk.reset('grace');
    expect(h.risk.level).toBe(L.Normal);
  });

  it('WEEKLY_LOSS: a reset during the week does not clear it before Monday', () => {
    const h = invested({ ...LIVE, risk: liveRisk({ dailyLoss: off, drawdown: off }) });
    h.at(t(2, 10), 92);
    h.at(t(4, 10), 92);
    h.risk.reset('grace');
    h.at(t(6, 23, 59), 92);
    expect(h.risk.level).toBe(L.HaltAllTrading);
    h.at(t(7, 0), 92);
    expect(h.risk.level).toBe(L.Normal);
  });
});

describe('the ladder', () => {
  it('is at the worst active cause and falls one cause at a time, each fall an event naming the cause that now holds the level', () => {
    const h = invested({ risk: { breakers: { paper: { dailyLoss: off, weeklyLoss: off } } } });
    const seen: unknown[] = [];
    h.kernel.bus.subscribe(Topic.Breaker, (e) => seen.push(e));
    h.at(t(0, 3), 89);
    h.risk.reportApiLatency(3_000);
    h.risk.reportApiLatency(10);
    expect(h.risk.level).toBe(L.HaltNewPositions);
    h.at(t(0, 5), 100);
    // API_LATENCY cooled down at 04:00; DRAWDOWN still holds REDUCE_RISK until 24 h after its trip.
    expect(h.risk.level).toBe(L.ReduceRisk);
    h.at(t(1, 3), 100);
    expect(h.risk.level).toBe(L.Normal);
    expect(h.breakerEvents).toEqual([
      { time: t(0, 3), level: L.ReduceRisk, previousLevel: L.Normal, cause: C.Drawdown, value: 0.11, threshold: 0.1 },
      { time: t(0, 3), level: L.HaltNewPositions, previousLevel: L.ReduceRisk, cause: C.ApiLatency, value: 3_000, threshold: 2_000 },
      { time: t(0, 5), level: L.ReduceRisk, previousLevel: L.HaltNewPositions, cause: C.Drawdown, value: 0, threshold: 0.1 },
      { time: t(1, 3), level: L.Normal, previousLevel: L.ReduceRisk, cause: C.Drawdown, value: 0, threshold: 0.1 },
    ]);
    // The same objects on the bus, in the kernel and in the engine.
    expect(seen).toEqual(h.breakerEvents);
    expect(h.risk.events).toEqual(h.breakerEvents);
  });

  it('does not fall while a cause at the same level is still active', () => {
    const h = new Harness();
    h.at(t(0, 0, 1), 100);
    h.risk.reportApiLatency(3_000);
    h.risk.reportApiLatency(10);
    h.at(t(0, 0, 30), 100);
    h.risk.setManualLevel(L.HaltNewPositions, 'heidi');
    h.at(t(0, 2), 100);
    expect(h.risk.level).toBe(L.HaltNewPositions);
    expect(h.breakerEvents).toHaveLength(1);
    h.risk.reset('ivan');
    expect(h.risk.level).toBe(L.Normal);
  });
});

describe('CORRELATION and VAR_LIMIT (completed daily closes)', () => {
  const A = cryptoInstrument({ symbol: 'AAA/USDT', base: 'AAA' });
  const B = cryptoInstrument({ symbol: 'BBB/USDT', base: 'BBB' });
  /** Daily returns: A follows r, B follows r plus a little noise (correlation ~0.99). */
  const r = (d: number): number => 0.02 * Math.sin(1.7 * d + 0.3);
  const noise = (d: number): number => 0.002 * Math.cos(3.1 * d);
  const round = (x: number): number => Math.round(x * 100) / 100;
  const pricesA: number[] = [100];
  const pricesB: number[] = [50];
  for (let d = 1; d < 40; d++) {
    pricesA.push(round(pricesA[d - 1]! * (1 + r(d))));
    pricesB.push(round(pricesB[d - 1]! * (1 + r(d) + noise(d))));
  }
  /** One bar a day at 12:00 for both symbols. */
  function day(h: Harness, d: number): void {
    h.at(t(d, 12), pricesA[d]!, 'AAA/USDT');
    h.at(t(d, 12), pricesB[d]!, 'BBB/USDT');
  }

  it('CORRELATION (paper): two positions correlated above 0.7 raise a WARNING once 20 aligned daily returns exist', () => {
    const h = new Harness({ instruments: [A, B], capital: 1_000_000 });
    day(h, 0);
    h.buy(100, { symbol: 'AAA/USDT' });
    h.buy(100, { symbol: 'BBB/USDT' });
    for (let d = 1; d <= 20; d++) day(h, d);
    // Days 0..19 completed: 19 returns, not enough.
    expect(h.risk.level).toBe(L.Normal);
    day(h, 21);
    expect(h.risk.level).toBe(L.Warning);
    const event = h.breakerEvents[0]!;
    expect(event).toMatchObject({ time: t(21, 12), level: L.Warning, cause: C.Correlation, threshold: 0.7, detail: 'AAA/USDT and BBB/USDT' });
    expect(event.value).toBeGreaterThan(0.95);
    expect(event.value).toBeCloseTo(pearson(returns(pricesA, 1, 20), returns(pricesB, 1, 20)), 9);
    // A warning only: both positions stay, orders pass.
    expect(h.buy(1, { symbol: 'AAA/USDT' }).status).not.toBe(OrderStatus.Denied);
    expect(h.position('BBB/USDT')).toBe(100);
  });

  it('CORRELATION counts only days both symbols have (aligned returns): a symbol listed 5 days later delays it 5 days', () => {
    const h = new Harness({ instruments: [A, B], capital: 1_000_000 });
    h.at(t(0, 12), pricesA[0]!, 'AAA/USDT');
    h.buy(100, { symbol: 'AAA/USDT' });
    for (let d = 1; d <= 26; d++) {
      h.at(t(d, 12), pricesA[d]!, 'AAA/USDT');
      if (d >= 5) h.at(t(d, 12), pricesB[d]!, 'BBB/USDT');
      if (d === 5) h.buy(100, { symbol: 'BBB/USDT' });
      if (d === 25) expect(h.risk.level).toBe(L.Normal);
    }
    expect(h.breakerEvents[0]).toMatchObject({ time: t(26, 12), level: L.Warning, cause: C.Correlation });
    expect(h.breakerEvents[0]!.value).toBeCloseTo(pearson(returns(pricesA, 6, 20), returns(pricesB, 6, 20)), 9);
  });

  it('CORRELATION (live): the smaller position of the pair is closed at once; the warning clears 2 h after the trip, once the pair is gone', () => {
    const h = new Harness({ instruments: [A, B], capital: 1_000_000, ...LIVE, risk: liveRisk() });
    day(h, 0);
    h.buy(100, { symbol: 'AAA/USDT' });
    h.buy(100, { symbol: 'BBB/USDT' });
    for (let d = 1; d <= 21; d++) day(h, d);
    expect(h.risk.level).toBe(L.Warning);
    const close = h.openOrders().find((o) => o.symbol === 'BBB/USDT');
    expect(close).toMatchObject({ emergency: true, side: 'SELL', quantity: 100 });
    h.at(t(21, 13), pricesB[21]!, 'BBB/USDT');
    expect(h.position('BBB/USDT')).toBe(0);
    expect(h.position('AAA/USDT')).toBe(100);
    h.at(t(21, 13), pricesA[21]!, 'AAA/USDT');
    h.at(t(21, 13, 59), pricesA[21]!, 'AAA/USDT');
    expect(h.risk.level).toBe(L.Warning);
    h.at(t(21, 14), pricesA[21]!, 'AAA/USDT');
    expect(h.risk.level).toBe(L.Normal);
    expect(h.breakerEvents.map((e) => [e.time, e.level, e.cause])).toEqual([
      [t(21, 12), L.Warning, C.Correlation],
      [t(21, 14), L.Normal, C.Correlation],
    ]);
  });

  it('VAR_LIMIT (paper): parametric 95% 1-day VaR above 1% of equity reduces risk while it stays above', () => {
    const h = new Harness({ instruments: [A], capital: 100_000, risk: { breakers: { paper: { dailyLoss: off, weeklyLoss: off, drawdown: off } } } });
    h.at(t(0, 12), pricesA[0]!, 'AAA/USDT');
    h.buy(1000, { symbol: 'AAA/USDT' });
    for (let d = 1; d <= 21; d++) h.at(t(d, 12), pricesA[d]!, 'AAA/USDT');
    expect(h.risk.level).toBe(L.ReduceRisk);
    const event = h.breakerEvents[0]!;
    expect(event).toMatchObject({ time: t(21, 12), level: L.ReduceRisk, cause: C.VarLimit, threshold: 0.01 });
    const weight = (1000 * pricesA[21]!) / h.kernel.equity();
    expect(event.value).toBeCloseTo(parametricVar(returns(pricesA, 1, 20), weight), 9);
    // Cut the position to 20%: the VaR falls below 1% at the next bar, and the level with it.
    h.sell(800, { symbol: 'AAA/USDT' });
    h.at(t(21, 13), pricesA[21]!, 'AAA/USDT');
    expect(h.risk.level).toBe(L.Normal);
    expect(h.breakerEvents[1]).toMatchObject({ time: t(21, 13), level: L.Normal, cause: C.VarLimit });
  });

  it('VAR_LIMIT: a limit order that rests and fills bars later is judged at the bar of its fill', () => {
    const h = new Harness({ instruments: [A], capital: 100_000, risk: { breakers: { paper: { dailyLoss: off, weeklyLoss: off, drawdown: off } } } });
    h.at(t(0, 12), pricesA[0]!, 'AAA/USDT');
    h.buy(100, { symbol: 'AAA/USDT' });
    for (let d = 1; d <= 21; d++) h.at(t(d, 12), pricesA[d]!, 'AAA/USDT');
    // 100 units: VaR well under 1% of equity.
    expect(h.risk.level).toBe(L.Normal);
    const price = pricesA[21]!;
    const limit = round(price * 0.99);
    h.buy(900, { symbol: 'AAA/USDT', type: OrderType.Limit, price: limit });
    // Two bars above the limit: the order rests, the position stays at 100.
    h.at(t(21, 13), price, 'AAA/USDT');
    h.at(t(21, 14), price, 'AAA/USDT');
    expect(h.position('AAA/USDT')).toBe(100);
    expect(h.risk.level).toBe(L.Normal);
    // The price trades through the limit: the order fills, and VaR of 1000 units is judged on that bar.
    h.at(t(21, 15), { close: limit, low: round(limit * 0.995) }, 'AAA/USDT');
    expect(h.position('AAA/USDT')).toBe(1000);
    expect(h.breakerEvents[0]).toMatchObject({ time: t(21, 15), level: L.ReduceRisk, cause: C.VarLimit });
  });

  it('VAR_LIMIT (live): HALT_NEW_POSITIONS', () => {
    const h = new Harness({ instruments: [A], capital: 100_000, ...LIVE, risk: liveRisk({ dailyLoss: off, weeklyLoss: off, drawdown: off }) });
    h.at(t(0, 12), pricesA[0]!, 'AAA/USDT');
    h.buy(1000, { symbol: 'AAA/USDT' });
    for (let d = 1; d <= 21; d++) h.at(t(d, 12), pricesA[d]!, 'AAA/USDT');
    expect(h.breakerEvents[0]).toMatchObject({ level: L.HaltNewPositions, cause: C.VarLimit });
    expect(h.buy(1, { symbol: 'AAA/USDT' }).status).toBe(OrderStatus.Denied);
  });

  it('VAR_LIMIT uses only the last monitorDays (60) completed days', () => {
    // 40 wild days, then calm ones: the level falls on the first day whose 60-return window is calm enough.
    const prices = [100];
    for (let d = 1; d < 120; d++) prices.push(round(prices[d - 1]! * (1 + (d <= 40 ? 0.05 : 0.001) * Math.sin(1.7 * d))));
    const h = new Harness({ instruments: [A], capital: 100_000, risk: { breakers: { paper: { dailyLoss: off, weeklyLoss: off, drawdown: off } } } });
    h.at(t(0, 12), prices[0]!, 'AAA/USDT');
    h.buy(1000, { symbol: 'AAA/USDT' });
    for (let d = 1; d < 120; d++) h.at(t(d, 12), prices[d]!, 'AAA/USDT');
    // At the first bar of day D the completed days are ..D-1: the window is the returns of days D-60 .. D-1.
    const varOnDay = (D: number, window: number): number => parametricVar(returns(prices, D - window, window), 1);
    let expectedDay = 21;
    while (varOnDay(expectedDay, Math.min(60, expectedDay - 1)) > 0.01) expectedDay++;
    expect(expectedDay).toBeGreaterThan(61);
    expect(Math.abs(varOnDay(expectedDay, 61) - varOnDay(expectedDay, 60))).toBeGreaterThan(1e-6);
    expect(h.breakerEvents.map((e) => [e.time, e.level])).toEqual([
      [t(21, 12), L.ReduceRisk],
      [t(expectedDay, 12), L.Normal],
    ]);
    expect(h.breakerEvents[1]!.value).toBeCloseTo(varOnDay(expectedDay, 60), 12);
  });
});

function returns(prices: readonly number[], from: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => prices[from + i]! / prices[from + i - 1]! - 1);
}

function pearson(x: readonly number[], y: readonly number[]): number {
  const mx = x.reduce((a, b) => a + b, 0) / x.length;
  const my = y.reduce((a, b) => a + b, 0) / y.length;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < x.length; i++) {
    sxy += (x[i]! - mx) * (y[i]! - my);
    sxx += (x[i]! - mx) ** 2;
    syy += (y[i]! - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

/** -(w mean - z95 w sd): parametric one-day VaR of a single position of weight w (sample sd). */
function parametricVar(rets: readonly number[], weight: number): number {
  const mean = rets.reduce((a, b) => a + b, 0) / rets.length;
  const sd = Math.sqrt(rets.reduce((a, b) => a + (b - mean) ** 2, 0) / (rets.length - 1));
  return -(weight * mean - 1.6448536269514722 * weight * sd);
}
