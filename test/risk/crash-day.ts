// What the crash-day tests share (test/risk/crash.test.ts on a synthetic day, test/real-data on
// 2024-08-05): the backtest JSON of buy-and-hold 0.95, and a strategy that keeps buying through the
// DAILY_LOSS halt, with the checks that it opens no new position until the cooldown ends.
import { expect } from 'vitest';
import { instrumentsFor } from '../../src/app/backtest/run-backtest.ts';
import { simulate } from '../../src/app/backtest/simulate.ts';
import { defaultConfig } from '../../src/app/config/index.ts';
import { toRiskConfig } from '../../src/app/config/risk-schema.ts';
import type { Bar } from '../../src/core/bar.ts';
import { OrderEventKind, OrderSide, OrderType } from '../../src/core/order.ts';
import { loadBarSeries } from '../../src/adapters/files/index.ts';
import { BreakerCause, BreakerLevel, DenialReason, levelRank } from '../../src/engines/risk/codes.ts';
import { RiskEngine } from '../../src/engines/risk/risk-engine.ts';
import type { OrderEvent } from '../../src/common/events.ts';
import { Strategy } from '../../src/common/strategy.ts';
import { runCli } from '../cli/run-cli.ts';
import { DAY, MINUTE } from './helpers.ts';

export interface JsonEvent {
  time: number;
  level: string;
  cause: string;
  value: number;
  threshold: number;
}

/** `traider backtest --json` with buy-and-hold 0.95, as a user runs it. */
export function buyAndHoldJson(file: string): { breakerEvents: JsonEvent[]; denials: Record<string, number>; riskMode: string } {
  const result = runCli(['backtest', '--data', file, '--strategy', 'buy-and-hold', '--params', '{"fraction":0.95}', '--json']);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout);
}

/**
 * Buys 95% of equity whenever it is flat, on every bar; sells everything once, when the breaker first
 * halts new positions for DAILY_LOSS. It reads the engine's events only to know when to sell.
 */
export class KeepsBuying extends Strategy {
  readonly name = 'keeps-buying';
  readonly events: OrderEvent[] = [];
  private sold = false;

  constructor(private readonly risk: RiskEngine) {
    super();
  }

  override onBar(bar: Bar): void {
    const held = this.ctx.position(bar.symbol).quantity;
    if (!this.sold && held > 0) {
      if (this.risk.events.some((e) => e.cause === BreakerCause.DailyLoss && e.level === BreakerLevel.HaltNewPositions)) {
        this.sold = true;
        this.ctx.submitOrder({ symbol: bar.symbol, side: OrderSide.Sell, type: OrderType.Market, quantity: held, tag: 'out' });
      }
      return;
    }
    if (held === 0 && this.ctx.openOrders(bar.symbol).length === 0) {
      const quantity = this.ctx.quantityForFraction(bar.symbol, 0.95, bar.close);
      if (quantity > 0) this.ctx.submitOrder({ symbol: bar.symbol, side: OrderSide.Buy, type: OrderType.Market, quantity, tag: 'in' });
    }
  }

  override onOrderEvent(event: OrderEvent): void {
    this.events.push(event);
  }
}

/** Runs KeepsBuying on the file with the default config (as `traider backtest` would) and checks the cooldown. */
export async function expectNoNewPositionUntilCooldown(file: string): Promise<{ trip: number; cooldownEnd: number; denied: number }> {
  const config = defaultConfig();
  const { series } = await loadBarSeries(file);
  const instruments = instrumentsFor([series], config);
  const risk = new RiskEngine({ config: toRiskConfig(config.risk), backtest: true });
  const strategy = new KeepsBuying(risk);
  const { kernel } = simulate({ series: [series], instruments, strategy, capital: config.backtest.capital, fill: config.fill, fees: config.fees, risk });

  const trip = risk.events.find((e) => e.cause === BreakerCause.DailyLoss && e.level === BreakerLevel.HaltNewPositions)!;
  expect(trip, 'DAILY_LOSS trips').toBeDefined();
  expect(trip.value).toBeGreaterThanOrEqual(0.03);
  // The cooldown: to the next trading day, 00:00 UTC for crypto.
  const cooldownEnd = (Math.floor(trip.time / DAY) + 1) * DAY;
  const until = risk.events.find((e) => e.time > trip.time && levelRank(e.level) < levelRank(BreakerLevel.HaltNewPositions));
  expect(until?.time, 'the halt ends when the cooldown does').toBe(cooldownEnd);

  const buys = strategy.events.filter((e) => e.order.side === OrderSide.Buy);
  const deniedBuys = buys.filter((e) => e.kind === OrderEventKind.Denied);
  const tried = new Set(buys.filter((e) => e.order.createdAt >= trip.time && e.order.createdAt < cooldownEnd).map((e) => e.order));
  expect(tried.size, 'the strategy kept trying to buy during the halt').toBeGreaterThan(100);
  for (const order of tried) expect(order.status, `buy ${order.id} at ${new Date(order.createdAt).toISOString()}`).toBe('DENIED');
  for (const e of deniedBuys.filter((d) => d.order.createdAt >= trip.time && d.order.createdAt < cooldownEnd)) expect(e.reason).toBe(DenialReason.ReduceOnly);
  // No buy filled in the halt, and the position stayed flat from the exit until the cooldown ended.
  expect(kernel.fills.filter((f) => f.side === OrderSide.Buy && f.time >= trip.time && f.time < cooldownEnd)).toEqual([]);
  const exit = kernel.fills.find((f) => f.side === OrderSide.Sell)!;
  expect(exit.time).toBeLessThan(trip.time + 5 * MINUTE);
  // The first buy after the cooldown passes, on the bar that closes at its end.
  const firstAfter = buys.find((e) => e.order.createdAt >= cooldownEnd && e.kind !== OrderEventKind.Denied)!;
  expect(firstAfter.order.createdAt).toBe(cooldownEnd);
  expect(kernel.fills.some((f) => f.side === OrderSide.Buy && f.time >= cooldownEnd)).toBe(true);
  // The backtest counts the denials by reason.
  expect(kernel.deniedCounts.get(DenialReason.ReduceOnly)).toBe(deniedBuys.length);
  return { trip: trip.time, cooldownEnd, denied: deniedBuys.length };
}
