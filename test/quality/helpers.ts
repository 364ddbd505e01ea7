// Test helpers for data quality: bars, quotes and a minimal risk context around a real RiskEngine.
import type { Bar } from '../../src/core/bar.ts';
import type { QuoteUpdate } from '../../src/engines/data/quality/index.ts';
import { RiskMode } from '../../src/engines/risk/codes.ts';
import { RiskEngine } from '../../src/engines/risk/risk-engine.ts';
import { SimulatedClock } from '../../src/common/clock.ts';
import type { RiskContext } from '../../src/common/ports.ts';

export const MINUTE = 60_000;
export const T0 = Date.UTC(2024, 0, 2, 10, 0, 0);

export function bar(fields: Partial<Bar> & { openTime?: number } = {}): Bar {
  const openTime = fields.openTime ?? T0;
  return {
    symbol: 'BTCUSDT',
    openTime,
    closeTime: openTime + MINUTE,
    open: 100,
    high: 101,
    low: 99,
    close: 100.5,
    volume: 10,
    ...fields,
  };
}

export function quote(source: string, price: number, time: number, latencyMs = 50, extra: Partial<QuoteUpdate> = {}): QuoteUpdate {
  return { source, symbol: 'BTCUSDT', price, exchangeTime: time, receivedTime: time + latencyMs, ...extra };
}

/** A PAPER, non-backtest RiskEngine attached to a context with no instruments and a simulated clock. */
export function riskEngine(start: number): { engine: RiskEngine; clock: SimulatedClock; published: unknown[] } {
  const clock = new SimulatedClock(start);
  const published: unknown[] = [];
  const context: RiskContext = {
    clock,
    instruments: [],
    symbolIndex: () => 0,
    lastPrice: () => NaN,
    lastBarTime: () => NaN,
    priceIntervalMs: () => 0,
    equity: () => 100_000,
    // Equity may move on every mark: the engine must not skip its checks.
    openPositions: () => 1,
    ledgerVersion: () => 0,
    cash: () => 100_000,
    heldQuantity: () => 0,
    sellableQuantity: () => 0,
    openOrders: () => [],
    cancelOrder: () => {},
    submitEmergencyOrder: () => {
      throw new Error('no emergency orders in these tests');
    },
    publish: (_topic, message) => {
      published.push(message);
    },
  };
  const engine = new RiskEngine({ mode: RiskMode.Paper, backtest: false });
  engine.attach(context);
  return { engine, clock, published };
}
