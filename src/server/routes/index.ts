// Every route of the API, in the order the OpenAPI document lists them.
import { openApiDocument } from '../openapi.ts';
import type { RouteSpec } from '../route.ts';
import type { ServerContext } from './context.ts';
import { deploymentRoutes } from './deployments.ts';
import { journalRoutes } from './journal-reads.ts';
import { systemRoutes } from './system.ts';
import { tokenRoutes } from './tokens.ts';

export type { ServerContext } from './context.ts';

export function allRoutes(context: ServerContext): RouteSpec[] {
  let document: unknown;
  const routes = [...systemRoutes(context, () => document), ...deploymentRoutes(context), ...journalRoutes(context), ...tokenRoutes(context)];
  document = openApiDocument(routes, context.version);
  return routes;
}
