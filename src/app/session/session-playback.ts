// Resuming a paper session that stopped without finishing (a crash): its journal is played back
// through the new process's kernel before any new data. The journaled bars reach the risk engine, the
// strategy and its indicators in their order, on their own times (the clock is pinned to each); the
// journaled fills are booked between them when they happened; nothing reaches the venue meanwhile.
// So the ledger, the risk engine's peak and day/week start equity, breaker levels and cooldowns and
// its volatility trackers, and the strategy's state are rebuilt from the same inputs; the order-rate
// windows get the journaled submissions; open orders go back to the venue; fill ids continue.
import type { Bar } from '../../core/bar.ts';
import { OrderEventKind } from '../../core/order.ts';
import type { RiskEngine } from '../../engines/risk/risk-engine.ts';
import type { LiveClock } from '../../kernel/clock.ts';
import type { Kernel } from '../../kernel/kernel.ts';
import type { BarRecord, RunJournal } from '../../kernel/store.ts';
import { fillFromRecord, orderFromRecord } from './restore.ts';

export interface PlaybackResult {
  readonly bars: number;
  readonly fills: number;
  readonly openOrders: number;
  /** Open time of the last journaled bar per symbol: the data client delivers only newer ones. */
  readonly lastBarOpen: ReadonlyMap<string, number>;
}

function barFromRecord(record: BarRecord): Bar {
  return {
    symbol: record.symbol,
    openTime: record.openTime,
    closeTime: record.closeTime,
    open: record.open,
    high: record.high,
    low: record.low,
    close: record.close,
    volume: record.volume,
    preClose: record.preClose ?? undefined,
    adjustmentFactor: record.adjustmentFactor ?? undefined,
  };
}

export function playBack(kernel: Kernel, clock: LiveClock, risk: RiskEngine, journal: Pick<RunJournal, 'bars' | 'fills' | 'orders' | 'orderEvents'>): PlaybackResult {
  const fills = journal.fills.map(fillFromRecord);
  const lastBarOpen = new Map<string, number>();
  kernel.warmingUp = true;
  kernel.muted = true;
  try {
    let next = 0;
    for (const record of journal.bars) {
      if (!kernel.cache.hasSymbol(record.symbol)) continue;
      // Fills before this bar closed were booked before the session saw it.
      const before: typeof fills = [];
      while (next < fills.length && fills[next]!.time < record.closeTime) before.push(fills[next++]!);
      if (before.length > 0) kernel.restore({ fills: before, orders: [] });
      clock.pin(record.closeTime);
      kernel.onBar(barFromRecord(record));
      lastBarOpen.set(record.symbol, record.openTime);
    }
    if (next < fills.length) kernel.restore({ fills: fills.slice(next), orders: [] });
  } finally {
    clock.unpin();
    kernel.muted = false;
    kernel.warmingUp = false;
  }
  const orders = journal.orders.map(orderFromRecord);
  kernel.restoreOrders(orders, fills);
  risk.restoreSubmissions(journal.orderEvents.filter((e) => e.kind === OrderEventKind.Submitted).map((e) => e.time));
  return { bars: journal.bars.length, fills: fills.length, openOrders: orders.filter((o) => o.isOpen).length, lastBarOpen };
}
