// Table layouts shared by both adapters: which record field goes to which column, and how values convert.
import { canonicalJson, checkRecords, checkTokensAndDeployments, RECORD_RULES } from '../../audit/index.ts';
import { type AuditEntry, type DeploymentRecord, type OrderEventInput, type OrderRecord, type RunRecord, type RunStart, RunStatus, type StoreBatch, StoreError, StoreErrorCode } from '../../common/index.ts';

/** How a value is stored: text, 64-bit integer, double, ledger units (exact bigint), 0/1, JSON text. */
export type ColumnKind = 'text' | 'int' | 'real' | 'ledger' | 'bool' | 'json';

export interface Column {
  readonly name: string;
  readonly field: string;
  readonly kind: ColumnKind;
  /** Written as "kind?": a record may leave the field out, and a null reads back as a record without it. */
  readonly optional: boolean;
}

export interface TableLayout {
  readonly table: string;
  readonly columns: readonly Column[];
}

function camel(column: string): string {
  return column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

function layout(table: string, spec: string): TableLayout {
  const columns = spec
    .trim()
    .split(/\s*,\s*/)
    .map((item) => {
      const [name, written, field] = item.split(/\s+/) as [string, string, string | undefined];
      const optional = written.endsWith('?');
      return { name, kind: (optional ? written.slice(0, -1) : written) as ColumnKind, field: field ?? camel(name), optional };
    });
  return { table, columns };
}

export const TABLES = {
  runs: layout(
    'runs',
    `id text, kind text, status text, strategy text, symbols json, market text, timeframe text, mode text, actor text,
     parameters json, data_hashes json, started_at int, finished_at int, summary json, error text`,
  ),
  orders: layout(
    'orders',
    `run_id text, order_id text, symbol text, side text, type text, quantity real, price real, stop_price real,
     time_in_force text, tag text, status text, filled_quantity real, created_at int, updated_at int`,
  ),
  orderEvents: layout('order_events', 'run_id text, time int, order_id text, kind text, status text, filled_quantity real, fill_id text, reason text, detail text'),
  fills: layout(
    'fills',
    `run_id text, time int, fill_id text, order_id text, symbol text, side text, price real, quantity real, notional ledger,
     fee ledger, tax ledger, liquidity text, reference_price real, impact_bps real, slippage_bps real, reduced_for_cash bool, fee_quantity real?`,
  ),
  positions: layout('positions', 'run_id text, time int, symbol text, quantity real, average_price real, cost ledger, realized_pnl ledger'),
  balances: layout('balances', 'run_id text, time int, currency text, total ledger, free ledger'),
  equity: layout('equity', 'run_id text, time int, equity real, cash real'),
  bars: layout(
    'bars',
    'run_id text, symbol text, open_time int, close_time int, open real, high real, low real, close real, volume real, adjustment_factor real, pre_close real',
  ),
  denials: layout('risk_denials', 'run_id text, time int, order_id text, symbol text, reason text, detail text, value real, limit_value real limit'),
  breakerEvents: layout('breaker_events', 'run_id text, time int, level text, previous_level text, cause text, value real, threshold real, actor text, detail text'),
  modeChanges: layout('mode_changes', 'run_id text, time int, from_mode text, to_mode text, actor text, reason text'),
  audit: layout('audit_log', 'seq int, time int, actor text, kind text, payload text, prev_hash text, hash text'),
  tokens: layout('api_tokens', 'id text, name text, role text, secret_hash text, created_at int, created_by text, revoked_at int, revoked_by text'),
  deployments: layout(
    'deployments',
    `name text, strategy text, parameters json, symbols json, exchange text, url text, credentials text, capital real, timeframe text, mode text, status text,
     limits json, run_id text, created_at int, created_by text, updated_at int, version int`,
  ),
} as const;

/** A tail read's row count, checked: a whole number of rows, 0 or more. */
export function tailLimit(limit: number): number {
  if (!Number.isSafeInteger(limit) || limit < 0) throw new RangeError(`readRunTail: limit must be a whole number of rows, 0 or more (got ${limit})`);
  return limit;
}

/** Columns a deployment update sets (all but its key). */
export const DEPLOYMENT_UPDATE_COLUMNS = TABLES.deployments.columns.filter((c) => c.name !== 'name');

/** Placeholder of the i-th parameter (from 0): `?` in SQLite, `$1`, `$2`, ... in PostgreSQL. */
export type Placeholder = (i: number) => string;

/** A record's values in its layout's column order, as query parameters. */
export function rowValues(layout: TableLayout, record: object, bigintAsString: boolean): unknown[] {
  const r = record as Record<string, unknown>;
  return layout.columns.map((c) => toParameter(c.kind, r[c.field], bigintAsString));
}

/** Inserts a token or replaces the stored one with its id: parameters are rowValues(TABLES.tokens, ...). */
export function tokenUpsertSql(p: Placeholder): string {
  const columns = TABLES.tokens.columns.map((c) => c.name);
  const updates = columns.filter((c) => c !== 'id').map((c) => `${c} = excluded.${c}`);
  return `INSERT INTO api_tokens (${columns.join(', ')}) VALUES (${columns.map((_, i) => p(i)).join(', ')}) ON CONFLICT (id) DO UPDATE SET ${updates.join(', ')}`;
}

/** Another token's id holding this name: parameters (name, id). */
export const tokenNameOwnerSql = (p: Placeholder): string => `SELECT id FROM api_tokens WHERE name = ${p(0)} AND id <> ${p(1)} LIMIT 1`;

/** Inserts a deployment unless one of that name exists (then nothing changes): parameters are rowValues(TABLES.deployments, ...). */
export function deploymentInsertSql(p: Placeholder): string {
  const columns = TABLES.deployments.columns.map((c) => c.name);
  return `INSERT INTO deployments (${columns.join(', ')}) VALUES (${columns.map((_, i) => p(i)).join(', ')}) ON CONFLICT (name) DO NOTHING`;
}

/**
 * Replaces the deployment only if its stored version is the one this change follows: parameters are
 * deploymentUpdateValues(...). Zero rows changed means a conflict.
 */
export function deploymentUpdateSql(p: Placeholder): string {
  const columns = DEPLOYMENT_UPDATE_COLUMNS;
  const n = columns.length;
  return `UPDATE deployments SET ${columns.map((c, i) => `${c.name} = ${p(i)}`).join(', ')} WHERE name = ${p(n)} AND version = ${p(n + 1)}`;
}

export function deploymentUpdateValues(deployment: DeploymentRecord, bigintAsString: boolean): unknown[] {
  const r = deployment as unknown as Record<string, unknown>;
  return [...DEPLOYMENT_UPDATE_COLUMNS.map((c) => toParameter(c.kind, r[c.field], bigintAsString)), deployment.name, deployment.version - 1];
}

export const deploymentVersionSql = (p: Placeholder): string => `SELECT version FROM deployments WHERE name = ${p(0)}`;

/**
 * A deployment write whose stored version is not the one it follows: the whole batch is refused. A refused
 * request, not a store problem, so the message names the deployment and both versions but not the database.
 */
export function deploymentConflict(name: string, version: number, stored: number | undefined): StoreError {
  const state = stored === undefined ? `deployment ${JSON.stringify(name)} does not exist` : `deployment ${JSON.stringify(name)} is at version ${stored}`;
  return new StoreError(StoreErrorCode.Conflict, `${state}: a change of version ${version} does not follow it (it was changed meanwhile; nothing of the batch was written)`);
}

/** A token whose name another token id has. */
export function tokenNameTaken(location: string, name: string, otherId: string): StoreError {
  return new StoreError(StoreErrorCode.InvalidRecord, `${location}: token name ${JSON.stringify(name)} is taken by token ${otherId} (names are unique, revoked tokens included); nothing of the batch was written`);
}

/** The journal tables a batch appends to, in the order they are written (after runs, before run ends). */
export const APPEND_TABLES = ['fills', 'positions', 'balances', 'equity', 'bars', 'denials', 'breakerEvents', 'modeChanges'] as const;
export type AppendTable = (typeof APPEND_TABLES)[number];

/** A record field as a query parameter. PostgreSQL gets ledger units as decimal strings. */
export function toParameter(kind: ColumnKind, value: unknown, bigintAsString: boolean): unknown {
  if (value === null || value === undefined) return null;
  switch (kind) {
    case 'bool':
      return value ? 1 : 0;
    case 'json':
      return canonicalJson(value);
    case 'ledger':
      return bigintAsString ? (value as bigint).toString() : value;
    default:
      return value;
  }
}

/** A column value read back (SQLite numbers or bigints, PostgreSQL strings for BIGINT) as the record's type. */
export function fromColumn(kind: ColumnKind, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (kind) {
    case 'int':
      return Number(value);
    case 'real':
      return Number(value);
    case 'ledger':
      return BigInt(value as string | number | bigint);
    case 'bool':
      return Number(value) !== 0;
    case 'json':
      return JSON.parse(String(value)) as unknown;
    default:
      return String(value);
  }
}

/** Row (column name -> value) to record. */
export function toRecord<T>(layout: TableLayout, row: Record<string, unknown>): T {
  const record: Record<string, unknown> = {};
  for (const column of layout.columns) {
    const value = fromColumn(column.kind, row[column.name]);
    if (value !== null || !column.optional) record[column.field] = value;
  }
  return record as T;
}

/** A new run as its stored row: RUNNING, not finished. */
export function runRow(run: RunStart): RunRecord {
  return { ...run, symbols: [...run.symbols], status: RunStatus.Running, finishedAt: null, summary: null, error: null };
}

/**
 * The latest state per order from a batch of events: the last event's status and filled quantity,
 * the first event's time as created_at. One row per order, so a multi-row upsert touches each once.
 */
export function orderUpserts(events: readonly OrderEventInput[]): OrderRecord[] {
  const byKey = new Map<string, OrderRecord>();
  for (const e of events) {
    const key = `${e.runId}\u0000${e.orderId}`;
    const previous = byKey.get(key);
    byKey.set(key, {
      runId: e.runId,
      orderId: e.orderId,
      symbol: e.symbol,
      side: e.side,
      type: e.type,
      quantity: e.quantity,
      price: e.price,
      stopPrice: e.stopPrice,
      timeInForce: e.timeInForce,
      tag: e.tag,
      status: e.status,
      filledQuantity: e.filledQuantity,
      createdAt: previous ? previous.createdAt : e.time,
      updatedAt: e.time,
    });
  }
  return [...byKey.values()];
}

/** Every record of a batch checked, and the audit entries checked to continue each other. */
export function checkBatch(batch: StoreBatch): void {
  if (!Number.isSafeInteger(batch.time)) throw new StoreError(StoreErrorCode.InvalidRecord, `batch.time: expected integer UTC milliseconds (got ${batch.time})`);
  checkRecords('runs', batch.runs ?? [], RECORD_RULES.runs);
  checkRecords('orderEvents', batch.orderEvents ?? [], RECORD_RULES.orderEvents);
  for (const table of APPEND_TABLES) checkRecords(table, (batch[table] ?? []) as readonly object[], RECORD_RULES[table] as never);
  checkRecords('runEnds', batch.runEnds ?? [], RECORD_RULES.runEnds);
  checkTokensAndDeployments(batch.tokens ?? [], batch.deployments ?? []);
  const audit = batch.audit ?? [];
  checkRecords('audit', audit, RECORD_RULES.audit);
  for (let i = 1; i < audit.length; i++) {
    if (audit[i]!.seq !== audit[i - 1]!.seq + 1 || audit[i]!.prevHash !== audit[i - 1]!.hash) {
      throw new StoreError(StoreErrorCode.InvalidRecord, `audit[${i}]: seq ${audit[i]!.seq} does not continue seq ${audit[i - 1]!.seq} (seqs must be contiguous and each prevHash the previous hash)`);
    }
  }
}

/** The first audit entry of a batch must continue the checkpoint's head. */
export function checkContinues(first: AuditEntry, head: { seq: number; hash: string } | undefined): void {
  if (head === undefined) return; // checkpoint row gone (tampering); verify reports it, appends continue
  if (first.seq !== head.seq + 1 || first.prevHash !== head.hash) {
    throw new StoreError(
      StoreErrorCode.ConcurrentWriter,
      `audit append at seq ${first.seq} does not continue the stored head (seq ${head.seq}): another writer appended to this audit log; reopen the journal`,
    );
  }
}
