// API tokens over HTTP (admin): list, issue (the token is in the answer, once), revoke.
import { z } from 'zod';
import { API_ROLES, createToken, findToken, listTokens, revokeToken } from '../../app/tokens/index.ts';
import { InvalidRequestError } from '../../app/errors/index.ts';
import { json, route, type RouteSpec } from '../route.ts';
import type { ServerContext } from './context.ts';

export function tokenRoutes(context: ServerContext): RouteSpec[] {
  const { store, journal, clock } = context;
  return [
    route({ method: 'GET', path: '/api/v1/tokens', role: 'admin', tag: 'tokens', summary: 'every token (never its secret)', handler: async () => json(await listTokens(store)) }),
    route({
      method: 'POST',
      path: '/api/v1/tokens',
      role: 'admin',
      tag: 'tokens',
      summary: 'issues a token; the answer holds it once and it is never shown again',
      responds: 'Created',
      body: z.strictObject({ name: z.string(), role: z.enum(API_ROLES as [string, ...string[]]), confirm: z.string().describe('the new token name, typed again') }),
      handler: async ({ body, principal }) => {
        if (body.confirm !== body.name) throw new InvalidRequestError([{ path: 'body.confirm', value: body.confirm, rule: `must name the target of this request, ${JSON.stringify(body.name)}` }]);
        const issued = await createToken(store, journal, clock, { name: body.name, role: body.role, actor: principal!.actor });
        return { status: 201, body: { ...issued.view, token: issued.token } };
      },
    }),
    route({
      method: 'POST',
      path: '/api/v1/tokens/{id}/revoke',
      role: 'admin',
      tag: 'tokens',
      summary: 'revokes a token (by id or name): the next request with it gets 401',
      params: z.strictObject({ id: z.string() }),
      body: z.strictObject({ confirm: z.string().describe('the token id or name, typed again') }),
      handler: async ({ params, body, principal }) => {
        const found = await findToken(store, params.id, 'id');
        if (body.confirm !== found.id && body.confirm !== found.name) throw new InvalidRequestError([{ path: 'body.confirm', value: body.confirm, rule: `must name the target of this request, ${JSON.stringify(found.name)} or ${found.id}` }]);
        return json(await revokeToken(store, journal, clock, { token: found.id, actor: principal!.actor }));
      },
    }),
  ];
}
