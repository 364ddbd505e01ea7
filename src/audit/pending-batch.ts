// The journal's unit of group commit: the records staged since the last commit, and the promise their appends wait on.
import { type AuditEntry, type BalanceRecord, type BarRecord, type BreakerRecord, type DenialRecord, type DeploymentRecord, type EquityRecord, type FillRecord, type ModeChangeRecord, type OrderEventInput, type PositionRecord, type RunEnd, type RunStart, type Store, type StoreBatch, StoreError, StoreErrorCode, type TokenRecord } from '../common/index.ts';
import { entryHash, GENESIS_HASH } from './chain.ts';

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

/**
 * An audit entry as staged: its content only. Seq, prevHash and hash are given when its batch commits,
 * continuing the head the journal knows then, so that a batch refused because another writer moved the
 * head can be chained again on the new head, its entries unchanged.
 */
export interface StagedAudit {
  readonly actor: string;
  readonly kind: string;
  /** Canonical JSON text. */
  readonly payload: string;
  readonly time: number;
  /** Seq and hash, set once the entry's batch committed. */
  receipt?: { readonly seq: number; readonly hash: string };
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
  tokens: TokenRecord[] = [];
  deployments: DeploymentRecord[] = [];
  audit: StagedAudit[] = [];
  size = 0;
  readonly done = deferred();

  /** @param change one change committed alone: if the store refuses it, only its caller is told (the journal goes on). */
  constructor(readonly change = false) {}

  /** The staged audit entries as the chain's continuation of `head`. */
  chain(head: { readonly seq: number; readonly hash: string }): AuditEntry[] {
    let { seq, hash: prevHash } = head;
    return this.audit.map(({ actor, kind, payload, time }) => {
      seq += 1;
      const hash = entryHash({ seq, time, actor, kind, payload }, prevHash);
      const entry = { seq, time, actor, kind, payload, prevHash, hash };
      prevHash = hash;
      return entry;
    });
  }

  /** After the commit of `chained` (this.chain(...)): each staged entry learns its seq and hash. */
  settle(chained: readonly AuditEntry[]): void {
    for (let i = 0; i < chained.length; i++) this.audit[i]!.receipt = { seq: chained[i]!.seq, hash: chained[i]!.hash };
  }

  toStoreBatch(time: number, audit: readonly AuditEntry[]): StoreBatch {
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
      tokens: this.tokens,
      deployments: this.deployments,
      audit,
    };
  }
}

/** A rejected promise that does not count as unhandled: the failure also surfaces through flush(), close() and `failure`. */
export function rejected(error: unknown): Promise<never> {
  const promise = Promise.reject(error);
  promise.catch(() => {});
  return promise;
}

/** A change's batch the store refused as a request (its records), not as a store: the journal may go on. */
export function isRefusedChange(batch: PendingBatch, error: unknown): boolean {
  return batch.change && error instanceof StoreError && (error.code === StoreErrorCode.Conflict || error.code === StoreErrorCode.InvalidRecord);
}

/**
 * The head a journal continues: the checkpoint's when it is ahead of the last stored entry (a deleted
 * tail stays visible as a gap instead of being written over), else the last entry's.
 */
export async function storedHead(store: Store): Promise<{ seq: number; hash: string }> {
  const { last, checkpoint } = await store.auditHead();
  let head = { seq: 0, hash: GENESIS_HASH };
  if (last) head = { seq: last.seq, hash: last.hash };
  if (checkpoint && checkpoint.headSeq >= head.seq) head = { seq: checkpoint.headSeq, hash: checkpoint.headHash };
  return head;
}
