// The bind rule and the edge's flags: `traider serve` listens on loopback unless TLS or --insecure-bind is given
// (then it warns), TLS needs both files and real ones, rate limits are positive integers; each refusal names the
// flag, the value and the rule, and exits non-zero before the store is opened.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isLoopback } from '../../src/server/edge/index.ts';
import { serve } from '../../src/server/index.ts';
import { runInProcess } from '../cli/in-process.ts';
import { ROOT } from '../cli/run-cli.ts';
import { selfSignedCertificate } from './edge-cert.ts';

const BIN = join(ROOT, 'bin/traider.js');
let dir: string;
/** The store each refused command would have opened: its own per test, so that one failure does not spread. */
let db: string;
let tests = 0;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'traider-bind-'));
});
beforeEach(() => {
  db = join(dir, `serve-${++tests}.db`);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('loopback', () => {
  it('is localhost, 127.0.0.0/8 and ::1 in any spelling; nothing else', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', 'LOCALHOST', '::1', '[::1]', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1']) expect(isLoopback(host), host).toBe(true);
    for (const host of ['0.0.0.0', '::', '192.168.1.20', '10.0.0.1', '::2', 'example.com', '128.0.0.1', '::ffff:10.0.0.1', '']) expect(isLoopback(host), host).toBe(false);
  });
});

describe('traider serve --host', () => {
  it('refuses 0.0.0.0, ::, a LAN address or a host name without TLS or --insecure-bind: exit 1, the message names the flags, and no store is created', async () => {
    for (const host of ['0.0.0.0', '::', '192.168.1.20', 'example.com']) {
      const result = await runInProcess(['serve', '--host', host, '--port', '0', '--db', db]);
      expect(result.code, host).toBe(1);
      expect(result.stderr).toBe(
        `error: --host: ${host} is not a loopback address, and plain HTTP would carry API tokens and session cookies across the network in clear text: serve HTTPS with --tls-cert FILE and --tls-key FILE, or listen on 127.0.0.1 (the default), or accept the risk with --insecure-bind\n`,
      );
      expect(result.stdout).toBe('');
    }
    expect(existsSync(db)).toBe(false);
  });

  it('starts on 0.0.0.0 with --insecure-bind, with a warning on stderr, and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, [BIN, 'serve', '--host', '0.0.0.0', '--insecure-bind', '--port', '0', '--db', db], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        stdout += chunk;
        const found = /^(http:\/\/[^\s]+:\d+)$/m.exec(stdout)?.[1];
        if (found) resolve(found);
      });
      void exited.then((code) => reject(new Error(`exited (${code}): ${stderr}`)));
    });
    try {
      expect(stderr).toContain('warning: listening on 0.0.0.0 over plain HTTP (insecure bind)');
      expect((await fetch(`${url}/api/v1/health`)).status).toBe(200);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });
});

describe('the TLS flags', () => {
  it('need each other, and existing files (exit 1 naming the flag)', async () => {
    const cert = join(dir, 'cert.pem');
    const missing = await runInProcess(['serve', '--tls-cert', join(dir, 'missing.pem'), '--tls-key', join(dir, 'missing.key'), '--port', '0', '--db', db]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(`error: --tls-cert: no such file: ${join(dir, 'missing.pem')}\n`);
    writeFileSync(cert, selfSignedCertificate().cert);
    const noKey = await runInProcess(['serve', '--tls-cert', cert, '--port', '0', '--db', db]);
    expect(noKey.code).toBe(1);
    expect(noKey.stderr).toBe('error: --tls-cert needs --tls-key FILE too (the private key of the certificate)\n');
    const noCert = await runInProcess(['serve', '--tls-key', cert, '--port', '0', '--db', db]);
    expect(noCert.code).toBe(1);
    expect(noCert.stderr).toBe('error: --tls-key needs --tls-cert FILE too (the certificate to serve HTTPS with)\n');
    const missingKey = await runInProcess(['serve', '--tls-cert', cert, '--tls-key', join(dir, 'missing.key'), '--port', '0', '--db', db]);
    expect(missingKey.stderr).toBe(`error: --tls-key: no such file: ${join(dir, 'missing.key')}\n`);
    expect(existsSync(db)).toBe(false);
  });

  it('refuse a key that is not the certificate\'s, and a file that is not a certificate', async () => {
    const cert = join(dir, 'a.pem');
    const otherKey = join(dir, 'b.key');
    writeFileSync(cert, selfSignedCertificate().cert);
    writeFileSync(otherKey, selfSignedCertificate().key);
    const mismatch = await runInProcess(['serve', '--tls-cert', cert, '--tls-key', otherKey, '--port', '0', '--db', db]);
    expect(mismatch.code).toBe(1);
    expect(mismatch.stderr).toBe(`error: --tls-key: ${otherKey} is not the private key of the certificate in ${cert}\n`);
    const notCert = await runInProcess(['serve', '--tls-cert', otherKey, '--tls-key', otherKey, '--port', '0', '--db', db]);
    expect(notCert.code).toBe(1);
    expect(notCert.stderr).toMatch(new RegExp(`^error: --tls-cert: ${otherKey} is not a PEM certificate`));
  });
});

describe('the rate limit flags and options', () => {
  it('take positive integers only, naming the flag, the value and the rule', async () => {
    for (const [flag, value] of [['--rate-limit-token', '0'], ['--rate-limit-token', '1.5'], ['--rate-limit-address', 'lots'], ['--rate-limit-address', '-3']] as const) {
      const result = await runInProcess(['serve', flag, value, '--port', '0', '--db', db]);
      expect(result.code, `${flag} ${value}`).not.toBe(0);
      expect(result.stderr).toBe(`error: ${flag}: expected a positive integer of requests a minute (got "${value}")\n`);
    }
    expect(existsSync(db)).toBe(false);
  });

  it('are checked in the serve request too (the field, the value, the rule)', async () => {
    const request = { db, host: '127.0.0.1', port: 0, version: 'test', env: {}, log: () => {} };
    await expect(serve({ ...request, rateLimitToken: 0 })).rejects.toMatchObject({ name: 'InputError', field: 'rateLimitToken', value: 0, message: 'rateLimitToken: must be a positive integer (requests a minute), got 0' });
    await expect(serve({ ...request, rateLimitAddress: 2.5 })).rejects.toThrow(/^rateLimitAddress: must be a positive integer \(requests a minute\), got 2\.5$/);
    await expect(serve({ ...request, host: '::' })).rejects.toThrow(/^host: :: is not a loopback address/);
    expect(existsSync(db)).toBe(false);
  });
});
