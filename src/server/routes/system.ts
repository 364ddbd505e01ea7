// Public routes: health, the OpenAPI document, login and logout.
import { z } from 'zod';
import { json, route, type RouteSpec } from '../route.ts';
import type { ServerContext } from './context.ts';

/** `document` gives the OpenAPI document, built once every route exists. */
export function systemRoutes(context: ServerContext, document: () => unknown): RouteSpec[] {
  return [
    route({
      method: 'GET',
      path: '/api/v1/health',
      role: 'public',
      tag: 'system',
      summary: 'whether the server answers, its version and the store it uses',
      handler: () => json({ status: 'ok', version: context.version, time: context.clock.now(), store: context.store.dialect }),
    }),
    route({
      method: 'GET',
      path: '/api/v1/openapi.json',
      role: 'public',
      tag: 'system',
      summary: 'this document',
      handler: () => json(document()),
    }),
    route({
      method: 'POST',
      path: '/api/v1/login',
      role: 'public',
      tag: 'system',
      summary: 'checks a token and says whose it is and its role',
      body: z.strictObject({ token: z.string().min(1).max(200) }),
      handler: async ({ body }) => {
        const principal = await context.verifier.verify(body.token);
        if (principal === undefined) return { status: 401, body: { error: 'invalid or revoked token' } };
        return json({ name: principal.name, role: principal.role });
      },
    }),
    route({
      method: 'POST',
      path: '/api/v1/logout',
      role: 'public',
      tag: 'system',
      summary: 'ends a browser session (a bearer token has none to end)',
      responds: 'No content',
      handler: () => ({ status: 204 }),
    }),
  ];
}
