// The OpenAPI 3.1 document of /api/v1, built from the route specs: every operation with its full path, its role
// (x-role), its parameters and body as JSON Schema (from the same zod schemas the server validates with).
import { z } from 'zod';
import { SESSION_COOKIE } from './edge/index.ts';
import type { RouteSpec } from './route.ts';

type JsonSchema = Record<string, unknown>;

const schemaOf = (schema: z.ZodType): JsonSchema => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;

function parametersOf(schema: z.ZodType | undefined, where: 'path' | 'query'): JsonSchema[] {
  if (schema === undefined) return [];
  const object = schemaOf(schema) as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(object.properties ?? {}).map(([name, property]) => {
    const { description, ...rest } = property;
    return { name, in: where, required: where === 'path' || (object.required ?? []).includes(name), schema: rest, ...(description === undefined ? {} : { description }) };
  });
}

const PROBLEMS = {
  type: 'object',
  properties: {
    error: { type: 'string' },
    problems: { type: 'array', items: { type: 'object', properties: { path: { type: 'string' }, value: {}, rule: { type: 'string' } }, required: ['path', 'rule'] } },
  },
  required: ['error'],
};

export function openApiDocument(routes: readonly RouteSpec[], version: string): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const spec of routes) {
    const guarded = spec.role !== 'public';
    const responses: Record<string, JsonSchema> = { '200': { description: spec.responds ?? 'OK' } };
    if (spec.body !== undefined || spec.query !== undefined) responses['400'] = { description: 'invalid request: every problem listed', content: { 'application/json': { schema: PROBLEMS } } };
    if (guarded) {
      responses['401'] = { description: 'no valid credentials' };
      responses['403'] = { description: `needs the ${spec.role} role` };
    }
    if (spec.params !== undefined) responses['404'] = { description: 'no such resource' };
    const operation: JsonSchema = {
      operationId: `${spec.method.toLowerCase()}${spec.path.replace(/^\/api\/v1/, '').replace(/[{}]/g, '').replace(/[/.-](\w)/g, (_m, c: string) => c.toUpperCase())}`,
      summary: spec.summary,
      tags: [spec.tag],
      'x-role': spec.role,
      // Either credential: a bearer token, or a browser session's cookie (with x-csrf-token on a state change).
      ...(guarded ? { security: [{ bearer: [] }, { session: [] }] } : { security: [] }),
      parameters: [...parametersOf(spec.params, 'path'), ...parametersOf(spec.query, 'query')],
      ...(spec.body === undefined ? {} : { requestBody: { required: true, content: { 'application/json': { schema: schemaOf(spec.body) } } } }),
      responses,
    };
    (paths[spec.path] ??= {})[spec.method.toLowerCase()] = operation;
  }
  return {
    openapi: '3.1.0',
    info: { title: 'traider API', version, description: 'Deployments, their state and the audit log. Roles: viewer < operator < admin; x-role names the least role of each operation.' },
    servers: [{ url: '/' }],
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'an API token from `traider tokens create`' },
        session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE, description: 'a browser session from POST /api/v1/login; a state-changing request also sends its csrfToken in the x-csrf-token header' },
      },
    },
    paths,
  };
}
