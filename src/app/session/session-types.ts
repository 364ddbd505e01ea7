// What a paper or live session is asked to do (the request) and what it reports when it finishes (the summary).
import type { TraiderConfig } from '../config/index.ts';
import type { DataQualitySummary } from './data-quality.ts';
import type { SessionEventListener } from './session-events.ts';
import type { OpenOrderSummary, OpenPositionSummary, SessionStatus } from './session-status.ts';

export interface SessionRequest {
  readonly mode: 'paper' | 'live';
  readonly exchange: string;
  readonly url?: string;
  readonly symbols: readonly string[];
  readonly strategy: string;
  readonly params?: unknown;
  readonly timeframe: string;
  readonly config: TraiderConfig;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Paper: starting cash in the quote currency. Live uses the exchange balance. */
  readonly capital?: number;
  /** Stop after this many wall-clock milliseconds (default: until stopped). */
  readonly durationMs?: number;
  readonly warmupBars?: number;
  readonly signal?: AbortSignal;
  readonly log: (line: string) => void;
  /** Identifies the session in client order ids (so retries and restarts stay idempotent). */
  readonly sessionId: string;
  /** Journal database (path or postgres:// URL); undefined: nothing is journaled. */
  readonly db?: string;
  /**
   * Live: holdings the exchange has that the platform did not book are taken into the books at the
   * start (a person's decision, named by `actor`). Without it, such a symbol is halted.
   */
  readonly adoptPositions?: boolean;
  /** Who runs the session (audit log). */
  readonly actor?: string;
  /** Paper: continue the ledger, positions and open orders of this earlier run (from the journal). */
  readonly resume?: string;
  /** On stop: close every open position with market orders (through the kernel) before finishing. */
  readonly flattenOnExit?: boolean;
  /** On stop: how long to wait for the venue to confirm cancels, and (flatten) for the closing fills; default 10 s each. */
  readonly shutdownTimeoutMs?: number;
  /** Other sources of the same market data (same exchange API, no credentials): consensus and failover. */
  readonly referenceUrls?: readonly string[];
  /**
   * Log a status line (bars, last prices, positions, equity, breaker level, data age) every this many wall
   * milliseconds; 0 or undefined: none.
   */
  readonly statusEveryMs?: number;
  /** Called once the session trades (after warm-up) with a handle to read it while it runs (the server's status routes). */
  readonly onRunning?: (handle: RunningSession) => void;
}

/** A running session as its host reads it. */
export interface RunningSession {
  /** The journal run it writes, undefined without a journal. */
  readonly runId: string | undefined;
  status(): SessionStatus;
  /** The data quality level of each source (venue, references) now. */
  dataQuality(): DataQualitySummary['levels'];
  /** Fills, order changes, breaker changes and equity as they happen; returns the unsubscribe. */
  subscribe(listener: SessionEventListener): () => void;
  /**
   * Emergency stop, in this call: the kill switch halts all trading (EMERGENCY_CLOSE with `flatten`: every
   * position gets a closing market order), every open order is canceled, and the session then ends once the
   * closing orders are done (bounded by the shutdown timeout). `actor` is the person, for the audit trail.
   */
  emergencyStop(actor: string, options: { readonly flatten: boolean; readonly reason?: string }): void;
}

/** An order still open when the session finished: the venue did not confirm its cancel. */
export interface UnCanceledOrderSummary extends Omit<OpenOrderSummary, 'price' | 'stopPrice'> {
  /** Why: the venue's refusal, or no confirmation within the shutdown timeout. */
  reason: string;
}

/** A breaker level change, as a backtest's summary lists it. */
export interface BreakerEventSummary {
  time: number;
  level: string;
  previousLevel: string;
  cause: string;
  value: number;
  threshold: number;
}

export interface SessionSummary {
  mode: string;
  exchange: string;
  symbols: string[];
  clockRate: number;
  bars: number;
  books: number;
  orders: number;
  fills: number;
  trades: number;
  denials: Record<string, number>;
  /** Every breaker level change of this session (a resumed run's played-back ones are not repeated). */
  breakerEvents: BreakerEventSummary[];
  initialCapital: number;
  finalEquity: number;
  feesPaid: number;
  reconnects: number;
  longestBookGapMs: number;
  discrepancies: number;
  /** Quality level per source (venue, ref1, ...), events, withheld bars, outliers, failovers. */
  dataQuality: DataQualitySummary;
  /** Positions held at the end (after --flatten-on-exit, if given). */
  openPositions: OpenPositionSummary[];
  /** Orders the venue would not cancel (or did not confirm in time) at shutdown. */
  unCanceledOrders: UnCanceledOrderSummary[];
  /** Orders open when the session stopped (before the shutdown canceled them), with their status after it. */
  openOrders: OpenOrderSummary[];
  /** Wall-clock time (UTC ms, the computer's clock) the session started. */
  startedAt: number;
  /** Open time of the first bar and close time of the last bar the session received (venue time); null without bars. */
  dataStart: number | null;
  dataEnd: number | null;
}
