// VAR_LIMIT acts in a session from its first bars: before trading, the session loads the venue's daily
// candles (here three completed days of the local exchange's replay) for VaR and correlation, instead of
// waiting 20 days. A paper session holding BTC with a small VaR limit trips VAR_LIMIT at once.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExchangeSimHandle } from '../../src/exchange-sim/index.ts';
import { DIP_START, startSim, TEST_ENV } from '../ccxt/helpers.ts';
import { BIN, ROOT } from '../crash/replay-crash.ts';

// Buys 90% of equity in BTC once trading is on (warm-up refusals come back with the id 'warm-up') and holds.
const HOLD = `
import { OrderSide, OrderType, Strategy, type Bar } from 'traider';
export default class HoldBtc extends Strategy {
  readonly name = 'hold-btc';
  private bought = false;
  override onBar(bar: Bar): void {
    if (this.bought) return;
    const quantity = this.ctx.quantityForFraction(bar.symbol, 0.9, bar.close);
    this.bought = this.ctx.submitOrder({ symbol: bar.symbol, side: OrderSide.Buy, type: OrderType.Market, quantity }).id !== 'warm-up';
  }
}
`;

let sim: ExchangeSimHandle;
let dir: string;
beforeAll(async () => {
  sim = await startSim({ speed: 60, startTime: DIP_START });
  dir = mkdtempSync(join(tmpdir(), 'traider-var-'));
  writeFileSync(join(dir, 'hold-btc.ts'), HOLD);
  // A small VaR limit: the position (capped at 20% of equity by the pre-trade limits) is over it.
  writeFileSync(join(dir, 'var.yaml'), 'risk:\n  breakers:\n    paper:\n      varLimit: { threshold: 0.002, level: HALT_NEW_POSITIONS }\n');
});
afterAll(async () => {
  await sim?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('portfolio breakers in a paper session', () => {
  it('loads the daily history the venue has and trips VAR_LIMIT on its first bars while holding BTC', async () => {
    const args = [BIN, 'paper', '--exchange', 'binance', '--url', sim.url, '--symbols', 'BTC/USDT', '--strategy', join(dir, 'hold-btc.ts'), '--duration', '4', '--config', join(dir, 'var.yaml'), '--db', join(dir, 'p.db'), '--json'];
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TRAIDER_DB: '', ...TEST_ENV } });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(code, output.slice(-800)).toBe(0);
    // 2021-02-22 12:00 on the exchange: the 19th, 20th and 21st are complete.
    expect(output).toMatch(/daily history for VaR and correlation: BTC\/USDT 3 days, 2 aligned daily returns \(less than the 60-day window/);
    const summary = JSON.parse(output.trim().split('\n').reverse().find((l) => l.startsWith('{'))!) as { fills: number; bars: number; breakerEvents: Array<{ cause: string; level: string; value: number; threshold: number }> };
    expect(summary.fills, 'the position was bought').toBeGreaterThan(0);
    const varTrips = summary.breakerEvents.filter((e) => e.cause === 'VAR_LIMIT' && e.level !== 'NORMAL');
    expect(varTrips.length, `VAR_LIMIT tripped: ${JSON.stringify(summary.breakerEvents)} ${output.slice(-1500)}`).toBeGreaterThan(0);
    expect(varTrips[0]!.value).toBeGreaterThan(varTrips[0]!.threshold);
    expect(summary.bars, 'within the first bars of the session (warm-up included)').toBeLessThan(120);
  }, 60_000);
});
