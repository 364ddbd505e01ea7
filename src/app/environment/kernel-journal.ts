// One mapping from the kernel's events to journal records, for backtests, replays and sessions: each order
// event (with the denial a DENIED one carries), fill, breaker change and bar becomes its record.
import { barRecord, breakerRecord, type BreakerChange, fillRecord, type Journal, orderDenialRecord, orderEventRecord } from '../../audit/index.ts';
import { type Bar, type Fill, OrderEventKind } from '../../core/index.ts';
import { type BarRecord, type BreakerRecord, type FillRecord, type JsonValue, type MarketDataSink, type OrderEvent, type OrderEventRecord, Topic } from '../../common/index.ts';
import type { Kernel } from '../../kernel/index.ts';

/** What a resumed run's journal holds already: each returns true for a record it has (and checks it is equal). */
export interface JournaledRecords {
  orderEvent(record: OrderEventRecord): boolean;
  fill(record: FillRecord): boolean;
  breaker(record: BreakerRecord): boolean;
  bar(record: BarRecord): boolean;
}

const NOTHING_JOURNALED: JournaledRecords = { orderEvent: () => false, fill: () => false, breaker: () => false, bar: () => false };

export interface KernelJournalOptions {
  /** Records already in the journal are checked, not written again. */
  readonly journaled?: JournaledRecords;
  /** Each fill the journal did not have yet, once its record is appended. */
  readonly onNewFill?: (fill: Fill) => void;
}

// Appends are group-committed: a failed one stops the journal and surfaces at the next flush.
const ignore = (): undefined => undefined;

export class KernelJournal {
  private readonly journaled: JournaledRecords;
  private readonly onNewFill: ((fill: Fill) => void) | undefined;

  constructor(
    readonly journal: Journal,
    readonly runId: string,
    options: KernelJournalOptions = {},
  ) {
    this.journaled = options.journaled ?? NOTHING_JOURNALED;
    this.onNewFill = options.onNewFill;
  }

  /** The kernel's write-ahead hook. Called while the event happens: an order changes after its event. */
  readonly write = (item: { readonly topic: string; readonly message: unknown }): void => {
    const { topic, message } = item;
    if (topic === Topic.OrderEvent) {
      const event = message as OrderEvent;
      const record = orderEventRecord(this.runId, event);
      if (this.journaled.orderEvent(record)) return;
      void this.journal.appendOrderEvents([record]).catch(ignore);
      if (event.kind === OrderEventKind.Denied) void this.journal.appendDenials([orderDenialRecord(this.runId, event)]).catch(ignore);
    } else if (topic === Topic.Fill) {
      const fill = message as Fill;
      const record = fillRecord(this.runId, fill);
      if (this.journaled.fill(record)) return;
      void this.journal.appendFills([record]).catch(ignore);
      this.onNewFill?.(fill);
    } else if (topic === Topic.Breaker) {
      const record = breakerRecord(this.runId, message as BreakerChange);
      if (this.journaled.breaker(record)) return;
      void this.journal.appendBreakerEvents([record]).catch(ignore);
    }
  };

  /** Journal a bar the kernel is about to act on; false when the journal has it already. */
  bar(bar: Bar): boolean {
    const record = barRecord(this.runId, bar);
    if (this.journaled.bar(record)) return false;
    void this.journal.appendBars([record]).catch(ignore);
    return true;
  }

  /** The kernel as a data client's sink, journaling each bar (warm-up included) before the kernel acts on it. */
  sinkFor(kernel: Kernel): MarketDataSink {
    return {
      onBar: (bar) => {
        this.bar(bar);
        kernel.onBar(bar);
      },
      onBook: (book) => kernel.onBook(book),
      barInterval: (symbol, intervalMs) => kernel.barInterval(symbol, intervalMs),
    };
  }

  /** An audit entry next to the records (reconciliation, data quality, a person's decision). */
  audit(actor: string, kind: string, payload: unknown): void {
    void this.journal.audit.append({ actor, kind, payload: jsonSafe(payload) }).catch(ignore);
  }
}

/** JSON values only: NaN and Infinity become null. */
export function jsonSafe(value: unknown): JsonValue {
  return JSON.parse(JSON.stringify(value, (_, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v))) as JsonValue;
}
