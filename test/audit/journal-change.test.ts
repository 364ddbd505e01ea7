// The journal's changes (tokens and deployments with their audit entries) and its recovery when another
// writer appends to the same audit chain; the store here is a fake that keeps the chain as a database does.
import { describe, expect, it } from 'vitest';
import { Journal, verifyAuditLog } from '../../src/audit/index.ts';
import { SimulatedClock } from '../../src/common/clock.ts';
import { type AuditEntry, type DeploymentRecord, type Store, type StoreBatch, StoreError, StoreErrorCode, type TokenRecord } from '../../src/common/store.ts';
import { deployment, token } from '../store/service-contract.ts';
import { MemoryAuditLog } from './memory-reader.ts';

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * A store that refuses audit entries not continuing its checkpoint (CONCURRENT_WRITER), as the real ones
 * do. `before` runs at each write, before that check: it may append entries of another writer, or throw.
 * With `hold`, a write waits until release() before it is committed.
 */
class ChainStore extends MemoryAuditLog {
  readonly batches: StoreBatch[] = [];
  before: (batch: StoreBatch) => void = () => {};
  hold = false;
  private held: Array<() => void> = [];

  asStore(): Store {
    return this as unknown as Store;
  }

  async write(batch: StoreBatch): Promise<void> {
    this.batches.push(batch);
    if (this.hold) await new Promise<void>((resolve) => this.held.push(resolve));
    this.before(batch);
    const audit = (batch.audit ?? []) as AuditEntry[];
    const head = this.checkpoint!;
    if (audit.length > 0 && (audit[0]!.seq !== head.headSeq + 1 || audit[0]!.prevHash !== head.headHash)) {
      throw new StoreError(StoreErrorCode.ConcurrentWriter, `audit append at seq ${audit[0]!.seq} does not continue the stored head (seq ${head.headSeq})`);
    }
    this.rows.push(...audit);
    const last = audit[audit.length - 1];
    if (last) this.checkpoint = { count: head.count + audit.length, headSeq: last.seq, headHash: last.hash, updatedAt: batch.time };
  }

  /** Lets the oldest held write commit (waiting for it to be made). */
  async release(): Promise<void> {
    while (this.held.length === 0) await tick();
    this.held.shift()!();
  }

  /** Entries as (actor kind payload) lines, in seq order. */
  lines(): string[] {
    return [...this.rows].sort((a, b) => a.seq - b.seq).map((e) => `${e.actor} ${e.kind} ${e.payload}`);
  }
}

const clock = new SimulatedClock(1_700_000_000_000);
const settled = (promise: Promise<unknown>): { done: boolean } => {
  const state = { done: false };
  promise.then(
    () => (state.done = true),
    () => (state.done = true),
  );
  return state;
};

describe('Journal.commitChange', () => {
  it('commits a change in a transaction of its own, between what was appended before and after it, and resolves once durable', async () => {
    const store = new ChainStore();
    store.hold = true;
    const journal = await Journal.open(store.asStore(), { clock });
    const before = journal.audit.append({ actor: 'server', kind: 'before', payload: 1 });
    const change = journal.commitChange({
      tokens: [token('tk-1', { name: 'ci' })],
      deployments: [deployment('alpha')],
      audit: [
        { actor: 'token:ops', kind: 'token.created', payload: { id: 'tk-1' }, time: 5 },
        { actor: 'token:ops', kind: 'deployment.created', payload: { name: 'alpha' } },
      ],
    });
    const after = journal.audit.append({ actor: 'server', kind: 'after', payload: 2 });
    const state = settled(change);
    await store.release();
    await tick();
    expect(store.batches, 'the change is being written').toHaveLength(2);
    expect(state.done, 'not acknowledged before its transaction committed').toBe(false);
    await store.release();
    await store.release();
    await Promise.all([before, change, after]);
    expect(store.batches.map((b) => [b.tokens?.length ?? 0, b.deployments?.length ?? 0, (b.audit ?? []).map((e) => e.kind)]), 'three transactions, in call order').toEqual([
      [0, 0, ['before']],
      [1, 1, ['token.created', 'deployment.created']],
      [0, 0, ['after']],
    ]);
    expect(store.batches[1]!.tokens).toEqual([token('tk-1', { name: 'ci' })]);
    expect(store.batches[1]!.deployments).toEqual([deployment('alpha')]);
    expect(store.rows.map((e) => [e.seq, e.actor, e.time]), 'audit entries with their actors; time defaults to the clock').toEqual([
      [1, 'server', clock.now()],
      [2, 'token:ops', 5],
      [3, 'token:ops', clock.now()],
      [4, 'server', clock.now()],
    ]);
    expect(await verifyAuditLog(store)).toMatchObject({ ok: true, count: 4 });
  });

  it.each([
    ['CONFLICT', new StoreError(StoreErrorCode.Conflict, 'deployment "alpha" is at version 2: a change of version 2 does not follow it')],
    ['INVALID_RECORD', new StoreError(StoreErrorCode.InvalidRecord, 'token name "ci" is taken by token tk-0')],
  ])('rejects only a change the store refuses with %s: appends around it commit, the journal goes on', async (_code, refusal) => {
    const store = new ChainStore();
    store.before = (batch) => {
      if ((batch.deployments ?? []).length > 0 || (batch.tokens ?? []).length > 0) throw refusal;
    };
    const journal = await Journal.open(store.asStore(), { clock });
    const before = journal.audit.append({ actor: 'server', kind: 'before', payload: 1 });
    const change = journal.commitChange({ deployments: [deployment('alpha', { version: 2 })], tokens: [token('tk-1', { name: 'ci' })], audit: [{ actor: 'bob', kind: 'deployment.paused', payload: {} }] });
    const after = journal.audit.append({ actor: 'server', kind: 'after', payload: 2 });
    await expect(change).rejects.toBe(refusal);
    expect(await Promise.all([before, after]).then((r) => r.map((x) => x.seq)), 'the refused change took no seq').toEqual([1, 2]);
    expect(journal.failure).toBeUndefined();
    await expect(journal.flush(), 'flush does not rethrow a refused change').resolves.toBeUndefined();
    await journal.createRun({ kind: 'PAPER', strategy: 's', symbols: ['A/B'], actor: 'later' });
    expect(store.lines().map((l) => l.split(' ').slice(0, 2).join(' '))).toEqual(['server before', 'server after', 'later run.started']);
    expect(await verifyAuditLog(store)).toMatchObject({ ok: true, count: 3 });
  });

  it('flushes a queued change that the store then refuses without rethrowing the refusal', async () => {
    const store = new ChainStore();
    const refusal = new StoreError(StoreErrorCode.Conflict, 'deployment "alpha" is at version 3: a change of version 3 does not follow it');
    store.before = (batch) => {
      if ((batch.deployments ?? []).length > 0) throw refusal;
    };
    store.hold = true;
    const journal = await Journal.open(store.asStore(), { clock });
    const first = journal.audit.append({ actor: 'server', kind: 'first', payload: {} });
    await tick();
    const change = journal.commitChange({ deployments: [deployment('alpha', { version: 3 })], audit: [{ actor: 'bob', kind: 'deployment.paused', payload: {} }] });
    const flushed = journal.flush();
    await store.release();
    await store.release();
    await expect(change).rejects.toBe(refusal);
    await expect(flushed, 'flush waited for the change; its refusal is its caller\'s').resolves.toBeUndefined();
    expect((await first).seq).toBe(1);
    expect(journal.failure).toBeUndefined();
  });

  it('stops the journal when a change fails for any other reason, and when an ordinary batch is refused', async () => {
    const broken = new ChainStore();
    broken.before = () => {
      throw new StoreError(StoreErrorCode.Unwritable, 'disk full');
    };
    const journal = await Journal.open(broken.asStore(), { clock });
    await expect(journal.commitChange({ deployments: [deployment('alpha')], audit: [] })).rejects.toMatchObject({ code: StoreErrorCode.Unwritable });
    expect(journal.failure?.code).toBe(StoreErrorCode.Unwritable);
    await expect(journal.audit.append({ actor: 'a', kind: 'k', payload: {} })).rejects.toMatchObject({ code: StoreErrorCode.Unwritable });

    // INVALID_RECORD spares a change only: in a batch of ordinary appends it may have been anyone's record.
    const refusing = new ChainStore();
    refusing.before = () => {
      throw new StoreError(StoreErrorCode.InvalidRecord, 'a record names a run that does not exist');
    };
    const other = await Journal.open(refusing.asStore(), { clock });
    await expect(other.audit.append({ actor: 'a', kind: 'k', payload: {} })).rejects.toMatchObject({ code: StoreErrorCode.InvalidRecord });
    expect(other.failure?.code, 'fail-stop as before').toBe(StoreErrorCode.InvalidRecord);
    await expect(other.commitChange({ tokens: [token('tk-1')], audit: [] })).rejects.toMatchObject({ code: StoreErrorCode.InvalidRecord });
  });

  describe('refuses a malformed record at the call, naming the field and the rule, before anything is staged', () => {
    const tokenCases: Array<[Partial<TokenRecord>, RegExp]> = [
      [{ role: 'root' as never }, /^tokens\[0\]\.role: expected one of viewer, operator, admin \(got "root"\)/],
      [{ name: '' }, /^tokens\[0\]\.name: expected a non-empty string/],
      [{ id: '' }, /^tokens\[0\]\.id: expected a non-empty string/],
      [{ secretHash: '' }, /^tokens\[0\]\.secretHash: expected a non-empty string/],
      [{ revokedAt: 1 }, /^tokens\[0\]\.revokedBy: expected a name exactly when revokedAt is set/],
      [{ revokedBy: 'carol' }, /^tokens\[0\]\.revokedBy: expected a name exactly when revokedAt is set/],
      [{ createdAt: 0.5 }, /^tokens\[0\]\.createdAt: expected integer UTC milliseconds/],
    ];
    const deploymentCases: Array<[Partial<DeploymentRecord>, RegExp]> = [
      [{ name: '' }, /^deployments\[0\]\.name: expected a non-empty string/],
      [{ capital: 0 }, /^deployments\[0\]\.capital: expected a finite number above 0 \(got 0\)/],
      [{ capital: Number.POSITIVE_INFINITY }, /^deployments\[0\]\.capital: expected a finite number above 0/],
      [{ version: 0 }, /^deployments\[0\]\.version: expected an integer >= 1 \(got 0\)/],
      [{ version: 1.5 }, /^deployments\[0\]\.version: expected an integer >= 1/],
      [{ symbols: [] }, /^deployments\[0\]\.symbols: expected a non-empty list of non-empty strings/],
      [{ symbols: ['BTC/USDT', ''] }, /^deployments\[0\]\.symbols: expected a non-empty list of non-empty strings/],
      [{ mode: 'YOLO' }, /^deployments\[0\]\.mode: expected one of PAPER, LIVE_MINIMAL, LIVE_SCALED, EMERGENCY_STOP \(got "YOLO"\)/],
      [{ status: 'RUNNING' }, /^deployments\[0\]\.status: expected one of ACTIVE, PAUSED, STOPPED/],
      [{ timeframe: '' }, /^deployments\[0\]\.timeframe: expected a non-empty string/],
      [{ url: 7 as never }, /^deployments\[0\]\.url: expected a string or null/],
      [{ parameters: { fast: Number.NaN } }, /^deployments\[0\]\.parameters: expected a JSON object: .*NaN/],
      [{ limits: [] as never }, /^deployments\[0\]\.limits: expected a JSON object/],
      [{ updatedAt: Number.NaN }, /^deployments\[0\]\.updatedAt: expected integer UTC milliseconds/],
    ];

    async function refused(change: Parameters<Journal['commitChange']>[0], message: RegExp): Promise<void> {
      const store = new ChainStore();
      const journal = await Journal.open(store.asStore(), { clock });
      await expect(journal.commitChange(change)).rejects.toMatchObject({ name: 'StoreError', code: StoreErrorCode.InvalidRecord, message: expect.stringMatching(message) });
      await journal.flush();
      expect(store.batches, 'nothing staged').toEqual([]);
      expect(journal.failure).toBeUndefined();
    }

    it.each(tokenCases)('token %j', (fields, message) => refused({ tokens: [token('tk-1', fields)], audit: [] }, message));
    it.each(deploymentCases)('deployment %j', (fields, message) => refused({ deployments: [deployment('alpha', fields)], audit: [] }, message));
    it('two token ids with one name, and bad audit entries', async () => {
      await refused({ tokens: [token('tk-1', { name: 'ci' }), token('tk-2', { name: 'ci' })], audit: [] }, /^tokens\[1\]\.name: expected a name no other token has \(token tk-1 has it\)/);
      await refused({ audit: [{ actor: 'a', kind: 'k', payload: {} }, { actor: '', kind: 'k', payload: {} }] }, /^change\.audit\[1\]\.actor: expected a non-empty string/);
      await refused({ audit: [{ actor: 'a', kind: 'k', payload: {}, time: 1.5 }] }, /^change\.audit\[0\]\.time: expected integer UTC milliseconds/);
      await refused({ tokens: [token('tk-1')], audit: [{ actor: 'a', kind: 'k', payload: { x: Number.NaN } }] }, /^change\.audit\[0\]\.payload: expected a JSON value: .*NaN/);
    });
  });
});

describe('Journal with another writer on the same audit chain', () => {
  it('chains its entries again on the head the other writer left, content unchanged, and goes on', async () => {
    const store = new ChainStore();
    const journal = await Journal.open(store.asStore(), { clock });
    const other = new MemoryAuditLog();
    let first = true;
    store.before = () => {
      if (!first) return;
      first = false;
      // Another process commits three entries just before this journal's first commit.
      store.append(3, (i) => ({ other: i }));
      other.rows = [...store.rows];
    };
    const receipts = await Promise.all([journal.audit.append({ actor: 'me', kind: 'a', payload: { n: 1 }, time: 7 }), journal.audit.append({ actor: 'me', kind: 'b', payload: { n: 2 }, time: 8 })]);
    expect(receipts.map((r) => r.seq), 'after the other writer\'s seqs 1-3').toEqual([4, 5]);
    expect(store.batches.map((b) => b.audit!.map((e) => e.seq)), 'the refused attempt, then the retry').toEqual([
      [1, 2],
      [4, 5],
    ]);
    const strip = (e: AuditEntry) => ({ actor: e.actor, kind: e.kind, payload: e.payload, time: e.time });
    expect(store.batches[1]!.audit!.map(strip), 'the same entries').toEqual(store.batches[0]!.audit!.map(strip));
    expect(store.rows.slice(0, 3), 'the other writer\'s entries untouched').toEqual(other.rows);
    expect(store.rows.map((e) => e.hash).slice(3)).toEqual(receipts.map((r) => r.hash));
    expect(journal.audit.head).toEqual(receipts[1]);
    expect(await verifyAuditLog(store)).toMatchObject({ ok: true, count: 5, headHash: receipts[1]!.hash });
    expect((await journal.audit.append({ actor: 'me', kind: 'c', payload: {} })).seq).toBe(6);
  });

  it('gives up after 5 retries that each found the head moved again, and stops as before', async () => {
    const store = new ChainStore();
    const journal = await Journal.open(store.asStore(), { clock });
    store.before = () => void store.append(1);
    const append = journal.audit.append({ actor: 'me', kind: 'a', payload: {} });
    await expect(append).rejects.toMatchObject({ code: StoreErrorCode.ConcurrentWriter, message: expect.stringContaining('still after 5 retries on a re-read head; this journal stops') });
    expect(store.batches, 'the first attempt and 5 retries').toHaveLength(6);
    expect(journal.failure?.code).toBe(StoreErrorCode.ConcurrentWriter);
    await expect(journal.flush()).rejects.toMatchObject({ code: StoreErrorCode.ConcurrentWriter });
    expect(store.rows.every((e) => e.actor === 'tester'), 'nothing of this journal was written').toBe(true);
  });
});
