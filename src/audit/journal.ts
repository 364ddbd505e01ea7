// The journal writer: group commit of journal records and audit entries; each append resolves once durable.
import { randomUUID } from 'node:crypto';
import { formatMoney } from '../core/index.ts';
import { type BalanceRecord, type BarRecord, type BreakerRecord, type Clock, type DenialRecord, type DeploymentRecord, type EquityRecord, type FillRecord, type JsonValue, type ModeChangeRecord, type OrderEventInput, type PositionRecord, type RunEnd, type RunKind, type RunStart, RunStatus, type Store, StoreError, StoreErrorCode, type TokenRecord } from '../common/index.ts';
import { type AuditAppend, AuditLog, type AuditReceipt } from './audit-log.ts';
import { canonicalJson } from './canonical-json.ts';
import { isRefusedChange, PendingBatch, rejected, type StagedAudit, storedHead } from './pending-batch.ts';
import { canonicalText, checkRecords, checkText, checkTime, checkTokensAndDeployments, RECORD_RULES } from './validate.ts';

/**
 * How often a commit refused because another writer appended to the audit chain (CONCURRENT_WRITER) is
 * chained again on the re-read head and retried before the journal gives up and stops. Each retry
 * fails only if yet another commit landed in between, so a few cover any realistic interleaving.
 */
const CONCURRENT_WRITER_RETRIES = 5;

export interface JournalOptions {
  /** Time for audit entries appended without one, and for the checkpoint of each commit. */
  readonly clock: Clock;
  /** Start a commit as soon as this many records wait (default 4096); otherwise at the next turn of the event loop. */
  readonly maxBatch?: number;
  /**
   * Also write an audit entry for every run start and end, order event, fill, denial, breaker change
   * and mode change (default true). Positions, balances, equity snapshots and bars are journaled only.
   */
  readonly auditJournal?: boolean;
}

/** A run as the caller describes it; the journal fills in the id, start time and defaults. */
export interface NewRun {
  readonly kind: RunKind;
  readonly strategy: string;
  readonly symbols: readonly string[];
  readonly id?: string;
  readonly market?: string | null;
  readonly timeframe?: string | null;
  readonly mode?: string | null;
  /** Default 'traider'. */
  readonly actor?: string;
  readonly parameters?: { readonly [key: string]: JsonValue };
  readonly dataHashes?: { readonly [file: string]: string };
  /** Default: the clock's now. */
  readonly startedAt?: number;
}

/** An audit entry of a change: who did what (time: default the clock's now). */
export type ChangeAudit = AuditAppend & { readonly payload: JsonValue };

/** Tokens and deployments written together with the audit entries that say who changed them and how. */
export interface JournalChange {
  readonly tokens?: readonly TokenRecord[];
  readonly deployments?: readonly DeploymentRecord[];
  readonly audit: readonly ChangeAudit[];
}

export interface RunFinish {
  readonly status?: typeof RunStatus.Finished | typeof RunStatus.Failed;
  readonly summary?: JsonValue;
  readonly error?: string | null;
  /** Default: the clock's now. */
  readonly finishedAt?: number;
}

/**
 * Durable journal of runs plus the audit log, over any Store. Appends are grouped: everything
 * appended in the same turn of the event loop (or up to maxBatch records) is written in one
 * transaction, and each append's promise resolves only after that transaction committed. Commits
 * run one at a time, in order. After a failed commit the journal stops: later appends reject, and
 * flush() and close() rethrow the failure (nothing acknowledged is ever lost). Two exceptions: a commit
 * refused because another process appended to the audit chain is chained again on the new head and
 * retried, and a change (commitChange) the store refuses fails only its own caller.
 */
export class Journal {
  readonly audit: AuditLog;
  private pending = new PendingBatch();
  /** Batches closed before `pending` (a change and what was staged before it), committed first, in order. */
  private readonly closedBatches: PendingBatch[] = [];
  private flushing = false;
  private scheduled = false;
  private closed = false;
  private error: StoreError | undefined;
  private readonly maxBatch: number;
  private readonly auditJournal: boolean;
  private readonly actors = new Map<string, string>();

  private constructor(
    readonly store: Store,
    private readonly clock: Clock,
    options: JournalOptions,
    private head: AuditReceipt,
  ) {
    this.maxBatch = options.maxBatch ?? 4096;
    this.auditJournal = options.auditJournal ?? true;
    this.audit = new AuditLog(this);
  }

  /** A journal continuing the stored chain. */
  static async open(store: Store, options: JournalOptions): Promise<Journal> {
    return new Journal(store, options.clock, options, await storedHead(store));
  }

  /** @internal */
  get committedHead(): AuditReceipt {
    return this.head;
  }

  /** The failure that stopped the journal, if any. */
  get failure(): StoreError | undefined {
    return this.error;
  }

  /** @internal */
  get pendingBatch(): PendingBatch {
    return this.pending;
  }

  /** @internal */
  now(): number {
    return this.clock.now();
  }

  /** Start a run; resolves with its id once the run is durable. */
  createRun(run: NewRun): Promise<string> {
    const record: RunStart = {
      id: run.id ?? randomUUID(),
      kind: run.kind,
      strategy: run.strategy,
      symbols: [...run.symbols],
      market: run.market ?? null,
      timeframe: run.timeframe ?? null,
      mode: run.mode ?? null,
      actor: run.actor ?? 'traider',
      parameters: run.parameters ?? {},
      dataHashes: run.dataHashes ?? {},
      startedAt: run.startedAt ?? this.clock.now(),
    };
    const committed = this.stage(() => {
      checkRecords('run', [record], RECORD_RULES.runs);
      const payload = canonicalJson(record);
      this.actors.set(record.id, record.actor);
      this.pending.runs.push(record);
      if (!this.auditJournal) return 1;
      this.audit.add(record.actor, 'run.started', payload, record.startedAt);
      return 2;
    }).then(() => record.id);
    committed.catch(() => {});
    return committed;
  }

  finishRun(runId: string, finish: RunFinish = {}): Promise<void> {
    const record: RunEnd = {
      runId,
      status: finish.status ?? RunStatus.Finished,
      finishedAt: finish.finishedAt ?? this.clock.now(),
      summary: finish.summary ?? null,
      error: finish.error ?? null,
    };
    return this.stage(() => {
      checkRecords('runEnd', [record], RECORD_RULES.runEnds);
      const payload = canonicalJson(record);
      this.pending.runEnds.push(record);
      if (!this.auditJournal) return 1;
      this.audit.add(this.actorOf(runId), 'run.finished', payload, record.finishedAt);
      return 2;
    });
  }

  /** Every order event, with the order's fixed fields; the store derives each order's latest state. */
  appendOrderEvents(events: readonly OrderEventInput[]): Promise<void> {
    return this.append('orderEvents', events, (e) => ({ actor: this.actorOf(e.runId), kind: `order.${e.kind.toLowerCase()}`, payload: e, time: e.time }));
  }

  appendFills(fills: readonly FillRecord[]): Promise<void> {
    // Money in the audit payload as exact decimal strings of the currency, as people read it.
    const payload = (f: FillRecord) => ({ ...f, notional: formatMoney(f.notional), fee: formatMoney(f.fee), tax: formatMoney(f.tax) });
    return this.append('fills', fills, (f) => ({ actor: this.actorOf(f.runId), kind: 'fill', payload: payload(f), time: f.time }));
  }

  appendPositions(positions: readonly PositionRecord[]): Promise<void> {
    return this.append('positions', positions);
  }

  appendBalances(balances: readonly BalanceRecord[]): Promise<void> {
    return this.append('balances', balances);
  }

  appendEquity(points: readonly EquityRecord[]): Promise<void> {
    return this.append('equity', points);
  }

  /** The market bars the run acts on (journaled only, not audited); (runId, symbol, openTime) must be new. */
  appendBars(bars: readonly BarRecord[]): Promise<void> {
    return this.append('bars', bars);
  }

  appendDenials(denials: readonly DenialRecord[]): Promise<void> {
    return this.append('denials', denials, (d) => ({ actor: 'risk-engine', kind: 'risk.denied', payload: d, time: d.time }));
  }

  appendBreakerEvents(events: readonly BreakerRecord[]): Promise<void> {
    return this.append('breakerEvents', events, (e) => ({ actor: e.actor ?? 'risk-engine', kind: 'breaker.changed', payload: e, time: e.time }));
  }

  appendModeChanges(changes: readonly ModeChangeRecord[]): Promise<void> {
    return this.append('modeChanges', changes, (c) => ({ actor: c.actor, kind: 'mode.changed', payload: c, time: c.time }));
  }

  /**
   * Writes tokens and deployments with their audit entries, in one transaction of their own; resolves
   * once durable. Records are checked first (a bad one rejects, nothing staged). A change the store
   * refuses (CONFLICT: a deployment's stored version is not the one this change follows; INVALID_RECORD:
   * a token name taken) rejects this promise only: it is a refused request, and the journal goes on.
   *
   * Why its own transaction: a refused transaction writes nothing, and a change sharing one with other
   * appends would take them down with it. Alone, its refusal touches no one else, and since audit
   * entries are chained only when their batch commits, the next batch simply continues the head.
   * Changes are rare (people acting through the API or the CLI), so the extra commit costs nothing.
   */
  commitChange(change: JournalChange): Promise<void> {
    if (this.error) return rejected(this.error);
    if (this.closed) return rejected(new StoreError(StoreErrorCode.Closed, 'the journal is closed'));
    const batch = new PendingBatch(true);
    try {
      batch.tokens = [...(change.tokens ?? [])];
      batch.deployments = [...(change.deployments ?? [])];
      checkTokensAndDeployments(batch.tokens, batch.deployments);
      batch.audit = (change.audit ?? []).map((entry, i) => this.changeAudit(`change.audit[${i}]`, entry));
    } catch (error) {
      return rejected(error);
    }
    batch.size = batch.tokens.length + batch.deployments.length + batch.audit.length;
    if (batch.size === 0) return Promise.resolve();
    // What was appended before the change commits before it, in its own batch.
    if (this.pending.size > 0) {
      this.closedBatches.push(this.pending);
      this.pending = new PendingBatch();
    }
    this.closedBatches.push(batch);
    void this.commitLoop();
    return batch.done.promise;
  }

  private changeAudit(what: string, entry: ChangeAudit): StagedAudit {
    checkText(what, 'actor', entry.actor);
    checkText(what, 'kind', entry.kind);
    const time = entry.time ?? this.clock.now();
    checkTime(what, 'time', time);
    return { actor: entry.actor, kind: entry.kind, payload: canonicalText(what, 'payload', entry.payload), time };
  }

  /** Resolves when everything appended so far is durable; rethrows the failure that stopped the journal. */
  async flush(): Promise<void> {
    if (this.error) throw this.error;
    const batch = this.pending;
    if (batch.size > 0) {
      void this.commitLoop();
      await batch.done.promise;
    } else {
      // Closed batches (changes) are committing: wait for the loop. A refused change rejects its own caller only.
      while (this.flushing) await this.inFlight;
    }
    if (this.error) throw this.error;
  }

  /** Flush, then refuse further appends. The store stays open (its owner closes it). */
  async close(): Promise<void> {
    try {
      await this.flush();
    } finally {
      this.closed = true;
    }
  }

  private inFlight: Promise<void> = Promise.resolve();

  private append<K extends 'orderEvents' | 'fills' | 'positions' | 'balances' | 'equity' | 'bars' | 'denials' | 'breakerEvents' | 'modeChanges'>(
    table: K,
    records: readonly PendingBatch[K][number][],
    audit?: (record: PendingBatch[K][number]) => AuditAppend,
  ): Promise<void> {
    if (records.length === 0) return this.error ? rejected(this.error) : Promise.resolve();
    return this.stage(() => {
      checkRecords(table, records, RECORD_RULES[table] as never);
      const list = this.pending[table] as Array<PendingBatch[K][number]>;
      // Audit payloads first: a value canonical JSON refuses must not leave half a batch behind.
      const entries = this.auditJournal && audit ? records.map(audit) : [];
      const payloads = entries.map((e) => canonicalJson(e.payload));
      for (const record of records) list.push(record);
      for (let i = 0; i < entries.length; i++) this.audit.add(entries[i]!.actor, entries[i]!.kind, payloads[i]!, entries[i]!.time!);
      return records.length + entries.length;
    });
  }

  private actorOf(runId: string): string {
    return this.actors.get(runId) ?? 'traider';
  }

  /** @internal Runs `add` (which validates and stages records, returning how many) and schedules the commit. */
  stage(add: () => number): Promise<void> {
    if (this.error) return rejected(this.error);
    if (this.closed) return rejected(new StoreError(StoreErrorCode.Closed, 'the journal is closed'));
    let count: number;
    try {
      count = add();
    } catch (error) {
      return rejected(error);
    }
    return this.enqueue(count);
  }

  /** Counts staged records and schedules a commit; resolves when their batch is durable. */
  private enqueue(count: number): Promise<void> {
    if (this.error) return rejected(this.error);
    const batch = this.pending;
    batch.size += count;
    if (!this.flushing) {
      if (batch.size >= this.maxBatch) {
        void this.commitLoop();
      } else if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          void this.commitLoop();
        });
      }
    }
    return batch.done.promise;
  }

  private commitLoop(): Promise<void> {
    if (this.flushing) return this.inFlight;
    this.flushing = true;
    this.inFlight = (async () => {
      try {
        while (!this.error) {
          const batch = this.nextBatch();
          if (batch === undefined) break;
          try {
            await this.commit(batch);
            batch.done.resolve();
          } catch (error) {
            if (isRefusedChange(batch, error)) batch.done.reject(error);
            else this.stop(error, batch);
          }
        }
      } finally {
        this.flushing = false;
      }
    })();
    return this.inFlight;
  }

  private nextBatch(): PendingBatch | undefined {
    const closed = this.closedBatches.shift();
    if (closed !== undefined || this.pending.size === 0) return closed;
    const batch = this.pending;
    this.pending = new PendingBatch();
    return batch;
  }

  /**
   * Writes a batch with its audit entries chained on the head. When another writer appended to the
   * chain since (CONCURRENT_WRITER; the refused transaction wrote nothing), the head is read again and
   * the same entries, their content unchanged, are chained on it with new seqs and hashes.
   */
  private async commit(batch: PendingBatch): Promise<void> {
    for (let retries = 0; ; retries++) {
      const audit = batch.chain(this.head);
      try {
        await this.store.write(batch.toStoreBatch(this.clock.now(), audit));
      } catch (error) {
        if (!(error instanceof StoreError && error.code === StoreErrorCode.ConcurrentWriter)) throw error;
        if (retries === CONCURRENT_WRITER_RETRIES) {
          throw new StoreError(StoreErrorCode.ConcurrentWriter, `${error.message} (still after ${retries} retries on a re-read head; this journal stops)`, { cause: error });
        }
        this.head = await storedHead(this.store);
        continue;
      }
      batch.settle(audit);
      const last = audit[audit.length - 1];
      if (last) this.head = { seq: last.seq, hash: last.hash };
      return;
    }
  }

  /** A failed commit stops the journal: its batch and everything staged after it reject. */
  private stop(error: unknown, batch: PendingBatch): void {
    this.error = error instanceof StoreError ? error : new StoreError(StoreErrorCode.Closed, `journal stopped: a commit failed: ${(error as Error).message}`, { cause: error });
    batch.done.reject(this.error);
    for (const closed of this.closedBatches.splice(0)) closed.done.reject(this.error);
    this.pending.done.reject(this.error);
  }
}
