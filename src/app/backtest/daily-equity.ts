// A journaled backtest's equity: once per trading day, so the kernel keeps its speed (its order events,
// fills, denials and breaker changes are journaled by the environment's KernelJournal).
import { tradingDayOf } from '../../core/index.ts';
import type { EquityRecord } from '../../common/index.ts';

/** The last equity point of each trading day (the trading day a bar closes in). */
export function dailyEquity(runId: string, market: 'crypto' | 'ashare', time: Float64Array, equity: Float64Array, cash: Float64Array): EquityRecord[] {
  const points: EquityRecord[] = [];
  for (let i = 0; i < time.length; i++) {
    const lastOfDay = i === time.length - 1 || tradingDayOf(market, time[i + 1]! - 1) !== tradingDayOf(market, time[i]! - 1);
    if (lastOfDay) points.push({ runId, time: time[i]!, equity: equity[i]!, cash: cash[i]! });
  }
  return points;
}
