// Every route of the API, in the order the OpenAPI document lists them.
import { eventsRouteDocument } from '../events-route.ts';
import { openApiDocument } from '../openapi.ts';
import type { RouteSpec } from '../route.ts';
import type { BrowserSessions } from '../edge/index.ts';
import type { ServerContext } from './context.ts';
import { deploymentRoutes } from './deployments.ts';
import { journalRoutes } from './journal-reads.ts';
import { loginRoutes } from './login.ts';
import { systemRoutes } from './system.ts';
import { tokenRoutes } from './tokens.ts';

export type { ServerContext } from './context.ts';

export function allRoutes(context: ServerContext, sessions: BrowserSessions): RouteSpec[] {
  let document: unknown;
  const routes = [...systemRoutes(context, () => document), ...loginRoutes(context, sessions), ...deploymentRoutes(context), ...journalRoutes(context), ...tokenRoutes(context)];
  document = openApiDocument(context.events === undefined ? routes : [...routes, eventsRouteDocument], context.version);
  return routes;
}
