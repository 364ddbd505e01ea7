// The Store port: the durable journal of runs and the audit log. SQLite and PostgreSQL implement it alike.
import type { Bar, Fill, OrderEventKind, OrderSide, OrderStatus, OrderType, TimeInForce } from '../core/index.ts';

export const RunKind = { Backtest: 'BACKTEST', Paper: 'PAPER', Live: 'LIVE' } as const;
export type RunKind = (typeof RunKind)[keyof typeof RunKind];

export const RunStatus = { Running: 'RUNNING', Finished: 'FINISHED', Failed: 'FAILED' } as const;
export type RunStatus = (typeof RunStatus)[keyof typeof RunStatus];

/** A value that survives a JSON round trip. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** A backtest, paper or live session as it starts: enough to run it again. */
export interface RunStart {
  readonly id: string;
  readonly kind: RunKind;
  readonly strategy: string;
  readonly symbols: readonly string[];
  readonly market: string | null;
  readonly timeframe: string | null;
  /** Risk or deployment mode (BACKTEST, PAPER, LIVE_MINIMAL, ...). */
  readonly mode: string | null;
  /** Who started it: a person, or the program for scheduled sessions. */
  readonly actor: string;
  /** Strategy parameters, effective configuration, command line: anything needed to repeat the run. */
  readonly parameters: { readonly [key: string]: JsonValue };
  /** SHA-256 (hex) of each input data file, by file name. */
  readonly dataHashes: { readonly [file: string]: string };
  /** UTC ms. */
  readonly startedAt: number;
}

export interface RunEnd {
  readonly runId: string;
  readonly status: typeof RunStatus.Finished | typeof RunStatus.Failed;
  readonly finishedAt: number;
  /** The results (a backtest's summary); null when there are none. */
  readonly summary: JsonValue;
  /** Why a FAILED run failed. */
  readonly error: string | null;
}

export interface RunRecord extends RunStart {
  readonly status: RunStatus;
  readonly finishedAt: number | null;
  readonly summary: JsonValue;
  readonly error: string | null;
}

/** What every journal row carries besides its own fields. */
interface RunScoped {
  readonly runId: string;
  /** UTC ms. */
  readonly time: number;
}

/** The fields of an order that do not change over its life. */
export interface OrderFields {
  readonly orderId: string;
  readonly symbol: string;
  readonly side: OrderSide;
  readonly type: OrderType;
  readonly quantity: number;
  readonly price: number | null;
  readonly stopPrice: number | null;
  readonly timeInForce: TimeInForce;
  readonly tag: string | null;
}

/** One step of an order's life, as stored. */
export interface OrderEventRecord extends RunScoped {
  readonly orderId: string;
  readonly kind: OrderEventKind;
  /** Status after the event. */
  readonly status: OrderStatus;
  readonly filledQuantity: number;
  readonly fillId: string | null;
  /** Machine-readable code of a denial or rejection. */
  readonly reason: string | null;
  readonly detail: string | null;
}

/** An order event as written: the event plus the order's fixed fields (the store keeps the latest state per order). */
export type OrderEventInput = OrderEventRecord & OrderFields;

/** The latest state of an order, derived by the store from its events. */
export interface OrderRecord extends OrderFields {
  readonly runId: string;
  readonly status: OrderStatus;
  readonly filledQuantity: number;
  /** Time of the first journaled event. */
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** A fill as journaled: the kernel's Fill with its id as `fillId`, its time from RunScoped. */
export interface FillRecord extends RunScoped, Omit<Fill, 'id' | 'time' | 'feeQuantity'> {
  readonly fillId: string;
  /** The fee paid in the base asset (Fill.feeQuantity); null or absent: paid in the account currency. */
  readonly feeQuantity?: number | null;
}

export interface PositionRecord extends RunScoped {
  readonly symbol: string;
  readonly quantity: number;
  /** Null when flat. */
  readonly averagePrice: number | null;
  /** Cost basis of what is held and realized P&L so far, in ledger units. */
  readonly cost: bigint;
  readonly realizedPnl: bigint;
}

export interface BalanceRecord extends RunScoped {
  readonly currency: string;
  /** Ledger units. */
  readonly total: bigint;
  readonly free: bigint;
}

export interface EquityRecord extends RunScoped {
  /** Cash plus positions marked to market, in the account currency. */
  readonly equity: number;
  readonly cash: number;
}

/** A market bar a run acted on, as journaled so a resumed run can replay it; (runId, symbol, openTime) is unique. */
/** A bar as journaled: the strategy's bar with the A-share fields stored as null when the data has none. */
export interface BarRecord extends Omit<Bar, 'adjustmentFactor' | 'preClose'> {
  readonly runId: string;
  readonly adjustmentFactor: number | null;
  readonly preClose: number | null;
}

export interface DenialRecord extends RunScoped {
  readonly orderId: string | null;
  readonly symbol: string | null;
  readonly reason: string;
  readonly detail: string;
  readonly value: number | null;
  readonly limit: number | null;
}

export interface BreakerRecord extends RunScoped {
  readonly level: string;
  readonly previousLevel: string;
  readonly cause: string;
  readonly value: number;
  readonly threshold: number;
  readonly actor: string | null;
  readonly detail: string | null;
}

export interface ModeChangeRecord extends RunScoped {
  readonly fromMode: string;
  readonly toMode: string;
  /** Who changed it (a person for promotions and overrides, the program for automatic step-downs). */
  readonly actor: string;
  readonly reason: string | null;
}

/**
 * One entry of the hash chain. `payload` is the canonical JSON text exactly as hashed;
 * hash = SHA-256 over the entry's canonical bytes followed by `prevHash` (see docs/audit.md).
 */
export interface AuditEntry {
  readonly seq: number;
  readonly time: number;
  readonly actor: string;
  readonly kind: string;
  readonly payload: string;
  readonly prevHash: string;
  readonly hash: string;
}

/** The head of the chain kept apart from it, updated with every batch: a deleted tail shows against it. */
export interface AuditCheckpoint {
  readonly count: number;
  readonly headSeq: number;
  readonly headHash: string;
  readonly updatedAt: number;
}

export const ApiRole = { Viewer: 'viewer', Operator: 'operator', Admin: 'admin' } as const;
export type ApiRole = (typeof ApiRole)[keyof typeof ApiRole];

/** An API token: only a hash of its secret is stored. */
export interface TokenRecord {
  /** Public id (unique), part of the token the client sends. */
  readonly id: string;
  /** Unique among tokens, revoked or not. */
  readonly name: string;
  readonly role: ApiRole;
  /** Opaque to the store (the app writes "scrypt$..." here). */
  readonly secretHash: string;
  /** UTC ms. */
  readonly createdAt: number;
  readonly createdBy: string;
  readonly revokedAt: number | null;
  readonly revokedBy: string | null;
}

/** A strategy running as a service. */
export interface DeploymentRecord {
  /** Unique key. */
  readonly name: string;
  /** Built-in name or file path. */
  readonly strategy: string;
  readonly parameters: { readonly [key: string]: JsonValue };
  readonly symbols: readonly string[];
  /** ccxt exchange id. */
  readonly exchange: string;
  /** Venue base URL (the local exchange), null for the exchange's own. */
  readonly url: string | null;
  /** A NAME whose environment variables hold the keys; never the keys. */
  readonly credentials: string | null;
  readonly capital: number;
  /** Bar interval the session trades on ('1m', '1h', ...). */
  readonly timeframe: string;
  /** PAPER | LIVE_MINIMAL | LIVE_SCALED | EMERGENCY_STOP */
  readonly mode: string;
  /** ACTIVE | PAUSED | STOPPED */
  readonly status: string;
  /** Risk configuration overrides ({} for none). */
  readonly limits: { readonly [key: string]: JsonValue };
  /** The journal run of its session (resumed after a restart). */
  readonly runId: string | null;
  readonly createdAt: number;
  readonly createdBy: string;
  readonly updatedAt: number;
  /** 1 at creation, +1 per change: a write of version v replaces only the stored version v-1. */
  readonly version: number;
}

/** Everything one commit writes, in one transaction: all of it is durable, or none of it. */
export interface StoreBatch {
  /** Commit time (UTC ms), recorded on the audit checkpoint. */
  readonly time: number;
  readonly runs?: readonly RunStart[];
  readonly orderEvents?: readonly OrderEventInput[];
  readonly fills?: readonly FillRecord[];
  readonly positions?: readonly PositionRecord[];
  readonly balances?: readonly BalanceRecord[];
  readonly equity?: readonly EquityRecord[];
  readonly bars?: readonly BarRecord[];
  readonly denials?: readonly DenialRecord[];
  readonly breakerEvents?: readonly BreakerRecord[];
  readonly modeChanges?: readonly ModeChangeRecord[];
  /** Applied after every other record of the batch. */
  readonly runEnds?: readonly RunEnd[];
  /** Inserted, or replacing the stored token with the same id; a name another token id has is refused (INVALID_RECORD). */
  readonly tokens?: readonly TokenRecord[];
  /**
   * Inserted (version 1, no stored row) or replacing the stored row of that name whose version is one less;
   * any other stored version fails the whole batch with CONFLICT.
   */
  readonly deployments?: readonly DeploymentRecord[];
  /** Contiguous seqs continuing the stored head; the store also advances the checkpoint. */
  readonly audit?: readonly AuditEntry[];
}

/** Every journal row of one run, each list in the order it was written. */
export interface RunJournal {
  readonly orders: OrderRecord[];
  readonly orderEvents: OrderEventRecord[];
  readonly fills: FillRecord[];
  readonly positions: PositionRecord[];
  readonly balances: BalanceRecord[];
  readonly equity: EquityRecord[];
  readonly bars: BarRecord[];
  readonly denials: DenialRecord[];
  readonly breakerEvents: BreakerRecord[];
  readonly modeChanges: ModeChangeRecord[];
}

/** The parts of a run's journal, for reading only some of them. */
export type JournalPart = keyof RunJournal;

/** Every part of a run's journal, in RunJournal's order. */
export const JOURNAL_PARTS: readonly JournalPart[] = ['orders', 'orderEvents', 'fills', 'positions', 'balances', 'equity', 'bars', 'denials', 'breakerEvents', 'modeChanges'];

/** A journal with every part empty (new arrays each call), to be filled part by part. */
export function emptyJournal(): RunJournal {
  return Object.fromEntries(JOURNAL_PARTS.map((part) => [part, []])) as unknown as RunJournal;
}

export interface RunQuery {
  /** Newest first; default 100. */
  readonly limit?: number;
  readonly kind?: RunKind;
}

export interface AuditQuery {
  /** Entries with seq greater than this, ascending. */
  readonly afterSeq: number;
  readonly limit: number;
  /** Highest seq to return. */
  readonly toSeq?: number;
  /** Time range [fromTime, toTime), UTC ms. */
  readonly fromTime?: number;
  readonly toTime?: number;
}

/** What reading the audit log needs (verification and export use only this). */
export interface AuditReader {
  readAudit(query: AuditQuery): Promise<AuditEntry[]>;
  /** The entry with this hash, wherever it sits (used to explain a broken link). */
  findAuditByHash(hash: string): Promise<AuditEntry | undefined>;
  /** The entry that links to this hash (its prevHash), wherever it sits. */
  findAuditByPrevHash(prevHash: string): Promise<AuditEntry | undefined>;
  /** The highest-seq entry and the checkpoint, each undefined when absent. */
  auditHead(): Promise<{ last: AuditEntry | undefined; checkpoint: AuditCheckpoint | undefined }>;
}

export const StoreDialect = { Sqlite: 'sqlite', Postgres: 'postgres' } as const;
export type StoreDialect = (typeof StoreDialect)[keyof typeof StoreDialect];

/** The durable store. Writers go through a journal that groups records into batches. */
export interface Store extends AuditReader {
  readonly dialect: StoreDialect;
  /** File path or URL without its password: safe to print. */
  readonly location: string;
  /** Schema version of the database after migrations. */
  readonly schemaVersion: number;
  /** Write a batch in one transaction; resolves once it is durable. */
  write(batch: StoreBatch): Promise<void>;
  listRuns(query?: RunQuery): Promise<RunRecord[]>;
  getRun(runId: string): Promise<RunRecord | undefined>;
  /** Runs whose id starts with `prefix` (at most `limit`, default 10). */
  findRuns(prefix: string, limit?: number): Promise<RunRecord[]>;
  /**
   * A run's journal, every table in the order written. With `parts`, only those tables are read; the others come
   * back empty (a view that needs the fills need not read every bar and equity point).
   */
  readRunJournal(runId: string, parts?: readonly JournalPart[]): Promise<RunJournal>;
  /**
   * The last `limit` rows of one part of a run's journal, in the order written: a view over a long run (its recent
   * bars, its latest equity point) reads that window, not the run.
   */
  readRunTail<P extends JournalPart>(runId: string, part: P, limit: number): Promise<RunJournal[P]>;
  /** Every token, revoked or not, by createdAt, then id. */
  listTokens(): Promise<TokenRecord[]>;
  getToken(id: string): Promise<TokenRecord | undefined>;
  /** Every deployment, by name. */
  listDeployments(): Promise<DeploymentRecord[]>;
  getDeployment(name: string): Promise<DeploymentRecord | undefined>;
  close(): Promise<void>;
}

export const StoreErrorCode = {
  /** --db is neither a path nor a postgres:// URL, or the URL is malformed. */
  BadUrl: 'BAD_URL',
  /** The path cannot be created or written. */
  Unwritable: 'UNWRITABLE',
  /** A reader was pointed at a database that does not exist or has no traider schema. */
  NotFound: 'NOT_FOUND',
  /** The file is not a SQLite database. */
  NotADatabase: 'NOT_A_DATABASE',
  /** Written by a newer traider: refused rather than guessed at. */
  NewerSchema: 'NEWER_SCHEMA',
  ConnectionFailed: 'CONNECTION_FAILED',
  /** Another writer advanced the audit chain under us. */
  ConcurrentWriter: 'CONCURRENT_WRITER',
  /** A record that cannot be stored as given (non-finite number, unknown run, duplicate id). */
  InvalidRecord: 'INVALID_RECORD',
  /** A deployment was changed by someone else since it was read (its stored version is not the one the change follows). */
  Conflict: 'CONFLICT',
  /** The store was closed, or an earlier write failed and the journal stopped. */
  Closed: 'CLOSED',
} as const;
export type StoreErrorCode = (typeof StoreErrorCode)[keyof typeof StoreErrorCode];

export class StoreError extends Error {
  override name = 'StoreError';
  constructor(
    readonly code: StoreErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
