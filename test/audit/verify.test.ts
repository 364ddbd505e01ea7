// The hash rule and the verifier: every kind of tampering found at the first broken seq.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AuditBreak, canonicalJson, entryHash, entryText, GENESIS_HASH, verifyAuditLog } from '../../src/audit/index.ts';
import { MemoryAuditLog } from './memory-reader.ts';

describe('the hash rule (docs/audit.md)', () => {
  it('hashes the canonical JSON of {seq, time, actor, kind, payload} followed by the previous hash', () => {
    const payload = { price: 42000.5, side: 'BUY', qty: 0.001 };
    const fields = { seq: 1, time: 1_700_000_000_000, actor: 'alice', kind: 'order.submitted', payload: canonicalJson(payload) };
    const independent = createHash('sha256')
      .update(Buffer.from(JSON.stringify({ actor: 'alice', kind: 'order.submitted', payload: { price: 42000.5, qty: 0.001, side: 'BUY' }, seq: 1, time: 1_700_000_000_000 }), 'utf8'))
      .update(Buffer.from(GENESIS_HASH, 'utf8'))
      .digest('hex');
    expect(entryText(fields)).toBe(canonicalJson({ ...fields, payload }));
    expect(entryHash(fields, GENESIS_HASH)).toBe(independent);
  });
});

describe('verifyAuditLog', () => {
  it('accepts an intact log and reports its count and head', async () => {
    const log = new MemoryAuditLog().append(40);
    expect(await verifyAuditLog(log, { pageSize: 6 })).toEqual({ ok: true, count: 40, headSeq: 40, headHash: log.at(40).hash });
  });

  it('accepts an empty log with its initial checkpoint', async () => {
    expect(await verifyAuditLog(new MemoryAuditLog())).toEqual({ ok: true, count: 0, headSeq: 0, headHash: GENESIS_HASH });
  });

  it('finds a changed payload byte as changed at that seq', async () => {
    const log = new MemoryAuditLog().append(20);
    log.replace(11, { payload: log.at(11).payload.replace('1011', '1012') });
    expect(await verifyAuditLog(log)).toMatchObject({ ok: false, seq: 11, reason: AuditBreak.Changed, checked: 10 });
  });

  it('finds a changed time or kind as changed', async () => {
    const log = new MemoryAuditLog().append(5);
    log.replace(3, { time: log.at(3).time + 1 });
    expect(await verifyAuditLog(log)).toMatchObject({ ok: false, seq: 3, reason: AuditBreak.Changed });
  });

  it('finds a deleted middle entry, or several, as missing at the first absent seq', async () => {
    const log = new MemoryAuditLog().append(20);
    log.rows = log.rows.filter((e) => e.seq < 8 || e.seq > 10);
    expect(await verifyAuditLog(log)).toMatchObject({ ok: false, seq: 8, reason: AuditBreak.Missing, detail: expect.stringContaining('seqs 8..10') });
  });

  it('finds a deleted first entry as missing at seq 1', async () => {
    const log = new MemoryAuditLog().append(5);
    log.rows.shift();
    expect(await verifyAuditLog(log)).toMatchObject({ ok: false, seq: 1, reason: AuditBreak.Missing });
  });

  it('finds swapped contents, adjacent or far apart, as reordered with where the entry belongs', async () => {
    for (const [a, b] of [
      [4, 5],
      [1, 2],
      [3, 17],
    ] as const) {
      const log = new MemoryAuditLog().append(20);
      const ea = log.at(a);
      const eb = log.at(b);
      log.replace(a, { ...eb, seq: a });
      log.replace(b, { ...ea, seq: b });
      expect(await verifyAuditLog(log), `swap ${a} and ${b}`).toMatchObject({ ok: false, seq: a, reason: AuditBreak.Reordered, detail: expect.stringContaining(`belongs at seq ${b}`) });
    }
  });

  it('finds swapped entries whose hashes were recomputed for their new places as reordered through the links', async () => {
    const log = new MemoryAuditLog().append(10);
    const e4 = log.at(4);
    const e5 = log.at(5);
    const moved = { ...e5, seq: 4 };
    log.replace(4, { ...moved, hash: entryHash(moved, moved.prevHash) });
    const back = { ...e4, seq: 5 };
    log.replace(5, { ...back, hash: entryHash(back, back.prevHash) });
    expect(await verifyAuditLog(log)).toMatchObject({ ok: false, seq: 4, reason: AuditBreak.Reordered });
  });

  it('finds an entry rewritten with a recomputed hash as changed, through the next entry\'s link', async () => {
    const log = new MemoryAuditLog().append(10);
    const forged = { ...log.at(6), payload: '{"amount":1,"i":6}' };
    log.replace(6, { ...forged, hash: entryHash(forged, forged.prevHash) });
    expect(await verifyAuditLog(log)).toMatchObject({ ok: false, seq: 6, reason: AuditBreak.Changed, checked: 5 });
  });

  it('finds a first entry that does not start from the genesis hash', async () => {
    const log = new MemoryAuditLog().append(3);
    const forged = { ...log.at(1), prevHash: 'a'.repeat(64) };
    log.replace(1, { ...forged, hash: entryHash(forged, forged.prevHash) });
    expect(await verifyAuditLog(log)).toMatchObject({ ok: false, seq: 1, reason: AuditBreak.Changed });
  });

  it('finds a deleted tail as truncated against the checkpoint', async () => {
    const log = new MemoryAuditLog().append(30);
    log.rows = log.rows.slice(0, 20);
    expect(await verifyAuditLog(log)).toMatchObject({ ok: false, seq: 21, reason: AuditBreak.Truncated, checked: 20, detail: expect.stringContaining('30 entries') });
  });

  it('finds a whole log deleted as truncated at seq 1', async () => {
    const log = new MemoryAuditLog().append(5);
    log.rows = [];
    expect(await verifyAuditLog(log)).toMatchObject({ ok: false, seq: 1, reason: AuditBreak.Truncated });
  });

  it('finds a tail replaced by rehashed forgeries of the same length through the checkpoint head', async () => {
    const log = new MemoryAuditLog().append(10);
    const checkpoint = log.checkpoint;
    log.rows = log.rows.slice(0, 8);
    log.append(2, (i) => ({ forged: i }));
    log.checkpoint = checkpoint;
    expect(await verifyAuditLog(log)).toMatchObject({ ok: false, reason: AuditBreak.Changed, detail: expect.stringContaining('head differs from the checkpoint') });
  });

  it('finds a missing checkpoint, and one left behind the log', async () => {
    const log = new MemoryAuditLog().append(5);
    log.checkpoint = undefined;
    expect(await verifyAuditLog(log)).toMatchObject({ ok: false, reason: AuditBreak.Checkpoint });
    const behind = new MemoryAuditLog().append(5);
    behind.checkpoint = { ...behind.checkpoint!, count: 3, headSeq: 3 };
    expect(await verifyAuditLog(behind)).toMatchObject({ ok: false, seq: 4, reason: AuditBreak.Checkpoint });
  });
});
