// The HTTP API of `traider serve`.
export { buildServer, type BuiltServer } from './server.ts';
export { openApiDocument } from './openapi.ts';
export type { ServerContext } from './routes/index.ts';
export type { RouteSpec, RouteRole } from './route.ts';
export { serve, type RunningServer, type ServeRequest } from './serve.ts';
