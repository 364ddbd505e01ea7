// The HTTP API of `traider serve` (fastify): authentication and roles first, then each route's input validated
// against its zod schemas with every problem listed, then the use-case in src/app. /api/v1/openapi.json describes
// every route; it is built from the same specs the server registers.
import Fastify, { type FastifyInstance } from 'fastify';
import type { z } from 'zod';
import { problemsOf } from '../app/config/index.ts';
import type { Problem } from '../app/errors/index.ts';
import { registerAuth } from './auth.ts';
import { answerError, badRequest, BODY_LIMIT_BYTES } from './errors.ts';
import { registerEventsRoute } from './events-route.ts';
import type { RouteSpec } from './route.ts';
import { allRoutes, type ServerContext } from './routes/index.ts';

/** Fastify path syntax from OpenAPI's: {name} -> :name */
const fastifyPath = (path: string): string => path.replace(/\{(\w+)\}/g, ':$1');

function parse(schema: z.ZodType | undefined, value: unknown, where: string, problems: Problem[]): unknown {
  if (schema === undefined) return value;
  const result = schema.safeParse(value ?? (where === 'body' ? undefined : {}), { reportInput: true });
  if (result.success) return result.data;
  problems.push(...problemsOf(result.error.issues, where));
  return undefined;
}

function register(app: FastifyInstance, spec: RouteSpec, log: (line: string) => void): void {
  app.route({
    method: spec.method,
    url: fastifyPath(spec.path),
    config: { role: spec.role, unlimited: spec.unlimited === true },
    handler: async (request, reply) => {
      const problems: Problem[] = [];
      const params = parse(spec.params, request.params, 'params', problems);
      const query = parse(spec.query, request.query, 'query', problems);
      const body = parse(spec.body, request.body, 'body', problems);
      if (problems.length > 0) return badRequest(reply, problems);
      try {
        const answer = await spec.handler({ params, query, body, principal: request.principal, request, reply });
        if ('json' in answer) return reply.code(200).send(answer.json);
        return answer.body === undefined ? reply.code(answer.status).send() : reply.code(answer.status).send(answer.body);
      } catch (error) {
        return answerError(error, reply, log);
      }
    },
  });
}

export interface BuiltServer {
  readonly app: FastifyInstance;
  readonly routes: readonly RouteSpec[];
}

export function buildServer(context: ServerContext): BuiltServer {
  const tls = context.edge?.tls;
  // HTTPS when the edge has a certificate (an https.Server underneath; the routes see no difference).
  const app = Fastify({ logger: false, bodyLimit: BODY_LIMIT_BYTES, return503OnClosing: true, ...(tls === undefined ? {} : { https: { cert: tls.cert, key: tls.key } }) }) as unknown as FastifyInstance;
  const { sessions: browserSessions } = registerAuth(app, context);
  if (context.events !== undefined) registerEventsRoute(app, context.events);
  const routes = allRoutes(context, browserSessions);
  for (const spec of routes) register(app, spec, context.log);
  app.setErrorHandler((error, _request, reply) => answerError(error, reply, context.log));
  app.setNotFoundHandler((request, reply) => reply.code(404).send({ error: `no route ${request.method} ${request.url.split('?')[0]}` }));
  return { app, routes };
}
