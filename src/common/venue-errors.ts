// Our error tree for venues, grouped by what the caller should do. Venue adapters map their own
// errors into it through data tables; retry policy depends on the class only.

export const VenueErrorAction = {
  /** Transient (network, timeout, 5xx): retry soon; for orders, first ask whether it went through. */
  Retry: 'RETRY',
  /** Rate limited or banned for a while: wait (Retry-After when given), then retry. */
  BackOff: 'BACK_OFF',
  /** Credentials, permissions, configuration: a person must fix something; do not retry. */
  FixConfig: 'FIX_CONFIG',
  /** Not enough balance for the order: do not retry as is. */
  InsufficientFunds: 'INSUFFICIENT_FUNDS',
  /** The venue refused this order (bad price, size, symbol, duplicate id): do not retry as is. */
  InvalidOrder: 'INVALID_ORDER',
  /** The order (or the cancel target) does not exist there. */
  NotFound: 'NOT_FOUND',
  /** Anything unexpected: stop and report. */
  Fatal: 'FATAL',
} as const;
export type VenueErrorAction = (typeof VenueErrorAction)[keyof typeof VenueErrorAction];

export class VenueError extends Error {
  constructor(
    readonly action: VenueErrorAction,
    message: string,
    /** The venue's own error name or code, for logs and audit. */
    readonly venueCode: string,
    /** Milliseconds to wait before retrying, when the venue said so. */
    readonly retryAfterMs?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'VenueError';
  }

  get retryable(): boolean {
    return this.action === VenueErrorAction.Retry || this.action === VenueErrorAction.BackOff;
  }
}

export interface RetryPolicy {
  readonly maxAttempts: number;
  /** First delay; doubles each attempt up to `maxDelayMs`, with jitter from the caller's random source. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

/** Retry policy by class: transient errors retry quickly, back-offs wait longer, the rest never retry. */
export const RETRY_POLICIES: Readonly<Record<VenueErrorAction, RetryPolicy>> = {
  RETRY: { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 2_000 },
  BACK_OFF: { maxAttempts: 5, baseDelayMs: 1_000, maxDelayMs: 30_000 },
  FIX_CONFIG: { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0 },
  INSUFFICIENT_FUNDS: { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0 },
  INVALID_ORDER: { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0 },
  NOT_FOUND: { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0 },
  FATAL: { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0 },
};

/** The policy of an error's class: the class alone decides how often and how patiently to retry. */
export function policyFor(error: VenueError): RetryPolicy {
  return RETRY_POLICIES[error.action];
}

/** Delay before attempt `attempt` (1-based retry count), exponential with full jitter in [0.5, 1]. */
export function retryDelay(error: VenueError, attempt: number, random: () => number): number {
  const policy = policyFor(error);
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  const jittered = exponential * (0.5 + 0.5 * random());
  return Math.max(jittered, error.retryAfterMs ?? 0);
}

/** What a retry loop takes from its caller: the venue's error table, a way to wait, a jitter source. */
export interface RetryRunner<S> {
  /** Maps whatever the venue's client threw into this tree (each adapter's own data table). */
  readonly toError: (raw: unknown) => VenueError;
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
  /** Called before each wait, with the failure and the subject (counting, remembering the last error). */
  readonly onRetry?: (error: VenueError, subject: S) => void;
}

/**
 * Run `action(subject, attempt)` until it succeeds or its failure's class says stop: not retryable, or
 * out of the attempts of its policy; waits `retryDelay` between attempts. Throws the last failure as a
 * VenueError. The subject is handed through so that callers pass a function made once, not a closure
 * per request.
 */
export async function withRetry<S, T>(action: (subject: S, attempt: number) => Promise<T>, subject: S, runner: RetryRunner<S>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await action(subject, attempt);
    } catch (raw) {
      const error = runner.toError(raw);
      if (!error.retryable || attempt >= policyFor(error).maxAttempts) throw error;
      runner.onRetry?.(error, subject);
      await runner.sleep(retryDelay(error, attempt, runner.random));
    }
  }
}
