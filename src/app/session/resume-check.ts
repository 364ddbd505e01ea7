// Resume by re-execution: a resumed replay runs its bars again from the first one through the same kernel,
// venue, risk engine and strategy. While the journal still has records of a kind, each record the run
// produces must equal the next journaled one (it is already durable: nothing is written twice); once the
// journal's records are used up, records are new and get journaled. A difference means the run is no
// longer the one journaled (other data, parameters, configuration or traider version): resuming stops.
import type { BarRecord, BreakerRecord, EquityRecord, FillRecord, OrderEventRecord, RunJournal } from '../../common/index.ts';

export class ResumeDivergence extends Error {
  override name = 'ResumeDivergence';
}

type Kind = 'fill' | 'order event' | 'breaker event' | 'equity checkpoint' | 'bar';

const FIELDS: Record<Kind, readonly string[]> = {
  fill: ['fillId', 'time', 'orderId', 'symbol', 'side', 'price', 'quantity', 'notional', 'fee', 'tax', 'feeQuantity', 'liquidity'],
  'order event': ['orderId', 'time', 'kind', 'status', 'filledQuantity', 'fillId', 'reason'],
  'breaker event': ['time', 'level', 'previousLevel', 'cause'],
  'equity checkpoint': ['time', 'equity', 'cash'],
  bar: ['symbol', 'openTime', 'closeTime', 'open', 'high', 'low', 'close', 'volume'],
};

class Cursor<T> {
  next = 0;
  constructor(
    readonly kind: Kind,
    readonly records: readonly T[],
  ) {}

  get done(): boolean {
    return this.next >= this.records.length;
  }
}

function describe(kind: Kind, record: object): string {
  const values = record as Record<string, unknown>;
  return FIELDS[kind].map((field) => `${field}=${String(values[field])}`).join(' ');
}

export class ResumeCheck {
  private readonly fills: Cursor<FillRecord>;
  private readonly orderEvents: Cursor<OrderEventRecord>;
  private readonly breakers: Cursor<BreakerRecord>;
  private readonly equity: Cursor<EquityRecord>;
  private readonly bars: Cursor<BarRecord>;

  constructor(journal: Pick<RunJournal, 'fills' | 'orderEvents' | 'breakerEvents' | 'equity' | 'bars'>) {
    this.fills = new Cursor('fill', journal.fills);
    this.orderEvents = new Cursor('order event', journal.orderEvents);
    this.breakers = new Cursor('breaker event', journal.breakerEvents);
    this.equity = new Cursor('equity checkpoint', journal.equity);
    this.bars = new Cursor('bar', journal.bars);
  }

  /** Each returns true when the record is journaled already (and equal), false when it is new. */
  fill(record: FillRecord): boolean {
    return this.seen(this.fills, record);
  }

  orderEvent(record: OrderEventRecord): boolean {
    return this.seen(this.orderEvents, record);
  }

  breaker(record: BreakerRecord): boolean {
    return this.seen(this.breakers, record);
  }

  checkpoint(record: EquityRecord): boolean {
    const seen = this.seen(this.equity, record);
    // The first new checkpoint: everything journaled before it must have been produced again by now.
    if (!seen) this.expectConsumed(record.time);
    return seen;
  }

  bar(record: BarRecord): boolean {
    return this.seen(this.bars, record);
  }

  /** Time of the last journaled checkpoint (the last bar the crashed process completed), or null. */
  get lastCheckpoint(): number | null {
    const records = this.equity.records;
    return records.length === 0 ? null : records[records.length - 1]!.time;
  }

  /** Journaled records the run has not produced again (a journal with more than this run makes). */
  expectConsumed(time: number): void {
    for (const cursor of [this.fills, this.orderEvents, this.breakers] as Cursor<object>[]) {
      if (!cursor.done) {
        throw new ResumeDivergence(
          `the journal has a ${cursor.kind} the resumed run did not produce by ${new Date(time).toISOString()}: ${describe(cursor.kind, cursor.records[cursor.next]!)}`,
        );
      }
    }
  }

  private seen<T extends object>(cursor: Cursor<T>, record: T): boolean {
    if (cursor.done) return false;
    const journaled = cursor.records[cursor.next]!;
    const a = record as Record<string, unknown>;
    const b = journaled as Record<string, unknown>;
    for (const field of FIELDS[cursor.kind]) {
      if (a[field] !== b[field] && !(a[field] == null && b[field] == null)) {
        throw new ResumeDivergence(
          `${cursor.kind} ${cursor.next + 1} differs in ${field}: journaled ${describe(cursor.kind, journaled)}; the resumed run produced ${describe(cursor.kind, record)}`,
        );
      }
    }
    cursor.next++;
    return true;
  }
}
