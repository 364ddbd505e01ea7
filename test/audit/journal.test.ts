// The journal writer: group commit, acknowledgement only after the commit, fail-stop after a failed commit.
import { describe, expect, it } from 'vitest';
import { GENESIS_HASH, Journal, verifyAuditLog } from '../../src/audit/index.ts';
import { SimulatedClock } from '../../src/common/clock.ts';
import { type AuditEntry, RunKind, type Store, type StoreBatch, StoreError, StoreErrorCode } from '../../src/common/store.ts';
import { MemoryAuditLog } from './memory-reader.ts';

/** A store that records batches and commits only when the test releases them. */
class ManualStore extends MemoryAuditLog {
  readonly batches: StoreBatch[] = [];
  private releases: Array<{ resolve: () => void; reject: (error: unknown) => void }> = [];
  auto = false;

  asStore(): Store {
    return this as unknown as Store;
  }

  write(batch: StoreBatch): Promise<void> {
    this.batches.push(batch);
    const commit = (): void => {
      const audit = batch.audit ?? [];
      this.rows.push(...(audit as AuditEntry[]));
      const head = this.rows[this.rows.length - 1];
      if (head) this.checkpoint = { count: this.rows.length, headSeq: head.seq, headHash: head.hash, updatedAt: batch.time };
    };
    if (this.auto) {
      commit();
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => this.releases.push({ resolve: () => (commit(), resolve()), reject }));
  }

  release(): void {
    this.releases.shift()!.resolve();
  }

  fail(error: unknown): void {
    this.releases.shift()!.reject(error);
  }
}

const clock = new SimulatedClock(1_700_000_000_000);
const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('Journal', () => {
  it('commits everything appended in one turn of the event loop as one batch', async () => {
    const store = new ManualStore();
    store.auto = true;
    const journal = await Journal.open(store.asStore(), { clock });
    const receipts = await Promise.all(Array.from({ length: 100 }, (_, i) => journal.audit.append({ actor: 'a', kind: 'k', payload: { i } })));
    expect(store.batches, 'one transaction for 100 appends').toHaveLength(1);
    expect(receipts.map((r) => r.seq)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(await verifyAuditLog(store)).toMatchObject({ ok: true, count: 100 });
  });

  it('resolves an append only after its batch committed', async () => {
    const store = new ManualStore();
    const journal = await Journal.open(store.asStore(), { clock });
    let acknowledged = false;
    const append = journal.audit.append({ actor: 'a', kind: 'k', payload: 1 }).then(() => (acknowledged = true));
    await tick();
    expect(store.batches, 'the commit has started').toHaveLength(1);
    expect(acknowledged, 'not acknowledged while the commit is in flight').toBe(false);
    store.release();
    await append;
    expect(acknowledged).toBe(true);
  });

  it('collects appends made during a commit into the next batch and commits batches in order', async () => {
    const store = new ManualStore();
    const journal = await Journal.open(store.asStore(), { clock });
    const first = journal.audit.append({ actor: 'a', kind: 'k', payload: 1 });
    await tick();
    const later = [2, 3, 4].map((p) => journal.audit.append({ actor: 'a', kind: 'k', payload: p }));
    await tick();
    expect(store.batches, 'one commit at a time').toHaveLength(1);
    store.release();
    await first;
    await tick();
    expect(store.batches).toHaveLength(2);
    expect(store.batches[1]!.audit!.map((e) => e.seq)).toEqual([2, 3, 4]);
    store.release();
    await Promise.all(later);
  });

  it('starts a commit at once when maxBatch records wait', async () => {
    const store = new ManualStore();
    store.auto = true;
    const journal = await Journal.open(store.asStore(), { clock, maxBatch: 10 });
    for (let i = 0; i < 10; i++) void journal.audit.append({ actor: 'a', kind: 'k', payload: i });
    expect(store.batches, 'the tenth append started the commit synchronously').toHaveLength(1);
    await journal.flush();
  });

  it('stops after a failed commit: the batch and every later append reject, flush and close rethrow', async () => {
    const store = new ManualStore();
    const journal = await Journal.open(store.asStore(), { clock });
    const append = journal.audit.append({ actor: 'a', kind: 'k', payload: 1 });
    await tick();
    store.fail(new Error('disk full'));
    await expect(append).rejects.toMatchObject({ name: 'StoreError', message: expect.stringContaining('disk full') });
    expect(journal.failure).toBeInstanceOf(StoreError);
    await expect(journal.audit.append({ actor: 'a', kind: 'k', payload: 2 }), 'nothing is accepted after a failure').rejects.toBeInstanceOf(StoreError);
    await expect(journal.flush()).rejects.toBeInstanceOf(StoreError);
    await expect(journal.close()).rejects.toBeInstanceOf(StoreError);
    expect(store.rows, 'nothing was acknowledged, nothing stored').toEqual([]);
  });

  it('rejects a bad record at append without poisoning the batch of the others', async () => {
    const store = new ManualStore();
    store.auto = true;
    const journal = await Journal.open(store.asStore(), { clock });
    const good = journal.audit.append({ actor: 'a', kind: 'k', payload: { ok: true } });
    await expect(journal.audit.append({ actor: '', kind: 'k', payload: {} })).rejects.toMatchObject({ code: StoreErrorCode.InvalidRecord });
    await expect(journal.audit.append({ actor: 'a', kind: 'k', payload: { x: Number.NaN } })).rejects.toThrow(/NaN/);
    await expect(journal.audit.append({ actor: 'a', kind: 'k', payload: {}, time: 1.5 })).rejects.toMatchObject({ code: StoreErrorCode.InvalidRecord });
    expect((await good).seq).toBe(1);
    expect((await journal.audit.append({ actor: 'a', kind: 'k', payload: {} })).seq, 'seqs stay contiguous').toBe(2);
  });

  it('refuses appends after close', async () => {
    const store = new ManualStore();
    store.auto = true;
    const journal = await Journal.open(store.asStore(), { clock });
    await journal.close();
    await expect(journal.createRun({ kind: RunKind.Backtest, strategy: 's', symbols: [] })).rejects.toMatchObject({ code: StoreErrorCode.Closed });
  });

  it('continues from the checkpoint when it is ahead of the last stored entry', async () => {
    const store = new ManualStore().append(10);
    store.rows = store.rows.slice(0, 7);
    const journal = await Journal.open(store.asStore(), { clock });
    expect(journal.audit.head).toEqual({ seq: 10, hash: store.checkpoint!.headHash });
    const empty = await Journal.open(new ManualStore().asStore(), { clock });
    expect(empty.audit.head).toEqual({ seq: 0, hash: GENESIS_HASH });
  });

  it('can journal without auditing the journal records', async () => {
    const store = new ManualStore();
    store.auto = true;
    const journal = await Journal.open(store.asStore(), { clock, auditJournal: false });
    await journal.createRun({ kind: RunKind.Backtest, strategy: 's', symbols: ['A/B'] });
    expect(store.batches[0]!.audit).toEqual([]);
    expect(store.batches[0]!.runs).toHaveLength(1);
  });
});
