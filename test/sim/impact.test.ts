// Square-root impact: 0.15 x sigma_daily x sqrt(Q / V_daily), from completed days before the fill only.
import { describe, expect, it } from 'vitest';
import { OrderSide, OrderType } from '../../src/core/order.ts';
import { MS_PER_HOUR, T0, makeSeries, roundToCent, run, sampleSd } from './helpers.ts';

const buy = (quantity: number) => ({ symbol: 'TEST/USDT', side: OrderSide.Buy, type: OrderType.Market, quantity });
const sell = (quantity: number) => ({ symbol: 'TEST/USDT', side: OrderSide.Sell, type: OrderType.Market, quantity });

/** Deterministic wiggly data: closes that move a few percent a day, volumes that differ every day. */
function dailyData(days: number): { open: number[]; close: number[]; high: number[]; low: number[]; volume: number[] } {
  const close: number[] = [];
  const open: number[] = [];
  const volume: number[] = [];
  let price = 100;
  for (let d = 0; d < days; d++) {
    // The first five days swing hard, so a window longer than 20 days would change sigma a lot.
    const move = (d < 5 ? 0.15 : 0.02) * Math.sin(1.7 * d + 0.3) + 0.004 * Math.cos(5.1 * d);
    open.push(Math.round(price * (1 + move / 3) * 100) / 100);
    price = Math.round(price * Math.exp(move) * 100) / 100;
    close.push(price);
    volume.push(d < 5 ? 50_000 : 1_000 + 37 * ((d * 7) % 11));
  }
  return {
    open,
    close,
    high: open.map((o, i) => Math.max(o, close[i]!) + 1),
    low: open.map((o, i) => Math.min(o, close[i]!) - 1),
    volume,
  };
}

/** impact as a fraction, by hand: closes/volumes of completed days (oldest first). */
function handImpact(closes: readonly number[], volumes: readonly number[], quantity: number): number {
  const lastCloses = closes.slice(-21);
  const returns = lastCloses.slice(1).map((c, i) => Math.log(c / lastCloses[i]!));
  if (returns.length < 2) return 0;
  const lastVolumes = volumes.slice(-20);
  const average = lastVolumes.reduce((a, b) => a + b, 0) / lastVolumes.length;
  return 0.15 * sampleSd(returns) * Math.sqrt(quantity / average);
}

describe('square-root impact from daily bars', () => {
  const data = dailyData(30);
  const series = makeSeries(data);

  it('uses the last 20 daily log returns and the last 20 daily volumes before the fill day', () => {
    // Decided at bar 25, fills at bar 26: completed days are 0..25.
    const quantity = 40;
    const { fills } = run({ series, steps: [{ at: 25, order: buy(quantity) }] });
    expect(fills.map((f) => f.quantity), 'one whole fill (the cap is not binding)').toEqual([quantity]);
    const fill = fills[0]!;
    const impact = handImpact(data.close.slice(0, 26), data.volume.slice(0, 26), quantity);
    expect(impact, 'the scenario should produce a visible impact').toBeGreaterThan(0.0002);
    expect(fill.impactBps).toBeCloseTo(impact * 1e4, 6);
    expect(fill.price).toBe(roundToCent(data.open[26]! * (1 + 0.0001 + impact), 'up'));
    // The same with all 26 days (no window) would be far larger: the early swings are outside the window.
    const unwindowed = 0.15 * sampleSd(data.close.slice(1, 26).map((c, i) => Math.log(c / data.close[i]!))) * Math.sqrt(quantity / 1000);
    expect(fill.impactBps).toBeLessThan(unwindowed * 1e4 * 0.8);
  });

  it('pushes a sell down by the same rule', () => {
    const quantity = 40;
    const { fills } = run({ series, steps: [{ at: 24, order: buy(quantity) }, { at: 26, order: sell(quantity) }] });
    const fill = fills[1]!;
    const impact = handImpact(data.close.slice(0, 27), data.volume.slice(0, 27), quantity);
    expect(fill.impactBps).toBeCloseTo(impact * 1e4, 6);
    expect(fill.price).toBe(roundToCent(data.open[27]! * (1 - 0.0001 - impact), 'down'));
  });

  it('uses no impact with fewer than 2 daily returns and what there is from 2 returns on', () => {
    const quantity = 40;
    const early = makeSeries({ ...data, volume: data.volume.map(() => 1_000) });
    // Decided at bar 1 -> fill at bar 2: completed days 0 and 1, one return: no impact.
    const one = run({ series: early, steps: [{ at: 1, order: buy(quantity) }] }).fills[0]!;
    expect(one.impactBps).toBe(0);
    expect(one.price).toBe(roundToCent(data.open[2]! * 1.0001, 'up'));
    // Decided at bar 2 -> fill at bar 3: completed days 0..2, two returns, three volumes.
    const two = run({ series: early, steps: [{ at: 2, order: buy(quantity) }] }).fills[0]!;
    const impact = handImpact(data.close.slice(0, 3), [1000, 1000, 1000], quantity);
    expect(impact).toBeGreaterThan(0);
    expect(two.impactBps).toBeCloseTo(impact * 1e4, 6);
    expect(two.price).toBe(roundToCent(data.open[3]! * (1 + 0.0001 + impact), 'up'));
  });

  it('grows with the square root of the quantity', () => {
    const small = run({ series, steps: [{ at: 25, order: buy(10) }] }).fills[0]!;
    const large = run({ series, steps: [{ at: 25, order: buy(40) }] }).fills[0]!;
    expect(large.impactBps / small.impactBps).toBeCloseTo(2, 9);
  });
});

describe('square-root impact from intraday bars', () => {
  // 6-hour bars, 4 a day, 7 days. Each day's bars have different closes and volumes.
  const perDay = 4;
  const days = 7;
  const close: number[] = [];
  const volume: number[] = [];
  for (let d = 0; d < days; d++) {
    for (let b = 0; b < perDay; b++) {
      close.push(100 + 3 * Math.sin(d * 1.3 + b * 0.7) + d);
      volume.push(2_000 + 500 * b + 100 * d);
    }
  }
  const open = close.map((c, i) => (i === 0 ? 100 : Math.round(close[i - 1]! * 100) / 100));
  const series = makeSeries({ open, close, volume }, { intervalMs: 6 * MS_PER_HOUR });

  it('sums each day\'s volume, takes each day\'s last close, and leaves the current day out', () => {
    // Decided at bar 22 (day 5, third bar) -> fill at bar 23 (day 5, last bar). Completed days: 0..4.
    const quantity = 30;
    const { fills } = run({ series, steps: [{ at: 22, order: buy(quantity) }] });
    expect(fills.map((f) => f.quantity), 'one whole fill (the cap is not binding)').toEqual([quantity]);
    const fill = fills[0]!;
    expect(fill.time).toBe(T0 + 23 * 6 * MS_PER_HOUR);
    const dayCloses = [0, 1, 2, 3, 4].map((d) => close[d * perDay + perDay - 1]!);
    const dayVolumes = [0, 1, 2, 3, 4].map((d) => volume.slice(d * perDay, d * perDay + perDay).reduce((a, b) => a + b, 0));
    const impact = handImpact(dayCloses, dayVolumes, quantity);
    expect(impact).toBeGreaterThan(0);
    expect(fill.impactBps).toBeCloseTo(impact * 1e4, 6);
    expect(fill.price).toBe(roundToCent(open[23]! * (1 + 0.0001 + impact), 'up'));
  });

  it('changes only when a day completes, not with bars of the current day', () => {
    const quantity = 30;
    // Fills at bars 21, 22, 23 are all on day 5 and see the same completed days 0..4.
    const a = run({ series, steps: [{ at: 20, order: buy(quantity) }] }).fills[0]!;
    const b = run({ series, steps: [{ at: 22, order: buy(quantity) }] }).fills[0]!;
    expect(a.impactBps).toBe(b.impactBps);
    // The first bar of day 6 (bar 24) sees day 5 completed.
    const c = run({ series, steps: [{ at: 23, order: buy(quantity) }] }).fills[0]!;
    const dayCloses = [0, 1, 2, 3, 4, 5].map((d) => close[d * perDay + perDay - 1]!);
    const dayVolumes = [0, 1, 2, 3, 4, 5].map((d) => volume.slice(d * perDay, d * perDay + perDay).reduce((x, y) => x + y, 0));
    expect(c.impactBps).toBeCloseTo(handImpact(dayCloses, dayVolumes, quantity) * 1e4, 6);
    expect(c.impactBps).not.toBe(b.impactBps);
  });
});
