// Browser sessions: login exchanges an API token for a session cookie (HttpOnly, SameSite=Strict, Path=/api) and a
// CSRF token the page sends back in x-csrf-token with every state-changing request; logout ends the session. Both
// are public routes (login is spent from the client address's rate limit like any request without credentials).
// Login takes JSON only, so another site cannot log a browser in with a plain form post (a cross-site JSON post
// needs a CORS preflight, which this server never grants).
import { z } from 'zod';
import { type BrowserSessions, clearedCookieOptions, CSRF_HEADER, csrfMatches, SESSION_COOKIE, sessionCookieOptions, sessionIdOf } from '../edge/index.ts';
import { json, route, type RouteSpec } from '../route.ts';
import type { ServerContext } from './context.ts';

export function loginRoutes(context: ServerContext, sessions: BrowserSessions): RouteSpec[] {
  return [
    route({
      method: 'POST',
      path: '/api/v1/login',
      role: 'public',
      tag: 'system',
      summary: 'exchanges an API token for a browser session: a session cookie, and the CSRF token to send in x-csrf-token with every state-changing request',
      body: z.strictObject({ token: z.string().min(1).max(200).describe('an API token (trd_...)') }),
      handler: async ({ body, request, reply }) => {
        const principal = await context.verifier.verify(body.token);
        if (principal === undefined) return { status: 401, body: { error: 'invalid or revoked token' } };
        // A browser logging in again leaves no orphan session behind.
        const previous = sessionIdOf(request);
        if (previous !== undefined) sessions.end(previous);
        const session = sessions.create(body.token, principal.tokenId);
        reply.setCookie(SESSION_COOKIE, session.id, sessionCookieOptions(request, sessions.maxAgeMs));
        return json({ principal: { name: principal.name, role: principal.role }, csrfToken: session.csrfToken });
      },
    }),
    route({
      method: 'POST',
      path: '/api/v1/logout',
      role: 'public',
      tag: 'system',
      summary: 'ends the browser session of the cookie (its CSRF token in x-csrf-token) and clears the cookie; without a session there is nothing to end',
      responds: 'No content',
      handler: ({ request, reply }) => {
        const id = sessionIdOf(request);
        const session = id === undefined ? undefined : sessions.find(id);
        if (session !== undefined) {
          // Logout changes state like any other POST made with the cookie: another page must not end the session.
          if (!csrfMatches(session.csrfToken, request.headers[CSRF_HEADER])) return { status: 403, body: { error: `CSRF token missing or wrong: logout with the session cookie needs the session's CSRF token in the ${CSRF_HEADER} header` } };
          sessions.end(session.id);
        }
        reply.clearCookie(SESSION_COOKIE, clearedCookieOptions(request));
        return { status: 204 };
      },
    }),
  ];
}
