// Browser sessions over real loopback HTTP: login gives an HttpOnly, SameSite=Strict cookie for /api and a CSRF
// token; with the cookie, reads need nothing more, a state-changing request needs the CSRF token (and without it
// changes nothing), while the same request with a bearer token needs none; logout and revoking the token end the
// session; a cookie-authenticated WebSocket upgrade from a foreign page is refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type EdgeServer, startEdgeServer } from './edge-harness.ts';

let server: EdgeServer;

beforeAll(async () => {
  server = await startEdgeServer();
});
afterAll(() => server.stop());

const tokenNames = async (): Promise<string[]> => (await server.request('GET', '/api/v1/tokens', { token: server.tokens.admin })).body.map((t: { name: string }) => t.name).sort();
const newToken = (name: string) => ({ name, role: 'viewer', confirm: name });

describe('POST /api/v1/login', () => {
  it('answers the principal and a CSRF token, and sets an HttpOnly SameSite=Strict cookie on /api with a long random id', async () => {
    const { answer, csrf } = await server.login(server.tokens.operator);
    expect(answer.status).toBe(200);
    expect(answer.body.principal).toEqual({ name: 'edge-operator', role: 'operator' });
    expect(csrf).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const cookies = answer.headers.getSetCookie();
    expect(cookies).toHaveLength(1);
    const [pair, ...attributes] = cookies[0]!.split(/; */);
    // 32 random bytes, base64url: 256 bits (>= 128 asked).
    expect(pair).toMatch(/^traider_session=[A-Za-z0-9_-]{43}$/);
    expect(attributes).toEqual(expect.arrayContaining(['HttpOnly', 'SameSite=Strict', 'Path=/api', 'Max-Age=43200']));
    // Plain HTTP on loopback: not Secure (the browser would not send it back).
    expect(attributes).not.toContain('Secure');
  });

  it('refuses a wrong token with 401 and no cookie', async () => {
    const { answer } = await server.login('trd_000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    expect(answer.status).toBe(401);
    expect(answer.headers.getSetCookie()).toEqual([]);
  });

  it('gives each login its own session id and CSRF token', async () => {
    const a = await server.login(server.tokens.viewer);
    const b = await server.login(server.tokens.viewer);
    expect(a.cookie).not.toBe(b.cookie);
    expect(a.csrf).not.toBe(b.csrf);
  });
});

describe('a request with the session cookie', () => {
  it('reads with the cookie alone', async () => {
    const { cookie } = await server.login(server.tokens.viewer);
    const answer = await server.request('GET', '/api/v1/deployments', { cookie });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual([]);
  });

  it('is refused (403) when it changes state without the CSRF token, or with a wrong one, and changes nothing', async () => {
    const { cookie, csrf } = await server.login(server.tokens.admin);
    const before = await tokenNames();
    const without = await server.request('POST', '/api/v1/tokens', { cookie, body: newToken('no-csrf') });
    expect(without.status).toBe(403);
    expect(without.body.error).toMatch(/CSRF token missing or wrong.*x-csrf-token/);
    const wrong = await server.request('POST', '/api/v1/tokens', { cookie, csrf: `${csrf.slice(0, -1)}x`, body: newToken('wrong-csrf') });
    expect(wrong.status).toBe(403);
    // Another session's CSRF token is not this one's.
    const other = await server.login(server.tokens.admin);
    expect((await server.request('POST', '/api/v1/tokens', { cookie, csrf: other.csrf, body: newToken('other-csrf') })).status).toBe(403);
    expect(await tokenNames()).toEqual(before);
  });

  it('changes state with the right CSRF token', async () => {
    const { cookie, csrf } = await server.login(server.tokens.admin);
    const answer = await server.request('POST', '/api/v1/tokens', { cookie, csrf, body: newToken('with-csrf') });
    expect(answer.status).toBe(201);
    expect(await tokenNames()).toContain('with-csrf');
  });

  it('keeps the role of its token: a viewer session may not do what needs an operator', async () => {
    const { cookie, csrf } = await server.login(server.tokens.viewer);
    const answer = await server.request('POST', '/api/v1/tokens', { cookie, csrf, body: newToken('by-viewer') });
    expect(answer.status).toBe(403);
    expect(answer.body.error).toMatch(/needs the admin role/);
  });
});

describe('the same state-changing request with a bearer token', () => {
  it('needs no CSRF token', async () => {
    const answer = await server.request('POST', '/api/v1/tokens', { token: server.tokens.admin, body: newToken('by-bearer') });
    expect(answer.status).toBe(201);
    expect(await tokenNames()).toContain('by-bearer');
  });
});

describe('ending a session', () => {
  it('logout ends it and clears the cookie: the next use gets 401', async () => {
    const { cookie, csrf } = await server.login(server.tokens.viewer);
    expect((await server.request('GET', '/api/v1/deployments', { cookie })).status).toBe(200);
    // Logging out is a state change like any other: another page must not end the session.
    expect((await server.request('POST', '/api/v1/logout', { cookie })).status).toBe(403);
    expect((await server.request('GET', '/api/v1/deployments', { cookie })).status).toBe(200);
    const logout = await server.request('POST', '/api/v1/logout', { cookie, csrf });
    expect(logout.status).toBe(204);
    const cleared = logout.headers.getSetCookie()[0]!;
    expect(cleared).toMatch(/^traider_session=;/);
    expect(cleared).toMatch(/Path=\/api/);
    expect(cleared).toMatch(/Expires=Thu, 01 Jan 1970/);
    const after = await server.request('GET', '/api/v1/deployments', { cookie });
    expect(after.status).toBe(401);
    expect(after.body.error).toMatch(/session expired or ended/);
  });

  it('revoking the token it was made from ends it at once', async () => {
    const created = await server.request('POST', '/api/v1/tokens', { token: server.tokens.admin, body: newToken('revoked-soon') });
    const { cookie } = await server.login(created.body.token);
    expect((await server.request('GET', '/api/v1/deployments', { cookie })).status).toBe(200);
    expect((await server.request('POST', `/api/v1/tokens/${created.body.id}/revoke`, { token: server.tokens.admin, body: { confirm: 'revoked-soon' } })).status).toBe(200);
    const after = await server.request('GET', '/api/v1/deployments', { cookie });
    expect(after.status).toBe(401);
    expect(after.body.error).toMatch(/revoked/);
  });

  it('a made-up session id is no credential, and the answer clears it', async () => {
    const answer = await server.request('GET', '/api/v1/deployments', { cookie: `traider_session=${'A'.repeat(43)}` });
    expect(answer.status).toBe(401);
    expect(answer.headers.getSetCookie()[0]).toMatch(/^traider_session=;.*Expires=Thu, 01 Jan 1970/);
  });
});

/** Opens a WebSocket to /api/v1/events and says how the upgrade went: 'open' or the refusal's status. */
function upgrade(headers: Record<string, string>, origin?: string): Promise<'open' | number> {
  const url = `${server.url.replace(/^http/, 'ws')}/api/v1/events`;
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers, ...(origin === undefined ? {} : { origin }) });
    socket.once('open', () => {
      socket.close();
      resolve('open');
    });
    socket.once('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0);
      socket.terminate();
    });
    socket.once('error', (error) => reject(error));
  });
}

describe('a WebSocket upgrade with the session cookie', () => {
  it("is refused (403) when the page that opens it is another origin's, and accepted from this server's own", async () => {
    const { cookie } = await server.login(server.tokens.viewer);
    expect(await upgrade({ cookie }, 'http://evil.example')).toBe(403);
    // Another port of the same host is another origin (and the same site: the cookie would be sent).
    expect(await upgrade({ cookie }, server.url.replace(/:(\d+)$/, (_m, port: string) => `:${Number(port) + 1}`))).toBe(403);
    expect(await upgrade({ cookie }, server.url)).toBe('open');
    // Not from a browser (no Origin): nothing to hijack.
    expect(await upgrade({ cookie })).toBe('open');
  });

  it('without credentials is refused with 401', async () => {
    expect(await upgrade({}, server.url)).toBe(401);
  });
});
