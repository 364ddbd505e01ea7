// `traider tokens` on the store directly, and the refusals `traider deploy` prints from a real server: every problem
// on its own line and exit code 1; a missing token or an unreachable server said plainly.
import { mkdtempSync, rmSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, startApi } from '../server/harness.ts';
import { runCliAsync } from './run-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'traider-tokens-'));
const db = join(dir, 'tokens.db');
let api: ApiHarness;
beforeAll(async () => {
  api = await startApi();
});
afterAll(async () => {
  await api.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('traider tokens', () => {
  it('create prints the token alone on the last stdout line; list shows it without the secret; revoke marks it', async () => {
    const created = await runCliAsync(['tokens', 'create', '--name', 'alice', '--role', 'admin', '--db', db]);
    expect(created.code, created.stderr).toBe(0);
    const lines = created.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^trd_[0-9a-f]{12}_[A-Za-z0-9_-]{32}$/);
    expect(created.stderr).toMatch(/^token alice \(id [0-9a-f]{12}, role admin\) created; it is shown once/);
    const listed = JSON.parse((await runCliAsync(['tokens', 'list', '--db', db, '--json'])).stdout) as Record<string, unknown>[];
    expect(listed).toEqual([expect.objectContaining({ name: 'alice', role: 'admin', revokedAt: null, createdBy: expect.stringMatching(/^cli:/) })]);
    expect(JSON.stringify(listed)).not.toContain(lines[0]!.slice(17));
    expect(JSON.stringify(listed)).not.toContain('scrypt');
    const revoked = await runCliAsync(['tokens', 'revoke', 'alice', '--db', db]);
    expect(revoked.stdout).toMatch(/^token alice \(id [0-9a-f]{12}\) revoked at /);
    expect((await runCliAsync(['tokens', 'list', '--db', db])).stdout).toMatch(/alice +admin .* revoked /);
  });

  it('refuses a second token of the same name, a role that does not exist and a bad name', async () => {
    const again = await runCliAsync(['tokens', 'create', '--name', 'alice', '--role', 'viewer', '--db', db]);
    expect([again.code, again.stderr.trim()]).toEqual([1, expect.stringMatching(/^error: --name: a token named "alice" exists already \(id [0-9a-f]{12}, revoked\)$/)]);
    const role = await runCliAsync(['tokens', 'create', '--name', 'bob', '--role', 'root', '--db', db]);
    expect(role.code).not.toBe(0);
    expect(role.stderr).toContain("option '--role <role>' argument 'root' is invalid. Allowed choices are viewer, operator, admin.");
    const name = await runCliAsync(['tokens', 'create', '--name', 'has space', '--role', 'viewer', '--db', db]);
    expect(name.stderr.trim()).toBe('error: --name: must be 1-64 letters, digits, \'.\', \'_\' or \'-\', starting with a letter or digit (got "has space")');
  });
});

/** A loopback port nothing listens on (one the system just handed out and took back). */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

describe('traider deploy refusals', () => {
  const env = () => ({ ...process.env, TRAIDER_SERVER: api.url, TRAIDER_TOKEN: api.tokens.operator });

  it('prints every problem the server lists and exits 1', async () => {
    const run = await runCliAsync(['deploy', 'create', '--name', 'x', '--strategy', 'sma-cross', '--symbols', 'btcusdt', '--exchange', 'binance', '--params', '{"fast":"ten","lowr":1}'], { env: env() });
    expect(run.code).toBe(1);
    const lines = run.stderr.trim().split('\n');
    expect(lines[0]).toBe("error: POST /deployments: 400 invalid request (1 problem):");
    expect(lines.some((l) => l.startsWith('  body.symbols[0]: must look like BASE/QUOTE'))).toBe(true);
    // The strategy's parameters are checked only once the request is well-formed: these come in a second answer.
    const fixed = await runCliAsync(['deploy', 'create', '--name', 'x', '--strategy', 'sma-cross', '--symbols', 'BTC/USDT', '--exchange', 'binance', '--params', '{"fast":"ten","lowr":1}'], { env: env() });
    expect(fixed.stderr).toContain('  body.params.lowr: ');
    expect(fixed.stderr).toContain('  body.params.fast: ');
  });

  it('a viewer is told the role it lacks; no token and no server are said plainly', async () => {
    const viewer = await runCliAsync(['deploy', 'pause', 'x'], { env: { ...env(), TRAIDER_TOKEN: api.tokens.viewer } });
    expect([viewer.code, viewer.stderr.trim()]).toEqual([1, 'error: POST /deployments/x/pause: 403 needs the operator role; test-viewer is viewer']);
    const noToken = await runCliAsync(['deploy', 'list'], { env: { ...env(), TRAIDER_TOKEN: '' } });
    expect(noToken.stderr).toContain('error: --token: needed (or TRAIDER_TOKEN)');
    const closed = await closedPort();
    const noServer = await runCliAsync(['status', '--server', `http://127.0.0.1:${closed}`], { env: env() });
    expect(noServer.stderr.trim()).toBe(`error: cannot reach the traider server at http://127.0.0.1:${closed} (ECONNREFUSED): is \`traider serve\` running there?`);
  });
});
