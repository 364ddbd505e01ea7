// Journaling a backtest (--db): the run, every order event, fill, denial and breaker change with its
// audit entries, and equity once per trading day, so the kernel keeps its speed.
import { type Fill, tradingDayOf } from '../../core/index.ts';
import type { BreakerEvent } from '../../engines/index.ts';
import { breakerRecord, denialRecord, fillRecord, orderEventRecord, type Journal } from '../../audit/index.ts';
import { type EquityRecord, type JsonValue, type OrderEvent, Topic } from '../../common/index.ts';
import { type Kernel } from '../../kernel/index.ts';

/** Subscribe the journal to a kernel's events. Appends are group-committed; failures surface at flush. */
export function journalKernel(journal: Journal, runId: string, kernel: Kernel): void {
  kernel.bus.subscribe<OrderEvent>(Topic.OrderEvent, (event) => {
    void journal.appendOrderEvents([orderEventRecord(runId, event)]).catch(() => undefined);
    if (event.kind === 'DENIED') {
      void journal
        .appendDenials([denialRecord(runId, event.time, { reason: event.reason ?? 'UNKNOWN', detail: event.detail ?? '' }, event.order)])
        .catch(() => undefined);
    }
  });
  kernel.bus.subscribe<Fill>(Topic.Fill, (fill) => void journal.appendFills([fillRecord(runId, fill)]).catch(() => undefined));
  kernel.bus.subscribe<BreakerEvent>(Topic.Breaker, (event) => void journal.appendBreakerEvents([breakerRecord(runId, event)]).catch(() => undefined));
}

/** The last equity point of each trading day (the trading day a bar closes in). */
export function dailyEquity(runId: string, market: 'crypto' | 'ashare', time: Float64Array, equity: Float64Array, cash: Float64Array): EquityRecord[] {
  const points: EquityRecord[] = [];
  for (let i = 0; i < time.length; i++) {
    const lastOfDay = i === time.length - 1 || tradingDayOf(market, time[i + 1]! - 1) !== tradingDayOf(market, time[i]! - 1);
    if (lastOfDay) points.push({ runId, time: time[i]!, equity: equity[i]!, cash: cash[i]! });
  }
  return points;
}

/** JSON values only: NaN and Infinity become null. */
export function jsonSafe(value: unknown): JsonValue {
  return JSON.parse(JSON.stringify(value, (_, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v))) as JsonValue;
}
