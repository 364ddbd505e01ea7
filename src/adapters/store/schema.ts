// The one schema of both stores, as numbered migrations written once and rendered per dialect.
import type { StoreDialect } from '../../common/index.ts';

export interface Migration {
  readonly version: number;
  readonly name: string;
  /** Statements in order, run in one transaction. */
  statements(dialect: StoreDialect): string[];
}

/** Column types by dialect: integers are 64-bit everywhere (times in ms, ledger units). */
function types(dialect: StoreDialect) {
  const sqlite = dialect === 'sqlite';
  return {
    int: sqlite ? 'INTEGER' : 'BIGINT',
    real: sqlite ? 'REAL' : 'DOUBLE PRECISION',
    text: 'TEXT',
    /** An ascending row id for "in the order written". */
    rowId: sqlite ? 'INTEGER PRIMARY KEY' : 'BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY',
  };
}

const APPEND_ONLY_MESSAGE = 'audit_log is append-only';

function journalTables(dialect: StoreDialect): string[] {
  const { int, real, text, rowId } = types(dialect);
  const run = `run_id ${text} NOT NULL REFERENCES runs(id)`;
  return [
    `CREATE TABLE runs (
      id ${text} PRIMARY KEY,
      kind ${text} NOT NULL,
      status ${text} NOT NULL,
      strategy ${text} NOT NULL,
      symbols ${text} NOT NULL,
      market ${text},
      timeframe ${text},
      mode ${text},
      actor ${text} NOT NULL,
      parameters ${text} NOT NULL,
      data_hashes ${text} NOT NULL,
      started_at ${int} NOT NULL,
      finished_at ${int},
      summary ${text},
      error ${text}
    )`,
    `CREATE INDEX runs_started_at ON runs (started_at)`,
    `CREATE TABLE orders (
      id ${rowId},
      ${run},
      order_id ${text} NOT NULL,
      symbol ${text} NOT NULL,
      side ${text} NOT NULL,
      type ${text} NOT NULL,
      quantity ${real} NOT NULL,
      price ${real},
      stop_price ${real},
      time_in_force ${text} NOT NULL,
      tag ${text},
      status ${text} NOT NULL,
      filled_quantity ${real} NOT NULL,
      created_at ${int} NOT NULL,
      updated_at ${int} NOT NULL,
      UNIQUE (run_id, order_id)
    )`,
    `CREATE TABLE order_events (
      id ${rowId},
      ${run},
      time ${int} NOT NULL,
      order_id ${text} NOT NULL,
      kind ${text} NOT NULL,
      status ${text} NOT NULL,
      filled_quantity ${real} NOT NULL,
      fill_id ${text},
      reason ${text},
      detail ${text}
    )`,
    `CREATE INDEX order_events_run ON order_events (run_id, id)`,
    `CREATE TABLE fills (
      id ${rowId},
      ${run},
      time ${int} NOT NULL,
      fill_id ${text} NOT NULL,
      order_id ${text} NOT NULL,
      symbol ${text} NOT NULL,
      side ${text} NOT NULL,
      price ${real} NOT NULL,
      quantity ${real} NOT NULL,
      notional ${int} NOT NULL,
      fee ${int} NOT NULL,
      tax ${int} NOT NULL,
      liquidity ${text} NOT NULL,
      reference_price ${real} NOT NULL,
      impact_bps ${real} NOT NULL,
      slippage_bps ${real} NOT NULL,
      reduced_for_cash ${int} NOT NULL,
      UNIQUE (run_id, fill_id)
    )`,
    `CREATE TABLE positions (
      id ${rowId},
      ${run},
      time ${int} NOT NULL,
      symbol ${text} NOT NULL,
      quantity ${real} NOT NULL,
      average_price ${real},
      cost ${int} NOT NULL,
      realized_pnl ${int} NOT NULL
    )`,
    `CREATE INDEX positions_run ON positions (run_id, id)`,
    `CREATE TABLE balances (
      id ${rowId},
      ${run},
      time ${int} NOT NULL,
      currency ${text} NOT NULL,
      total ${int} NOT NULL,
      free ${int} NOT NULL
    )`,
    `CREATE INDEX balances_run ON balances (run_id, id)`,
    `CREATE TABLE equity (
      id ${rowId},
      ${run},
      time ${int} NOT NULL,
      equity ${real} NOT NULL,
      cash ${real} NOT NULL
    )`,
    `CREATE INDEX equity_run ON equity (run_id, id)`,
    `CREATE TABLE risk_denials (
      id ${rowId},
      ${run},
      time ${int} NOT NULL,
      order_id ${text},
      symbol ${text},
      reason ${text} NOT NULL,
      detail ${text},
      value ${real},
      limit_value ${real}
    )`,
    `CREATE INDEX risk_denials_run ON risk_denials (run_id, id)`,
    `CREATE TABLE breaker_events (
      id ${rowId},
      ${run},
      time ${int} NOT NULL,
      level ${text} NOT NULL,
      previous_level ${text} NOT NULL,
      cause ${text} NOT NULL,
      value ${real} NOT NULL,
      threshold ${real} NOT NULL,
      actor ${text},
      detail ${text}
    )`,
    `CREATE INDEX breaker_events_run ON breaker_events (run_id, id)`,
    `CREATE TABLE mode_changes (
      id ${rowId},
      ${run},
      time ${int} NOT NULL,
      from_mode ${text} NOT NULL,
      to_mode ${text} NOT NULL,
      actor ${text} NOT NULL,
      reason ${text}
    )`,
    `CREATE INDEX mode_changes_run ON mode_changes (run_id, id)`,
  ];
}

/** Version 2: the bars a run acts on, so a resumed session can replay them. */
function barTables(dialect: StoreDialect): string[] {
  const { int, real, text, rowId } = types(dialect);
  return [
    `CREATE TABLE bars (
      id ${rowId},
      run_id ${text} NOT NULL REFERENCES runs(id),
      symbol ${text} NOT NULL,
      open_time ${int} NOT NULL,
      close_time ${int} NOT NULL,
      open ${real} NOT NULL,
      high ${real} NOT NULL,
      low ${real} NOT NULL,
      close ${real} NOT NULL,
      volume ${real} NOT NULL,
      adjustment_factor ${real},
      pre_close ${real},
      UNIQUE (run_id, symbol, open_time)
    )`,
    // The unique index is ordered by symbol and time; reading a run's bars in written order needs this one.
    `CREATE INDEX bars_run ON bars (run_id, id)`,
  ];
}

/**
 * Version 3: the API server's tokens (only a hash of each secret) and its deployments. A deployment's
 * run_id names the journal run of its session; it is not a foreign key, so a deployment may name its
 * run before that run is journaled.
 */
function serviceTables(dialect: StoreDialect): string[] {
  const { int, real, text } = types(dialect);
  return [
    `CREATE TABLE api_tokens (
      id ${text} PRIMARY KEY,
      name ${text} NOT NULL UNIQUE,
      role ${text} NOT NULL,
      secret_hash ${text} NOT NULL,
      created_at ${int} NOT NULL,
      created_by ${text} NOT NULL,
      revoked_at ${int},
      revoked_by ${text}
    )`,
    `CREATE TABLE deployments (
      name ${text} PRIMARY KEY,
      strategy ${text} NOT NULL,
      parameters ${text} NOT NULL,
      symbols ${text} NOT NULL,
      exchange ${text} NOT NULL,
      url ${text},
      credentials ${text},
      capital ${real} NOT NULL,
      timeframe ${text} NOT NULL,
      mode ${text} NOT NULL,
      status ${text} NOT NULL,
      limits ${text} NOT NULL,
      run_id ${text},
      created_at ${int} NOT NULL,
      created_by ${text} NOT NULL,
      updated_at ${int} NOT NULL,
      version ${int} NOT NULL
    )`,
  ];
}

function auditTables(dialect: StoreDialect): string[] {
  const { int, text } = types(dialect);
  const tables = [
    `CREATE TABLE audit_log (
      seq ${int} PRIMARY KEY,
      time ${int} NOT NULL,
      actor ${text} NOT NULL,
      kind ${text} NOT NULL,
      payload ${text} NOT NULL,
      prev_hash ${text} NOT NULL,
      hash ${text} NOT NULL
    )`,
    `CREATE INDEX audit_log_time ON audit_log (time)`,
    // One row, id 1: the head as of the last commit.
    `CREATE TABLE audit_checkpoint (
      id ${int} PRIMARY KEY CHECK (id = 1),
      entry_count ${int} NOT NULL,
      head_seq ${int} NOT NULL,
      head_hash ${text} NOT NULL,
      updated_at ${int} NOT NULL
    )`,
    `INSERT INTO audit_checkpoint (id, entry_count, head_seq, head_hash, updated_at) VALUES (1, 0, 0, '${'0'.repeat(64)}', 0)`,
  ];
  if (dialect === 'sqlite') {
    return [
      ...tables,
      `CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, '${APPEND_ONLY_MESSAGE}: UPDATE refused'); END`,
      `CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, '${APPEND_ONLY_MESSAGE}: DELETE refused'); END`,
      `CREATE TRIGGER audit_checkpoint_no_delete BEFORE DELETE ON audit_checkpoint BEGIN SELECT RAISE(ABORT, 'audit_checkpoint: DELETE refused'); END`,
      `CREATE TRIGGER audit_checkpoint_forward_only BEFORE UPDATE ON audit_checkpoint
        WHEN NEW.entry_count < OLD.entry_count OR NEW.head_seq < OLD.head_seq
        BEGIN SELECT RAISE(ABORT, 'audit_checkpoint only moves forward'); END`,
    ];
  }
  return [
    ...tables,
    `CREATE FUNCTION traider_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '${APPEND_ONLY_MESSAGE}: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`,
    `CREATE TRIGGER audit_log_no_update_delete BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION traider_audit_append_only()`,
    `CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION traider_audit_append_only()`,
    `CREATE FUNCTION traider_audit_checkpoint_forward_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE' THEN
          IF NEW.entry_count >= OLD.entry_count AND NEW.head_seq >= OLD.head_seq THEN
            RETURN NEW;
          END IF;
        END IF;
        RAISE EXCEPTION 'audit_checkpoint only moves forward: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`,
    `CREATE TRIGGER audit_checkpoint_forward_only BEFORE UPDATE OR DELETE ON audit_checkpoint FOR EACH ROW EXECUTE FUNCTION traider_audit_checkpoint_forward_only()`,
    `CREATE TRIGGER audit_checkpoint_no_truncate BEFORE TRUNCATE ON audit_checkpoint FOR EACH STATEMENT EXECUTE FUNCTION traider_audit_checkpoint_forward_only()`,
  ];
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'journal of runs, orders, fills, positions, balances, equity, risk events and modes; audit log with checkpoint',
    statements: (dialect) => [...journalTables(dialect), ...auditTables(dialect)],
  },
  {
    version: 2,
    name: 'journal of the bars a run acts on',
    statements: barTables,
  },
  {
    version: 3,
    name: 'api tokens and deployments',
    statements: serviceTables,
  },
  {
    version: 4,
    name: 'fees a fill paid in the base asset (null: paid in the account currency)',
    statements: (dialect) => [`ALTER TABLE fills ADD COLUMN fee_quantity ${types(dialect).real}`],
  },
];

/** The newest schema this build knows. */
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

export const MIGRATIONS_TABLE = (dialect: StoreDialect): string =>
  `CREATE TABLE IF NOT EXISTS schema_migrations (version ${types(dialect).int} PRIMARY KEY, name TEXT NOT NULL, applied_at ${types(dialect).int} NOT NULL)`;

/** The error for a database written by a newer traider. */
export function newerSchemaMessage(location: string, version: number): string {
  return `${location}: database schema version ${version} is newer than this traider supports (${SCHEMA_VERSION}); upgrade traider to open it (nothing was written)`;
}
