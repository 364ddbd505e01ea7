// Authentication and roles, before anything else looks at a request: an onRequest hook, so a request without valid
// credentials gets 401 and one below the route's role 403 before its body is read or validated and before "not
// found" (an unknown path under /api/v1 needs credentials like any other).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { type Principal, roleAllows, type TokenVerifier } from '../app/tokens/index.ts';
import type { RouteRole } from './route.ts';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | undefined;
  }
  interface FastifyContextConfig {
    role?: RouteRole;
  }
}

/** The bearer token of a request, if it sent one. */
function bearerOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return undefined;
  const m = /^Bearer +(\S+) *$/i.exec(header);
  return m?.[1];
}

export function registerAuth(app: FastifyInstance, verifier: TokenVerifier): void {
  app.decorateRequest('principal', undefined);
  app.addHook('onRequest', async (request, reply) => {
    if (!request.url.startsWith('/api/v1')) return;
    // An unknown route has no role of its own: it needs credentials like the least guarded route.
    const role: RouteRole = request.is404 ? 'viewer' : (request.routeOptions.config.role ?? 'admin');
    if (role === 'public') return;
    const token = bearerOf(request);
    const principal = token === undefined ? undefined : await verifier.verify(token);
    if (principal === undefined) {
      return reply
        .code(401)
        .header('www-authenticate', 'Bearer realm="traider"')
        .send({ error: token === undefined ? 'credentials required: send Authorization: Bearer <token>' : 'invalid or revoked token' });
    }
    if (!roleAllows(principal.role, role)) return reply.code(403).send({ error: `needs the ${role} role; ${principal.name} is ${principal.role}` });
    request.principal = principal;
  });
}
