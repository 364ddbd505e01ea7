// Every route of the API, in the order the OpenAPI document lists them.
import type { RouteSpec } from '../route.ts';
import type { ServerContext } from './context.ts';
import { deploymentRoutes } from './deployments.ts';
import { journalRoutes } from './journal-reads.ts';
import { systemRoutes } from './system.ts';
import { tokenRoutes } from './tokens.ts';

export type { ServerContext } from './context.ts';

export function allRoutes(context: ServerContext): RouteSpec[] {
  return [...systemRoutes(context), ...deploymentRoutes(context), ...journalRoutes(context), ...tokenRoutes(context)];
}
