// A resumed run books the ex-rights days it replays while warming up between the journaled fills, so the
// restored ledger equals the one of the run that never stopped.
import { describe, expect, it } from 'vitest';
import { DEFAULT_FILL_MODEL } from '../../src/adapters/sim/fill-model-config.ts';
import { ReplayDataClient } from '../../src/adapters/sim/replay-data-client.ts';
import { SimExecutionClient } from '../../src/adapters/sim/sim-execution-client.ts';
import { simulate } from '../../src/app/backtest/simulate.ts';
import { feeScheduleFor } from '../../src/app/environment/index.ts';
import type { Bar, BarSeries } from '../../src/core/bar.ts';
import { numberToMoney } from '../../src/core/decimal.ts';
import { resolveInstrument } from '../../src/core/instrument-table.ts';
import { OrderSide, OrderType } from '../../src/core/order.ts';
import { parseBarSeries } from '../../src/adapters/files/index.ts';
import { SimulatedClock } from '../../src/common/clock.ts';
import { Kernel } from '../../src/kernel/kernel.ts';
import { Strategy } from '../../src/common/strategy.ts';
import { ASHARE_FEES, CRYPTO_FEES } from '../sim/helpers.ts';
import { syntheticAShare } from '../support/synthetic-ashare.ts';

/** Buys on bars 3 and 40, sells half on bar 60. */
class Steps extends Strategy {
  readonly name = 'steps';
  private bars = 0;
  override onBar(bar: Bar): void {
    const n = this.bars++;
    if (n === 3 || n === 40) this.ctx.submitOrder({ symbol: bar.symbol, side: OrderSide.Buy, type: OrderType.Market, quantity: 5_000 });
    if (n === 60) this.ctx.submitOrder({ symbol: bar.symbol, side: OrderSide.Sell, type: OrderType.Market, quantity: this.ctx.position(bar.symbol).quantity / 2 });
  }
}

const fees = { crypto: CRYPTO_FEES, ashare: ASHARE_FEES };
const csv = syntheticAShare({ days: 90, seed: 3, actions: [{ day: 20, bonus: 1 }, { day: 50, dividend: 0.37 }, { day: 75, bonus: 0.3 }] }).csv;

function head(rows: number): BarSeries {
  const lines = csv.trim().split('\n').slice(0, rows + 1);
  return parseBarSeries('600519.SH-1d-synthetic.csv', Buffer.from(lines.join('\n') + '\n')).series;
}

describe('restore after ex-rights days', () => {
  it('equals the uninterrupted ledger: quantity, cash, cost and realized P&L', () => {
    const uninterrupted = head(85);
    const instrument = resolveInstrument(uninterrupted.symbol, uninterrupted.market);
    const first = simulate({ series: [uninterrupted], instruments: [instrument], strategy: new Steps(), capital: 1_000_000, fill: DEFAULT_FILL_MODEL, fees });
    expect(first.kernel.corporateActions.length).toBe(3);

    // A second process: warms up on the same bars (trading off), then takes the journal's fills and orders.
    const clock = new SimulatedClock(uninterrupted.openTime[0]!);
    const resumed = new Kernel({
      clock,
      execution: new SimExecutionClient(DEFAULT_FILL_MODEL, feeScheduleFor(fees)),
      instruments: [instrument],
      currency: 'CNY',
      initialCapital: numberToMoney(1_000_000),
      strategy: new Steps(),
    });
    resumed.start();
    resumed.warmingUp = true;
    new ReplayDataClient([uninterrupted], undefined, clock).start(resumed);
    resumed.warmingUp = false;
    resumed.restore({ fills: first.kernel.fills, orders: [...first.kernel.cache.orders.values()] });

    const a = first.kernel.account;
    const b = resumed.account;
    const pa = a.positions.get(instrument.symbol)!;
    const pb = b.positions.get(instrument.symbol)!;
    expect([pb.quantityUnits, pb.cost, pb.realizedPnl]).toEqual([pa.quantityUnits, pa.cost, pa.realizedPnl]);
    expect([b.cash, b.realizedPnl, b.feesPaid, b.taxesPaid]).toEqual([a.cash, a.realizedPnl, a.feesPaid, a.taxesPaid]);
    expect(resumed.equity()).toBe(first.kernel.equity());
  });
});

describe('the notes of ex-rights days', () => {
  it('reach the strategy log in its format, on the day they happen: "<time> [portfolio] SYMBOL ex-rights DAY: ..."', () => {
    const series = head(85);
    const lines: string[] = [];
    simulate({ series: [series], instruments: [resolveInstrument(series.symbol, series.market)], strategy: new Steps(), capital: 1_000_000, fill: DEFAULT_FILL_MODEL, fees, log: (line) => lines.push(line) });
    expect(lines).toHaveLength(3);
    for (const line of lines) {
      const m = /^(\d{4}-\d\d-\d\d)T[\d:.]+Z \[portfolio\] 600519\.SH ex-rights (\d{4}-\d\d-\d\d): \d+ -> \d+ shares, [\d.]+ CNY paid$/.exec(line);
      expect(m, line).not.toBeNull();
      expect(m![1], 'noted on the ex-rights day itself').toBe(m![2]);
    }
  });
});
