// Every operation of the OpenAPI document is guarded as its x-role says: 401 without credentials (or with a bad or
// revoked token), 403 for each role below its own, before validation and before "not found". The sweep reads the
// document the server serves, so a new route cannot escape it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, type Role, startApi } from './harness.ts';

const RANK = { public: 0, viewer: 1, operator: 2, admin: 3 } as const;
let api: ApiHarness;
let doc: { openapi: string; paths: Record<string, Record<string, { 'x-role': keyof typeof RANK }>> };

beforeAll(async () => {
  api = await startApi();
  doc = (await api.call('GET', '/api/v1/openapi.json')).body;
});
afterAll(() => api.close());

const operations = () => Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ method: method.toUpperCase(), path, role: op['x-role'] })));
const concrete = (path: string) => path.replace(/\{[^}]+\}/g, 'no-such-thing');

describe('the OpenAPI document', () => {
  it('lists every operation under /api/v1 with its full path and a role from public, viewer, operator, admin', () => {
    expect(doc.openapi).toBe('3.1.0');
    const ops = operations();
    expect(ops.length).toBeGreaterThanOrEqual(20);
    for (const op of ops) {
      expect(op.path.startsWith('/api/v1/')).toBe(true);
      expect(Object.keys(RANK)).toContain(op.role);
    }
    // Guarded operations take either credential, public ones none.
    for (const [, ops] of Object.entries(doc.paths)) for (const op of Object.values(ops) as Array<{ 'x-role': string; security: unknown }>) expect(op.security).toEqual(op['x-role'] === 'public' ? [] : [{ bearer: [] }, { session: [] }]);
    expect(Object.keys((doc as unknown as { components: { securitySchemes: object } }).components.securitySchemes)).toEqual(['bearer', 'session']);
    // The public ones are exactly these four.
    expect(ops.filter((op) => op.role === 'public').map((op) => `${op.method} ${op.path}`).sort()).toEqual(['GET /api/v1/health', 'GET /api/v1/openapi.json', 'POST /api/v1/login', 'POST /api/v1/logout']);
  });
});

describe('every guarded operation', () => {
  it('answers 401 without credentials, with a malformed or unknown token, and 403 to each role below its own', async () => {
    const problems: string[] = [];
    let guarded = 0;
    for (const op of operations()) {
      if (op.role === 'public') continue;
      guarded++;
      const path = concrete(op.path);
      const body = op.method === 'GET' ? undefined : { nonsense: true };
      for (const token of [undefined, 'not-a-token', 'trd_000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA']) {
        const r = await api.call(op.method, path, { as: token, body });
        if (r.status !== 401) problems.push(`${op.method} ${op.path} with ${token ?? 'no token'}: ${r.status}`);
      }
      for (const role of ['viewer', 'operator', 'admin'] as Role[]) {
        const r = await api.call(op.method, path, { as: role, body });
        const below = RANK[role] < RANK[op.role];
        if (below && r.status !== 403) problems.push(`${op.method} ${op.path} as ${role} (needs ${op.role}): ${r.status}`);
        if (!below && (r.status === 401 || r.status === 403)) problems.push(`${op.method} ${op.path} as ${role} (needs ${op.role}): refused with ${r.status}`);
      }
    }
    expect(problems).toEqual([]);
    expect(guarded).toBeGreaterThanOrEqual(16);
  });

  it('an unknown path under /api/v1 answers 401 without credentials and 404 with them', async () => {
    expect((await api.call('GET', '/api/v1/no-such-route')).status).toBe(401);
    expect((await api.call('DELETE', '/api/v1/deployments/x/y/z')).status).toBe(401);
    expect((await api.call('GET', '/api/v1/no-such-route', { as: 'viewer' })).status).toBe(404);
  });

  it('a revoked token gets 401 from the next request on', async () => {
    const created = await api.call('POST', '/api/v1/tokens', { as: 'admin', body: { name: 'short-lived', role: 'viewer', confirm: 'short-lived' } });
    expect(created.status).toBe(201);
    expect((await api.call('GET', '/api/v1/deployments', { as: created.body.token })).status).toBe(200);
    expect((await api.call('POST', `/api/v1/tokens/${created.body.id}/revoke`, { as: 'admin', body: { confirm: 'short-lived' } })).status).toBe(200);
    expect((await api.call('GET', '/api/v1/deployments', { as: created.body.token })).status).toBe(401);
  });
});
