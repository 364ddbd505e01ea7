// The append side of the audit log: entries staged into the journal's next commit, hash-chained when it commits.
import { canonicalJson } from './canonical-json.ts';
import type { StagedAudit } from './pending-batch.ts';
import { checkText, checkTime } from './validate.ts';

export interface AuditAppend {
  /** Who: a person's name, 'risk-engine', 'strategy:sma-cross', ... */
  readonly actor: string;
  /** What, dotted lower case: 'mode.changed', 'order.submitted', 'kill-switch.pressed'. */
  readonly kind: string;
  /** Any JSON value (bigints become decimal strings); stored as canonical JSON. */
  readonly payload: unknown;
  /** UTC ms; default: the clock's now. */
  readonly time?: number;
}

export interface AuditReceipt {
  readonly seq: number;
  readonly hash: string;
}

/** What the audit log needs of the journal it writes through. */
export interface AuditStaging {
  /** Runs `add` (which validates and stages records, returning how many) and schedules the commit. */
  stage(add: () => number): Promise<void>;
  now(): number;
  readonly pendingBatch: { readonly audit: StagedAudit[] };
  /** The chain's head as of this journal's last commit (or as loaded when it opened). */
  readonly committedHead: AuditReceipt;
}

/**
 * The append side of the audit log. Entries keep their call order; seq and hash are assigned when
 * their batch commits, continuing the head the store has then (another process may have appended
 * meanwhile), and the returned promise resolves with them once the entry is durable.
 */
export class AuditLog {
  /** @internal */
  constructor(private readonly journal: AuditStaging) {}

  /** Seq and hash of the last entry this journal committed (or of the stored head it opened on); 0 and the genesis hash when empty. */
  get head(): AuditReceipt {
    return this.journal.committedHead;
  }

  append(entry: AuditAppend): Promise<AuditReceipt> {
    let staged: StagedAudit | undefined;
    const committed = this.journal.stage(() => {
      checkText('audit', 'actor', entry.actor);
      checkText('audit', 'kind', entry.kind);
      staged = this.add(entry.actor, entry.kind, canonicalJson(entry.payload ?? null), entry.time ?? this.journal.now());
      return 1;
    });
    const result = committed.then(() => staged!.receipt!);
    result.catch(() => {});
    return result;
  }

  /** @internal Stages an entry whose payload is already canonical JSON; the caller schedules the commit. */
  add(actor: string, kind: string, payload: string, time: number): StagedAudit {
    checkTime('audit', 'time', time);
    const staged: StagedAudit = { actor, kind, payload, time };
    this.journal.pendingBatch.audit.push(staged);
    return staged;
  }
}

