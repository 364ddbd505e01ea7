// Verification of the audit chain: walk by seq, recompute every hash, check every link and the checkpoint.
import type { AuditCheckpoint, AuditEntry, AuditReader } from '../common/index.ts';
import { entryHash, GENESIS_HASH, hashMatches } from './chain.ts';

/** Why the chain is broken at an entry. */
export const AuditBreak = {
  /** The entry's bytes no longer match its hash (or a hash was rewritten: the next entry's link shows it). */
  Changed: 'changed',
  /** A seq is absent: an entry was deleted from the middle. */
  Missing: 'missing',
  /** An intact entry sits at the wrong seq (rows swapped, seqs renumbered). */
  Reordered: 'reordered',
  /** The log ends before the head recorded in the checkpoint: its tail was deleted. */
  Truncated: 'truncated',
  /** The checkpoint itself is missing or behind the log. */
  Checkpoint: 'checkpoint',
} as const;
export type AuditBreak = (typeof AuditBreak)[keyof typeof AuditBreak];

export type AuditVerification =
  | {
      readonly ok: true;
      readonly count: number;
      /** 0 and GENESIS_HASH for an empty log. */
      readonly headSeq: number;
      readonly headHash: string;
    }
  | {
      readonly ok: false;
      /** The first broken entry (for truncation: the first seq that should exist and does not). */
      readonly seq: number;
      readonly reason: AuditBreak;
      readonly detail: string;
      /** Entries checked and found sound before the break. */
      readonly checked: number;
    };

export interface VerifyOptions {
  /** Entries read per query (default 5000). */
  readonly pageSize?: number;
}

/** How far back to follow prevHash links when working out where a displaced entry belongs. */
const MAX_LINK_DEPTH = 32;

/**
 * Walks the log by ascending seq from 1. The first problem wins: a seq gap is `missing`; an entry
 * whose hash does not match its own fields is `reordered` when it matches at another seq (found by
 * following its prevHash), else `changed`; an entry that matches but does not link to its
 * predecessor is `reordered` when the hash it links to exists elsewhere or another entry links to
 * the predecessor, else the predecessor was rewritten with a recomputed hash (`changed` there). Finally the count and head must
 * equal the checkpoint: fewer entries is `truncated`.
 */
export async function verifyAuditLog(reader: AuditReader, options: VerifyOptions = {}): Promise<AuditVerification> {
  const pageSize = options.pageSize ?? 5000;
  let expected = 1;
  let prevHash = GENESIS_HASH;
  for (;;) {
    const page = await reader.readAudit({ afterSeq: expected - 1, limit: pageSize });
    for (let i = 0; i < page.length; i++) {
      const entry = page[i]!;
      const checked = expected - 1;
      if (entry.seq !== expected) {
        const gap = entry.seq - expected > 1 ? `seqs ${expected}..${entry.seq - 1} are` : `seq ${expected} is`;
        return broken(expected, AuditBreak.Missing, `${gap} absent: the log jumps from seq ${expected - 1} to seq ${entry.seq}`, checked);
      }
      if (entryHash(entry, entry.prevHash) !== entry.hash) {
        const home = await homeSeq(reader, entry, 0);
        if (home !== undefined && home !== entry.seq) {
          return broken(entry.seq, AuditBreak.Reordered, `the entry at seq ${entry.seq} is intact but belongs at seq ${home}`, checked);
        }
        return broken(entry.seq, AuditBreak.Changed, `the stored hash does not match the entry's bytes (actor, kind, time or payload changed)`, checked);
      }
      if (entry.prevHash !== prevHash) {
        const linked = await reader.findAuditByHash(entry.prevHash);
        if (linked !== undefined) {
          return broken(entry.seq, AuditBreak.Reordered, `seq ${entry.seq} links to the entry now at seq ${linked.seq}, not to seq ${entry.seq - 1}`, checked);
        }
        const follower = await reader.findAuditByPrevHash(prevHash);
        if (follower !== undefined && follower.seq !== entry.seq) {
          return broken(entry.seq, AuditBreak.Reordered, `the entry that links to seq ${entry.seq - 1} sits at seq ${follower.seq}, not at seq ${entry.seq}`, checked);
        }
        if (entry.seq > 1) {
          return broken(entry.seq - 1, AuditBreak.Changed, `seq ${entry.seq - 1} was rewritten with a recomputed hash: seq ${entry.seq} links to a hash no entry has`, checked - 1);
        }
        return broken(entry.seq, AuditBreak.Changed, 'the first entry does not link to the genesis hash', checked);
      }
      prevHash = entry.hash;
      expected++;
    }
    if (page.length < pageSize) break;
  }
  const count = expected - 1;
  const { checkpoint } = await reader.auditHead();
  const problem = checkAgainst(checkpoint, count, prevHash);
  if (problem) return problem;
  return { ok: true, count, headSeq: count, headHash: prevHash };
}

function checkAgainst(checkpoint: AuditCheckpoint | undefined, count: number, headHash: string): AuditVerification | undefined {
  if (checkpoint === undefined) {
    return broken(count, AuditBreak.Checkpoint, `the checkpoint row is missing (the log has ${count} entries)`, count);
  }
  const recorded = `${checkpoint.count} entries up to seq ${checkpoint.headSeq} (head ${checkpoint.headHash.slice(0, 16)}...)`;
  if (checkpoint.count > count || checkpoint.headSeq > count) {
    return broken(count + 1, AuditBreak.Truncated, `the checkpoint records ${recorded}, but the log ends at seq ${count}`, count);
  }
  if (checkpoint.count < count || checkpoint.headSeq < count) {
    return broken(checkpoint.headSeq + 1, AuditBreak.Checkpoint, `the log has ${count} entries but the checkpoint records ${recorded}: entries were added outside traider or the checkpoint was rolled back`, checkpoint.headSeq);
  }
  if (checkpoint.headHash !== headHash) {
    return broken(count, AuditBreak.Changed, `the chain is consistent but its head differs from the checkpoint's (${recorded}): entries were rewritten with recomputed hashes`, count - 1);
  }
  return undefined;
}

/** The seq where an entry's hash matches, found through the entries its prevHash leads back to. */
async function homeSeq(reader: AuditReader, entry: AuditEntry, depth: number): Promise<number | undefined> {
  if (depth > MAX_LINK_DEPTH) return undefined;
  let base: number | undefined;
  if (entry.prevHash === GENESIS_HASH) {
    base = 0;
  } else {
    const parent = await reader.findAuditByHash(entry.prevHash);
    if (parent === undefined) return undefined;
    base = hashMatches(parent) ? parent.seq : await homeSeq(reader, parent, depth + 1);
    if (base === undefined) return undefined;
  }
  return hashMatches(entry, base + 1) ? base + 1 : undefined;
}

function broken(seq: number, reason: AuditBreak, detail: string, checked: number): AuditVerification {
  return { ok: false, seq, reason, detail, checked: Math.max(0, checked) };
}
