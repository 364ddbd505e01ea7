// Participation cap: at most 5% of a bar's volume per bar, carried over (GTC), cut (IOC), all-or-nothing (FOK).
import { describe, expect, it } from 'vitest';
import { Market } from '../../src/core/market.ts';
import { OrderSide, OrderStatus, OrderType, TimeInForce } from '../../src/core/order.ts';
import { MS_PER_DAY, T0, cryptoInstrument, makeSeries, roundToCent, run } from './helpers.ts';

// Whole-unit lots so "rounded down to the lot" is visible: 5% of 110 = 5.5 -> 5 per bar.
const instrument = cryptoInstrument({ lotSize: '1' });
const opens = [100, 101, 102, 103, 104, 105];
// Flat closes: sigma_daily = 0, so no impact; each part's price is its own open plus 1 bp.
const series = makeSeries({ open: opens, close: opens.map(() => 100), high: opens.map((o) => o + 2), low: opens.map(() => 98), volume: opens.map(() => 110) });
const order = (quantity: number, timeInForce?: TimeInForce, side: OrderSide = OrderSide.Buy) => ({
  symbol: 'TEST/USDT',
  side,
  type: OrderType.Market,
  quantity,
  timeInForce,
});

describe('participation cap (5% of each bar\'s volume)', () => {
  it('fills 5% per bar, rounded down to the lot, and carries the rest to the next bars\' opens until filled', () => {
    const { fills, strategy } = run({ series, instruments: [instrument], steps: [{ at: 0, order: order(12) }] });
    expect(fills.map((f) => f.quantity)).toEqual([5, 5, 2]);
    expect(fills.map((f) => f.time)).toEqual([1, 2, 3].map((k) => T0 + k * MS_PER_DAY));
    expect(fills.map((f) => f.referencePrice)).toEqual([101, 102, 103]);
    expect(fills.map((f) => f.price)).toEqual([101, 102, 103].map((o) => roundToCent(o * 1.0001, 'up')));
    expect(strategy.submitted[0]!.status).toBe(OrderStatus.Filled);
    expect(strategy.events.filter((e) => e.kind === 'PARTIALLY_FILLED')).toHaveLength(2);
  });

  it('applies to sells as well', () => {
    const { fills } = run({ series, instruments: [instrument], steps: [{ at: 0, order: order(5) }, { at: 1, order: order(5, undefined, OrderSide.Sell) }] });
    expect(fills.map((f) => [f.side, f.quantity, f.time])).toEqual([
      ['BUY', 5, T0 + MS_PER_DAY],
      ['SELL', 5, T0 + 2 * MS_PER_DAY],
    ]);
  });

  it('IOC fills the first bar\'s share and expires the rest', () => {
    const { fills, strategy } = run({ series, instruments: [instrument], steps: [{ at: 0, order: order(12, TimeInForce.IOC) }] });
    expect(fills.map((f) => f.quantity)).toEqual([5]);
    const submitted = strategy.submitted[0]!;
    expect(submitted.status).toBe(OrderStatus.Expired);
    expect(submitted.filledQuantity).toBe(5);
    const expired = strategy.events.find((e) => e.kind === 'EXPIRED')!;
    expect(expired.time, 'expires at the close of the bar it could trade on').toBe(T0 + 2 * MS_PER_DAY);
  });

  it('FOK larger than the cap expires with nothing filled', () => {
    const { fills, strategy } = run({ series, instruments: [instrument], steps: [{ at: 0, order: order(12, TimeInForce.FOK) }] });
    expect(fills).toHaveLength(0);
    expect(strategy.submitted[0]!.status).toBe(OrderStatus.Expired);
    expect(strategy.submitted[0]!.filledQuantity).toBe(0);
  });

  it('FOK within the cap fills whole', () => {
    const { fills, strategy } = run({ series, instruments: [instrument], steps: [{ at: 0, order: order(5, TimeInForce.FOK) }] });
    expect(fills.map((f) => f.quantity)).toEqual([5]);
    expect(strategy.submitted[0]!.status).toBe(OrderStatus.Filled);
  });

  it('emergency orders ignore the cap', () => {
    const { fills } = run({ series, instruments: [instrument], steps: [{ at: 0, order: order(12), emergency: true }] });
    expect(fills.map((f) => [f.quantity, f.time])).toEqual([[12, T0 + MS_PER_DAY]]);
    expect(fills[0]!.price).toBe(roundToCent(101 * 1.0001, 'up'));
  });

  it('an emergency order does not use up the cap of the other orders', () => {
    const { fills } = run({ series, instruments: [instrument], steps: [{ at: 0, order: order(12), emergency: true }, { at: 0, order: order(5) }] });
    expect(fills.map((f) => f.quantity)).toEqual([12, 5]);
  });

  it('two orders in the same bar share one cap, first come first served', () => {
    const { fillsOf } = run({ series, instruments: [instrument], steps: [{ at: 0, order: order(4) }, { at: 0, order: order(4) }] });
    expect(fillsOf(0).map((f) => [f.quantity, f.time])).toEqual([[4, T0 + MS_PER_DAY]]);
    expect(fillsOf(1).map((f) => [f.quantity, f.time])).toEqual([
      [1, T0 + MS_PER_DAY],
      [3, T0 + 2 * MS_PER_DAY],
    ]);
  });

  it('never fills more than the cap on any bar, whatever the orders', () => {
    const { fills, fillsOf } = run({
      series,
      instruments: [instrument],
      steps: [
        { at: 0, order: order(7) },
        { at: 0, order: order(9) },
        { at: 1, order: order(3) },
        { at: 2, order: order(2, TimeInForce.IOC) },
      ],
    });
    const perBar = new Map<number, number>();
    for (const f of fills) perBar.set(f.time, (perBar.get(f.time) ?? 0) + f.quantity);
    expect([...perBar.values()].every((q) => q <= 5)).toBe(true);
    // The IOC order queues behind the earlier ones, which take the whole cap of its only bar.
    expect(fillsOf(3)).toHaveLength(0);
    expect(fills.reduce((a, f) => a + f.quantity, 0)).toBe(7 + 9 + 3);
  });

  it('rounds A-share parts down to 100-share lots', () => {
    // 5% of 3,900 shares = 195 -> 100 per bar.
    const ashare = makeSeries({ open: [10, 10, 10, 10], volume: [3900, 3900, 3900, 3900] }, { market: Market.AShare });
    const { fills } = run({ series: ashare, steps: [{ at: 0, order: { symbol: '600000.SH', side: OrderSide.Buy, type: OrderType.Market, quantity: 300 } }] });
    expect(fills.map((f) => f.quantity)).toEqual([100, 100, 100]);
  });
});
