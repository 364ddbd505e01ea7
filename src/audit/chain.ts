// The hash chain: how an audit entry's hash is computed from its fields and the previous hash.
import { hash } from 'node:crypto';
import type { AuditEntry } from '../common/index.ts';

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
  return `{"actor":${quoted(fields.actor)},"kind":${quoted(fields.kind)},"payload":${fields.payload},"seq":${fields.seq},"time":${fields.time}}`;
}

/** Actors and kinds repeat: their JSON forms are kept (verification is hash-bound, this is a measurable share). */
const QUOTED = new Map<string, string>();

function quoted(text: string): string {
  let json = QUOTED.get(text);
  if (json === undefined) {
    json = JSON.stringify(text);
    if (QUOTED.size >= 4096) QUOTED.clear();
    QUOTED.set(text, json);
  }
  return json;
}

/** SHA-256, lowercase hex, of the UTF-8 bytes of entryText(fields) followed by prevHash (64 hex characters). */
export function entryHash(fields: AuditFields, prevHash: string): string {
  return hash('sha256', entryText(fields) + prevHash, 'hex');
}

/** True when the entry's stored hash matches its fields and stored prevHash as if it sat at `seq`. */
export function hashMatches(entry: AuditEntry, seq = entry.seq): boolean {
  const fields = seq === entry.seq ? entry : { ...entry, seq };
  return entryHash(fields, entry.prevHash) === entry.hash;
}
