// The PostgreSQL store (node-postgres): one connection, every batch one transaction, rows inserted through unnest().
import pg from 'pg';
import { type AuditCheckpoint, type AuditEntry, type AuditQuery, type Clock, type DeploymentRecord, emptyJournal, JOURNAL_PARTS, type JournalPart, type RunJournal, type RunQuery, type RunRecord, type Store, type StoreBatch, StoreDialect, StoreError, StoreErrorCode, type TokenRecord } from '../../common/index.ts';
import { MIGRATIONS, MIGRATIONS_TABLE, newerSchemaMessage, SCHEMA_VERSION } from './schema.ts';
import { APPEND_TABLES, checkBatch, checkContinues, type ColumnKind, deploymentConflict, deploymentInsertSql, deploymentUpdateSql, deploymentUpdateValues, deploymentVersionSql, orderUpserts, rowValues, runRow, type TableLayout, TABLES, tokenNameOwnerSql, tokenNameTaken, tailLimit, tokenUpsertSql, toParameter, toRecord } from './tables.ts';

export interface PostgresStoreOptions {
  /** Create the schema when the database has none; readers pass false. */
  readonly create: boolean;
  /** Time recorded with each applied migration. */
  readonly clock: Clock;
  /** Connection timeout (default 10 s). */
  readonly connectTimeoutMs?: number;
}

/** The URL with its password masked: the only form that may appear in messages and listings. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url.replace(/:[^:@/]*@/, ':***@');
  }
}

const ARRAY_TYPE: Record<ColumnKind, string> = {
  text: 'text[]',
  int: 'bigint[]',
  real: 'double precision[]',
  ledger: 'bigint[]',
  bool: 'bigint[]',
  json: 'text[]',
};

/** Serialises migrations across processes that open the same database at once. */
const MIGRATION_LOCK = 'SELECT pg_advisory_xact_lock(7405216932)';

async function readVersion(client: pg.Client): Promise<number> {
  const exists = await client.query<{ present: boolean }>("SELECT to_regclass('schema_migrations') IS NOT NULL AS present");
  if (!exists.rows[0]!.present) return 0;
  const row = await client.query<{ version: string | null }>('SELECT max(version) AS version FROM schema_migrations');
  return Number(row.rows[0]!.version ?? 0);
}

/** Connects, checks the schema version and applies pending migrations. */
export async function openPostgresStore(url: string, options: PostgresStoreOptions): Promise<PostgresStore> {
  const location = redactUrl(url);
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000, application_name: 'traider' });
  let lost: Error | undefined;
  // Without a listener a dropped connection would crash the process; the next query reports it instead.
  client.on('error', (error) => {
    lost = error;
  });
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => {});
    throw new StoreError(StoreErrorCode.ConnectionFailed, `cannot connect to ${location}: ${(error as Error).message || String(error)}`, { cause: error });
  }
  try {
    const version = await readVersion(client);
    if (version > SCHEMA_VERSION) throw new StoreError(StoreErrorCode.NewerSchema, newerSchemaMessage(location, version));
    if (version === 0 && !options.create) throw new StoreError(StoreErrorCode.NotFound, `${location} holds no traider data (no schema)`);
    if (version < SCHEMA_VERSION) await migrate(client, location, options.clock);
  } catch (error) {
    await client.end().catch(() => {});
    if (error instanceof StoreError) throw error;
    throw new StoreError(StoreErrorCode.ConnectionFailed, `${location}: ${lost?.message ?? (error as Error).message}`, { cause: error });
  }
  return new PostgresStore(client, location, () => lost);
}

async function migrate(client: pg.Client, location: string, clock: Clock): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query(MIGRATION_LOCK);
    await client.query(MIGRATIONS_TABLE('postgres'));
    const current = await readVersion(client);
    if (current > SCHEMA_VERSION) throw new StoreError(StoreErrorCode.NewerSchema, newerSchemaMessage(location, current));
    for (const migration of MIGRATIONS.filter((m) => m.version > current)) {
      for (const statement of migration.statements('postgres')) await client.query(statement);
      await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [migration.version, migration.name, clock.now()]);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
}

/** PostgreSQL's numbered parameters. */
const dollar = (i: number): string => `$${i + 1}`;

function columnList(layout: TableLayout): string {
  return layout.columns.map((c) => c.name).join(', ');
}

function unnestInsert(layout: TableLayout, suffix = ''): string {
  const arrays = layout.columns.map((c, i) => `$${i + 1}::${ARRAY_TYPE[c.kind]}`);
  return `INSERT INTO ${layout.table} (${columnList(layout)}) SELECT * FROM unnest(${arrays.join(', ')})${suffix}`;
}

function mapError(error: unknown, location: string): unknown {
  if (error instanceof StoreError) return error;
  const { code, message, constraint } = error as { code?: string; message: string; constraint?: string };
  if (code === '23503') return new StoreError(StoreErrorCode.InvalidRecord, `${location}: a record names a run that does not exist (${message})`, { cause: error });
  if (code === '23505' && constraint === 'audit_log_pkey') {
    return new StoreError(StoreErrorCode.ConcurrentWriter, `${location}: audit seq already taken: another writer appended to this audit log`, { cause: error });
  }
  if (code === '23505' && constraint === 'api_tokens_name_key') {
    // Another transaction took the name between our check and our insert.
    const detail = (error as { detail?: string }).detail ?? message;
    return new StoreError(StoreErrorCode.InvalidRecord, `${location}: token name is taken by another token (${detail}); nothing of the batch was written`, { cause: error });
  }
  if (code?.startsWith('23') || code?.startsWith('22')) return new StoreError(StoreErrorCode.InvalidRecord, `${location}: ${message}`, { cause: error });
  if (code === '25006' || code === '42501') return new StoreError(StoreErrorCode.Unwritable, `${location}: ${message}`, { cause: error });
  return error;
}

export class PostgresStore implements Store {
  readonly dialect = StoreDialect.Postgres;
  readonly schemaVersion = SCHEMA_VERSION;
  private open = true;
  /** Queries run one after another on the single connection; a transaction must not interleave with reads. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly client: pg.Client,
    readonly location: string,
    private readonly lost: () => Error | undefined,
  ) {}

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const result = this.queue.then(() => {
      if (!this.open) throw new StoreError(StoreErrorCode.Closed, `${this.location}: the store is closed`);
      const lost = this.lost();
      if (lost) throw new StoreError(StoreErrorCode.ConnectionFailed, `${this.location}: connection lost: ${lost.message}`, { cause: lost });
      return work();
    });
    this.queue = result.catch(() => {});
    return result;
  }

  private query<R extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<pg.QueryResult<R>> {
    return this.client.query<R>(sql, params);
  }

  private async insertAll(key: keyof typeof TABLES, records: readonly object[], suffix = ''): Promise<void> {
    if (records.length === 0) return;
    const layout = TABLES[key];
    const arrays = layout.columns.map((column) => records.map((r) => toParameter(column.kind, (r as Record<string, unknown>)[column.field], true)));
    await this.query(unnestInsert(layout, suffix), arrays);
  }

  write(batch: StoreBatch): Promise<void> {
    return this.exclusive(async () => {
      checkBatch(batch);
      await this.query('BEGIN');
      try {
        await this.writeBatch(batch);
        await this.query('COMMIT');
      } catch (error) {
        await this.query('ROLLBACK').catch(() => {});
        throw mapError(error, this.location);
      }
    });
  }

  private async writeBatch(batch: StoreBatch): Promise<void> {
    await this.insertAll('runs', (batch.runs ?? []).map(runRow));
    const events = batch.orderEvents ?? [];
    if (events.length > 0) {
      const upsert = ' ON CONFLICT (run_id, order_id) DO UPDATE SET status = excluded.status, filled_quantity = excluded.filled_quantity, updated_at = excluded.updated_at';
      await this.insertAll('orders', orderUpserts(events), upsert);
      await this.insertAll('orderEvents', events);
    }
    for (const table of APPEND_TABLES) await this.insertAll(table, (batch[table] ?? []) as readonly object[]);
    for (const e of batch.runEnds ?? []) {
      const result = await this.query('UPDATE runs SET status = $1, finished_at = $2, summary = $3, error = $4 WHERE id = $5', [
        e.status,
        e.finishedAt,
        toParameter('json', e.summary, true),
        e.error,
        e.runId,
      ]);
      if (result.rowCount === 0) throw new StoreError(StoreErrorCode.InvalidRecord, `finishing run ${e.runId}: no such run`);
    }
    await this.writeTokens(batch.tokens ?? []);
    await this.writeDeployments(batch.deployments ?? []);
    const audit = batch.audit ?? [];
    if (audit.length > 0) {
      const head = await this.query<{ head_seq: string; head_hash: string }>('SELECT head_seq, head_hash FROM audit_checkpoint WHERE id = 1 FOR UPDATE');
      const row = head.rows[0];
      checkContinues(audit[0]!, row && { seq: Number(row.head_seq), hash: row.head_hash });
      await this.insertAll('audit', audit);
      const last = audit[audit.length - 1]!;
      await this.query(
        `INSERT INTO audit_checkpoint (id, entry_count, head_seq, head_hash, updated_at) VALUES (1, $1, $2, $3, $4)
         ON CONFLICT (id) DO UPDATE SET entry_count = audit_checkpoint.entry_count + excluded.entry_count,
           head_seq = excluded.head_seq, head_hash = excluded.head_hash, updated_at = excluded.updated_at`,
        [audit.length, last.seq, last.hash, batch.time],
      );
    }
  }

  private async writeTokens(tokens: readonly TokenRecord[]): Promise<void> {
    for (const token of tokens) {
      const owner = (await this.query<{ id: string }>(tokenNameOwnerSql(dollar), [token.name, token.id])).rows[0];
      if (owner) throw tokenNameTaken(this.location, token.name, owner.id);
      await this.query(tokenUpsertSql(dollar), rowValues(TABLES.tokens, token, true));
    }
  }

  /** Version 1 inserts, version v replaces v-1; anything else is a conflict (the transaction rolls back). */
  private async writeDeployments(deployments: readonly DeploymentRecord[]): Promise<void> {
    for (const d of deployments) {
      const result =
        d.version === 1
          ? await this.query(deploymentInsertSql(dollar), rowValues(TABLES.deployments, d, true))
          : await this.query(deploymentUpdateSql(dollar), deploymentUpdateValues(d, true));
      if (result.rowCount === 0) {
        const stored = (await this.query<{ version: string }>(deploymentVersionSql(dollar), [d.name])).rows[0];
        throw deploymentConflict(d.name, d.version, stored === undefined ? undefined : Number(stored.version));
      }
    }
  }

  listTokens(): Promise<TokenRecord[]> {
    // COLLATE "C": byte order, as SQLite sorts, whatever the database's locale.
    const sql = `SELECT ${columnList(TABLES.tokens)} FROM api_tokens ORDER BY created_at, id COLLATE "C"`;
    return this.exclusive(async () => (await this.query(sql)).rows.map((row) => toRecord<TokenRecord>(TABLES.tokens, row)));
  }

  getToken(id: string): Promise<TokenRecord | undefined> {
    const sql = `SELECT ${columnList(TABLES.tokens)} FROM api_tokens WHERE id = $1`;
    return this.exclusive(async () => (await this.query(sql, [id])).rows.map((row) => toRecord<TokenRecord>(TABLES.tokens, row))[0]);
  }

  listDeployments(): Promise<DeploymentRecord[]> {
    const sql = `SELECT ${columnList(TABLES.deployments)} FROM deployments ORDER BY name COLLATE "C"`;
    return this.exclusive(async () => (await this.query(sql)).rows.map((row) => toRecord<DeploymentRecord>(TABLES.deployments, row)));
  }

  getDeployment(name: string): Promise<DeploymentRecord | undefined> {
    const sql = `SELECT ${columnList(TABLES.deployments)} FROM deployments WHERE name = $1`;
    return this.exclusive(async () => (await this.query(sql, [name])).rows.map((row) => toRecord<DeploymentRecord>(TABLES.deployments, row))[0]);
  }

  private runs(rows: Record<string, unknown>[]): RunRecord[] {
    return rows.map((r) => toRecord<RunRecord>(TABLES.runs, r));
  }

  listRuns(query: RunQuery = {}): Promise<RunRecord[]> {
    const limit = query.limit ?? 100;
    return this.exclusive(async () => {
      const columns = columnList(TABLES.runs);
      const result = query.kind
        ? await this.query(`SELECT ${columns} FROM runs WHERE kind = $1 ORDER BY started_at DESC, id DESC LIMIT $2`, [query.kind, limit])
        : await this.query(`SELECT ${columns} FROM runs ORDER BY started_at DESC, id DESC LIMIT $1`, [limit]);
      return this.runs(result.rows);
    });
  }

  getRun(runId: string): Promise<RunRecord | undefined> {
    return this.exclusive(async () => this.runs((await this.query(`SELECT ${columnList(TABLES.runs)} FROM runs WHERE id = $1`, [runId])).rows)[0]);
  }

  findRuns(prefix: string, limit = 10): Promise<RunRecord[]> {
    return this.exclusive(async () => {
      const sql = `SELECT ${columnList(TABLES.runs)} FROM runs WHERE substr(id, 1, length($1::text)) = $1::text ORDER BY started_at DESC, id DESC LIMIT $2`;
      return this.runs((await this.query(sql, [prefix, limit])).rows);
    });
  }

  readRunJournal(runId: string, parts: readonly JournalPart[] = JOURNAL_PARTS): Promise<RunJournal> {
    return this.exclusive(async () => {
      const journal = emptyJournal() as unknown as Record<JournalPart, unknown[]>;
      for (const part of parts) {
        const layout = TABLES[part];
        journal[part] = (await this.query(`SELECT ${columnList(layout)} FROM ${layout.table} WHERE run_id = $1 ORDER BY id`, [runId])).rows.map((row) => toRecord(layout, row));
      }
      return journal as unknown as RunJournal;
    });
  }

  readRunTail<P extends JournalPart>(runId: string, part: P, limit: number): Promise<RunJournal[P]> {
    return this.exclusive(async () => {
      const layout = TABLES[part];
      const read = await this.query(`SELECT ${columnList(layout)} FROM ${layout.table} WHERE run_id = $1 ORDER BY id DESC LIMIT $2`, [runId, tailLimit(limit)]);
      return read.rows.reverse().map((row) => toRecord(layout, row)) as RunJournal[P];
    });
  }

  readAudit(query: AuditQuery): Promise<AuditEntry[]> {
    return this.exclusive(async () => {
      const params: number[] = [query.afterSeq];
      const where = ['seq > $1'];
      const add = (condition: string, value: number): void => {
        params.push(value);
        where.push(`${condition} $${params.length}`);
      };
      if (query.toSeq !== undefined) add('seq <=', query.toSeq);
      if (query.fromTime !== undefined) add('time >=', query.fromTime);
      if (query.toTime !== undefined) add('time <', query.toTime);
      params.push(query.limit);
      const sql = `SELECT seq, time, actor, kind, payload, prev_hash, hash FROM audit_log WHERE ${where.join(' AND ')} ORDER BY seq LIMIT $${params.length}`;
      return (await this.query(sql, params)).rows.map(auditEntry);
    });
  }

  findAuditByHash(hash: string): Promise<AuditEntry | undefined> {
    return this.exclusive(async () => {
      const result = await this.query('SELECT seq, time, actor, kind, payload, prev_hash, hash FROM audit_log WHERE hash = $1 ORDER BY seq LIMIT 1', [hash]);
      return result.rows.map(auditEntry)[0];
    });
  }

  findAuditByPrevHash(prevHash: string): Promise<AuditEntry | undefined> {
    return this.exclusive(async () => {
      const result = await this.query('SELECT seq, time, actor, kind, payload, prev_hash, hash FROM audit_log WHERE prev_hash = $1 ORDER BY seq LIMIT 1', [prevHash]);
      return result.rows.map(auditEntry)[0];
    });
  }

  auditHead(): Promise<{ last: AuditEntry | undefined; checkpoint: AuditCheckpoint | undefined }> {
    return this.exclusive(async () => {
      const last = (await this.query('SELECT seq, time, actor, kind, payload, prev_hash, hash FROM audit_log ORDER BY seq DESC LIMIT 1')).rows.map(auditEntry)[0];
      const row = (await this.query('SELECT entry_count, head_seq, head_hash, updated_at FROM audit_checkpoint WHERE id = 1')).rows[0] as Record<string, unknown> | undefined;
      const checkpoint = row && { count: Number(row.entry_count), headSeq: Number(row.head_seq), headHash: String(row.head_hash), updatedAt: Number(row.updated_at) };
      return { last, checkpoint };
    });
  }

  async close(): Promise<void> {
    if (!this.open) return;
    await this.queue;
    this.open = false;
    await this.client.end();
  }
}

function auditEntry(row: Record<string, unknown>): AuditEntry {
  return {
    seq: Number(row.seq),
    time: Number(row.time),
    actor: row.actor as string,
    kind: row.kind as string,
    payload: row.payload as string,
    prevHash: row.prev_hash as string,
    hash: row.hash as string,
  };
}
