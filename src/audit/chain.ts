// The hash chain: how an audit entry's hash is computed from its fields and the previous hash.
import { createHash } from 'node:crypto';
import type { AuditEntry } from '../kernel/store.ts';

/** prevHash of the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** The fields an entry's hash covers; `payload` is canonical JSON text. */
export interface AuditFields {
  readonly seq: number;
  readonly time: number;
  readonly actor: string;
  readonly kind: string;
  readonly payload: string;
}

/**
 * The canonical JSON of {actor, kind, payload, seq, time} (keys in sorted order) with the stored
 * payload text spliced in as it is. When the payload is canonical JSON, this equals
 * canonicalJson({seq, time, actor, kind, payload: JSON.parse(payload)}); verification never has to
 * parse the payload, and any change to its stored bytes changes the hash.
 */
export function entryText(fields: AuditFields): string {
  return `{"actor":${JSON.stringify(fields.actor)},"kind":${JSON.stringify(fields.kind)},"payload":${fields.payload},"seq":${fields.seq},"time":${fields.time}}`;
}

/** SHA-256, lowercase hex, of the UTF-8 bytes of entryText(fields) followed by prevHash (64 hex characters). */
export function entryHash(fields: AuditFields, prevHash: string): string {
  return createHash('sha256').update(entryText(fields)).update(prevHash).digest('hex');
}

/** True when the entry's stored hash matches its fields and stored prevHash as if it sat at `seq`. */
export function hashMatches(entry: AuditEntry, seq = entry.seq): boolean {
  const fields = seq === entry.seq ? entry : { ...entry, seq };
  return entryHash(fields, entry.prevHash) === entry.hash;
}
