// Realistic model, market orders: next open, half spread, tick rounding away from us, taker fee, slippage.
import { describe, expect, it } from 'vitest';
import { Market } from '../../src/core/market.ts';
import { OrderSide, OrderType } from '../../src/core/order.ts';
import { MS_PER_DAY, ScriptedStrategy, T0, makeSeries, money, roundHalfUp, run } from './helpers.ts';

const buy = (quantity: number) => ({ symbol: 'TEST/USDT', side: OrderSide.Buy, type: OrderType.Market, quantity });
const sell = (quantity: number) => ({ symbol: 'TEST/USDT', side: OrderSide.Sell, type: OrderType.Market, quantity });

describe('realistic market orders (crypto: 2 bps spread, taker 10 bps)', () => {
  // Closes are flat so sigma_daily = 0 and no impact is added: only the half spread moves the price.
  const series = makeSeries({
    open: [100, 100.03, 100.5, 100.03, 99],
    close: [100, 100, 100, 100, 100],
    high: [101, 101, 101, 101, 101],
    low: [98, 98, 98, 98, 98],
  });

  it('fills a buy decided at bar k at the open of bar k+1 plus 1 bp, rounded up to the tick, at that bar\'s open time', () => {
    const { fills } = run({ series, steps: [{ at: 0, order: buy(2) }] });
    expect(fills).toHaveLength(1);
    const fill = fills[0]!;
    expect(fill.time, 'fill time = open time of the bar after the decision').toBe(T0 + MS_PER_DAY);
    expect(fill.referencePrice).toBe(100.03);
    // 100.03 x 1.0001 = 100.040003 -> up to 100.05 (the full 2 bps would give 100.060006 -> 100.07)
    expect(fill.price).toBe(100.05);
    expect(fill.impactBps).toBe(0);
    expect(fill.liquidity).toBe('TAKER');
    expect(fill.quantity).toBe(2);
  });

  it('fills a sell at the next open minus 1 bp, rounded down to the tick', () => {
    const { fills } = run({ series, steps: [{ at: 0, order: buy(2) }, { at: 2, order: sell(2) }] });
    expect(fills).toHaveLength(2);
    const fill = fills[1]!;
    expect(fill.time).toBe(T0 + 3 * MS_PER_DAY);
    // 100.03 x 0.9999 = 100.019997 -> down to 100.01
    expect(fill.price).toBe(100.01);
    expect(fill.side).toBe('SELL');
  });

  it('charges the taker fee on the exact notional, rounded half up to the quote currency unit', () => {
    const { fills, result } = run({ series, capital: 1000, steps: [{ at: 0, order: buy(2) }, { at: 2, order: sell(2) }] });
    const [b, s] = fills as [(typeof fills)[0], (typeof fills)[0]];
    expect(b.notional).toBe(money('200.1'));
    expect(b.fee).toBe(roundHalfUp(money('200.1') * 10n, 10_000n));
    expect(b.fee).toBe(money('0.2001'));
    expect(s.notional).toBe(money('200.02'));
    expect(s.fee).toBe(money('0.20002'));
    expect(b.tax + s.tax).toBe(0n);
    expect(result.kernel.account.cash).toBe(money('1000') - money('200.1') - money('0.2001') + money('200.02') - money('0.20002'));
  });

  it('does not fill on the decision bar itself nor wait beyond the next bar', () => {
    const { fills } = run({ series, steps: [{ at: 3, order: buy(1) }] });
    expect(fills.map((f) => f.time)).toEqual([T0 + 4 * MS_PER_DAY]);
    expect(fills[0]!.price).toBe(99.01); // 99 x 1.0001 = 99.0099 -> 99.01
  });
});

describe('realistic market orders (A-shares: 10 bps spread, half = 5 bps)', () => {
  const series = makeSeries(
    { open: [10, 10.03, 10.03, 10.03], close: [10, 10, 10, 10], high: [10.5, 10.5, 10.5, 10.5], low: [9.8, 9.8, 9.8, 9.8] },
    { market: Market.AShare },
  );

  it('buys at the next open x 1.0005 rounded up and sells at x 0.9995 rounded down', () => {
    const { fills } = run({
      series,
      steps: [
        { at: 0, order: { symbol: '600000.SH', side: OrderSide.Buy, type: OrderType.Market, quantity: 1000 } },
        { at: 2, order: { symbol: '600000.SH', side: OrderSide.Sell, type: OrderType.Market, quantity: 1000 } },
      ],
    });
    expect(fills.map((f) => f.price)).toEqual([
      10.04, // 10.03 x 1.0005 = 10.035015 -> 10.04 (10 bps would give 10.04003 -> 10.05)
      10.02, // 10.03 x 0.9995 = 10.024985 -> 10.02
    ]);
    expect(fills.map((f) => f.impactBps)).toEqual([0, 0]);
  });
});

describe('slippageBps against the decision price (the close of the decision bar)', () => {
  const series = makeSeries({ open: [100, 101, 100, 98], close: [100, 100.5, 99, 97] });

  it('is (fill - decision) / decision x 1e4 for buys and the opposite sign for sells', () => {
    const { fills, strategy } = run({ series, steps: [{ at: 0, order: buy(1) }, { at: 2, order: sell(1) }] });
    expect(strategy.submitted.map((o) => o.decisionPrice)).toEqual([100, 99]);
    const [b, s] = fills as [(typeof fills)[0], (typeof fills)[0]];
    expect(b.price).toBe(101.02); // 101 x 1.0001 = 101.0101 -> 101.02
    expect(b.slippageBps).toBeCloseTo(((101.02 - 100) / 100) * 1e4, 9);
    expect(b.slippageBps).toBeCloseTo(102, 9);
    expect(s.price).toBe(97.99); // 98 x 0.9999 = 97.9902 -> 97.99
    // Sold below the decision close: a cost, so positive.
    expect(s.slippageBps).toBeCloseTo(((99 - 97.99) / 99) * 1e4, 9);
    expect(s.slippageBps).toBeGreaterThan(0);
  });

  it('is negative when the market moved our way', () => {
    const { fills } = run({ series: makeSeries({ open: [100, 95], close: [100, 95] }), steps: [{ at: 0, order: buy(1) }] });
    expect(fills[0]!.slippageBps).toBeCloseTo(((95.01 - 100) / 100) * 1e4, 9); // 95 x 1.0001 = 95.0095 -> 95.01
  });
});

describe('orders changed from inside an order event', () => {
  it('canceling an earlier resting order from a fill callback does not make a later order skip the bar', () => {
    const series = makeSeries({ open: [100, 100, 100, 100], low: [99, 99, 99, 99], high: [101, 101, 101, 101] });
    // Submitted at bar 0, in this order: a resting limit (never fills), then two market orders.
    // When the first market order fills, the strategy cancels the resting limit.
    const strategy = new ScriptedStrategy(
      [
        { at: 0, order: { symbol: 'TEST/USDT', side: OrderSide.Buy, type: OrderType.Limit, quantity: 1, price: 50 } },
        { at: 0, order: buy(1) },
        { at: 0, order: buy(1) },
      ],
      undefined,
      (event, ctx) => {
        if (event.kind === 'FILLED' && event.order === strategy.submitted[1]) ctx.cancelOrder(strategy.submitted[0]!.id);
      },
    );
    const { fillsOf } = run({ series, strategy });
    expect(strategy.submitted[0]!.status).toBe('CANCELED');
    expect(fillsOf(1).map((f) => f.time)).toEqual([T0 + MS_PER_DAY]);
    expect(fillsOf(2).map((f) => f.time), 'the second market order fills on the same bar').toEqual([T0 + MS_PER_DAY]);
  });
});
