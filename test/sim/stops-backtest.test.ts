// Stops in a backtest with the risk engine on: a protective stop placed when the entry fills (on the next
// bar's open, while that bar is matched) passes the stale-quote check on hourly and daily bars, and a stop
// far from the market has its own band while a limit there is still a fat finger.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DEFAULT_FILL_MODEL } from '../../src/adapters/sim/fill-model-config.ts';
import { simulate } from '../../src/app/backtest/simulate.ts';
import type { Bar, BarSeries } from '../../src/core/bar.ts';
import { resolveInstrument } from '../../src/core/instrument-table.ts';
import { OrderEventKind, OrderSide, OrderType } from '../../src/core/order.ts';
import { parseBarSeries } from '../../src/adapters/files/index.ts';
import { RiskEngine } from '../../src/engines/risk/risk-engine.ts';
import type { OrderEvent } from '../../src/common/events.ts';
import { Strategy } from '../../src/common/strategy.ts';
import { syntheticAShare } from '../support/synthetic-ashare.ts';
import { ASHARE_FEES, CRYPTO_FEES } from './helpers.ts';

/**
 * Enters at bar `entryAt`; on the fill places a stop 2% under it (a sell; or, where T+1 forbids selling
 * today's shares, a buy stop 2% over it), then tries a 9% breakout stop and a 9% limit.
 */
class Protected extends Strategy {
  readonly name = 'protected';
  readonly events: OrderEvent[] = [];
  private bars = 0;
  constructor(
    private readonly entryAt: number,
    private readonly onFill: 'sell-stop' | 'buy-stop' = 'sell-stop',
  ) {
    super();
  }
  override onBar(bar: Bar): void {
    const n = this.bars++;
    const quantity = this.ctx.quantityForFraction(bar.symbol, 0.1, bar.close);
    if (n === this.entryAt) this.ctx.submitOrder({ symbol: bar.symbol, side: OrderSide.Buy, type: OrderType.Market, quantity: quantity * 4, tag: 'entry' });
    if (n === this.entryAt + 2) this.ctx.submitOrder({ symbol: bar.symbol, side: OrderSide.Buy, type: OrderType.Limit, quantity, price: bar.close * 1.09, tag: 'fat-limit' });
    if (n === this.entryAt + 3) this.ctx.submitOrder({ symbol: bar.symbol, side: OrderSide.Buy, type: OrderType.Stop, quantity, stopPrice: bar.close * 1.09, tag: 'breakout' });
  }
  override onOrderEvent(event: OrderEvent): void {
    this.events.push(event);
    if (event.order.tag === 'entry' && event.kind === OrderEventKind.Filled && event.fill) {
      const sell = this.onFill === 'sell-stop';
      const stopPrice = event.fill.price * (sell ? 0.98 : 1.02);
      const side = sell ? OrderSide.Sell : OrderSide.Buy;
      this.ctx.submitOrder({ symbol: event.order.symbol, side, type: OrderType.Stop, quantity: event.order.filledQuantity, stopPrice, tag: 'protect' });
    }
  }
  kinds(tag: string): string[] {
    return this.events.filter((e) => e.order.tag === tag).map((e) => (e.reason ? `${e.kind}:${e.reason}` : e.kind));
  }
}

function run(series: BarSeries, strategy: Protected): void {
  simulate({
    series: [series],
    instruments: [resolveInstrument(series.symbol, series.market)],
    strategy,
    capital: 1_000_000,
    fill: DEFAULT_FILL_MODEL,
    fees: { crypto: CRYPTO_FEES, ashare: ASHARE_FEES },
    risk: new RiskEngine(),
  });
}

describe('stops in a backtest with the risk engine', () => {
  it('hourly BTC/USDT: the stop placed on the entry fill is accepted and later triggers and fills; the 9% breakout stop is accepted; the 9% limit is denied PRICE_BAND', () => {
    const lines = gunzipSync(readFileSync('data/BTCUSDT-1h-2017-08-17_2024-04-21.csv.gz')).toString().split('\n');
    const series = parseBarSeries('BTCUSDT-1h-2017-08-17_2024-04-21.csv', Buffer.from(lines.slice(0, 1200).join('\n') + '\n')).series;
    const strategy = new Protected(100);
    run(series, strategy);
    expect(strategy.kinds('entry'), 'the entry').toContain(OrderEventKind.Filled);
    const protect = strategy.kinds('protect');
    expect(protect, `the protective stop: ${protect.join(', ')}`).not.toContainEqual(expect.stringMatching(/^DENIED/));
    expect(protect, `the protective stop: ${protect.join(', ')}`).toEqual(expect.arrayContaining([OrderEventKind.Accepted, OrderEventKind.Triggered, OrderEventKind.Filled]));
    expect(strategy.kinds('breakout'), 'the breakout stop').not.toContainEqual(expect.stringMatching(/^DENIED/));
    expect(strategy.kinds('fat-limit'), 'the fat-finger limit').toEqual(['DENIED:PRICE_BAND']);
  });

  it('daily A-shares: a stop placed on a Monday entry fill (last close on Friday) is accepted', () => {
    // T+1: today's shares cannot be sold, so the order placed on the fill is a buy stop (adding on a breakout).
    // 2020-01-06 is a Monday: bar 5 is the next Monday, so the entry decided on Friday's bar 4 fills on Monday.
    const series = parseBarSeries('600519.SH-1d-synthetic.csv', Buffer.from(syntheticAShare({ days: 60, seed: 11, maxMove: 0.05 }).csv)).series;
    expect(new Date(series.openTime[5]!).getUTCDay()).toBe(1);
    const strategy = new Protected(4, 'buy-stop');
    run(series, strategy);
    expect(strategy.kinds('entry')).toContain(OrderEventKind.Filled);
    expect(strategy.kinds('protect')[0], 'the protective stop placed on Monday').not.toMatch(/^DENIED/);
    expect(strategy.kinds('protect')).toContain(OrderEventKind.Accepted);
  });
});
