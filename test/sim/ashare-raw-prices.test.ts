// A-shares trade on raw prices whatever the strategy sees: fills inside the raw bar, 100-share lots, costs on
// the raw notional, order prices converted from the strategy's series, positions carried through ex-rights days.
import { describe, expect, it } from 'vitest';
import { DEFAULT_FILL_MODEL } from '../../src/adapters/sim/fill-model-config.ts';
import { simulate, type SimulationResult } from '../../src/app/backtest/simulate.ts';
import type { Bar, BarSeries } from '../../src/core/bar.ts';
import { moneyToNumber } from '../../src/core/decimal.ts';
import type { Fill } from '../../src/core/fill.ts';
import { resolveInstrument } from '../../src/core/instrument-table.ts';
import { OrderSide, OrderType } from '../../src/core/order.ts';
import { parseBarSeries } from '../../src/adapters/files/index.ts';
import { RiskEngine } from '../../src/engines/risk/risk-engine.ts';
import { Strategy } from '../../src/common/strategy.ts';
import { ASHARE_FEES, CRYPTO_FEES } from './helpers.ts';
import { syntheticAShare, type PlantedAction } from '../support/synthetic-ashare.ts';

const FILE = '600519.SH-1d-synthetic.csv';
// A bonus issue of 1 share per share (10-for-10) early on moves the adjusted series 2x away from raw prices.
const ACTIONS: PlantedAction[] = [
  { day: 30, bonus: 1 },
  { day: 70, dividend: 0.8 },
  { day: 110, bonus: 0.5 },
  { day: 150, dividend: 1.1 },
];

function load(adjust: 'pit' | 'none' = 'pit', actions = ACTIONS, seed = 7): BarSeries {
  return parseBarSeries(FILE, Buffer.from(syntheticAShare({ days: 200, seed, actions }).csv), { adjust }).series;
}

function backtest(series: BarSeries, strategy: Strategy, capital = 1_000_000): SimulationResult {
  return simulate({
    series: [series],
    instruments: [resolveInstrument(series.symbol, series.market)],
    strategy,
    capital,
    fill: DEFAULT_FILL_MODEL,
    fees: { crypto: CRYPTO_FEES, ashare: ASHARE_FEES },
    risk: new RiskEngine(),
  });
}

/** Buys with a limit just under the close it sees (canceled after a bar), sells everything with a market order three bars later. */
class Swing extends Strategy {
  readonly name = 'swing';
  readonly limits: Array<{ seen: number; factor: number; order: number | undefined }> = [];
  private held = 0;
  override onBar(bar: Bar): void {
    const ctx = this.ctx;
    const open = ctx.openOrders(bar.symbol);
    if (open.length > 0) {
      for (const order of open) if (order.type === OrderType.Limit) ctx.cancelOrder(order.id);
      return;
    }
    const position = ctx.position(bar.symbol);
    if (position.quantity === 0) {
      const price = bar.close * 0.998;
      const quantity = ctx.quantityForFraction(bar.symbol, 0.5, price);
      const order = ctx.submitOrder({ symbol: bar.symbol, side: OrderSide.Buy, type: OrderType.Limit, price, quantity });
      this.limits.push({ seen: price, factor: bar.adjustmentFactor ?? 1, order: order.price });
      this.held = 0;
    } else if (++this.held >= 3 && position.sellableQuantity > 0) {
      ctx.submitOrder({ symbol: bar.symbol, side: OrderSide.Sell, type: OrderType.Market, quantity: position.sellableQuantity });
    }
  }
}

/** Buys once at the first bar and holds, writing down every bar it sees. */
class Hold extends Strategy {
  readonly name = 'hold';
  readonly bars: Bar[] = [];
  readonly raw: Array<Bar | undefined> = [];
  override onBar(bar: Bar): void {
    this.bars.push(bar);
    this.raw.push(this.ctx.rawBar(bar.symbol));
    if (this.bars.length === 1) {
      // A quarter of the equity: the 95% one-day VaR of the position stays under the 1% VAR_LIMIT.
      const quantity = this.ctx.quantityForFraction(bar.symbol, 0.25, bar.close);
      this.ctx.submitOrder({ symbol: bar.symbol, side: OrderSide.Buy, type: OrderType.Market, quantity });
    }
  }
}

function barOf(series: BarSeries, fill: Fill): number {
  const i = series.openTime.indexOf(fill.time);
  expect(i, `fill at ${fill.time} is not at a bar's open`).toBeGreaterThanOrEqual(0);
  return i;
}

describe('A-share fills use raw traded prices', () => {
  const series = load();
  const swing = new Swing();
  const run = backtest(series, swing);
  const fills = run.kernel.fills;

  it('trades across the planted ex-rights days, so the series it decides on is far from raw', () => {
    expect(fills.length).toBeGreaterThan(40);
    expect(series.adjustmentFactor![series.length - 1]).toBeGreaterThan(3);
    expect(fills.some((f) => series.adjustmentFactor![barOf(series, f)]! > 2)).toBe(true);
  });

  it('every fill lies inside the range of its bar in the file (spread and impact allowed: 1%)', () => {
    const rows = syntheticAShare({ days: 200, seed: 7, actions: ACTIONS }).rows;
    for (const fill of fills) {
      const row = rows[barOf(series, fill)]!;
      expect(fill.price, `fill ${fill.id}`).toBeGreaterThanOrEqual(row[3]! * 0.99);
      expect(fill.price, `fill ${fill.id}`).toBeLessThanOrEqual(row[2]! * 1.01);
    }
  });

  it('buys are whole lots of 100 raw shares', () => {
    for (const fill of fills.filter((f) => f.side === OrderSide.Buy)) expect(fill.quantity % 100, `fill ${fill.id}`).toBe(0);
  });

  it('a limit price from the adjusted series reaches the venue as raw price / factor on the 0.01 tick', () => {
    expect(swing.limits.some((l) => l.factor > 1)).toBe(true);
    for (const l of swing.limits) expect(l.order).toBe(Math.round((l.seen / l.factor) * 100) / 100);
  });

  it('costs per order recomputed on the raw notional: 0.025% (min 5 CNY), 0.002% transfer, 0.00487% exchange, 0.1% stamp duty on sells', () => {
    const orders = new Map<string, { notional: number; paid: number; sell: boolean; fills: number }>();
    for (const fill of fills) {
      const o = orders.get(fill.orderId) ?? { notional: 0, paid: 0, sell: fill.side === OrderSide.Sell, fills: 0 };
      o.notional += fill.price * fill.quantity;
      o.paid += moneyToNumber(fill.fee + fill.tax);
      o.fills++;
      orders.set(fill.orderId, o);
    }
    for (const [id, o] of orders) {
      const want = Math.max(5, o.notional * 0.00025) + o.notional * (0.00002 + 0.0000487) + (o.sell ? o.notional * 0.001 : 0);
      // Each fee is rounded to the fen per fill.
      expect(Math.abs(o.paid - want), `order ${id}: paid ${o.paid}, want ${want}`).toBeLessThanOrEqual(0.02 * o.fills + 1e-9);
    }
  });

  it('the ledger identity holds exactly and round trips add up to the realized P&L net of costs', () => {
    const account = run.kernel.account;
    expect(account.cash + account.totalCost).toBe(account.initialCapital + account.realizedPnl - account.feesPaid - account.taxesPaid);
    const closed = account.trades.reduce((sum, t) => sum + t.pnl, 0);
    const open = [...account.positions.values()].some((p) => !p.isFlat);
    if (!open) expect(closed).toBeCloseTo(moneyToNumber(account.realizedPnl - account.feesPaid - account.taxesPaid), 6);
  });
});

describe('a position held through ex-rights days', () => {
  for (const adjust of ['pit', 'none'] as const) {
    it(`keeps its value continuous (adjust ${adjust}): the equity moves only by the day's move against pre_close`, () => {
      const series = load(adjust);
      const hold = new Hold();
      const run = backtest(series, hold);
      const actions = run.kernel.corporateActions;
      expect(actions.map((a) => a.time)).toEqual(ACTIONS.map((a) => series.openTime[a.day]));
      const eq = run.equity;
      for (const a of ACTIONS) {
        const i = a.day;
        const before = actions.find((x) => x.time === series.openTime[i])!;
        // Hand-written expectation: what was held at the previous close, moved by close / pre_close.
        const previousValue = before.previousQuantity * series.close[i - 1]!;
        const expected = previousValue * (series.close[i]! / series.preClose![i]! - 1);
        // Whole shares: the new quantity is rounded down, its remainder paid in cash at pre_close.
        expect(Math.abs(eq[i]! - eq[i - 1]! - expected), `day ${i}`).toBeLessThanOrEqual(series.close[i]! + 0.01);
        // Without the corporate action the equity would have dropped by the whole gap.
        expect(before.previousQuantity * (series.close[i - 1]! - series.preClose![i]!)).toBeGreaterThan(100 * series.close[i]!);
      }
      const bonus = actions.find((x) => x.time === series.openTime[30])!;
      expect(bonus.quantity).toBe(bonus.previousQuantity * 2);
      expect(run.kernel.breakerEvents).toEqual([]);
      const account = run.kernel.account;
      expect(account.cash + account.totalCost).toBe(account.initialCapital + account.realizedPnl - account.feesPaid - account.taxesPaid);
    });
  }

  it('holding through the dividends and bonus issues earns the adjusted series return', () => {
    const series = load();
    const run = backtest(series, new Hold());
    const f = series.adjustmentFactor!;
    const n = series.length - 1;
    const position = run.kernel.account.positions.get(series.symbol)!;
    // From the first fill to the end, the position's value follows the adjusted close (whole-share rounding aside).
    const fill = run.kernel.fills[0]!;
    const start = series.openTime.indexOf(fill.time);
    const valueGrowth = (position.quantity * series.close[n]!) / (fill.quantity * series.open[start]!);
    const adjustedGrowth = (series.close[n]! * f[n]!) / (series.open[start]! * f[start]!);
    expect(valueGrowth / adjustedGrowth).toBeGreaterThan(0.999);
    expect(valueGrowth / adjustedGrowth).toBeLessThan(1.0005);
  });
});

describe('what the strategy sees', () => {
  it('adjusted bars by default: the return on an ex-rights day equals raw close / pre_close; rawBar gives the traded bar', () => {
    const series = load();
    const hold = new Hold();
    backtest(series, hold);
    for (const a of ACTIONS) {
      const i = a.day;
      const seen = hold.bars[i]!.close / hold.bars[i - 1]!.close;
      expect(seen).toBeCloseTo(series.close[i]! / series.preClose![i]!, 12);
      expect(hold.bars[i]!.close / hold.bars[i]!.preClose!).toBeCloseTo(series.close[i]! / series.preClose![i]!, 12);
      expect(hold.raw[i]!.close).toBe(series.close[i]);
    }
    expect(hold.bars[0]).toBe(hold.raw[0]);
    expect(hold.bars[0]!.close).toBe(series.close[0]);
  });

  it('adjust none: raw bars, and the ex-rights gap shows', () => {
    const series = load('none');
    const hold = new Hold();
    backtest(series, hold);
    for (let i = 0; i < series.length; i++) expect(hold.bars[i]!.close).toBe(series.close[i]);
    const i = ACTIONS[0]!.day;
    expect(hold.bars[i]!.close / hold.bars[i - 1]!.close).toBeLessThan(0.6);
  });
});
