// A-share market rules in the simulated venue: lots, odd lots, T+1, daily price limits, fees and taxes.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_FILL_MODEL } from '../../src/adapters/sim/fill-model-config.ts';
import { ReplayDataClient } from '../../src/adapters/sim/replay-data-client.ts';
import { SimExecutionClient } from '../../src/adapters/sim/sim-execution-client.ts';
import { feeScheduleFor } from '../../src/app/environment/index.ts';
import type { BarSeries } from '../../src/core/bar.ts';
import { numberToMoney } from '../../src/core/decimal.ts';
import { Liquidity } from '../../src/core/fill.ts';
import { Market } from '../../src/core/market.ts';
import { Order, OrderEventKind, OrderSide, OrderStatus, OrderType, TimeInForce } from '../../src/core/order.ts';
import { loadBarSeries } from '../../src/adapters/files/index.ts';
import { mergeOrder } from '../../src/engines/data/index.ts';
import { SimulatedClock } from '../../src/common/clock.ts';
import { Kernel } from '../../src/kernel/kernel.ts';
import type { StrategyContext } from '../../src/common/strategy.ts';
import { ASHARE_FEES, CRYPTO_FEES, MS_PER_HOUR, ScriptedStrategy, ashareInstrument, makeSeries, money, roundToCent, run, sampleSd } from './helpers.ts';

const SYMBOL = '600000.SH';
const market = (side: OrderSide, quantity: number, timeInForce?: TimeInForce) => ({ symbol: SYMBOL, side, type: OrderType.Market, quantity, timeInForce });
const dateOf = (time: number) => new Date(time).toISOString().slice(0, 10);

describe('A-share lots', () => {
  it('buys in 100-share lots: a strategy asking for 250 gets 200', () => {
    const series = makeSeries({ open: [10, 10, 10, 10] }, { market: Market.AShare });
    const { fills, strategy } = run({ series, steps: [{ at: 0, order: market(OrderSide.Buy, 250) }] });
    expect(strategy.submitted[0]!.quantity).toBe(200);
    expect(fills.map((f) => f.quantity)).toEqual([200]);
  });

  /**
   * Odd lots only arise outside trading (bonus shares, transfers), so a position of 150 is booked into
   * the account before the replay, through a kernel wired the way simulate() wires it.
   */
  function runWithOddLot(series: BarSeries, onFirstBar: (ctx: StrategyContext, venue: SimExecutionClient) => void) {
    const instrument = ashareInstrument();
    const clock = new SimulatedClock(series.openTime[0]!);
    const venue = new SimExecutionClient(DEFAULT_FILL_MODEL, feeScheduleFor({ crypto: CRYPTO_FEES, ashare: ASHARE_FEES }));
    const strategy = new ScriptedStrategy([{ at: 0, run: (ctx) => onFirstBar(ctx, venue) }]);
    const kernel = new Kernel({ clock, execution: venue, instruments: [instrument], currency: 'CNY', initialCapital: numberToMoney(100_000), strategy });
    const transfer = new Order('TRANSFER-IN', SYMBOL, OrderSide.Buy, OrderType.Market, 150, undefined, undefined, TimeInForce.GTC, 0, NaN);
    transfer.apply(OrderEventKind.Submitted, 0);
    transfer.apply(OrderEventKind.Accepted, 0);
    kernel.orderFilled(transfer, {
      id: 'TRANSFER-IN',
      orderId: transfer.id,
      symbol: SYMBOL,
      side: OrderSide.Buy,
      time: 0,
      price: 10,
      quantity: 150,
      notional: money('1500'),
      fee: 0n,
      tax: 0n,
      liquidity: Liquidity.Taker,
      referencePrice: 10,
      impactBps: 0,
      slippageBps: 0,
      reducedForCash: false,
    });
    kernel.start();
    new ReplayDataClient([series], mergeOrder([series]), clock).start(kernel);
    kernel.stop();
    return kernel;
  }

  it('the venue sells an odd-lot position of 150 whole', () => {
    const series = makeSeries({ open: [10, 10, 10] }, { market: Market.AShare });
    let sell: Order | undefined;
    const kernel = runWithOddLot(series, (ctx, venue) => {
      // Straight to the venue, so this checks the venue alone (the next tests go through the strategy API).
      sell = new Order('ODD-SELL', SYMBOL, OrderSide.Sell, OrderType.Market, 150, undefined, undefined, TimeInForce.GTC, ctx.now(), ctx.lastPrice(SYMBOL));
      sell.apply(OrderEventKind.Submitted, ctx.now());
      venue.submitOrder(sell);
    });
    expect(kernel.fills.filter((f) => f.side === 'SELL').map((f) => f.quantity)).toEqual([150]);
    expect(sell!.status).toBe(OrderStatus.Filled);
    expect(kernel.account.positions.get(SYMBOL)!.quantity).toBe(0);
  });

  it('under the participation cap, parts are whole lots and only the final remainder is odd', () => {
    // 5% of 2,400 = 120 shares a bar: 100 on the first bar, the odd 50 on the next.
    const series = makeSeries({ open: [10, 10, 10], volume: [2400, 2400, 2400] }, { market: Market.AShare });
    const kernel = runWithOddLot(series, (ctx, venue) => {
      const sell = new Order('ODD-SELL', SYMBOL, OrderSide.Sell, OrderType.Market, 150, undefined, undefined, TimeInForce.GTC, ctx.now(), ctx.lastPrice(SYMBOL));
      sell.apply(OrderEventKind.Submitted, ctx.now());
      venue.submitOrder(sell);
    });
    expect(kernel.fills.filter((f) => f.side === 'SELL').map((f) => f.quantity)).toEqual([100, 50]);
  });

  it('a strategy selling its whole odd-lot position of 150 sells 150', () => {
    const series = makeSeries({ open: [10, 10, 10] }, { market: Market.AShare });
    const kernel = runWithOddLot(series, (ctx) => {
      ctx.submitOrder(market(OrderSide.Sell, ctx.position(SYMBOL).quantity));
    });
    expect(kernel.fills.filter((f) => f.side === 'SELL').map((f) => f.quantity)).toEqual([150]);
  });
});

describe('A-share T+1', () => {
  // Hourly bars over two trading days (Shanghai 09:30, 10:30, 13:00, 14:00 = 01:30, 02:30, 05:00, 06:00 UTC).
  const hours = [1.5, 2.5, 5, 6];
  const days = [Date.UTC(2024, 2, 4), Date.UTC(2024, 2, 5)];
  const openTime = days.flatMap((d) => hours.map((h) => d + h * MS_PER_HOUR));
  const series = makeSeries({ open: openTime.map(() => 10), openTime }, { market: Market.AShare, intervalMs: MS_PER_HOUR });

  it('a sell decided the same day as the buy fills on the next trading day, not the same day', () => {
    let sellable = NaN;
    const { fills, strategy } = run({
      series,
      steps: [
        { at: 0, order: market(OrderSide.Buy, 500) }, // fills at bar 1 (2024-03-04 10:30)
        { at: 1, order: market(OrderSide.Sell, 500), run: (ctx) => (sellable = ctx.position(SYMBOL).sellableQuantity) },
      ],
    });
    expect(sellable, 'nothing bought today is sellable').toBe(0);
    expect(fills.map((f) => [f.side, f.time])).toEqual([
      ['BUY', openTime[1]],
      ['SELL', openTime[4]], // first bar of 2024-03-05, not bar 2 of the same day
    ]);
    expect(strategy.submitted[1]!.status).toBe(OrderStatus.Filled);
  });

  it('an IOC sell of shares bought today expires without filling', () => {
    const { fills, strategy } = run({ series, steps: [{ at: 0, order: market(OrderSide.Buy, 500) }, { at: 1, order: market(OrderSide.Sell, 500, TimeInForce.IOC) }] });
    expect(fills.map((f) => f.side)).toEqual(['BUY']);
    expect(strategy.submitted[1]!.status).toBe(OrderStatus.Expired);
  });
});

describe('A-share daily price limits (fixture test/fixtures/sim/limit-bars.csv, adjust none)', () => {
  const file = fileURLToPath(new URL('../fixtures/sim/limit-bars.csv', import.meta.url));
  const load = async () => (await loadBarSeries(file, { symbol: SYMBOL, market: 'ashare', adjust: 'none', interval: '1d' })).series;

  it('a market buy does not fill on a one-price limit-up day and fills at the next normal day\'s open', async () => {
    const series = await load();
    const { fills } = run({ series, steps: [{ at: 0, order: market(OrderSide.Buy, 1000) }] });
    expect(fills).toHaveLength(1);
    const fill = fills[0]!;
    expect(dateOf(fill.time), 'not 2024-03-04, the limit-up day (open = high = low = close = 11.00 = 10.00 x 1.1)').toBe('2024-03-05');
    // Completed days before 03-05: 03-01 and 03-04, one return: no impact yet.
    expect(fill.impactBps).toBe(0);
    expect(fill.price).toBe(11.11); // 11.10 x 1.0005 = 11.10555 -> 11.11
  });

  it('a market sell does not fill on a one-price limit-down day and fills at the next day\'s open', async () => {
    const series = await load();
    const { fills } = run({ series, steps: [{ at: 0, order: market(OrderSide.Buy, 1000) }, { at: 2, order: market(OrderSide.Sell, 1000) }] });
    const sell = fills.find((f) => f.side === 'SELL')!;
    expect(dateOf(sell.time), 'not 2024-03-06, the limit-down day (10.08 = 11.20 x 0.9)').toBe('2024-03-07');
    // Completed days 03-01 .. 03-06: three returns, four volumes.
    const closes = [10, 11, 11.2, 10.08];
    const returns = closes.slice(1).map((c, i) => Math.log(c / closes[i]!));
    const volume = (1_000_000 + 50_000 + 1_000_000 + 40_000) / 4;
    const impact = 0.15 * sampleSd(returns) * Math.sqrt(1000 / volume);
    expect(sell.impactBps).toBeCloseTo(impact * 1e4, 6);
    expect(sell.price).toBe(roundToCent(10.1 * (1 - 0.0005 - impact), 'down'));
  });
});

describe('A-share limit rules (in-memory bars)', () => {
  it('takes the limits from pre_close, not from the previous close, when the data has it', () => {
    // After a 10-for-10 split the raw previous close is 20.00 but pre_close is 10.00: limit-up = 11.00.
    const series = makeSeries(
      { open: [20, 11, 11.5], high: [20, 11, 11.6], low: [20, 11, 11.4], close: [20, 11, 11.5], preClose: [20, 10, 11] },
      { market: Market.AShare },
    );
    const { fills } = run({ series, steps: [{ at: 0, order: market(OrderSide.Buy, 100) }] });
    expect(fills.map((f) => f.referencePrice)).toEqual([11.5]);
  });

  it('without pre_close, takes the limits from the previous raw close', () => {
    const series = makeSeries({ open: [10, 11, 10.5], high: [10, 11, 10.6], low: [10, 11, 10.4], close: [10, 11, 10.5], preClose: [NaN, NaN, NaN] }, { market: Market.AShare });
    const { fills } = run({ series, steps: [{ at: 0, order: market(OrderSide.Buy, 100) }] });
    expect(fills.map((f) => f.referencePrice)).toEqual([10.5]);
  });

  it('a bar that opens at limit-up blocks a market buy even if it trades lower later', () => {
    const series = makeSeries({ open: [10, 11, 10.5], high: [10, 11, 10.6], low: [10, 10.5, 10.4], close: [10, 10.8, 10.5] }, { market: Market.AShare });
    const { fills } = run({ series, steps: [{ at: 0, order: market(OrderSide.Buy, 100) }] });
    expect(fills.map((f) => f.referencePrice)).toEqual([10.5]);
  });

  it('a bar that only touches limit-up at its high does not block a buy; the price is kept at the limit', () => {
    const series = makeSeries({ open: [10, 10.99, 10.5], high: [10, 11, 10.6], low: [10, 10.9, 10.4], close: [10, 11, 10.5] }, { market: Market.AShare });
    const { fills } = run({ series, steps: [{ at: 0, order: market(OrderSide.Buy, 100) }] });
    expect(fills.map((f) => [f.referencePrice, f.price])).toEqual([[10.99, 11]]); // 10.99 x 1.0005 = 10.9955 -> 11.00
  });

  it('a buy whose costs would push it above limit-up is capped at the limit price', () => {
    // 10.999... is not a price; open 10.99 with 5 bps + a large impact would exceed 11.00.
    const series = makeSeries({ open: [10, 10, 10, 10.99], high: [10, 10, 10, 11], low: [10, 10, 10, 10.9], close: [10, 9, 10, 11], volume: [100_000, 100_000, 100_000, 100_000] }, { market: Market.AShare });
    const { fills } = run({ series, steps: [{ at: 2, order: market(OrderSide.Buy, 5000) }] });
    expect(fills[0]!.impactBps).toBeGreaterThan(10);
    expect(fills[0]!.price).toBe(11);
  });

  it('a bar that opens at limit-down blocks a market sell', () => {
    const series = makeSeries({ open: [10, 10, 9, 9.5], high: [10, 10, 9.4, 9.6], low: [10, 10, 9, 9.4], close: [10, 10, 9.2, 9.5] }, { market: Market.AShare });
    const { fills } = run({ series, steps: [{ at: 0, order: market(OrderSide.Buy, 100) }, { at: 1, order: market(OrderSide.Sell, 100) }] });
    expect(fills.map((f) => [f.side, f.referencePrice])).toEqual([
      ['BUY', 10],
      ['SELL', 9.5],
    ]);
  });
});

describe('A-share fees and taxes, one round trip to the fen (next-open model: fills at the open exactly)', () => {
  // Buy 200 at 100.10 = 20,020.00; sell 200 at 91.25 = 18,250.00.
  const series = makeSeries({ open: [100, 100.1, 91.25, 91.25] }, { market: Market.AShare });

  it('charges commission (min 5), transfer and exchange fees on both sides and stamp duty on the sell, each rounded half up', () => {
    const { fills, result } = run({
      series,
      capital: 100_000,
      fill: { model: 'next-open' },
      steps: [{ at: 0, order: market(OrderSide.Buy, 200) }, { at: 1, order: market(OrderSide.Sell, 200) }],
    });
    const [b, s] = fills as [(typeof fills)[0], (typeof fills)[0]];
    expect([b.price, s.price]).toEqual([100.1, 91.25]);
    expect(b.notional).toBe(money('20020'));
    // Buy: commission 20,020 x 0.025% = 5.005 -> 5.01 (half up, above the minimum); transfer 0.4004 -> 0.40;
    // exchange 20,020 x 0.00487% = 0.974974 -> 0.97. No stamp duty.
    expect(b.fee).toBe(money('5.01') + money('0.40') + money('0.97'));
    expect(b.tax).toBe(0n);
    expect(s.notional).toBe(money('18250'));
    // Sell: commission 4.5625 -> minimum 5.00; transfer 0.365 -> 0.37 (half up); exchange 0.888775 -> 0.89;
    // stamp duty 0.1% = 18.25.
    expect(s.fee).toBe(money('5.00') + money('0.37') + money('0.89'));
    expect(s.tax).toBe(money('18.25'));
    const account = result.kernel.account;
    expect(account.feesPaid).toBe(money('12.64'));
    expect(account.taxesPaid).toBe(money('18.25'));
    expect(account.cash).toBe(money('98199.11')); // 100,000 - 20,020 - 6.38 + 18,250 - 6.26 - 18.25
    expect(account.trades.map((t) => t.pnl)).toEqual([-1800.89]);
  });
});
