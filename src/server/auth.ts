// Authentication, roles and the edge's checks, before anything else looks at a request: an onRequest hook, so a
// request without valid credentials gets 401 and one below the route's role 403 before its body is read or validated
// and before "not found" (an unknown path under /api/v1 needs credentials like any other).
// Credentials are a bearer token or a browser session cookie (from POST /api/v1/login). With the cookie, a
// state-changing request also needs the session's CSRF token, and a WebSocket upgrade must come from this server's
// own origin. Rate limits are spent here too, since which budget a request spends depends on who sent it
// (edge/rate-limits.ts).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type Principal, roleAllows, type TokenVerifier } from '../app/tokens/index.ts';
import type { Clock } from '../common/index.ts';
import { type BrowserSession, changesState, clearedCookieOptions, CSRF_HEADER, csrfMatches, type Edge, type EdgeSettings, foreignOrigin, isWebSocketUpgrade, registerEdge, SESSION_COOKIE, sessionIdOf } from './edge/index.ts';
import type { RouteRole } from './route.ts';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | undefined;
  }
  interface FastifyContextConfig {
    role?: RouteRole;
    unlimited?: boolean;
  }
}

export interface AuthContext {
  readonly verifier: TokenVerifier;
  readonly clock: Clock;
  readonly edge?: EdgeSettings;
}

type Credentials = { readonly kind: 'bearer'; readonly token: string } | { readonly kind: 'cookie'; readonly sessionId: string };
type Authenticated = { readonly principal: Principal; readonly session?: BrowserSession };

/** The bearer token of a request, if it sent one. */
function bearerOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return undefined;
  const m = /^Bearer +(\S+) *$/i.exec(header);
  return m?.[1];
}

/** A bearer token wins over a cookie: it is the explicit credential (and the one no other site can make a browser send). */
function credentialsOf(request: FastifyRequest): Credentials | undefined {
  const token = bearerOf(request);
  if (token !== undefined) return { kind: 'bearer', token };
  const sessionId = sessionIdOf(request);
  return sessionId === undefined ? undefined : { kind: 'cookie', sessionId };
}

const isApi = (url: string): boolean => url === '/api' || url.startsWith('/api/') || url.startsWith('/api?');

export function registerAuth(app: FastifyInstance, context: AuthContext): Edge {
  const edge = registerEdge(app, context.edge ?? {}, context.clock);
  const { sessions, limits } = edge;

  /** Who the credentials stand for, or why they do not hold. The session's token is verified again every time. */
  async function authenticate(credentials: Credentials): Promise<Authenticated | string> {
    if (credentials.kind === 'bearer') {
      const principal = await context.verifier.verify(credentials.token);
      return principal === undefined ? 'invalid or revoked token' : { principal };
    }
    const session = sessions.find(credentials.sessionId);
    if (session === undefined) return 'session expired or ended: log in again (POST /api/v1/login)';
    const principal = await context.verifier.verify(session.token);
    if (principal !== undefined) return { principal, session };
    sessions.end(session.id);
    return 'the token of this session is revoked: session ended';
  }

  const unauthorized = (reply: FastifyReply, error: string): FastifyReply => reply.code(401).header('www-authenticate', 'Bearer realm="traider"').send({ error });

  app.decorateRequest('principal', undefined);
  app.addHook('onRequest', async (request, reply) => {
    if (!isApi(request.url)) return;
    // API answers are per caller and change from one moment to the next: no cache, browser or shared, keeps one.
    reply.header('cache-control', 'no-store');
    // An unknown route has no role of its own: it needs credentials like the least guarded route.
    const role: RouteRole = request.is404 ? 'viewer' : (request.routeOptions.config.role ?? 'admin');
    if (role === 'public') {
      if (await limits.spendAddress(request, reply)) return reply;
      return;
    }
    const credentials = credentialsOf(request);
    if (credentials === undefined) {
      if (await limits.spendAddress(request, reply)) return reply;
      return unauthorized(reply, 'credentials required: send Authorization: Bearer <token>, or log in (POST /api/v1/login) for a session cookie');
    }
    // Credentials cost a verification: an address that has used up its budget gets none.
    if (await limits.checkAddress(request, reply)) return reply;
    const found = await authenticate(credentials);
    if (typeof found === 'string') {
      if (await limits.spendAddress(request, reply)) return reply;
      if (credentials.kind === 'cookie') reply.clearCookie(SESSION_COOKIE, clearedCookieOptions(request));
      return unauthorized(reply, found);
    }
    request.principal = found.principal;
    // A route marked unlimited (the big red button) spends nothing: an operator whose dashboard polled too much must still stop trading.
    if (!request.routeOptions.config.unlimited && (await limits.spendToken(request, reply))) return reply;
    if (found.session !== undefined) {
      if (changesState(request.method) && !csrfMatches(found.session.csrfToken, request.headers[CSRF_HEADER])) {
        return reply.code(403).send({ error: `CSRF token missing or wrong: a ${request.method} made with the session cookie needs the session's CSRF token (csrfToken from POST /api/v1/login) in the ${CSRF_HEADER} header; bearer requests need none` });
      }
      const foreign = isWebSocketUpgrade(request) ? foreignOrigin(request) : undefined;
      if (foreign !== undefined) return reply.code(403).send({ error: foreign });
    }
    if (!roleAllows(found.principal.role, role)) return reply.code(403).send({ error: `needs the ${role} role; ${found.principal.name} is ${found.principal.role}` });
  });
  return edge;
}
