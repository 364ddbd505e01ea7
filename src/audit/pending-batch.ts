// The journal's unit of group commit: the records staged since the last commit, and the promise their appends wait on.
import type { AuditEntry, BalanceRecord, BarRecord, BreakerRecord, DenialRecord, EquityRecord, FillRecord, ModeChangeRecord, OrderEventInput, PositionRecord, RunEnd, RunStart, StoreBatch } from '../common/index.ts';

export interface Deferred {
  readonly promise: Promise<void>;
  resolve(): void;
  reject(error: unknown): void;
}

export function deferred(): Deferred {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // Callers may ignore an append's promise; its failure still surfaces through flush(), close() and `failure`.
  promise.catch(() => {});
  return { promise, resolve, reject };
}

/** Records waiting for the next commit. */
export class PendingBatch {
  runs: RunStart[] = [];
  runEnds: RunEnd[] = [];
  orderEvents: OrderEventInput[] = [];
  fills: FillRecord[] = [];
  positions: PositionRecord[] = [];
  balances: BalanceRecord[] = [];
  equity: EquityRecord[] = [];
  bars: BarRecord[] = [];
  denials: DenialRecord[] = [];
  breakerEvents: BreakerRecord[] = [];
  modeChanges: ModeChangeRecord[] = [];
  audit: AuditEntry[] = [];
  size = 0;
  readonly done = deferred();

  toStoreBatch(time: number): StoreBatch {
    return {
      time,
      runs: this.runs,
      orderEvents: this.orderEvents,
      fills: this.fills,
      positions: this.positions,
      balances: this.balances,
      equity: this.equity,
      bars: this.bars,
      denials: this.denials,
      breakerEvents: this.breakerEvents,
      modeChanges: this.modeChanges,
      runEnds: this.runEnds,
      audit: this.audit,
    };
  }
}

/** A rejected promise that does not count as unhandled: the failure also surfaces through flush(), close() and `failure`. */
export function rejected(error: unknown): Promise<never> {
  const promise = Promise.reject(error);
  promise.catch(() => {});
  return promise;
}
