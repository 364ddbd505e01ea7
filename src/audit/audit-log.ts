// The append side of the audit log: hash-chained entries staged into the journal's next commit.
import type { AuditEntry } from '../common/index.ts';
import { canonicalJson } from './canonical-json.ts';
import { entryHash } from './chain.ts';
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
  readonly pendingBatch: { readonly audit: AuditEntry[] };
}

/**
 * The append side of the audit log. Seq and hash are assigned at append, in call order; the
 * entry is durable when the returned promise resolves.
 */
export class AuditLog {
  /** @internal */
  constructor(
    private readonly journal: AuditStaging,
    private headSeq: number,
    private headHash: string,
  ) {}

  /** Seq and hash of the last entry appended (committed or not); 0 and the genesis hash when empty. */
  get head(): AuditReceipt {
    return { seq: this.headSeq, hash: this.headHash };
  }

  append(entry: AuditAppend): Promise<AuditReceipt> {
    let receipt: AuditReceipt | undefined;
    const committed = this.journal.stage(() => {
      checkText('audit', 'actor', entry.actor);
      checkText('audit', 'kind', entry.kind);
      receipt = this.add(entry.actor, entry.kind, canonicalJson(entry.payload ?? null), entry.time ?? this.journal.now());
      return 1;
    });
    const result = committed.then(() => receipt!);
    result.catch(() => {});
    return result;
  }

  /** @internal Stages an entry whose payload is already canonical JSON; the caller schedules the commit. */
  add(actor: string, kind: string, payload: string, time: number): AuditReceipt {
    checkTime('audit', 'time', time);
    const seq = this.headSeq + 1;
    const fields = { seq, time, actor, kind, payload };
    const hash = entryHash(fields, this.headHash);
    this.journal.pendingBatch.audit.push({ seq, time, actor, kind, payload, prevHash: this.headHash, hash });
    this.headSeq = seq;
    this.headHash = hash;
    return { seq, hash };
  }
}

