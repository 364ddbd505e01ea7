// The real BTC/USDT 1m data of 2024-08-05 (../shared) trips DAILY_LOSS: buy-and-hold 0.95 shows it in
// the backtest JSON; a strategy that keeps trying to buy opens no new position until the cooldown is over.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../cli/run-cli.ts';
import { buyAndHoldJson, expectNoNewPositionUntilCooldown } from '../risk/crash-day.ts';

const BTC_CRASH = join(ROOT, '../shared/data/ohlcv/binance_spot/BTCUSDT-1m-2024-07-26_2024-08-25.csv.gz');

describe('BTC/USDT 1m around the 2024-08-05 crash', () => {
  it('buy-and-hold 0.95 trips the breaker with cause DAILY_LOSS on 2024-08-05, listed in the JSON breakerEvents', () => {
    const summary = buyAndHoldJson(BTC_CRASH);
    const daily = summary.breakerEvents.filter((e) => e.cause === 'DAILY_LOSS' && e.level === 'HALT_NEW_POSITIONS');
    expect(daily.length).toBeGreaterThanOrEqual(1);
    expect(new Date(daily[0]!.time).toISOString().slice(0, 10)).toBe('2024-08-05');
    expect(daily[0]).toMatchObject({ threshold: 0.03 });
    expect(daily[0]!.value).toBeGreaterThanOrEqual(0.03);
  });

  it('a strategy that keeps trying to buy opens no new position until the cooldown passes', async () => {
    const { trip, cooldownEnd } = await expectNoNewPositionUntilCooldown(BTC_CRASH);
    expect(new Date(trip).toISOString().slice(0, 10)).toBe('2024-08-05');
    expect(cooldownEnd).toBe(Date.UTC(2024, 7, 6));
  });
});
