// The next-open model: whole order at the next bar's open, fee only; same decisions as the realistic model.
import { describe, expect, it } from 'vitest';
import type { Bar } from '../../src/core/bar.ts';
import { OrderSide, OrderStatus, OrderType } from '../../src/core/order.ts';
import type { OrderEvent } from '../../src/common/events.ts';
import { Strategy } from '../../src/common/strategy.ts';
import { MS_PER_DAY, T0, cryptoInstrument, makeSeries, money, roundHalfUp, run } from './helpers.ts';

const S = 'TEST/USDT';
const instrument = cryptoInstrument({ lotSize: '1' });

describe('next-open model', () => {
  // Volatile closes and thin volume: the realistic model would add impact and cap at 5 units a bar.
  const opens = [100, 101.37, 99, 103, 98, 104];
  const series = makeSeries({ open: opens, close: [100, 96, 104, 97, 105, 99], high: opens.map((o) => o + 8), low: opens.map((o) => o - 8), volume: opens.map(() => 110) });

  it('fills the whole order at the next open with no spread, no impact and no participation cap, paying the taker fee', () => {
    const { fills, strategy } = run({
      series,
      instruments: [instrument],
      fill: { model: 'next-open' },
      steps: [
        { at: 0, order: { symbol: S, side: OrderSide.Buy, type: OrderType.Market, quantity: 40 } },
        { at: 3, order: { symbol: S, side: OrderSide.Sell, type: OrderType.Market, quantity: 40 } },
      ],
    });
    expect(fills.map((f) => [f.side, f.time, f.quantity, f.price, f.impactBps])).toEqual([
      ['BUY', T0 + MS_PER_DAY, 40, 101.37, 0],
      ['SELL', T0 + 4 * MS_PER_DAY, 40, 98, 0],
    ]);
    expect(fills[0]!.fee).toBe(roundHalfUp(money('4054.8') * 10n, 10_000n));
    expect(fills[0]!.liquidity).toBe('TAKER');
    expect(fills.every((f) => !f.reducedForCash)).toBe(true);
    expect(strategy.submitted.map((o) => o.status)).toEqual([OrderStatus.Filled, OrderStatus.Filled]);
  });

  it('the realistic model on the same data splits and prices the same order differently (the control)', () => {
    const { fills } = run({ series, instruments: [instrument], steps: [{ at: 0, order: { symbol: S, side: OrderSide.Buy, type: OrderType.Market, quantity: 40 } }] });
    expect(fills[0]!.quantity).toBe(5);
    expect(fills[0]!.price).toBeGreaterThan(101.37);
  });

  it('fills a stop at the worse of stop and open, and a limit at the limit with the maker fee, without spread', () => {
    const { fills } = run({
      series,
      instruments: [instrument],
      fill: { model: 'next-open' },
      steps: [
        { at: 1, order: { symbol: S, side: OrderSide.Buy, type: OrderType.Stop, quantity: 1, stopPrice: 100 } }, // bar 2: open 99, high 107
        { at: 2, order: { symbol: S, side: OrderSide.Buy, type: OrderType.Limit, quantity: 1, price: 97 } }, // bar 3: low 95
      ],
    });
    expect(fills.map((f) => [f.time, f.price, f.liquidity])).toEqual([
      [T0 + 2 * MS_PER_DAY, 100, 'TAKER'],
      [T0 + 3 * MS_PER_DAY, 97, 'MAKER'],
    ]);
    expect(fills[1]!.fee).toBe(roundHalfUp(money('97') * 2n, 10_000n));
  });
});

/** Goes long when the close is above the mean of the last 3 closes, flat when below; fixed size. */
class MeanCross extends Strategy {
  readonly name = 'mean-cross';
  private readonly closes: number[] = [];
  private long = false;
  readonly decisions: string[] = [];
  override onBar(bar: Bar): void {
    this.closes.push(bar.close);
    if (this.closes.length < 3) return;
    const mean = this.closes.slice(-3).reduce((a, b) => a + b, 0) / 3;
    if (!this.long && bar.close > mean) {
      this.long = true;
      this.decisions.push(`${bar.closeTime} BUY`);
      this.ctx.submitOrder({ symbol: S, side: OrderSide.Buy, type: OrderType.Market, quantity: 2 });
    } else if (this.long && bar.close < mean && this.ctx.position(S).quantity > 0) {
      this.long = false;
      this.decisions.push(`${bar.closeTime} SELL`);
      this.ctx.submitOrder({ symbol: S, side: OrderSide.Sell, type: OrderType.Market, quantity: this.ctx.position(S).quantity });
    }
  }
  override onOrderEvent(_event: OrderEvent): void {}
}

describe('next-open and realistic take the same decisions on the same data', () => {
  it('submits the same orders at the same times; only the fill prices differ', () => {
    const n = 120;
    const close = Array.from({ length: n }, (_, i) => Math.round((100 + 10 * Math.sin(i / 4) + 3 * Math.cos(i * 1.7)) * 100) / 100);
    const open = close.map((c, i) => (i === 0 ? c : close[i - 1]!));
    const series = makeSeries({ open, close, volume: close.map(() => 10_000) });
    const realistic = new MeanCross();
    const nextOpen = new MeanCross();
    const a = run({ series, instruments: [instrument], strategy: realistic });
    const b = run({ series, instruments: [instrument], strategy: nextOpen, fill: { model: 'next-open' } });
    expect(realistic.decisions.length).toBeGreaterThan(10);
    expect(nextOpen.decisions).toEqual(realistic.decisions);
    expect(b.fills.map((f) => [f.time, f.side, f.quantity])).toEqual(a.fills.map((f) => [f.time, f.side, f.quantity]));
    // Costs: realistic buys higher and sells lower than next-open on every fill.
    a.fills.forEach((f, i) => {
      const g = b.fills[i]!;
      if (f.side === 'BUY') expect(f.price).toBeGreaterThan(g.price);
      else expect(f.price).toBeLessThan(g.price);
    });
  });
});
