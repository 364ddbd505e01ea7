// Cash: a buy the cash cannot pay is cut to what it covers, flagged, and the balance never goes negative.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Market } from '../../src/core/market.ts';
import { OrderSide, OrderStatus, OrderType, TimeInForce } from '../../src/core/order.ts';
import { ScriptedStrategy, type ScriptStep, makeSeries, money, roundHalfUp, run } from './helpers.ts';

const S = 'TEST/USDT';

describe('cash cut', () => {
  const series = makeSeries({ open: [100, 100, 100, 100] });

  it('cuts a buy to the largest lot multiple whose price x quantity + fee the cash covers, and flags it', () => {
    const { fills, result, strategy } = run({ series, capital: 1000, steps: [{ at: 0, order: { symbol: S, side: OrderSide.Buy, type: OrderType.Market, quantity: 20 } }] });
    expect(fills).toHaveLength(1);
    const fill = fills[0]!;
    expect(fill.reducedForCash).toBe(true);
    expect(fill.price).toBe(100.01);
    const cost = (units: bigint) => {
      // units of 0.001; notional = 100.01 x units / 1000; fee 10 bps half up
      const notional = (money('100.01') * units) / 1000n;
      return notional + roundHalfUp(notional * 10n, 10_000n);
    };
    const units = BigInt(Math.round(fill.quantity * 1000));
    expect(cost(units)).toBeLessThanOrEqual(money('1000'));
    expect(cost(units + 1n), 'one more lot would overdraw the account').toBeGreaterThan(money('1000'));
    expect(fill.quantity).toBe(9.989); // 100.01 x 9.989 + 0.999 fee = 999.99989 + 0.99900 <= 1000
    expect(result.kernel.account.cash).toBeGreaterThanOrEqual(0n);
    expect(result.kernel.account.cash).toBe(money('1000') - cost(units));
    // What the cash did not cover stays open (GTC) and cannot fill later either.
    expect(strategy.submitted[0]!.status).toBe(OrderStatus.PartiallyFilled);
  });

  it('does not flag a buy the cash covers', () => {
    const { fills } = run({ series, capital: 1000, steps: [{ at: 0, order: { symbol: S, side: OrderSide.Buy, type: OrderType.Market, quantity: 9 } }] });
    expect(fills[0]!.reducedForCash).toBe(false);
    expect(fills[0]!.quantity).toBe(9);
  });

  it('a FOK buy the cash cannot pay in full expires with nothing', () => {
    const { fills, strategy } = run({
      series,
      capital: 1000,
      steps: [{ at: 0, order: { symbol: S, side: OrderSide.Buy, type: OrderType.Market, quantity: 20, timeInForce: TimeInForce.FOK } }],
    });
    expect(fills).toHaveLength(0);
    expect(strategy.submitted[0]!.status).toBe(OrderStatus.Expired);
  });

  it('cuts A-share buys to whole lots including the 5 CNY minimum commission', () => {
    const ashare = makeSeries({ open: [10, 10, 10] }, { market: Market.AShare });
    // 10.01 x 1000 = 10,010 + 5 + 0.20 + 0.49 > 10,000; 900 shares = 9,009 + costs fits.
    const { fills, result } = run({
      series: ashare,
      capital: 10_000,
      steps: [{ at: 0, order: { symbol: '600000.SH', side: OrderSide.Buy, type: OrderType.Market, quantity: 1000 } }],
    });
    expect(fills.map((f) => [f.price, f.quantity, f.reducedForCash])).toEqual([[10.01, 900, true]]);
    expect(fills[0]!.fee).toBe(money('5') + money('0.18') + money('0.44'));
    expect(result.kernel.account.cash).toBe(money('10000') - money('9009') - money('5.62'));
  });
});

describe('the cash balance never goes negative (property)', () => {
  const barArbitrary = fc.record({
    open: fc.integer({ min: 50_00, max: 150_00 }),
    up: fc.integer({ min: 0, max: 10_00 }),
    down: fc.integer({ min: 0, max: 10_00 }),
    closeAt: fc.double({ min: 0, max: 1, noNaN: true }),
    volume: fc.integer({ min: 0, max: 500 }),
  });
  const orderArbitrary = fc.record({
    at: fc.nat({ max: 29 }),
    side: fc.constantFrom(OrderSide.Buy, OrderSide.Sell),
    type: fc.constantFrom(OrderType.Market, OrderType.Market, OrderType.Limit, OrderType.Stop, OrderType.StopLimit),
    quantity: fc.double({ min: 0.001, max: 40, noNaN: true }),
    offset: fc.double({ min: -0.05, max: 0.05, noNaN: true }),
    timeInForce: fc.constantFrom(TimeInForce.GTC, TimeInForce.IOC, TimeInForce.FOK),
    emergency: fc.boolean(),
  });

  it('holds for random bars, order types and sizes (account.cash >= 0 after every event)', () => {
    let cutFills = 0;
    fc.assert(
      fc.property(fc.array(barArbitrary, { minLength: 5, maxLength: 30 }), fc.array(orderArbitrary, { maxLength: 25 }), fc.integer({ min: 100, max: 5_000 }), (rows, orders, capital) => {
        const open = rows.map((r) => r.open / 100);
        const high = rows.map((r) => (r.open + r.up) / 100);
        const low = rows.map((r) => (r.open - r.down) / 100);
        const close = rows.map((r, i) => Math.round((low[i]! + (high[i]! - low[i]!) * r.closeAt) * 100) / 100);
        const series = makeSeries({ open, high, low, close, volume: rows.map((r) => r.volume) });
        let lowest = Infinity;
        const steps: ScriptStep[] = orders.map((o) => ({
          at: o.at,
          emergency: o.emergency,
          run: (ctx) => {
            const last = ctx.lastPrice(S);
            // Sells never exceed the position (spot has no shorts); the kernel denies nothing else here.
            const quantity = o.side === OrderSide.Sell ? Math.min(o.quantity, ctx.position(S).quantity) : o.quantity;
            if (!(quantity > 0)) return;
            const price = Math.round(last * (1 + o.offset) * 100) / 100;
            const order = ctx.submitOrder({ symbol: S, side: o.side, type: o.type, quantity, price, stopPrice: price, timeInForce: o.timeInForce });
            if (o.emergency) order.emergency = true;
          },
        }));
        const strategy = new ScriptedStrategy(steps, undefined, (_event, ctx) => {
          lowest = Math.min(lowest, ctx.cash());
        });
        const { result } = run({ series, strategy, capital });
        cutFills += result.kernel.fills.filter((f) => f.reducedForCash).length;
        expect(result.kernel.account.cash >= 0n, `cash ${result.kernel.account.cash}`).toBe(true);
        expect(lowest).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 300, seed: 20240101 },
    );
    expect(cutFills, 'the generated cases should exercise the cash cut').toBeGreaterThan(20);
  });
});
