// Resuming a paper session that stopped without finishing (a crash): its journal is played back
// through the new process's kernel before any new data. The journaled bars reach the risk engine, the
// strategy and its indicators in their order, on their own times (the clock is pinned to each); the
// journaled fills are booked between them when they happened, and level changes the bars cannot cause
// again (a person's MANUAL level or reset, data-quality causes) happen again at their times; nothing
// reaches the venue meanwhile.
// So the ledger, the risk engine's peak and day/week start equity, breaker levels and cooldowns and
// its volatility trackers, and the strategy's state are rebuilt from the same inputs; the order-rate
// windows get the journaled submissions; open orders go back to the venue; fill ids continue.
import { OrderEventKind } from '../../core/index.ts';
import type { RiskEngine } from '../../engines/index.ts';
import type { LiveClock, RunJournal } from '../../common/index.ts';
import type { Kernel } from '../../kernel/index.ts';
import { barFromRecord, fillFromRecord, orderFromRecord } from './restore.ts';

export interface PlaybackResult {
  readonly bars: number;
  readonly fills: number;
  readonly openOrders: number;
  /** Open time of the last journaled bar per symbol: the data client delivers only newer ones. */
  readonly lastBarOpen: ReadonlyMap<string, number>;
}

export function playBack(kernel: Kernel, clock: LiveClock, risk: RiskEngine, journal: Pick<RunJournal, 'bars' | 'fills' | 'orders' | 'orderEvents' | 'breakerEvents'>): PlaybackResult {
  const fills = journal.fills.map(fillFromRecord);
  const breakers = journal.breakerEvents;
  const lastBarOpen = new Map<string, number>();
  let nextFill = 0;
  let nextBreaker = 0;
  /** Fills and breaker changes journaled before `time`, in their order. */
  const catchUp = (time: number): void => {
    const before: typeof fills = [];
    while (nextFill < fills.length && fills[nextFill]!.time < time) before.push(fills[nextFill++]!);
    if (before.length > 0) kernel.restore({ fills: before, orders: [] });
    while (nextBreaker < breakers.length && breakers[nextBreaker]!.time < time) {
      const event = breakers[nextBreaker++]!;
      clock.pin(event.time);
      risk.replayBreaker(event as Parameters<RiskEngine['replayBreaker']>[0]);
    }
  };
  kernel.warmingUp = true;
  kernel.muted = true;
  try {
    for (const record of journal.bars) {
      if (!kernel.cache.hasSymbol(record.symbol)) continue;
      // What happened before this bar closed happened before the session saw it.
      catchUp(record.closeTime);
      clock.pin(record.closeTime);
      kernel.onBar(barFromRecord(record));
      lastBarOpen.set(record.symbol, record.openTime);
    }
    catchUp(Infinity);
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
