// Public routes: health, the OpenAPI document, login and logout.
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
  ];
}
