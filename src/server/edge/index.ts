// The server's edge: what stands between the network and the routes. Browser sessions (cookie + CSRF), rate
// limits, security headers, the bind rule and TLS. The auth hook (../auth.ts) puts them to work on every request.
import fastifyCookie from '@fastify/cookie';
import type { FastifyInstance } from 'fastify';
import type { Clock } from '../../common/index.ts';
import { registerHeaders } from './headers.ts';
import { type RateLimits, registerRateLimits } from './rate-limits.ts';
import { BrowserSessions } from './sessions.ts';
import type { EdgeSettings } from './settings.ts';

export { checkBind, isLoopback, type BindRequest } from './bind.ts';
export { clearedCookieOptions, COOKIE_PATH, SESSION_COOKIE, sessionCookieOptions, sessionIdOf } from './cookie.ts';
export { changesState, CSRF_HEADER, csrfMatches } from './csrf.ts';
export { foreignOrigin, isWebSocketUpgrade } from './origin.ts';
export type { RateLimits } from './rate-limits.ts';
export { BrowserSessions, type BrowserSession, type BrowserSessionOptions } from './sessions.ts';
export { checkPerMinute, DEFAULT_RATE_LIMIT_ADDRESS, DEFAULT_RATE_LIMIT_TOKEN, DEFAULT_SESSION_MAX_AGE_MS, type EdgeSettings, type TlsMaterial } from './settings.ts';
export { prepareEdge, type EdgeRequest } from './prepare.ts';
export { readTls } from './tls.ts';

export interface Edge {
  readonly sessions: BrowserSessions;
  readonly limits: RateLimits;
}

/** Registers the edge's plugins (cookies, headers, rate limits) on the server, before its auth hook and routes. */
export function registerEdge(app: FastifyInstance, settings: EdgeSettings, clock: Clock): Edge {
  void app.register(fastifyCookie);
  registerHeaders(app, settings.tls !== undefined);
  const limits = registerRateLimits(app, settings);
  const sessions = new BrowserSessions(clock, { maxAgeMs: settings.sessionMaxAgeMs, idleMs: settings.sessionIdleMs });
  return { sessions, limits };
}
