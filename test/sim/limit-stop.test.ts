// Limit, stop and stop-limit orders under the realistic model.
import { describe, expect, it } from 'vitest';
import { OrderSide, OrderStatus, OrderType } from '../../src/core/order.ts';
import { MS_PER_DAY, T0, makeSeries, money, roundHalfUp, roundToCent, run } from './helpers.ts';

const S = 'TEST/USDT';
const day = (k: number) => T0 + k * MS_PER_DAY;

/** Bars given as [open, high, low, close]; volume large, closes flat enough for a negligible impact where it matters. */
function bars(rows: readonly (readonly [number, number, number, number])[]) {
  return makeSeries({ open: rows.map((r) => r[0]), high: rows.map((r) => r[1]), low: rows.map((r) => r[2]), close: rows.map((r) => r[3]) });
}

describe('limit orders', () => {
  it('a buy limit does not fill when the low only touches the limit, and fills at the limit once the low trades through', () => {
    const series = bars([
      [100, 101, 99.5, 100],
      [100, 101, 99, 100], // low == limit: touching is not enough
      [100, 101, 98.99, 100], // trades through
    ]);
    const { fills, strategy } = run({ series, steps: [{ at: 0, order: { symbol: S, side: OrderSide.Buy, type: OrderType.Limit, quantity: 3, price: 99 } }] });
    expect(fills).toHaveLength(1);
    const fill = fills[0]!;
    expect(fill.time).toBe(day(2));
    expect(fill.price).toBe(99);
    expect(fill.referencePrice).toBe(99);
    expect(fill.liquidity).toBe('MAKER');
    expect(fill.impactBps).toBe(0);
    expect(fill.notional).toBe(money('297'));
    expect(fill.fee, 'maker fee 2 bps').toBe(roundHalfUp(money('297') * 2n, 10_000n));
    expect(strategy.submitted[0]!.status).toBe(OrderStatus.Filled);
  });

  it('a sell limit fills at the limit only when the high trades above it', () => {
    const series = bars([
      [100, 100, 100, 100],
      [100, 100.5, 99, 100],
      [100, 101, 99, 100], // high == limit
      [100, 101.01, 99, 100],
    ]);
    const { fills } = run({
      series,
      steps: [
        { at: 0, order: { symbol: S, side: OrderSide.Buy, type: OrderType.Market, quantity: 2 } },
        { at: 1, order: { symbol: S, side: OrderSide.Sell, type: OrderType.Limit, quantity: 2, price: 101 } },
      ],
    });
    expect(fills.map((f) => [f.side, f.time, f.price, f.liquidity])).toEqual([
      ['BUY', day(1), roundToCent(100 * 1.0001, 'up'), 'TAKER'],
      ['SELL', day(3), 101, 'MAKER'],
    ]);
    expect(fills[1]!.impactBps).toBe(0);
  });

  it('pays no impact even where a market order of the same size would', () => {
    // Volatile closes and a thin market: a market order here pays impact, the limit order does not.
    const rows: [number, number, number, number][] = [];
    for (let k = 0; k < 8; k++) rows.push([100, 110, 90, k % 2 === 0 ? 95 : 105]);
    const series = makeSeries({ open: rows.map((r) => r[0]), high: rows.map((r) => r[1]), low: rows.map((r) => r[2]), close: rows.map((r) => r[3]), volume: rows.map(() => 1000) });
    const limit = run({ series, steps: [{ at: 5, order: { symbol: S, side: OrderSide.Buy, type: OrderType.Limit, quantity: 20, price: 100 } }] }).fills[0]!;
    const market = run({ series, steps: [{ at: 5, order: { symbol: S, side: OrderSide.Buy, type: OrderType.Market, quantity: 20 } }] }).fills[0]!;
    expect(market.impactBps).toBeGreaterThan(10);
    expect(limit.impactBps).toBe(0);
    expect(limit.price).toBe(100);
  });
});

describe('stop orders', () => {
  const buyStop = { symbol: S, side: OrderSide.Buy, type: OrderType.Stop, quantity: 1, stopPrice: 105 };

  it('a buy stop waits for high >= stop, then fills at max(stop, open) plus the half spread', () => {
    const series = bars([
      [100, 101, 99, 100],
      [100, 104.99, 99, 100], // below the stop
      [103, 106, 102, 104], // triggers; open below the stop -> from the stop
    ]);
    const { fills, strategy } = run({ series, steps: [{ at: 0, order: buyStop }] });
    expect(fills.map((f) => [f.time, f.referencePrice, f.price])).toEqual([[day(2), 105, roundToCent(105 * 1.0001, 'up')]]);
    expect(fills[0]!.liquidity).toBe('TAKER');
    expect(strategy.events.map((e) => e.kind)).toContain('TRIGGERED');
  });

  it('a buy stop triggers on a high exactly at the stop', () => {
    const series = bars([
      [100, 101, 99, 100],
      [100, 105, 99, 100],
    ]);
    expect(run({ series, steps: [{ at: 0, order: buyStop }] }).fills.map((f) => f.referencePrice)).toEqual([105]);
  });

  it('a buy stop gapped over fills at the open', () => {
    const series = bars([
      [100, 101, 99, 100],
      [107, 108, 106.5, 107],
    ]);
    const fill = run({ series, steps: [{ at: 0, order: buyStop }] }).fills[0]!;
    expect(fill.referencePrice).toBe(107);
    expect(fill.price).toBe(roundToCent(107 * 1.0001, 'up')); // 107.0107 -> 107.02
  });

  it('a sell stop triggers on low <= stop and fills at min(stop, open) minus the half spread; a gap down fills at the open', () => {
    const sellStop = { symbol: S, side: OrderSide.Sell, type: OrderType.Stop, quantity: 1, stopPrice: 95 };
    const series = bars([
      [100, 101, 99, 100],
      [100, 101, 99, 100], // bought here
      [97, 98, 95.01, 97], // above the stop
      [97, 98, 94, 96], // triggers, open above the stop -> from the stop
      [100, 101, 99, 100],
      [100, 101, 99, 100], // bought again
      [93, 94, 92, 93], // gap down -> from the open
    ]);
    const { fills } = run({
      series,
      steps: [
        { at: 0, order: { symbol: S, side: OrderSide.Buy, type: OrderType.Market, quantity: 1 } },
        { at: 1, order: sellStop },
        { at: 4, order: { symbol: S, side: OrderSide.Buy, type: OrderType.Market, quantity: 1 } },
        { at: 5, order: sellStop },
      ],
    });
    const sells = fills.filter((f) => f.side === 'SELL');
    expect(sells.map((f) => [f.time, f.referencePrice])).toEqual([
      [day(3), 95],
      [day(6), 93],
    ]);
    // Impact from these swings is tiny (volume 1e9); the spread and the downward rounding dominate.
    expect(sells[0]!.price).toBe(roundToCent(95 * (1 - 0.0001 - sells[0]!.impactBps / 1e4), 'down'));
    expect(sells[1]!.price).toBe(roundToCent(93 * (1 - 0.0001 - sells[1]!.impactBps / 1e4), 'down'));
    expect(sells[0]!.price).toBe(94.99);
    expect(sells[1]!.price).toBe(92.99);
  });

  it('a stop-limit triggers on one bar and rests as a limit from the next bar', () => {
    const stopLimit = { symbol: S, side: OrderSide.Buy, type: OrderType.StopLimit, quantity: 1, stopPrice: 105, price: 106 };
    const series = bars([
      [100, 101, 99, 100],
      [104, 107, 103, 106], // triggers; low < limit here, but the limit is not active yet
      [106.5, 107, 106, 106.5], // low == limit: no fill
      [106.5, 107, 105.5, 106], // trades through: fills at the limit
    ]);
    const { fills, strategy } = run({ series, steps: [{ at: 0, order: stopLimit }] });
    const triggered = strategy.events.find((e) => e.kind === 'TRIGGERED')!;
    expect(triggered.time).toBe(day(1));
    expect(fills.map((f) => [f.time, f.price, f.liquidity, f.impactBps])).toEqual([[day(3), 106, 'MAKER', 0]]);
  });
});
