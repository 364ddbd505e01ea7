// The SQLite store (better-sqlite3): one file, WAL, synchronous=FULL, every batch one IMMEDIATE transaction.
import { accessSync, constants, existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { type AuditCheckpoint, type AuditEntry, type AuditQuery, type Clock, type DeploymentRecord, emptyJournal, JOURNAL_PARTS, type JournalPart, type RunJournal, type RunQuery, type RunRecord, type Store, type StoreBatch, StoreDialect, StoreError, StoreErrorCode, type TokenRecord } from '../../common/index.ts';
import { MIGRATIONS, MIGRATIONS_TABLE, newerSchemaMessage, SCHEMA_VERSION } from './schema.ts';
import { APPEND_TABLES, checkBatch, checkContinues, deploymentConflict, deploymentInsertSql, deploymentUpdateSql, deploymentUpdateValues, deploymentVersionSql, orderUpserts, rowValues, runRow, type TableLayout, TABLES, tokenNameOwnerSql, tokenNameTaken, tailLimit, tokenUpsertSql, toParameter, toRecord } from './tables.ts';

export interface SqliteStoreOptions {
  /** Create the file (and its directory) and the schema when missing; readers pass false. */
  readonly create: boolean;
  /** Time recorded with each applied migration. */
  readonly clock: Clock;
}

type Sqlite = Database.Database;
type Statement = Database.Statement;

function sqliteCode(error: unknown): string {
  return (error as { code?: string }).code ?? '';
}

/** The nearest existing ancestor must be a writable directory; returns the first directory we would create. */
function prepareDirectory(path: string): string | undefined {
  let existing = dirname(path);
  let firstMissing: string | undefined;
  while (!existsSync(existing)) {
    firstMissing = existing;
    const parent = dirname(existing);
    if (parent === existing) break;
    existing = parent;
  }
  if (!statSync(existing).isDirectory()) throw new StoreError(StoreErrorCode.Unwritable, `cannot create ${path}: ${existing} is not a directory (nothing was written)`);
  try {
    accessSync(existing, constants.W_OK | constants.X_OK);
  } catch {
    throw new StoreError(StoreErrorCode.Unwritable, `cannot create ${path}: directory ${existing} is not writable (nothing was written)`);
  }
  if (firstMissing !== undefined) {
    try {
      mkdirSync(dirname(path), { recursive: true });
    } catch (error) {
      throw new StoreError(StoreErrorCode.Unwritable, `cannot create directory ${dirname(path)}: ${(error as Error).message} (nothing was written)`);
    }
  }
  return firstMissing;
}

function readVersion(db: Sqlite): number {
  const table = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get();
  if (!table) return 0;
  const row = db.prepare('SELECT max(version) AS version FROM schema_migrations').get() as { version: number | null };
  return row.version ?? 0;
}

/** Opens (creating when asked) a SQLite store and applies pending migrations; on failure nothing new is left behind. */
export async function openSqliteStore(path: string, options: SqliteStoreOptions): Promise<SqliteStore> {
  const memory = path === ':memory:';
  const file = memory ? path : resolve(path);
  const existed = memory || existsSync(file);
  if (!existed && !options.create) throw new StoreError(StoreErrorCode.NotFound, `no database at ${path}`);
  if (existed && !memory && statSync(file).isDirectory()) throw new StoreError(StoreErrorCode.Unwritable, `${path} is a directory, not a database file`);
  const createdDirectory = existed ? undefined : prepareDirectory(file);
  let db: Sqlite | undefined;
  const discard = (): void => {
    try {
      db?.close();
    } catch {
      // already closed
    }
    if (existed) return;
    for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${file}${suffix}`, { force: true });
    if (createdDirectory) rmSync(createdDirectory, { recursive: true, force: true });
  };
  try {
    try {
      db = new Database(file, { fileMustExist: existed && !memory });
    } catch (error) {
      throw new StoreError(StoreErrorCode.Unwritable, `cannot open ${path}: ${(error as Error).message} (nothing was written)`, { cause: error });
    }
    let version: number;
    try {
      version = readVersion(db);
    } catch (error) {
      if (sqliteCode(error) === 'SQLITE_NOTADB') throw new StoreError(StoreErrorCode.NotADatabase, `${path} is not a SQLite database (nothing was written)`, { cause: error });
      throw error;
    }
    if (version > SCHEMA_VERSION) throw new StoreError(StoreErrorCode.NewerSchema, newerSchemaMessage(path, version));
    if (version === 0 && !options.create) throw new StoreError(StoreErrorCode.NotFound, `${path} holds no traider data (no schema)`);
    try {
      db.pragma('busy_timeout = 5000');
      if (!memory) {
        const mode = db.pragma('journal_mode = WAL', { simple: true });
        if (mode !== 'wal') throw new StoreError(StoreErrorCode.Unwritable, `${path}: cannot switch to WAL (journal mode stays ${String(mode)})`);
      }
      // FULL: each commit's WAL frames are fsynced before the commit returns, so an acknowledged batch survives power loss.
      db.pragma('synchronous = FULL');
      db.pragma('foreign_keys = ON');
      migrate(db, options.clock);
    } catch (error) {
      if (error instanceof StoreError) throw error;
      const code = sqliteCode(error);
      if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_IOERR')) {
        throw new StoreError(StoreErrorCode.Unwritable, `cannot write ${path}: ${(error as Error).message}`, { cause: error });
      }
      throw error;
    }
    return new SqliteStore(db, path);
  } catch (error) {
    discard();
    throw error;
  }
}

function migrate(db: Sqlite, clock: Clock): void {
  const pending = (current: number) => MIGRATIONS.filter((m) => m.version > current);
  if (pending(readVersion(db)).length === 0) return;
  db.transaction(() => {
    db.exec(MIGRATIONS_TABLE('sqlite'));
    const current = readVersion(db); // another process may have migrated while we waited for the lock
    if (current > SCHEMA_VERSION) throw new StoreError(StoreErrorCode.NewerSchema, newerSchemaMessage(db.name, current));
    const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
    for (const migration of pending(current)) {
      for (const statement of migration.statements('sqlite')) db.exec(statement);
      record.run(migration.version, migration.name, clock.now());
    }
  }).immediate();
}

function insertSql(layout: TableLayout, suffix = ''): string {
  const names = layout.columns.map((c) => c.name);
  return `INSERT INTO ${layout.table} (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})${suffix}`;
}

function selectSql(layout: TableLayout, where: string, order: string): string {
  return `SELECT ${layout.columns.map((c) => c.name).join(', ')} FROM ${layout.table} WHERE ${where} ORDER BY ${order}`;
}

function mapError(error: unknown, location: string): unknown {
  if (error instanceof StoreError) return error;
  const code = sqliteCode(error);
  const message = (error as Error).message;
  if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY') return new StoreError(StoreErrorCode.InvalidRecord, `${location}: a record names a run that does not exist (${message})`, { cause: error });
  if (code === 'SQLITE_CONSTRAINT_PRIMARYKEY' && message.includes('audit_log')) {
    return new StoreError(StoreErrorCode.ConcurrentWriter, `${location}: audit seq already taken: another writer appended to this audit log`, { cause: error });
  }
  if (code.startsWith('SQLITE_CONSTRAINT')) return new StoreError(StoreErrorCode.InvalidRecord, `${location}: ${message}`, { cause: error });
  if (code.startsWith('SQLITE_READONLY') || code === 'SQLITE_FULL' || code.startsWith('SQLITE_IOERR')) {
    return new StoreError(StoreErrorCode.Unwritable, `${location}: ${message}`, { cause: error });
  }
  return error;
}

export class SqliteStore implements Store {
  readonly dialect = StoreDialect.Sqlite;
  readonly schemaVersion = SCHEMA_VERSION;
  private readonly inserts = new Map<string, Statement>();
  private readonly statements = new Map<string, Statement>();
  private readonly runWrite: (batch: StoreBatch) => void;
  private open = true;

  constructor(
    private readonly db: Sqlite,
    readonly location: string,
  ) {
    for (const [key, layout] of Object.entries(TABLES)) {
      if (key === 'orders') {
        const suffix = ' ON CONFLICT (run_id, order_id) DO UPDATE SET status = excluded.status, filled_quantity = excluded.filled_quantity, updated_at = excluded.updated_at';
        this.inserts.set(key, db.prepare(insertSql(layout, suffix)));
      } else {
        this.inserts.set(key, db.prepare(insertSql(layout)));
      }
    }
    const writeBatch = (batch: StoreBatch): void => this.writeBatch(batch);
    this.runWrite = db.transaction(writeBatch).immediate as (batch: StoreBatch) => void;
  }

  private statement(sql: string, safeIntegers = false): Statement {
    const key = `${safeIntegers ? 'S' : 'N'}${sql}`;
    let statement = this.statements.get(key);
    if (!statement) {
      statement = this.db.prepare(sql);
      if (safeIntegers) statement.safeIntegers(true);
      this.statements.set(key, statement);
    }
    return statement;
  }

  private insertAll(key: keyof typeof TABLES, records: readonly object[]): void {
    if (records.length === 0) return;
    const insert = this.inserts.get(key)!;
    const columns = TABLES[key].columns;
    const values: unknown[] = new Array(columns.length);
    for (const record of records) {
      const r = record as Record<string, unknown>;
      for (let i = 0; i < columns.length; i++) values[i] = toParameter(columns[i]!.kind, r[columns[i]!.field], false);
      insert.run(values);
    }
  }

  private writeBatch(batch: StoreBatch): void {
    this.insertAll('runs', (batch.runs ?? []).map(runRow));
    const events = batch.orderEvents ?? [];
    if (events.length > 0) {
      this.insertAll('orders', orderUpserts(events));
      this.insertAll('orderEvents', events);
    }
    for (const table of APPEND_TABLES) this.insertAll(table, (batch[table] ?? []) as readonly object[]);
    const end = this.statement('UPDATE runs SET status = ?, finished_at = ?, summary = ?, error = ? WHERE id = ?');
    for (const e of batch.runEnds ?? []) {
      const summary = toParameter('json', e.summary, false);
      if (end.run(e.status, e.finishedAt, summary, e.error, e.runId).changes === 0) {
        throw new StoreError(StoreErrorCode.InvalidRecord, `finishing run ${e.runId}: no such run`);
      }
    }
    this.writeTokens(batch.tokens ?? []);
    this.writeDeployments(batch.deployments ?? []);
    const audit = batch.audit ?? [];
    if (audit.length > 0) {
      const head = this.readCheckpoint();
      checkContinues(audit[0]!, head && { seq: head.headSeq, hash: head.headHash });
      const insert = this.inserts.get('audit')!;
      for (const e of audit) insert.run(e.seq, e.time, e.actor, e.kind, e.payload, e.prevHash, e.hash);
      const last = audit[audit.length - 1]!;
      this.statement(
        `INSERT INTO audit_checkpoint (id, entry_count, head_seq, head_hash, updated_at) VALUES (1, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET entry_count = audit_checkpoint.entry_count + excluded.entry_count,
           head_seq = excluded.head_seq, head_hash = excluded.head_hash, updated_at = excluded.updated_at`,
      ).run(audit.length, last.seq, last.hash, batch.time);
    }
  }

  private writeTokens(tokens: readonly TokenRecord[]): void {
    for (const token of tokens) {
      const owner = this.statement(tokenNameOwnerSql(() => '?')).get(token.name, token.id) as { id: string } | undefined;
      if (owner) throw tokenNameTaken(this.location, token.name, owner.id);
      this.statement(tokenUpsertSql(() => '?')).run(rowValues(TABLES.tokens, token, false));
    }
  }

  /** Version 1 inserts, version v replaces v-1; anything else is a conflict (the transaction rolls back). */
  private writeDeployments(deployments: readonly DeploymentRecord[]): void {
    for (const d of deployments) {
      const changed =
        d.version === 1
          ? this.statement(deploymentInsertSql(() => '?')).run(rowValues(TABLES.deployments, d, false)).changes
          : this.statement(deploymentUpdateSql(() => '?')).run(deploymentUpdateValues(d, false)).changes;
      if (changed === 0) {
        const stored = this.statement(deploymentVersionSql(() => '?')).get(d.name) as { version: number } | undefined;
        throw deploymentConflict(d.name, d.version, stored?.version);
      }
    }
  }

  async write(batch: StoreBatch): Promise<void> {
    this.ensureOpen();
    checkBatch(batch);
    try {
      this.runWrite(batch);
    } catch (error) {
      throw mapError(error, this.location);
    }
  }

  private ensureOpen(): void {
    if (!this.open) throw new StoreError(StoreErrorCode.Closed, `${this.location}: the store is closed`);
  }

  private run(row: Record<string, unknown>): RunRecord {
    return toRecord<RunRecord>(TABLES.runs, row);
  }

  async listRuns(query: RunQuery = {}): Promise<RunRecord[]> {
    this.ensureOpen();
    const limit = query.limit ?? 100;
    const columns = TABLES.runs.columns.map((c) => c.name).join(', ');
    const rows = query.kind
      ? this.statement(`SELECT ${columns} FROM runs WHERE kind = ? ORDER BY started_at DESC, id DESC LIMIT ?`).all(query.kind, limit)
      : this.statement(`SELECT ${columns} FROM runs ORDER BY started_at DESC, id DESC LIMIT ?`).all(limit);
    return (rows as Record<string, unknown>[]).map((r) => this.run(r));
  }

  async getRun(runId: string): Promise<RunRecord | undefined> {
    this.ensureOpen();
    const row = this.statement(selectSql(TABLES.runs, 'id = ?', 'id')).get(runId) as Record<string, unknown> | undefined;
    return row && this.run(row);
  }

  async findRuns(prefix: string, limit = 10): Promise<RunRecord[]> {
    this.ensureOpen();
    const rows = this.statement(selectSql(TABLES.runs, 'substr(id, 1, length(?)) = ?', 'started_at DESC, id DESC LIMIT ?')).all(prefix, prefix, limit);
    return (rows as Record<string, unknown>[]).map((r) => this.run(r));
  }

  async readRunJournal(runId: string, parts: readonly JournalPart[] = JOURNAL_PARTS): Promise<RunJournal> {
    this.ensureOpen();
    const journal = emptyJournal() as unknown as Record<JournalPart, unknown[]>;
    for (const part of parts) {
      const layout = TABLES[part];
      journal[part] = (this.statement(selectSql(layout, 'run_id = ?', 'id'), true).all(runId) as Record<string, unknown>[]).map((row) => toRecord(layout, row));
    }
    return journal as unknown as RunJournal;
  }

  async readRunTail<P extends JournalPart>(runId: string, part: P, limit: number): Promise<RunJournal[P]> {
    this.ensureOpen();
    const layout = TABLES[part];
    const rows = this.statement(selectSql(layout, 'run_id = ?', 'id DESC LIMIT ?'), true).all(runId, tailLimit(limit)) as Record<string, unknown>[];
    return rows.reverse().map((row) => toRecord(layout, row)) as RunJournal[P];
  }

  async listTokens(): Promise<TokenRecord[]> {
    this.ensureOpen();
    return (this.statement(selectSql(TABLES.tokens, '1 = 1', 'created_at, id')).all() as Record<string, unknown>[]).map((row) => toRecord<TokenRecord>(TABLES.tokens, row));
  }

  async getToken(id: string): Promise<TokenRecord | undefined> {
    this.ensureOpen();
    const row = this.statement(selectSql(TABLES.tokens, 'id = ?', 'id')).get(id) as Record<string, unknown> | undefined;
    return row && toRecord<TokenRecord>(TABLES.tokens, row);
  }

  async listDeployments(): Promise<DeploymentRecord[]> {
    this.ensureOpen();
    return (this.statement(selectSql(TABLES.deployments, '1 = 1', 'name')).all() as Record<string, unknown>[]).map((row) => toRecord<DeploymentRecord>(TABLES.deployments, row));
  }

  async getDeployment(name: string): Promise<DeploymentRecord | undefined> {
    this.ensureOpen();
    const row = this.statement(selectSql(TABLES.deployments, 'name = ?', 'name')).get(name) as Record<string, unknown> | undefined;
    return row && toRecord<DeploymentRecord>(TABLES.deployments, row);
  }

  async readAudit(query: AuditQuery): Promise<AuditEntry[]> {
    this.ensureOpen();
    const where = ['seq > ?'];
    const params: number[] = [query.afterSeq];
    if (query.toSeq !== undefined) (where.push('seq <= ?'), params.push(query.toSeq));
    if (query.fromTime !== undefined) (where.push('time >= ?'), params.push(query.fromTime));
    if (query.toTime !== undefined) (where.push('time < ?'), params.push(query.toTime));
    params.push(query.limit);
    const statement = this.statement(`SELECT seq, time, actor, kind, payload, prev_hash, hash FROM audit_log WHERE ${where.join(' AND ')} ORDER BY seq LIMIT ?`);
    return (statement.raw(true).all(...params) as unknown[][]).map(auditEntry);
  }

  async findAuditByHash(hash: string): Promise<AuditEntry | undefined> {
    this.ensureOpen();
    const row = this.statement('SELECT seq, time, actor, kind, payload, prev_hash, hash FROM audit_log WHERE hash = ? ORDER BY seq LIMIT 1').raw(true).get(hash) as unknown[] | undefined;
    return row && auditEntry(row);
  }

  async findAuditByPrevHash(prevHash: string): Promise<AuditEntry | undefined> {
    this.ensureOpen();
    const row = this.statement('SELECT seq, time, actor, kind, payload, prev_hash, hash FROM audit_log WHERE prev_hash = ? ORDER BY seq LIMIT 1').raw(true).get(prevHash) as unknown[] | undefined;
    return row && auditEntry(row);
  }

  private readCheckpoint(): AuditCheckpoint | undefined {
    const row = this.statement('SELECT entry_count, head_seq, head_hash, updated_at FROM audit_checkpoint WHERE id = 1').raw(true).get() as unknown[] | undefined;
    return row && { count: Number(row[0]), headSeq: Number(row[1]), headHash: String(row[2]), updatedAt: Number(row[3]) };
  }

  async auditHead(): Promise<{ last: AuditEntry | undefined; checkpoint: AuditCheckpoint | undefined }> {
    this.ensureOpen();
    const row = this.statement('SELECT seq, time, actor, kind, payload, prev_hash, hash FROM audit_log ORDER BY seq DESC LIMIT 1').raw(true).get() as unknown[] | undefined;
    return { last: row && auditEntry(row), checkpoint: this.readCheckpoint() };
  }

  async close(): Promise<void> {
    if (!this.open) return;
    this.open = false;
    this.db.close();
  }
}

function auditEntry(row: unknown[]): AuditEntry {
  return {
    seq: Number(row[0]),
    time: Number(row[1]),
    actor: row[2] as string,
    kind: row[3] as string,
    payload: row[4] as string,
    prevHash: row[5] as string,
    hash: row[6] as string,
  };
}
