// Rate limits with small configured budgets (5 a minute), over real loopback HTTP: the 6th request of a token gets
// 429 with retry-after and an error naming the limit; two tokens have separate budgets, and a cookie session spends
// its token's; requests without valid credentials are limited per client address (127.0.0.1 and 127.0.0.2 are two
// addresses), and once an address has spent its budget on wrong credentials, further credentials from it are not
// even verified.
import { request as httpRequest } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { TokenVerifier } from '../../src/app/tokens/index.ts';
import { type Answer, type EdgeServer, startEdgeServer } from './edge-harness.ts';

afterEach(() => vi.restoreAllMocks());

function expectRefused(answer: Answer, limit: 'token' | 'address'): void {
  expect(answer.status).toBe(429);
  const retryAfter = Number(answer.headers.get('retry-after'));
  expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60).toBe(true);
  expect(answer.body).toMatchObject({ limit, max: 5, retryAfterSeconds: retryAfter });
  expect(answer.body.error).toMatch(limit === 'token' ? /at most 5 requests a minute per API token/ : /at most 5 requests a minute per client address/);
}

describe('per token (--rate-limit-token 5)', () => {
  let server: EdgeServer;
  beforeAll(async () => {
    server = await startEdgeServer({ rateLimitToken: 5, rateLimitAddress: 1000 });
  });
  afterAll(() => server.stop());

  it('answers 5 requests of a token and refuses the 6th with 429, while another token keeps its own budget', async () => {
    for (let i = 0; i < 5; i++) expect((await server.request('GET', '/api/v1/deployments', { token: server.tokens.viewer })).status).toBe(200);
    expectRefused(await server.request('GET', '/api/v1/deployments', { token: server.tokens.viewer }), 'token');
    // The budget is the token's, whatever the route.
    expectRefused(await server.request('GET', '/api/v1/runs', { token: server.tokens.viewer }), 'token');
    for (let i = 0; i < 5; i++) expect((await server.request('GET', '/api/v1/deployments', { token: server.tokens.operator })).status).toBe(200);
    expectRefused(await server.request('GET', '/api/v1/deployments', { token: server.tokens.operator }), 'token');
    // The big red button is not refused for a spent budget.
    const killed = await server.request('POST', '/api/v1/kill', { token: server.tokens.operator, body: { confirm: 'ALL' } });
    expect(killed.status, JSON.stringify(killed.body)).toBe(200);
    expect((await server.request('POST', '/api/v1/deployments/none/emergency-stop', { token: server.tokens.operator, body: { confirm: 'none' } })).status).toBe(404);
  });

  it("counts a cookie session's requests against the token it was made from", async () => {
    const { cookie } = await server.login(server.tokens.admin);
    for (let i = 0; i < 3; i++) expect((await server.request('GET', '/api/v1/deployments', { cookie })).status).toBe(200);
    for (let i = 0; i < 2; i++) expect((await server.request('GET', '/api/v1/deployments', { token: server.tokens.admin })).status).toBe(200);
    expectRefused(await server.request('GET', '/api/v1/deployments', { cookie }), 'token');
    expectRefused(await server.request('GET', '/api/v1/deployments', { token: server.tokens.admin }), 'token');
  });
});

/** GET from a chosen local address (any of 127.0.0.0/8 reaches a server on 127.0.0.1). */
function getFrom(localAddress: string, url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { localAddress, headers }, (response) => {
      let text = '';
      response.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) }));
    });
    req.on('error', reject).end();
  });
}

describe('per client address without valid credentials (--rate-limit-address 5)', () => {
  let server: EdgeServer;
  beforeAll(async () => {
    server = await startEdgeServer({ rateLimitToken: 1000, rateLimitAddress: 5 });
  });
  afterAll(() => server.stop());

  it('refuses the 6th request without credentials from an address (public routes and login count), not those of another address', async () => {
    expect((await server.request('GET', '/api/v1/health')).status).toBe(200);
    expect((await server.request('POST', '/api/v1/login', { body: { token: server.tokens.viewer } })).status).toBe(200);
    for (let i = 0; i < 3; i++) expect((await server.request('GET', '/api/v1/deployments')).status).toBe(401);
    expectRefused(await server.request('GET', '/api/v1/deployments'), 'address');
    expectRefused(await server.request('GET', '/api/v1/health'), 'address');
    expectRefused(await server.request('POST', '/api/v1/login', { body: { token: server.tokens.viewer } }), 'address');
    // Another address has its own budget.
    const url = `${server.url}/api/v1/deployments`;
    expect((await getFrom('127.0.0.2', url)).status).toBe(401);
    expect((await getFrom('127.0.0.2', url, { authorization: `Bearer ${server.tokens.viewer}` })).status).toBe(200);
  });

  it('stops a flood of wrong credentials by address before verifying them', async () => {
    const verify = vi.spyOn(TokenVerifier.prototype, 'verify');
    const url = `${server.url}/api/v1/deployments`;
    // The real id of a token with a wrong secret: the costly case (a scrypt hash per attempt).
    const wrong = server.tokens.operator.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
    for (let i = 0; i < 5; i++) expect((await getFrom('127.0.0.3', url, { authorization: `Bearer ${wrong}` })).status).toBe(401);
    expect(verify).toHaveBeenCalledTimes(5);
    const refused = await getFrom('127.0.0.3', url, { authorization: `Bearer ${wrong}` });
    expect(refused.status).toBe(429);
    expect(refused.body.limit).toBe('address');
    // A bad session cookie from the same address: refused too, without a look.
    expect((await getFrom('127.0.0.3', url, { cookie: `traider_session=${'A'.repeat(43)}` })).status).toBe(429);
    expect(verify).toHaveBeenCalledTimes(5);
  });
});
