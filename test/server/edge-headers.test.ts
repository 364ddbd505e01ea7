// Security headers on every answer (an API answer, a refusal, a 404 inside and outside /api), the CSP exactly as
// written here, no-store on /api; and `serve` with a certificate: HTTPS, HSTS, and a Secure session cookie.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selfSignedCertificate } from './edge-cert.ts';
import { type EdgeServer, startEdgeServer } from './edge-harness.ts';

const CSP = "default-src 'self';script-src 'self';object-src 'none';base-uri 'none';form-action 'self';frame-ancestors 'none'";

function expectSecurityHeaders(headers: Headers): void {
  expect(headers.get('content-security-policy')).toBe(CSP);
  expect(headers.get('x-content-type-options')).toBe('nosniff');
  expect(headers.get('referrer-policy')).toBe('no-referrer');
  expect(headers.get('x-frame-options')).toBe('DENY');
  expect(headers.get('cross-origin-opener-policy')).toBe('same-origin');
  expect(headers.get('cross-origin-resource-policy')).toBe('same-origin');
  expect(headers.get('x-powered-by')).toBeNull();
}

describe('over plain HTTP', () => {
  let server: EdgeServer;
  beforeAll(async () => {
    server = await startEdgeServer();
  });
  afterAll(() => server.stop());

  it('an API answer carries the security headers, no-store, and no HSTS', async () => {
    const answer = await server.request('GET', '/api/v1/deployments', { token: server.tokens.viewer });
    expect(answer.status).toBe(200);
    expectSecurityHeaders(answer.headers);
    expect(answer.headers.get('cache-control')).toBe('no-store');
    expect(answer.headers.get('strict-transport-security')).toBeNull();
  });

  it('so do a refusal (401), a 404 under /api and a 404 elsewhere', async () => {
    const refused = await server.request('GET', '/api/v1/deployments');
    expect(refused.status).toBe(401);
    expectSecurityHeaders(refused.headers);
    expect(refused.headers.get('cache-control')).toBe('no-store');
    const missing = await server.request('GET', '/api/v1/no-such-route', { token: server.tokens.viewer });
    expect(missing.status).toBe(404);
    expectSecurityHeaders(missing.headers);
    expect(missing.headers.get('cache-control')).toBe('no-store');
    const outside = await server.request('GET', '/index.html');
    expect(outside.status).toBe(404);
    expectSecurityHeaders(outside.headers);
  });
});

/** A request over HTTPS trusting only the test's own certificate. */
function overTls(url: string, ca: string, options: { method?: string; body?: unknown } = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: any }> {
  return new Promise((resolve, reject) => {
    const body = options.body === undefined ? undefined : JSON.stringify(options.body);
    const req = httpsRequest(url, { method: options.method ?? 'GET', ca, headers: body === undefined ? {} : { 'content-type': 'application/json' } }, (response) => {
      let text = '';
      response.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: text === '' ? undefined : JSON.parse(text) }));
    });
    req.on('error', reject).end(body);
  });
}

describe('with --tls-cert and --tls-key', () => {
  let server: EdgeServer;
  let cert: string;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'traider-tls-'));
    const material = selfSignedCertificate();
    cert = material.cert;
    writeFileSync(join(dir, 'cert.pem'), material.cert);
    writeFileSync(join(dir, 'key.pem'), material.key);
    server = await startEdgeServer({ tlsCert: join(dir, 'cert.pem'), tlsKey: join(dir, 'key.pem') });
  });
  afterAll(async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves HTTPS with HSTS, and the session cookie is Secure', async () => {
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const health = await overTls(`${server.url}/api/v1/health`, cert);
    expect(health.status).toBe(200);
    expect(health.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    expect(health.headers['content-security-policy']).toBe(CSP);
    const login = await overTls(`${server.url}/api/v1/login`, cert, { method: 'POST', body: { token: server.tokens.viewer } });
    expect(login.status).toBe(200);
    const cookie = (login.headers['set-cookie'] as string[])[0]!;
    expect(cookie.split(/; */)).toEqual(expect.arrayContaining(['Secure', 'HttpOnly', 'SameSite=Strict', 'Path=/api']));
  });
});
