// Test helpers for data quality: bars and quotes.
import type { Bar } from '../../src/core/bar.ts';
import type { QuoteUpdate } from '../../src/engines/data/quality/types.ts';

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
