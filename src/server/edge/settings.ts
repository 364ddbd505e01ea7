// What the edge of the server is configured with: rate limits, browser session lifetimes, TLS. Every field is
// optional; the defaults are the safe ones (plain HTTP is only for a loopback bind, see bind.ts).
import { InputError } from '../../app/errors/index.ts';

export interface TlsMaterial {
  /** PEM certificate (chain) and private key, as read from --tls-cert and --tls-key. */
  readonly cert: string;
  readonly key: string;
}

export interface EdgeSettings {
  /** Requests a minute per API token, whether it came as a bearer token or through a cookie session made from it. */
  readonly rateLimitToken?: number;
  /** Requests a minute per client address without valid credentials (none, wrong ones, login, public routes). */
  readonly rateLimitAddress?: number;
  /** Serve HTTPS with this certificate: cookies get Secure, answers get HSTS. */
  readonly tls?: TlsMaterial;
  /** A browser session ends this long after login (default 12 h) ... */
  readonly sessionMaxAgeMs?: number;
  /** ... or after this long without a request (default: no idle limit). */
  readonly sessionIdleMs?: number;
}

export const DEFAULT_RATE_LIMIT_TOKEN = 1_200;
export const DEFAULT_RATE_LIMIT_ADDRESS = 300;
export const DEFAULT_SESSION_MAX_AGE_MS = 12 * 60 * 60 * 1000;

/** A requests-a-minute limit: a positive integer. `field` is the request's field (the CLI spells it as its flag). */
export function checkPerMinute(field: string, value: unknown): number {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) return value;
  throw new InputError(field, `must be a positive integer (requests a minute), got ${JSON.stringify(value) ?? String(value)}`, { value });
}
