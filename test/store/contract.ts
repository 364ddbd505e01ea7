// The Store contract: every adapter (SQLite, PostgreSQL) passes these same tests.
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS, SCHEMA_VERSION } from '../../src/adapters/store/index.ts';
import { MIGRATIONS_TABLE } from '../../src/adapters/store/schema.ts';
import { openJournal, openStore } from '../../src/app/store/index.ts';
import { AuditBreak, entryHash, Journal, verifyAuditLog } from '../../src/audit/index.ts';
import { SimulatedClock } from '../../src/common/clock.ts';
import { type BarRecord, type FillRecord, type OrderEventInput, RunKind, RunStatus, type Store, type StoreDialect, StoreErrorCode } from '../../src/common/store.ts';
import { serviceContract } from './service-contract.ts';

export interface StoreHarness {
  readonly name: string;
  readonly dialect: StoreDialect;
  /** A target (path or URL) naming a fresh, empty database. */
  freshTarget(): Promise<string>;
  /** SQL run directly with `?` placeholders, as someone with database access (no traider code). */
  exec(target: string, sql: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  /** Removes the audit tables' protections, as an attacker with owner rights could. */
  dropAuditTriggers(target: string): Promise<void>;
}

const T0 = 1_700_000_000_000;

export function fill(runId: string, i: number, overrides: Partial<FillRecord> = {}): FillRecord {
  return {
    runId,
    time: T0 + i * 60_000,
    fillId: `F-${i}`,
    orderId: `O-${i}`,
    symbol: 'BTC/USDT',
    side: i % 2 === 0 ? 'BUY' : 'SELL',
    price: 42_000.5 + i,
    quantity: 0.00123,
    notional: 5_166_061_500n + BigInt(i),
    fee: 5_166_062n,
    tax: 0n,
    liquidity: 'TAKER',
    referencePrice: 42_000,
    impactBps: 0.37,
    slippageBps: 1.234567,
    reducedForCash: i === 3,
    ...overrides,
  };
}

export function bar(runId: string, i: number, overrides: Partial<BarRecord> = {}): BarRecord {
  const open = 42_000.5 + i;
  return {
    runId,
    symbol: 'BTC/USDT',
    openTime: T0 + i * 3_600_000,
    closeTime: T0 + (i + 1) * 3_600_000,
    open,
    high: open + 12.25,
    low: open - 7.125,
    close: open + 0.1 * i,
    volume: 1234.56789 + i,
    adjustmentFactor: null,
    preClose: null,
    ...overrides,
  };
}

export function orderEvent(runId: string, orderId: string, time: number, kind: OrderEventInput['kind'], status: OrderEventInput['status'], filledQuantity = 0): OrderEventInput {
  return {
    runId,
    time,
    orderId,
    kind,
    status,
    filledQuantity,
    fillId: null,
    reason: null,
    detail: null,
    symbol: 'BTC/USDT',
    side: 'BUY',
    type: 'LIMIT',
    quantity: 0.5,
    price: 41_000,
    stopPrice: null,
    timeInForce: 'GTC',
    tag: 'entry',
  };
}

function expectStoreError(code: string) {
  return expect.objectContaining({ name: 'StoreError', code });
}

export function storeContract(harness: StoreHarness): void {
  describe(`${harness.name} store contract`, () => {
    const open: Array<{ close(): Promise<void> }> = [];
    const clock = new SimulatedClock(T0);

    afterEach(async () => {
      for (const item of open.splice(0)) await item.close().catch(() => {});
    });

    async function fresh(): Promise<{ target: string; store: Store; journal: Journal }> {
      const target = await harness.freshTarget();
      const opened = await openJournal(target, { clock });
      open.push(opened);
      return { target, store: opened.store, journal: opened.journal };
    }

    async function reopen(target: string, create = false): Promise<Store> {
      const store = await openStore(target, { create, clock });
      open.push(store);
      return store;
    }

    async function auditEntries(journal: Journal, n: number, actor = 'tester'): Promise<void> {
      await Promise.all(Array.from({ length: n }, (_, i) => journal.audit.append({ actor, kind: 'test.entry', payload: { i, price: 100 + i / 8, note: `entry ${i}` }, time: T0 + i })));
    }

    describe('schema and migrations', () => {
      it('creates the schema at the current version and records the migration once, however often it is opened', async () => {
        const { target, store } = await fresh();
        expect(store.schemaVersion, 'a new database is migrated to the newest version').toBe(SCHEMA_VERSION);
        await (await reopen(target)).close();
        const rows = await harness.exec(target, 'SELECT version FROM schema_migrations ORDER BY version');
        expect(rows.map((r) => Number(r.version)), 'each migration is applied exactly once').toEqual(MIGRATIONS.map((m) => m.version));
      });

      it('refuses a database marked with a newer schema version, with a clear error, and writes nothing', async () => {
        const { target, store } = await fresh();
        await store.close();
        await harness.exec(target, 'INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [SCHEMA_VERSION + 1, 'from the future', T0]);
        const before = await harness.exec(target, 'SELECT count(*) AS n FROM runs');
        const error = await openStore(target, { clock }).catch((e: unknown) => e);
        expect(error, 'a newer schema is refused, not guessed at').toEqual(expectStoreError(StoreErrorCode.NewerSchema));
        expect((error as Error).message).toMatch(new RegExp(`schema version ${SCHEMA_VERSION + 1} is newer .*upgrade traider`));
        const versions = await harness.exec(target, 'SELECT version FROM schema_migrations ORDER BY version');
        expect(versions.map((r) => Number(r.version)), 'no migration row was added').toEqual([...MIGRATIONS.map((m) => m.version), SCHEMA_VERSION + 1]);
        expect(await harness.exec(target, 'SELECT count(*) AS n FROM runs')).toEqual(before);
      });

      it('migrates a version 1 database on open: its runs stay, and the bars table is there to append to', async () => {
        const target = await harness.freshTarget();
        // A database as the version 1 build left it: only migration 1 applied, one run journaled.
        await harness.exec(target, MIGRATIONS_TABLE(harness.dialect));
        for (const statement of MIGRATIONS[0]!.statements(harness.dialect)) await harness.exec(target, statement);
        await harness.exec(target, 'INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [1, MIGRATIONS[0]!.name, T0]);
        await harness.exec(
          target,
          "INSERT INTO runs (id, kind, status, strategy, symbols, actor, parameters, data_hashes, started_at) VALUES ('old-run', 'PAPER', 'RUNNING', 's', '[\"BTC/USDT\"]', 'alice', '{}', '{}', ?)",
          [T0],
        );
        await harness.exec(target, 'INSERT INTO equity (run_id, time, equity, cash) VALUES (?, ?, ?, ?)', ['old-run', T0, 10_000, 10_000]);

        const opened = await openJournal(target, { clock });
        open.push(opened);
        expect(opened.store.schemaVersion).toBe(SCHEMA_VERSION);
        const versions = await harness.exec(target, 'SELECT version FROM schema_migrations ORDER BY version');
        expect(versions.map((r) => Number(r.version)), 'the missing migrations were applied, once each').toEqual(MIGRATIONS.map((m) => m.version));
        expect(await opened.store.getRun('old-run'), 'rows of version 1 are kept').toMatchObject({ id: 'old-run', status: RunStatus.Running, actor: 'alice' });
        const bars = [bar('old-run', 0), bar('old-run', 1)];
        await opened.journal.appendBars(bars);
        const journal = await opened.store.readRunJournal('old-run');
        expect(journal.equity).toEqual([{ runId: 'old-run', time: T0, equity: 10_000, cash: 10_000 }]);
        expect(journal.bars, 'the new bars table takes bars of a run started before the upgrade').toEqual(bars);
      });

      it('does not create a schema for a reader pointed at an empty database', async () => {
        const target = await harness.freshTarget();
        await expect(openStore(target, { create: false, clock }), 'readers never create a database').rejects.toEqual(expectStoreError(StoreErrorCode.NotFound));
      });
    });

    describe('runs', () => {
      it('stores a run with its parameters and data hashes and reads it back, finished with its summary', async () => {
        const { store, journal } = await fresh();
        const parameters = { strategy: { fast: 10, slow: 30 }, config: { fill: { model: 'realistic' } }, argv: ['backtest', '--data', 'x.csv'] };
        const id = await journal.createRun({
          kind: RunKind.Backtest,
          strategy: 'sma-cross',
          symbols: ['BTC/USDT', 'ETH/USDT'],
          market: 'crypto',
          timeframe: '1h',
          mode: 'BACKTEST',
          actor: 'alice',
          parameters,
          dataHashes: { 'BTCUSDT-1h.csv': 'ab'.repeat(32) },
          startedAt: T0,
        });
        const running = await store.getRun(id);
        expect(running, 'a run is visible as RUNNING once createRun resolves').toMatchObject({ id, status: RunStatus.Running, finishedAt: null, summary: null, parameters, actor: 'alice' });
        await journal.finishRun(id, { summary: { totalReturn: 0.125, trades: 3, sharpe: null }, finishedAt: T0 + 5_000 });
        expect(await store.getRun(id)).toEqual({
          id,
          kind: RunKind.Backtest,
          status: RunStatus.Finished,
          strategy: 'sma-cross',
          symbols: ['BTC/USDT', 'ETH/USDT'],
          market: 'crypto',
          timeframe: '1h',
          mode: 'BACKTEST',
          actor: 'alice',
          parameters,
          dataHashes: { 'BTCUSDT-1h.csv': 'ab'.repeat(32) },
          startedAt: T0,
          finishedAt: T0 + 5_000,
          summary: { totalReturn: 0.125, trades: 3, sharpe: null },
          error: null,
        });
      });

      it('lists runs newest first, filters by kind, limits, and finds a run by a prefix of its id', async () => {
        const { store, journal } = await fresh();
        const ids: string[] = [];
        for (let i = 0; i < 4; i++) {
          ids.push(await journal.createRun({ id: `run-${i}-${'x'.repeat(i)}`, kind: i === 2 ? RunKind.Paper : RunKind.Backtest, strategy: 's', symbols: ['A/B'], startedAt: T0 + i }));
        }
        expect((await store.listRuns()).map((r) => r.id), 'newest first').toEqual([...ids].reverse());
        expect((await store.listRuns({ limit: 2 })).map((r) => r.id)).toEqual([ids[3], ids[2]]);
        expect((await store.listRuns({ kind: RunKind.Paper })).map((r) => r.id)).toEqual([ids[2]]);
        expect((await store.findRuns('run-3')).map((r) => r.id)).toEqual([ids[3]]);
        expect((await store.findRuns('run-')).length).toBe(4);
        expect(await store.findRuns('run-%'), 'LIKE wildcards in a prefix are literal').toEqual([]);
        expect(await store.getRun('nope')).toBeUndefined();
      });

      it('records a failed run with its error', async () => {
        const { store, journal } = await fresh();
        const id = await journal.createRun({ kind: RunKind.Live, strategy: 's', symbols: ['A/B'] });
        await journal.finishRun(id, { status: RunStatus.Failed, error: 'exchange unreachable' });
        expect(await store.getRun(id)).toMatchObject({ status: RunStatus.Failed, error: 'exchange unreachable', summary: null });
      });
    });

    describe('journal', () => {
      it('keeps every order event and derives each order\'s latest state, across and within batches', async () => {
        const { store, journal } = await fresh();
        const runId = await journal.createRun({ kind: RunKind.Backtest, strategy: 's', symbols: ['BTC/USDT'] });
        await journal.appendOrderEvents([
          orderEvent(runId, 'O-1', T0, 'SUBMITTED', 'SUBMITTED'),
          orderEvent(runId, 'O-1', T0 + 1, 'ACCEPTED', 'ACCEPTED'),
          orderEvent(runId, 'O-2', T0 + 2, 'SUBMITTED', 'SUBMITTED'),
        ]);
        await journal.appendOrderEvents([
          { ...orderEvent(runId, 'O-1', T0 + 3, 'PARTIALLY_FILLED', 'PARTIALLY_FILLED', 0.2), fillId: 'F-1' },
          { ...orderEvent(runId, 'O-1', T0 + 4, 'FILLED', 'FILLED', 0.5), fillId: 'F-2' },
          { ...orderEvent(runId, 'O-2', T0 + 5, 'DENIED', 'DENIED'), reason: 'MAX_NOTIONAL', detail: 'notional 9000 above 5000' },
        ]);
        const { orders, orderEvents } = await store.readRunJournal(runId);
        expect(orderEvents.map((e) => `${e.orderId}:${e.kind}`), 'every event, in the order written').toEqual([
          'O-1:SUBMITTED',
          'O-1:ACCEPTED',
          'O-2:SUBMITTED',
          'O-1:PARTIALLY_FILLED',
          'O-1:FILLED',
          'O-2:DENIED',
        ]);
        expect(orderEvents[5]).toEqual({ runId, time: T0 + 5, orderId: 'O-2', kind: 'DENIED', status: 'DENIED', filledQuantity: 0, fillId: null, reason: 'MAX_NOTIONAL', detail: 'notional 9000 above 5000' });
        expect(orders).toEqual([
          { runId, orderId: 'O-1', symbol: 'BTC/USDT', side: 'BUY', type: 'LIMIT', quantity: 0.5, price: 41_000, stopPrice: null, timeInForce: 'GTC', tag: 'entry', status: 'FILLED', filledQuantity: 0.5, createdAt: T0, updatedAt: T0 + 4 },
          { runId, orderId: 'O-2', symbol: 'BTC/USDT', side: 'BUY', type: 'LIMIT', quantity: 0.5, price: 41_000, stopPrice: null, timeInForce: 'GTC', tag: 'entry', status: 'DENIED', filledQuantity: 0, createdAt: T0 + 2, updatedAt: T0 + 5 },
        ]);
      });

      it('stores fills, positions, balances, equity, denials, breaker and mode changes exactly as given', async () => {
        const { store, journal } = await fresh();
        const runId = await journal.createRun({ kind: RunKind.Paper, strategy: 's', symbols: ['BTC/USDT'] });
        const other = await journal.createRun({ kind: RunKind.Paper, strategy: 's', symbols: ['BTC/USDT'] });
        const fills = [fill(runId, 1), fill(runId, 2, { notional: 9_000_000_000_000_000_001n, fee: -1n }), fill(runId, 3, { feeQuantity: 0.00000123 }), fill(other, 4)];
        const positions = [{ runId, time: T0, symbol: 'BTC/USDT', quantity: 0.00123, averagePrice: 42_000.5, cost: 5_166_061_500n, realizedPnl: -123n }, { runId, time: T0 + 1, symbol: 'BTC/USDT', quantity: 0, averagePrice: null, cost: 0n, realizedPnl: 77n }];
        const balances = [{ runId, time: T0, currency: 'USDT', total: 1_000_000_000_000n, free: 999_000_000_000n }];
        const equity = [{ runId, time: T0, equity: 10_000, cash: 10_000 }, { runId, time: T0 + 60_000, equity: 10_000.123456789, cash: 5_000.5 }];
        const denials = [{ runId, time: T0, orderId: 'O-9', symbol: 'BTC/USDT', reason: 'FAT_FINGER', detail: 'limit 10% from last', value: 0.1, limit: 0.05 }, { runId, time: T0 + 1, orderId: null, symbol: null, reason: 'RATE_LIMIT', detail: '', value: null, limit: null }];
        const breakerEvents = [{ runId, time: T0, level: 'HALT_NEW_POSITIONS', previousLevel: 'NORMAL', cause: 'DAILY_LOSS', value: 0.031, threshold: 0.03, actor: null, detail: null }];
        const modeChanges = [{ runId, time: T0, fromMode: 'PAPER', toMode: 'LIVE_MINIMAL', actor: 'alice', reason: 'validated 7 days' }];
        await Promise.all([
          journal.appendFills(fills),
          journal.appendPositions(positions),
          journal.appendBalances(balances),
          journal.appendEquity(equity),
          journal.appendDenials(denials),
          journal.appendBreakerEvents(breakerEvents),
          journal.appendModeChanges(modeChanges),
        ]);
        const read = await store.readRunJournal(runId);
        expect(read.fills, 'ledger units come back exact, as bigints; booleans as booleans').toEqual(fills.slice(0, 3));
        expect(read.fills.map((f) => f.feeQuantity), 'a fee paid in the base asset comes back; none is no field').toEqual([undefined, undefined, 0.00000123]);
        expect(read.positions).toEqual(positions);
        expect(read.balances).toEqual(balances);
        expect(read.equity).toEqual(equity);
        expect(read.denials).toEqual(denials);
        expect(read.breakerEvents).toEqual(breakerEvents);
        expect(read.modeChanges).toEqual(modeChanges);
        expect((await store.readRunJournal(other)).fills, 'each run reads only its own rows').toEqual([fills[3]]);
      });

      it('stores the bars a run acts on in the order written, nulls kept, journaled only (no audit entries)', async () => {
        const { store, journal } = await fresh();
        const runId = await journal.createRun({ kind: RunKind.Paper, strategy: 's', symbols: ['BTC/USDT', 'ETH/USDT'] });
        const other = await journal.createRun({ kind: RunKind.Paper, strategy: 's', symbols: ['BTC/USDT'] });
        const first = [
          bar(runId, 5),
          bar(runId, 5, { symbol: 'ETH/USDT', open: 2_200.25, high: 2_210, low: 2_190.5, close: 2_205.125, volume: 0 }),
          bar(runId, 6, { adjustmentFactor: 0.987654321, preClose: 41_999.75 }),
        ];
        // Written later but earlier in market time: reads follow the order written, not openTime.
        const second = [bar(runId, 2, { adjustmentFactor: 1, preClose: null }), bar(runId, 3, { adjustmentFactor: null, preClose: 42_001.5 })];
        await Promise.all([journal.appendBars(first), journal.appendBars([bar(other, 5)])]);
        await journal.appendBars(second);
        const read = await store.readRunJournal(runId);
        expect(read.bars, 'every bar back exactly, in the order written, with null factor and preClose kept null').toEqual([...first, ...second]);
        expect(read.bars[0]!.adjustmentFactor).toBeNull();
        expect(read.bars[0]!.preClose).toBeNull();
        expect((await store.readRunJournal(other)).bars, 'each run reads only its own bars').toEqual([bar(other, 5)]);
        const audit = await store.readAudit({ afterSeq: 0, limit: 100 });
        expect(audit.map((e) => e.kind), 'bars are journaled, not audited').toEqual(['run.started', 'run.started']);
      });

      it('reads the last rows of one part of a run, in the order written, and only that run', async () => {
        const { store, journal } = await fresh();
        const runId = await journal.createRun({ kind: RunKind.Paper, strategy: 's', symbols: ['BTC/USDT'] });
        const other = await journal.createRun({ kind: RunKind.Paper, strategy: 's', symbols: ['BTC/USDT'] });
        // Written in two batches, the other run's rows between them, and later bars earlier in market time.
        const bars = [bar(runId, 7), bar(runId, 8), bar(runId, 9), bar(runId, 3), bar(runId, 4)];
        await journal.appendBars(bars.slice(0, 3));
        await journal.appendBars([bar(other, 10), bar(other, 11)]);
        await journal.appendBars(bars.slice(3));
        expect(await store.readRunTail(runId, 'bars', 3), 'the last three written, oldest first').toEqual([bar(runId, 9), bar(runId, 3), bar(runId, 4)]);
        expect(await store.readRunTail(runId, 'bars', 1)).toEqual([bar(runId, 4)]);
        expect(await store.readRunTail(runId, 'bars', 50), 'fewer rows than asked: all of them').toEqual(bars);
        expect(await store.readRunTail(runId, 'bars', 0)).toEqual([]);
        expect(await store.readRunTail(other, 'bars', 5)).toEqual([bar(other, 10), bar(other, 11)]);
        expect(await store.readRunTail(runId, 'fills', 5), 'a part with no rows').toEqual([]);
        const equity = [1, 2, 3].map((i) => ({ runId, time: T0 + i, equity: 10_000 + i, cash: 9_000 }));
        await journal.appendEquity(equity);
        expect(await store.readRunTail(runId, 'equity', 1)).toEqual([equity[2]]);
        await expect(store.readRunTail(runId, 'bars', -1)).rejects.toThrow(/limit must be a whole number of rows, 0 or more \(got -1\)/);
        await expect(store.readRunTail(runId, 'bars', 2.5)).rejects.toThrow(/got 2\.5/);
      });

      it('reads only the parts of a journal asked for, the others empty', async () => {
        const { store, journal } = await fresh();
        const runId = await journal.createRun({ kind: RunKind.Paper, strategy: 's', symbols: ['BTC/USDT'] });
        const fills = [fill(runId, 1), fill(runId, 2)];
        const bars = [bar(runId, 1), bar(runId, 2)];
        const equity = [{ runId, time: T0, equity: 10_000, cash: 10_000 }];
        await Promise.all([journal.appendFills(fills), journal.appendBars(bars), journal.appendEquity(equity)]);
        const whole = await store.readRunJournal(runId);
        expect([whole.fills.length, whole.bars.length, whole.equity.length]).toEqual([2, 2, 1]);
        const some = await store.readRunJournal(runId, ['fills', 'equity']);
        expect(some.fills).toEqual(whole.fills);
        expect(some.equity).toEqual(whole.equity);
        expect(some.bars, 'a part not asked for is not read').toEqual([]);
        expect(Object.keys(some).sort(), 'every part is there, empty or not').toEqual(Object.keys(whole).sort());
        expect((await store.readRunJournal(runId, [])).fills).toEqual([]);
      });

      it('refuses a second bar of the same run, symbol and open time as INVALID_RECORD, writing nothing of its batch', async () => {
        const { store, journal } = await fresh();
        const runId = await journal.createRun({ kind: RunKind.Paper, strategy: 's', symbols: ['BTC/USDT', 'ETH/USDT'] });
        const other = await journal.createRun({ kind: RunKind.Paper, strategy: 's', symbols: ['BTC/USDT'] });
        await journal.appendBars([bar(runId, 1)]);
        const duplicate = store.write({ time: T0, bars: [bar(runId, 2), bar(runId, 1, { close: 1 })] });
        await expect(duplicate, 'a bar already journaled').rejects.toEqual(expectStoreError(StoreErrorCode.InvalidRecord));
        await expect(duplicate).rejects.toThrow(/bars/);
        await expect(store.write({ time: T0, bars: [bar(runId, 3), bar(runId, 3, { close: 1 })] }), 'a duplicate within one batch').rejects.toEqual(expectStoreError(StoreErrorCode.InvalidRecord));
        expect((await store.readRunJournal(runId)).bars, 'nothing of the refused batches was written').toEqual([bar(runId, 1)]);
        // The same open time is fine for another symbol or another run.
        await store.write({ time: T0, bars: [bar(runId, 1, { symbol: 'ETH/USDT' }), bar(other, 1)] });
        expect((await store.readRunJournal(runId)).bars.map((b) => b.symbol)).toEqual(['BTC/USDT', 'ETH/USDT']);
        expect((await store.readRunJournal(other)).bars).toEqual([bar(other, 1)]);
      });

      it('refuses a bar with a non-finite price, a non-integer time or a missing null, naming the field', async () => {
        const { store, journal } = await fresh();
        const runId = await journal.createRun({ kind: RunKind.Paper, strategy: 's', symbols: ['BTC/USDT'] });
        const refused = (promise: Promise<unknown>, field: RegExp) =>
          expect(promise).rejects.toMatchObject({ name: 'StoreError', code: StoreErrorCode.InvalidRecord, message: expect.stringMatching(field) });
        await refused(journal.appendBars([bar(runId, 1, { high: Number.POSITIVE_INFINITY })]), /^bars\[0\]\.high: expected a finite number/);
        await refused(journal.appendBars([bar(runId, 1), bar(runId, 2, { close: Number.NaN })]), /^bars\[1\]\.close: expected a finite number/);
        await refused(journal.appendBars([bar(runId, 1, { preClose: Number.NaN })]), /^bars\[0\]\.preClose: expected a finite number/);
        await refused(journal.appendBars([bar(runId, 1, { adjustmentFactor: undefined as unknown as null })]), /^bars\[0\]\.adjustmentFactor: expected a finite number/);
        await refused(journal.appendBars([bar(runId, 1, { openTime: T0 + 0.5 })]), /^bars\[0\]\.openTime: expected integer UTC milliseconds/);
        await refused(journal.appendBars([bar(runId, 1, { symbol: '' })]), /^bars\[0\]\.symbol: expected a non-empty string/);
        await refused(store.write({ time: T0, bars: [bar(runId, 1, { volume: Number.NEGATIVE_INFINITY })] }), /^bars\[0\]\.volume: expected a finite number/);
        await journal.appendBars([bar(runId, 1)]);
        expect((await store.readRunJournal(runId)).bars, 'refused bars do not stop the journal, and none of them was written').toEqual([bar(runId, 1)]);
      });

      it('writes a batch all or nothing: a record for an unknown run rejects the whole batch', async () => {
        const { store } = await fresh();
        const batch = {
          time: T0,
          runs: [{ id: 'r1', kind: RunKind.Backtest, strategy: 's', symbols: ['A/B'], market: null, timeframe: null, mode: null, actor: 'x', parameters: {}, dataHashes: {}, startedAt: T0 }],
          fills: [fill('r1', 1), fill('no-such-run', 2)],
        };
        await expect(store.write(batch)).rejects.toEqual(expectStoreError(StoreErrorCode.InvalidRecord));
        expect(await store.getRun('r1'), 'the run of the failed batch was rolled back').toBeUndefined();
      });

      it('refuses values a column cannot hold exactly, before anything is written', async () => {
        const { store, journal } = await fresh();
        const runId = await journal.createRun({ kind: RunKind.Backtest, strategy: 's', symbols: ['A/B'] });
        await expect(journal.appendEquity([{ runId, time: T0, equity: Number.NaN, cash: 1 }]), 'NaN equity is refused at append').rejects.toEqual(expectStoreError(StoreErrorCode.InvalidRecord));
        await expect(store.write({ time: T0, fills: [fill(runId, 1, { fee: 2n ** 63n })] }), 'ledger units beyond 64 bits are refused by the store').rejects.toEqual(expectStoreError(StoreErrorCode.InvalidRecord));
        await expect(store.write({ time: T0, equity: [{ runId, time: T0 + 0.5, equity: 1, cash: 1 }] }), 'times are integer ms').rejects.toEqual(expectStoreError(StoreErrorCode.InvalidRecord));
        await journal.appendEquity([{ runId, time: T0, equity: 1, cash: 1 }]);
        expect((await store.readRunJournal(runId)).equity, 'a refused record does not stop the journal').toHaveLength(1);
      });
    });

    describe('audit log', () => {
      it('appends with contiguous seqs, acknowledges each only once durable, and verifies', async () => {
        const { target, store, journal } = await fresh();
        const receipts = await Promise.all(Array.from({ length: 250 }, (_, i) => journal.audit.append({ actor: 'alice', kind: 'test', payload: { i } })));
        expect(receipts.map((r) => r.seq), 'seqs in call order from 1').toEqual(Array.from({ length: 250 }, (_, i) => i + 1));
        // Another connection sees every acknowledged entry.
        const reader = await reopen(target);
        const { last, checkpoint } = await reader.auditHead();
        expect(last?.seq).toBe(250);
        expect(checkpoint, 'the checkpoint holds the count and head of the last commit').toMatchObject({ count: 250, headSeq: 250, headHash: receipts[249]!.hash });
        expect(await verifyAuditLog(reader)).toEqual({ ok: true, count: 250, headSeq: 250, headHash: receipts[249]!.hash });
        expect(await verifyAuditLog(store, { pageSize: 7 }), 'paging does not change the verdict').toMatchObject({ ok: true, count: 250 });
      });

      it('stores payloads as canonical JSON text and returns entries by seq and time range', async () => {
        const { store, journal } = await fresh();
        await journal.audit.append({ actor: 'bob', kind: 'mode.changed', payload: { z: 1, a: { y: [1, 'two', null], b: true } }, time: T0 });
        await auditEntries(journal, 9);
        const [first] = await store.readAudit({ afterSeq: 0, limit: 1 });
        expect(first).toMatchObject({ seq: 1, time: T0, actor: 'bob', kind: 'mode.changed', payload: '{"a":{"b":true,"y":[1,"two",null]},"z":1}', prevHash: '0'.repeat(64) });
        expect((await store.readAudit({ afterSeq: 3, limit: 3 })).map((e) => e.seq)).toEqual([4, 5, 6]);
        expect((await store.readAudit({ afterSeq: 0, limit: 100, toSeq: 2 })).map((e) => e.seq)).toEqual([1, 2]);
        expect((await store.readAudit({ afterSeq: 0, limit: 100, fromTime: T0 + 3, toTime: T0 + 6 })).map((e) => e.time)).toEqual([T0 + 3, T0 + 4, T0 + 5]);
        expect(await store.findAuditByHash(first!.hash)).toEqual(first);
      });

      it('audits run starts and ends, order events, fills, denials, breaker and mode changes with their actors', async () => {
        const { store, journal } = await fresh();
        const runId = await journal.createRun({ kind: RunKind.Live, strategy: 'sma-cross', symbols: ['BTC/USDT'], actor: 'strategy:sma-cross' });
        await journal.appendOrderEvents([orderEvent(runId, 'O-1', T0, 'SUBMITTED', 'SUBMITTED')]);
        await journal.appendFills([fill(runId, 1)]);
        await journal.appendEquity([{ runId, time: T0, equity: 1, cash: 1 }]);
        await journal.appendDenials([{ runId, time: T0, orderId: null, symbol: null, reason: 'DAILY_LOSS', detail: 'x', value: null, limit: null }]);
        await journal.appendBreakerEvents([{ runId, time: T0, level: 'EMERGENCY_CLOSE', previousLevel: 'NORMAL', cause: 'MANUAL', value: 0, threshold: 0, actor: 'carol', detail: null }]);
        await journal.appendModeChanges([{ runId, time: T0, fromMode: 'LIVE_MINIMAL', toMode: 'EMERGENCY_STOP', actor: 'carol', reason: 'kill switch' }]);
        await journal.finishRun(runId);
        const entries = await store.readAudit({ afterSeq: 0, limit: 100 });
        expect(entries.map((e) => `${e.actor} ${e.kind}`), 'equity snapshots are journaled, not audited').toEqual([
          'strategy:sma-cross run.started',
          'strategy:sma-cross order.submitted',
          'strategy:sma-cross fill',
          'risk-engine risk.denied',
          'carol breaker.changed',
          'carol mode.changed',
          'strategy:sma-cross run.finished',
        ]);
        expect(JSON.parse(entries[2]!.payload), 'money in audit payloads as exact decimal strings').toMatchObject({ fillId: 'F-1', notional: '51.66061501', fee: '0.05166062', tax: '0' });
        expect(await verifyAuditLog(store)).toMatchObject({ ok: true, count: 7 });
      });

      it('continues the chain after a restart', async () => {
        const { target, journal } = await fresh();
        await auditEntries(journal, 5);
        const second = await openJournal(target, { clock });
        open.push(second);
        expect(second.journal.audit.head.seq, 'the head is loaded from the store').toBe(5);
        const receipt = await second.journal.audit.append({ actor: 'x', kind: 'after.restart', payload: {} });
        expect(receipt.seq).toBe(6);
        expect(await verifyAuditLog(second.store)).toMatchObject({ ok: true, count: 6 });
      });

      it('lets a second writer that did not see the first writer\'s entries continue after them, without forking the chain', async () => {
        const { target, store, journal } = await fresh();
        const second = await openJournal(target, { clock });
        open.push(second);
        await auditEntries(journal, 3);
        expect(second.journal.audit.head.seq, 'its head is stale: it opened before the three entries').toBe(0);
        const receipt = await second.journal.audit.append({ actor: 'y', kind: 'stale', payload: {} });
        expect(receipt.seq, 'chained again on the stored head instead of taking seq 1').toBe(4);
        expect(second.journal.failure, 'the journal goes on').toBeUndefined();
        expect(await verifyAuditLog(store)).toMatchObject({ ok: true, count: 4, headHash: receipt.hash });
        expect((await journal.audit.append({ actor: 'x', kind: 'first.again', payload: {} })).seq, 'and so does the first writer').toBe(5);
        expect(await verifyAuditLog(store)).toMatchObject({ ok: true, count: 5 });
      });

      it('refuses UPDATE and DELETE on the audit log and moving the checkpoint back, in the database itself', async () => {
        const { target, journal } = await fresh();
        await auditEntries(journal, 3);
        await expect(harness.exec(target, "UPDATE audit_log SET payload = '{}' WHERE seq = 2"), 'UPDATE is refused').rejects.toThrow(/append-only/);
        await expect(harness.exec(target, 'DELETE FROM audit_log WHERE seq = 3'), 'DELETE is refused').rejects.toThrow(/append-only/);
        await expect(harness.exec(target, 'DELETE FROM audit_log'), 'deleting everything is refused').rejects.toThrow(/append-only/);
        await expect(harness.exec(target, 'UPDATE audit_checkpoint SET entry_count = 1, head_seq = 1'), 'the checkpoint only moves forward').rejects.toThrow(/only moves forward/);
        await expect(harness.exec(target, 'DELETE FROM audit_checkpoint')).rejects.toThrow(/refused/);
        expect(Number((await harness.exec(target, 'SELECT count(*) AS n FROM audit_log'))[0]!.n), 'all three entries are still there').toBe(3);
      });
    });

    describe('tamper detection (with the triggers removed)', () => {
      async function tampered(n = 30): Promise<{ target: string; store: Store }> {
        const { target, store, journal } = await fresh();
        await auditEntries(journal, n);
        await harness.dropAuditTriggers(target);
        return { target, store };
      }

      it('detects a changed digit in a payload', async () => {
        const { target, store } = await tampered();
        const [row] = await harness.exec(target, 'SELECT payload FROM audit_log WHERE seq = 15');
        const payload = String(row!.payload);
        const i = payload.search(/[0-9]/);
        await harness.exec(target, 'UPDATE audit_log SET payload = ? WHERE seq = 15', [payload.slice(0, i) + (payload[i] === '1' ? '2' : '1') + payload.slice(i + 1)]);
        expect(await verifyAuditLog(store)).toMatchObject({ ok: false, seq: 15, reason: AuditBreak.Changed, checked: 14 });
      });

      it('detects a changed actor, kind or time', async () => {
        const { target, store } = await tampered();
        await harness.exec(target, "UPDATE audit_log SET actor = 'mallory' WHERE seq = 7");
        expect(await verifyAuditLog(store)).toMatchObject({ ok: false, seq: 7, reason: AuditBreak.Changed });
      });

      it('detects a deleted row in the middle', async () => {
        const { target, store } = await tampered();
        await harness.exec(target, 'DELETE FROM audit_log WHERE seq = 15');
        expect(await verifyAuditLog(store)).toMatchObject({ ok: false, seq: 15, reason: AuditBreak.Missing });
      });

      it('detects the contents of two rows swapped', async () => {
        const { target, store } = await tampered();
        const [a] = await harness.exec(target, 'SELECT time, actor, kind, payload, prev_hash, hash FROM audit_log WHERE seq = 10');
        const [b] = await harness.exec(target, 'SELECT time, actor, kind, payload, prev_hash, hash FROM audit_log WHERE seq = 20');
        const set = 'UPDATE audit_log SET time = ?, actor = ?, kind = ?, payload = ?, prev_hash = ?, hash = ? WHERE seq = ?';
        await harness.exec(target, set, [b!.time, b!.actor, b!.kind, b!.payload, b!.prev_hash, b!.hash, 10]);
        await harness.exec(target, set, [a!.time, a!.actor, a!.kind, a!.payload, a!.prev_hash, a!.hash, 20]);
        expect(await verifyAuditLog(store)).toMatchObject({ ok: false, seq: 10, reason: AuditBreak.Reordered, detail: expect.stringContaining('belongs at seq 20') });
      });

      it('detects two neighbours renumbered into each other\'s place', async () => {
        const { target, store } = await tampered();
        await harness.exec(target, 'UPDATE audit_log SET seq = -1 WHERE seq = 12');
        await harness.exec(target, 'UPDATE audit_log SET seq = 12 WHERE seq = 13');
        await harness.exec(target, 'UPDATE audit_log SET seq = 13 WHERE seq = -1');
        expect(await verifyAuditLog(store)).toMatchObject({ ok: false, seq: 12, reason: AuditBreak.Reordered, detail: expect.stringContaining('belongs at seq 13') });
      });

      it('detects the last 10 rows deleted, against the checkpoint', async () => {
        const { target, store } = await tampered();
        await harness.exec(target, 'DELETE FROM audit_log WHERE seq > 20');
        expect(await verifyAuditLog(store)).toMatchObject({ ok: false, seq: 21, reason: AuditBreak.Truncated, checked: 20 });
      });

      it('detects an entry rewritten with a recomputed hash through the next entry\'s link', async () => {
        const { target, store } = await tampered();
        const [entry] = await store.readAudit({ afterSeq: 8, limit: 1 });
        const forged = { ...entry!, payload: '{"i":8,"note":"entry 8","price":1000000}' };
        await harness.exec(target, 'UPDATE audit_log SET payload = ?, hash = ? WHERE seq = 9', [forged.payload, entryHash(forged, forged.prevHash)]);
        expect(await verifyAuditLog(store), 'seq 9 is self-consistent, but seq 10 still links to its old hash').toMatchObject({
          ok: false,
          seq: 9,
          reason: AuditBreak.Changed,
          detail: expect.stringContaining('recomputed hash'),
        });
      });

      it('detects a deleted checkpoint', async () => {
        const { target, store } = await tampered();
        await harness.exec(target, 'DELETE FROM audit_checkpoint');
        expect(await verifyAuditLog(store)).toMatchObject({ ok: false, reason: AuditBreak.Checkpoint });
      });

      it('keeps a truncation visible when writing continues: new entries continue from the checkpoint, leaving the gap', async () => {
        const { target, store } = await tampered();
        await harness.exec(target, 'DELETE FROM audit_log WHERE seq > 25');
        const next = await openJournal(target, { clock });
        open.push(next);
        expect((await next.journal.audit.append({ actor: 'x', kind: 'later', payload: {} })).seq).toBe(31);
        expect(await verifyAuditLog(store)).toMatchObject({ ok: false, seq: 26, reason: AuditBreak.Missing });
      });
    });

    serviceContract(harness);
  });
}
