// Perturb the future: whatever happens to the rows after a cut, nothing a strategy, an indicator or an
// order saw up to the cut changes, bit for bit. A-shares (synthetic, with planted ex-rights days and a new
// one planted after the cut) and crypto (the bundled BTC/USDT hourly bars).
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_FILL_MODEL } from '../../src/adapters/sim/fill-model-config.ts';
import { simulate } from '../../src/app/backtest/simulate.ts';
import type { Bar } from '../../src/core/bar.ts';
import { resolveInstrument } from '../../src/core/instrument-table.ts';
import { OrderSide, OrderType } from '../../src/core/order.ts';
import { parseBarSeries } from '../../src/adapters/files/index.ts';
import { RiskEngine } from '../../src/engines/risk/risk-engine.ts';
import type { OrderEvent } from '../../src/common/events.ts';
import { Strategy } from '../../src/common/strategy.ts';
import { Rsi, Sma } from '../../src/signals/indicators/index.ts';
import { ASHARE_FEES, CRYPTO_FEES } from '../sim/helpers.ts';
import { syntheticAShare } from '../support/synthetic-ashare.ts';

/** Writes down everything it is shown, and trades (limit buys below the close, canceled after a bar; market sells) so orders and fills happen. */
class Probe extends Strategy {
  readonly name = 'probe';
  readonly seen: Array<{ now: number; line: string }> = [];
  private readonly sma = new Sma(5);
  private readonly rsi = new Rsi(7);
  private held = 0;

  override onStart(): void {
    this.ctx.registerIndicator(this.ctx.symbols[0]!, this.sma);
    this.ctx.registerIndicator(this.ctx.symbols[0]!, this.rsi);
  }

  private note(value: unknown): void {
    this.seen.push({ now: this.ctx.now(), line: JSON.stringify(value, (_, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v)) });
  }

  override onBar(bar: Bar): void {
    const ctx = this.ctx;
    const position = ctx.position(bar.symbol);
    this.note({ bar, sma: this.sma.value, rsi: this.rsi.value, last: ctx.lastPrice(bar.symbol), equity: ctx.equity(), cash: ctx.cash(), position });
    const open = ctx.openOrders(bar.symbol);
    if (open.length > 0) {
      for (const order of open) if (order.type === OrderType.Limit) ctx.cancelOrder(order.id);
      return;
    }
    if (position.quantity === 0) {
      const price = bar.close * 0.995;
      const quantity = ctx.quantityForFraction(bar.symbol, 0.6, price);
      if (quantity > 0) this.note({ submitted: ctx.submitOrder({ symbol: bar.symbol, side: OrderSide.Buy, type: OrderType.Limit, price, quantity }).price });
      this.held = 0;
    } else if (++this.held >= 3 && position.sellableQuantity > 0) {
      ctx.submitOrder({ symbol: bar.symbol, side: OrderSide.Sell, type: OrderType.Market, quantity: position.sellableQuantity });
    }
  }

  override onOrderEvent(event: OrderEvent): void {
    const { order, fill } = event;
    this.note({ kind: event.kind, id: order.id, price: order.price, quantity: order.quantity, reason: event.reason, detail: event.detail, fill });
  }
}

function backtest(file: string, bytes: Uint8Array): Probe {
  const series = parseBarSeries(file, bytes).series;
  const probe = new Probe();
  simulate({
    series: [series],
    instruments: [resolveInstrument(series.symbol, series.market)],
    strategy: probe,
    capital: 1_000_000,
    fill: DEFAULT_FILL_MODEL,
    fees: { crypto: CRYPTO_FEES, ashare: ASHARE_FEES },
    risk: new RiskEngine(),
  });
  return probe;
}

/** Rows after `cut` (0-based data rows) scaled by `priceScale` / `volumeScale`; the first of them gets `newPreClose` x the last close. */
function perturb(csv: string, cut: number, priceScale: number, volumeScale: number, newPreClose: number): Uint8Array {
  const lines = csv.trim().split('\n');
  const header = lines[0]!.split(',');
  const preCloseAt = header.indexOf('pre_close');
  const cents = (x: number): string => String(Math.round(x * 100) / 100);
  const out = lines.map((line, i) => {
    const row = i - 1;
    if (row <= cut) return line;
    const v = line.split(',');
    for (const k of [1, 2, 3, 4]) v[k] = cents(Number(v[k]) * priceScale);
    v[5] = String(Number(v[5]) * volumeScale);
    if (preCloseAt >= 0) v[preCloseAt] = row === cut + 1 ? cents(Number(lines[i - 1]!.split(',')[4]) * newPreClose) : cents(Number(v[preCloseAt]) * priceScale);
    return v.join(',');
  });
  return Buffer.from(out.join('\n') + '\n');
}

/** What the probe saw while the clock was at or before `until`, in both runs, compared line by line. */
function expectSamePast(original: Probe, perturbed: Probe, until: number): number {
  const past = (p: Probe) => p.seen.filter((s) => s.now <= until).map((s) => s.line);
  const a = past(original);
  const b = past(perturbed);
  expect(a.length, 'the probe saw nothing before the cut').toBeGreaterThan(0);
  for (let i = 0; i < a.length; i++) expect(b[i], `line ${i} seen before the cut changed once later rows changed`).toBe(a[i]);
  expect(b.length).toBe(a.length);
  return a.length;
}

describe('nothing seen up to a bar changes when every later row changes', () => {
  it('A-shares with planted dividends and a bonus issue, and a new ex-rights day planted after the cut', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        fc.uniqueArray(fc.integer({ min: 10, max: 230 }), { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 30, max: 220 }),
        fc.double({ min: 0.5, max: 2, noNaN: true }),
        fc.double({ min: 0.3, max: 0.97, noNaN: true }),
        (seed, actionDays, cut, priceScale, newPreClose) => {
          const actions = actionDays.map((day, k) => (k % 2 === 0 ? { day, dividend: 0.4 + k * 0.1 } : { day, bonus: 1 }));
          const { csv, rows } = syntheticAShare({ days: 240, seed, actions });
          const file = '600519.SH-1d-synthetic.csv';
          const original = backtest(file, Buffer.from(csv));
          expect(original.seen.some((s) => s.line.includes('"FILLED"')), 'the probe must trade for the test to mean anything').toBe(true);
          const perturbed = backtest(file, perturb(csv, cut, priceScale, 1.5, newPreClose));
          // The cut row's close time: 15:00 Shanghai (07:00 UTC) of its date.
          expectSamePast(original, perturbed, rows[cut]![0]! + 7 * 3_600_000);
        },
      ),
      { numRuns: 25, seed: 9 },
    );
  });

  it('crypto hourly bars (bundled BTC/USDT)', () => {
    const all = gunzipSync(readFileSync('data/BTCUSDT-1h-2017-08-17_2024-04-21.csv.gz')).toString().split('\n');
    const csv = all.slice(0, 3001).join('\n') + '\n';
    const file = 'BTCUSDT-1h-2017-08-17_2024-04-21.csv';
    const original = backtest(file, Buffer.from(csv));
    expect(original.seen.some((s) => s.line.includes('"FILLED"')), 'the probe must trade for the test to mean anything').toBe(true);
    fc.assert(
      fc.property(fc.integer({ min: 100, max: 2900 }), fc.double({ min: 0.5, max: 2, noNaN: true }), (cut, priceScale) => {
        const perturbed = backtest(file, perturb(csv, cut, priceScale, 0.25, 1));
        const cutOpen = Number(csv.split('\n')[cut + 1]!.split(',')[0]);
        expectSamePast(original, perturbed, cutOpen + 3_600_000);
      }),
      { numRuns: 8, seed: 9 },
    );
  });
});
