// The Store contract for what `traider serve` keeps: API tokens, deployments, and several writers of one
// audit chain. Run by storeContract (contract.ts) on SQLite and on a real PostgreSQL.
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS, SCHEMA_VERSION } from '../../src/adapters/store/index.ts';
import { MIGRATIONS_TABLE } from '../../src/adapters/store/schema.ts';
import { openJournal, openStore } from '../../src/app/store/index.ts';
import { Journal, verifyAuditLog } from '../../src/audit/index.ts';
import { SimulatedClock } from '../../src/common/clock.ts';
import { type DeploymentRecord, RunKind, type Store, type StoreBatch, StoreErrorCode, type TokenRecord } from '../../src/common/store.ts';
import type { StoreHarness } from './contract.ts';

const T0 = 1_700_000_000_000;

export function token(id: string, overrides: Partial<TokenRecord> = {}): TokenRecord {
  return {
    id,
    name: `name-of-${id}`,
    role: 'operator',
    secretHash: `scrypt$16384$8$1$salt-${id}$hash-${id}`,
    createdAt: T0,
    createdBy: 'alice',
    revokedAt: null,
    revokedBy: null,
    ...overrides,
  };
}

export function deployment(name: string, overrides: Partial<DeploymentRecord> = {}): DeploymentRecord {
  return {
    name,
    strategy: 'sma-cross',
    parameters: { fast: 10, slow: 30, nested: { list: [1, 'two', null, true], empty: {} } },
    symbols: ['BTC/USDT', 'ETH/USDT'],
    exchange: 'binance',
    url: 'http://127.0.0.1:8123',
    credentials: 'TRAIDER_BINANCE',
    capital: 10_000.5,
    timeframe: '1m',
    mode: 'PAPER',
    status: 'ACTIVE',
    limits: {},
    runId: null,
    createdAt: T0,
    createdBy: 'token:ops',
    updatedAt: T0,
    version: 1,
    ...overrides,
  };
}

function expectStoreError(code: string, message?: RegExp) {
  return expect.objectContaining({ name: 'StoreError', code, ...(message ? { message: expect.stringMatching(message) } : {}) });
}

/** The store with every write counted by outcome: shows that a test really made writers collide. */
function countingWrites(store: Store): { store: Store; concurrent: () => number } {
  let concurrent = 0;
  const counted = new Proxy(store, {
    get(target, property) {
      if (property === 'write') {
        return async (batch: StoreBatch) => {
          try {
            await target.write(batch);
          } catch (error) {
            if ((error as { code?: string }).code === StoreErrorCode.ConcurrentWriter) concurrent++;
            throw error;
          }
        };
      }
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { store: counted, concurrent: () => concurrent };
}

export function serviceContract(harness: StoreHarness): void {
  describe('tokens, deployments and several writers', () => {
    const clock = new SimulatedClock(T0);
    const open: Array<{ close(): Promise<void> }> = [];

    afterEach(async () => {
      for (const item of open.splice(0).reverse()) await item.close().catch(() => {});
    });

    async function fresh(): Promise<{ target: string; store: Store; journal: Journal }> {
      const target = await harness.freshTarget();
      const opened = await openJournal(target, { clock });
      open.push(opened);
      return { target, store: opened.store, journal: opened.journal };
    }

    async function count(target: string, table: string): Promise<number> {
      return Number((await harness.exec(target, `SELECT count(*) AS n FROM ${table}`))[0]!.n);
    }

    describe('tokens', () => {
      it('stores tokens with their audit entries and reads them back exactly, listed by creation time, then id', async () => {
        const { store, journal } = await fresh();
        const tokens = [
          token('tk-b', { name: 'ci', role: 'viewer', createdAt: T0 + 5 }),
          token('tk-c', { name: 'ops', role: 'admin', createdAt: T0 }),
          token('tk-a', { name: 'deploy-bot', createdAt: T0 + 5, createdBy: 'bob' }),
        ];
        for (const t of tokens) await journal.commitChange({ tokens: [t], audit: [{ actor: t.createdBy, kind: 'token.created', payload: { id: t.id, name: t.name }, time: t.createdAt }] });
        expect(await store.listTokens(), 'by createdAt, then id').toEqual([tokens[1], tokens[2], tokens[0]]);
        expect(await store.getToken('tk-b')).toEqual(tokens[0]);
        expect(await store.getToken('no-such-token')).toBeUndefined();
        const audit = await store.readAudit({ afterSeq: 0, limit: 10 });
        expect(audit.map((e) => [e.actor, e.kind, e.time, e.payload]), 'one entry per change, with its actor and time').toEqual([
          ['alice', 'token.created', T0 + 5, '{"id":"tk-b","name":"ci"}'],
          ['alice', 'token.created', T0, '{"id":"tk-c","name":"ops"}'],
          ['bob', 'token.created', T0 + 5, '{"id":"tk-a","name":"deploy-bot"}'],
        ]);
        expect(await verifyAuditLog(store)).toMatchObject({ ok: true, count: 3 });
      });

      it('revokes a token by replacing its row: still listed, marked revoked, by whom and when', async () => {
        const { target, store, journal } = await fresh();
        const issued = token('tk-1', { name: 'ci' });
        await journal.commitChange({ tokens: [issued], audit: [{ actor: 'alice', kind: 'token.created', payload: { id: 'tk-1' } }] });
        const revoked = { ...issued, revokedAt: T0 + 60_000, revokedBy: 'carol' };
        await journal.commitChange({ tokens: [revoked], audit: [{ actor: 'carol', kind: 'token.revoked', payload: { id: 'tk-1' } }] });
        expect(await store.getToken('tk-1')).toEqual(revoked);
        expect(await store.listTokens(), 'replaced, not added').toEqual([revoked]);
        expect(await count(target, 'api_tokens')).toBe(1);
      });

      it('refuses a name another token has, revoked or not, naming the name, and writes nothing of the batch', async () => {
        const { target, store, journal } = await fresh();
        await journal.commitChange({ tokens: [token('tk-1', { name: 'ci', revokedAt: T0 + 1, revokedBy: 'carol' })], audit: [] });
        const headBefore = await store.auditHead();
        const batch: StoreBatch = {
          time: T0,
          tokens: [token('tk-2', { name: 'fresh' }), token('tk-3', { name: 'ci' })],
          deployments: [deployment('alpha')],
        };
        await expect(store.write(batch), 'the revoked token still holds its name').rejects.toEqual(expectStoreError(StoreErrorCode.InvalidRecord, /token name "ci" is taken by token tk-1/));
        await expect(store.write({ time: T0, tokens: [token('tk-4', { name: 'twice' }), token('tk-5', { name: 'twice' })] }), 'two ids with one name in a batch').rejects.toEqual(
          expectStoreError(StoreErrorCode.InvalidRecord, /^tokens\[1\]\.name: expected a name no other token has \(token tk-4 has it\)/),
        );
        // The journal checks records at the call (test/audit/journal-change.test.ts); the store checks them again.
        await expect(store.write({ time: T0, tokens: [token('tk-7', { role: 'root' as never })] })).rejects.toEqual(expectStoreError(StoreErrorCode.InvalidRecord, /^tokens\[0\]\.role: expected one of viewer, operator, admin/));
        await expect(store.write({ time: T0, deployments: [deployment('gamma', { capital: -1 })] })).rejects.toEqual(expectStoreError(StoreErrorCode.InvalidRecord, /^deployments\[0\]\.capital: expected a finite number above 0/));
        expect((await store.listTokens()).map((t) => t.id), 'nothing of any refused batch').toEqual(['tk-1']);
        expect(await store.listDeployments()).toEqual([]);
        expect(await store.auditHead()).toEqual(headBefore);
        expect(await count(target, 'api_tokens')).toBe(1);
        // Through the journal the refusal is the change's own: the journal goes on.
        const change = journal.commitChange({ tokens: [token('tk-6', { name: 'ci' })], audit: [{ actor: 'dave', kind: 'token.created', payload: {} }] });
        await expect(change).rejects.toEqual(expectStoreError(StoreErrorCode.InvalidRecord, /"ci"/));
        expect(journal.failure).toBeUndefined();
        expect((await journal.audit.append({ actor: 'dave', kind: 'after', payload: {} })).seq, 'the refused change took no seq').toBe(1);
      });
    });

    describe('deployments', () => {
      it('stores deployments exactly (JSON, lists, nulls) and lists them by name in byte order', async () => {
        const { target, store, journal } = await fresh();
        if (harness.dialect === 'postgres') {
          // As in a database created with an English locale, where 'alpha' sorts before 'Zeta': the listing must not follow it.
          await harness.exec(target, 'ALTER TABLE deployments ALTER COLUMN name TYPE text COLLATE "en-x-icu"');
        }
        const records = [
          deployment('beta'),
          deployment('alpha-2', { url: null, credentials: null, limits: { maxPositionFraction: 0.25, dailyLoss: { fraction: 0.03 } }, runId: 'run-7', mode: 'LIVE_MINIMAL', status: 'PAUSED' }),
          deployment('alpha', { parameters: {}, symbols: ['600519.SH'], capital: 1e6 }),
          deployment('Zeta'),
        ];
        await journal.commitChange({ deployments: records, audit: [{ actor: 'token:ops', kind: 'deployment.created', payload: { names: records.map((d) => d.name) } }] });
        expect(await store.getDeployment('alpha-2')).toEqual(records[1]);
        expect(await store.getDeployment('gamma')).toBeUndefined();
        expect(await store.listDeployments(), 'by name, as bytes compare: capitals first, whatever the database locale').toEqual([records[3], records[2], records[1], records[0]]);
      });

      it('replaces a deployment with the next version only; a stale, repeated or misplaced version is a CONFLICT naming both versions', async () => {
        const { store } = await fresh();
        await store.write({ time: T0, deployments: [deployment('alpha')] });
        const v2 = deployment('alpha', { status: 'PAUSED', parameters: { fast: 5 }, limits: { x: 1 }, runId: 'run-2', updatedAt: T0 + 10, version: 2 });
        await store.write({ time: T0, deployments: [v2] });
        expect(await store.getDeployment('alpha'), 'every field replaced').toEqual(v2);
        const conflict = (d: DeploymentRecord, message: RegExp) => expect(store.write({ time: T0, deployments: [d] })).rejects.toEqual(expectStoreError(StoreErrorCode.Conflict, message));
        await conflict(deployment('alpha', { status: 'STOPPED', version: 2 }), /^deployment "alpha" is at version 2: a change of version 2 does not follow it/);
        await conflict(deployment('alpha', { version: 4 }), /^deployment "alpha" is at version 2: a change of version 4 does not follow it/);
        await conflict(deployment('alpha'), /^deployment "alpha" is at version 2: a change of version 1 does not follow it/);
        await conflict(deployment('ghost', { version: 2 }), /^deployment "ghost" does not exist: a change of version 2 does not follow it/);
        expect(await store.getDeployment('alpha'), 'unchanged by the refused writes').toEqual(v2);
        expect(await store.getDeployment('ghost')).toBeUndefined();
        // Two steps in one batch follow each other.
        await store.write({ time: T0, deployments: [deployment('alpha', { version: 3, status: 'ACTIVE' }), deployment('alpha', { version: 4, status: 'STOPPED' })] });
        expect(await store.getDeployment('alpha')).toMatchObject({ version: 4, status: 'STOPPED' });
      });

      it('writes nothing of a batch with a version conflict: no run, token, other deployment or audit entry', async () => {
        const { target, store, journal } = await fresh();
        await journal.commitChange({ deployments: [deployment('alpha')], audit: [{ actor: 'alice', kind: 'deployment.created', payload: { name: 'alpha' } }] });
        const head = await store.auditHead();
        const entry = { seq: 2, time: T0, actor: 'bob', kind: 'deployment.paused', payload: '{}', prevHash: head.last!.hash, hash: 'f'.repeat(64) };
        const batch: StoreBatch = {
          time: T0,
          runs: [{ id: 'r1', kind: RunKind.Paper, strategy: 's', symbols: ['A/B'], market: null, timeframe: null, mode: null, actor: 'x', parameters: {}, dataHashes: {}, startedAt: T0 }],
          tokens: [token('tk-1')],
          deployments: [deployment('beta'), deployment('alpha', { status: 'PAUSED', version: 3 })],
          audit: [entry],
        };
        await expect(store.write(batch)).rejects.toEqual(expectStoreError(StoreErrorCode.Conflict, /"alpha" is at version 1: a change of version 3/));
        expect(await store.getRun('r1')).toBeUndefined();
        expect(await store.listTokens()).toEqual([]);
        expect((await store.listDeployments()).map((d) => [d.name, d.version])).toEqual([['alpha', 1]]);
        expect(await store.auditHead(), 'neither entry nor checkpoint moved').toEqual(head);
        expect(await count(target, 'audit_log')).toBe(1);
      });

      it('rejects only the change that conflicts: appends around it commit and the journal goes on', async () => {
        const { store, journal } = await fresh();
        await journal.commitChange({ deployments: [deployment('alpha')], audit: [{ actor: 'alice', kind: 'deployment.created', payload: { name: 'alpha' } }] });
        // In one turn: an append, a stale change (version 1 again) and another append.
        const before = journal.audit.append({ actor: 'x', kind: 'before', payload: {} });
        const stale = journal.commitChange({ deployments: [deployment('alpha', { status: 'STOPPED' })], audit: [{ actor: 'bob', kind: 'deployment.stopped', payload: { name: 'alpha' } }] });
        const after = journal.audit.append({ actor: 'x', kind: 'after', payload: {} });
        await expect(stale).rejects.toEqual(expectStoreError(StoreErrorCode.Conflict, /"alpha" is at version 1: a change of version 1/));
        expect((await before).seq).toBe(2);
        expect((await after).seq, 'the refused change took no seq').toBe(3);
        expect(journal.failure).toBeUndefined();
        await journal.commitChange({ deployments: [deployment('alpha', { status: 'STOPPED', version: 2 })], audit: [{ actor: 'bob', kind: 'deployment.stopped', payload: { name: 'alpha' } }] });
        await journal.flush();
        expect(await store.getDeployment('alpha')).toMatchObject({ status: 'STOPPED', version: 2 });
        const kinds = (await store.readAudit({ afterSeq: 0, limit: 10 })).map((e) => `${e.actor} ${e.kind}`);
        expect(kinds).toEqual(['alice deployment.created', 'x before', 'x after', 'bob deployment.stopped']);
        expect(await verifyAuditLog(store)).toMatchObject({ ok: true, count: 4 });
      });
    });

    it('migrates a version 2 database on open: its runs and bars stay, tokens and deployments can be written', async () => {
      const target = await harness.freshTarget();
      await harness.exec(target, MIGRATIONS_TABLE(harness.dialect));
      for (const migration of MIGRATIONS.filter((m) => m.version <= 2)) {
        for (const statement of migration.statements(harness.dialect)) await harness.exec(target, statement);
        await harness.exec(target, 'INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [migration.version, migration.name, T0]);
      }
      await harness.exec(
        target,
        "INSERT INTO runs (id, kind, status, strategy, symbols, actor, parameters, data_hashes, started_at) VALUES ('old-run', 'PAPER', 'RUNNING', 's', '[\"BTC/USDT\"]', 'alice', '{}', '{}', ?)",
        [T0],
      );
      await harness.exec(target, 'INSERT INTO bars (run_id, symbol, open_time, close_time, open, high, low, close, volume) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)', ['old-run', 'BTC/USDT', T0, T0 + 60_000, 1, 2, 0.5, 1.5, 10]);
      await harness.exec(
        target,
        'INSERT INTO fills (run_id, time, fill_id, order_id, symbol, side, price, quantity, notional, fee, tax, liquidity, reference_price, impact_bps, slippage_bps, reduced_for_cash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
        ['old-run', T0, 'F-1', 'O-1', 'BTC/USDT', 'BUY', 1.5, 2, 300_000_000, 300_000, 0, 'TAKER', 1.5, 0, 0, 0],
      );

      const opened = await openJournal(target, { clock });
      open.push(opened);
      expect(SCHEMA_VERSION).toBe(4);
      expect(opened.store.schemaVersion).toBe(4);
      const versions = await harness.exec(target, 'SELECT version, name FROM schema_migrations ORDER BY version');
      expect(versions.map((r) => [Number(r.version), r.name]), 'migrations 3 and 4 applied once, after 1 and 2').toEqual([
        [1, MIGRATIONS[0]!.name],
        [2, MIGRATIONS[1]!.name],
        [3, 'api tokens and deployments'],
        [4, 'fees a fill paid in the base asset (null: paid in the account currency)'],
      ]);
      const [oldFill] = (await opened.store.readRunJournal('old-run')).fills;
      expect(oldFill, 'a fill journaled before migration 4 paid its fee in the account currency').toMatchObject({ fillId: 'F-1', quantity: 2, fee: 300_000n });
      expect(oldFill).not.toHaveProperty('feeQuantity');
      expect(await opened.store.getRun('old-run')).toMatchObject({ id: 'old-run', actor: 'alice' });
      expect((await opened.store.readRunJournal('old-run')).bars).toEqual([
        { runId: 'old-run', symbol: 'BTC/USDT', openTime: T0, closeTime: T0 + 60_000, open: 1, high: 2, low: 0.5, close: 1.5, volume: 10, adjustmentFactor: null, preClose: null },
      ]);
      await opened.journal.commitChange({ tokens: [token('tk-1')], deployments: [deployment('alpha', { runId: 'old-run' })], audit: [{ actor: 'alice', kind: 'setup', payload: {} }] });
      expect(await opened.store.listTokens()).toEqual([token('tk-1')]);
      expect(await opened.store.listDeployments()).toEqual([deployment('alpha', { runId: 'old-run' })]);
      const reopened = await openStore(target, { create: false, clock });
      open.push(reopened);
      expect(Number((await harness.exec(target, 'SELECT count(*) AS n FROM schema_migrations'))[0]!.n), 'reopening applies nothing again').toBe(4);
    });

    it('keeps one verifiable chain when two journals append to one database, interleaved, with every entry of both in it', async () => {
      const target = await harness.freshTarget();
      const stores = [await openStore(target, { clock }), await openStore(target, { clock })];
      open.push(...stores);
      const counted = stores.map(countingWrites);
      const [a, b] = [await Journal.open(counted[0]!.store, { clock }), await Journal.open(counted[1]!.store, { clock })];
      const expected: string[] = [];
      const receipts: Array<Promise<{ seq: number; hash: string }>> = [];
      const append = (journal: Journal, actor: string, i: number) => {
        expected.push(`${actor} ${i}`);
        receipts.push(journal.audit.append({ actor, kind: 'test.entry', payload: { i }, time: T0 + i }));
      };
      for (let round = 0; round < 12; round++) {
        // Both journals stage in the same turn: whichever commits second finds the head moved.
        append(a, 'server', round * 10);
        append(b, 'admin', round * 10 + 1);
        append(b, 'admin', round * 10 + 2);
        if (round % 3 === 0) append(a, 'server', round * 10 + 3);
        await Promise.all(receipts);
      }
      // A change from the second writer and appends from the first, in one turn, also interleave.
      const change = b.commitChange({ deployments: [deployment('alpha')], audit: [{ actor: 'admin', kind: 'deployment.created', payload: { name: 'alpha' } }] });
      append(a, 'server', 999);
      await change;
      expected.push('admin deployment');
      await Promise.all([a.flush(), b.flush()]);

      const collisions = counted[0]!.concurrent() + counted[1]!.concurrent();
      expect(collisions, 'the writers really collided (and recovered)').toBeGreaterThanOrEqual(12);
      expect(a.failure).toBeUndefined();
      expect(b.failure).toBeUndefined();
      const entries = await stores[0]!.readAudit({ afterSeq: 0, limit: 1000 });
      expect(await verifyAuditLog(stores[0]!), 'one intact chain, checkpoint at its head').toEqual({ ok: true, count: expected.length, headSeq: expected.length, headHash: entries[entries.length - 1]!.hash });
      const stored = entries.map((e) => (e.kind === 'deployment.created' ? `${e.actor} deployment` : `${e.actor} ${(JSON.parse(e.payload) as { i: number }).i}`));
      expect([...stored].sort(), 'every entry of both writers, each once').toEqual([...expected].sort());
      const bySeq = new Map(entries.map((e) => [e.seq, e.hash]));
      for (const receipt of await Promise.all(receipts)) expect(bySeq.get(receipt.seq), 'each receipt names its stored entry').toBe(receipt.hash);
      expect(await stores[1]!.getDeployment('alpha')).toEqual(deployment('alpha'));
    });
  });
}
