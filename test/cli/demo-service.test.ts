// `traider demo` runs the service: while it runs, the API address and the operator token it prints answer for its
// paper deployment; when --duration is over it ends with the session's summary as its last stdout line, and its
// temporary store is gone. A port that is taken is refused naming --port.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { demoStatusLine } from '../../src/app/demo/index.ts';
import { openJournal } from '../../src/app/store/index.ts';
import { createToken } from '../../src/app/tokens/index.ts';
import { LiveClock } from '../../src/common/index.ts';
import { ROOT, runCliAsync } from './run-cli.ts';

const BIN = `${ROOT}bin/traider.js`;

interface RunningDemo {
  /** Resolves with the first match of `pattern` in stderr (the --json demo prints every line but the summary there). */
  waitFor(pattern: RegExp): Promise<RegExpExecArray>;
  readonly exited: Promise<{ code: number | null; stdout: string; stderr: string }>;
  /** SIGTERM (the demo stops cleanly, removing its temporary store) and wait for the exit: a failed test leaves nothing behind. */
  stop(): Promise<void>;
}

function startDemo(args: string[]): RunningDemo {
  const child = spawn(process.execPath, [BIN, 'demo', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
  let stdout = '';
  let stderr = '';
  const waiting: Array<() => void> = [];
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    for (const check of waiting) check();
  });
  const exited = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
  return {
    exited,
    stop: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited.then(() => undefined);
    },
    waitFor: (pattern) =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          const match = pattern.exec(stderr);
          if (match) resolve(match);
        };
        waiting.push(check);
        check();
        void exited.then(() => reject(new Error(`the demo exited before printing ${pattern}:\n${stderr}`)));
      }),
  };
}

describe('traider demo runs the service', () => {
  it('prints an API address and an operator token that answer for the paper deployment while it runs, then ends with the JSON summary', async () => {
    const demo = startDemo(['--duration', '3', '--json', '--port', '0', '--status-every', '0']);
    onTestFinished(() => demo.stop());
    const [, server] = await demo.waitFor(/^api: (http:\/\/127\.0\.0\.1:\d+)\/api\/v1 /m);
    const [, token] = await demo.waitFor(/^token: (trd_\S+) /m);
    const [, store] = await demo.waitFor(/^store: (\S+) \(temporary/m);
    expect(existsSync(store!)).toBe(true);

    const answer = await fetch(`${server}/api/v1/deployments/demo/status`, { headers: { authorization: `Bearer ${token}` } });
    expect(answer.status).toBe(200);
    const status = (await answer.json()) as { name: string; mode: string; status: string };
    expect(status).toMatchObject({ name: 'demo', mode: 'PAPER', status: 'ACTIVE' });
    // The address is the service's: without the token it refuses.
    expect((await fetch(`${server}/api/v1/deployments/demo/status`)).status).toBe(401);

    const run = await demo.exited;
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const summary = JSON.parse(lines.at(-1)!) as { fills: unknown; mode: string; symbols: string[]; api: string; deployment: string };
    expect(typeof summary.fills).toBe('number');
    expect(summary).toMatchObject({ mode: 'paper', symbols: ['BTC/USDT'], api: `${server}/api/v1`, deployment: 'demo' });
    // --duration over: the service is gone, and so is its temporary store.
    await expect(fetch(`${server}/api/v1/deployments/demo/status`, { headers: { authorization: `Bearer ${token}` } })).rejects.toThrow();
    expect(existsSync(store!)).toBe(false);
  });

  it('refuses a port another program listens on, naming --port, before starting anything', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const run = await runCliAsync(['demo', '--duration', '1', '--port', String(port)]);
      expect(run.stderr).toContain(`error: --port: ${port} is in use on 127.0.0.1`);
      expect(run.stdout).not.toContain('local exchange on');
      expect(run.code).toBe(2);
    } finally {
      blocker.close();
    }
  });

  it('takes a free port when the default 8080 is taken, and says so', async () => {
    // 8080 is taken either by this blocker or by whatever already listens there.
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => {
      blocker.once('error', () => resolve());
      blocker.listen(8080, '127.0.0.1', resolve);
    });
    try {
      const run = await runCliAsync(['demo', '--duration', '1', '--json']);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).toContain("--port: 8080 is taken on 127.0.0.1: the demo's API takes a free port instead (give --port N to choose)");
      const api = JSON.parse(run.stdout.trim().split('\n').at(-1)!).api as string;
      expect(api).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v1$/);
      expect(api).not.toContain(':8080/');
    } finally {
      blocker.close();
    }
  });

  it('refuses a --db whose store has a token named demo already, before starting anything', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'traider-demo-db-'));
    onTestFinished(() => rmSync(folder, { recursive: true, force: true }));
    const db = join(folder, 'taken.db');
    const { store, journal, close } = await openJournal(db);
    await createToken(store, journal, new LiveClock(), { name: 'demo', role: 'viewer', actor: 'test' });
    await close();
    const run = await runCliAsync(['demo', '--duration', '1', '--port', '0', '--db', db]);
    expect(run.stderr).toContain(`error: --db: ${db} holds a token named "demo" already: give a new file, or leave --db out for a temporary one`);
    expect(run.stdout).not.toContain('local exchange on');
    expect(run.code).toBe(1);
  });

  it("prints the status route's answer as the line a session prints", () => {
    const market = { bars: 120, lastPrices: { 'BTC/USDT': 55569.770000000004 }, positions: { 'BTC/USDT': 0.03587 }, equity: 9997.444, currency: 'USDT', breakerLevel: 'NORMAL', dataAgeMs: 37 };
    expect(demoStatusLine({ session: { running: true, lastError: null }, market })).toBe('status: 120 bars | BTC/USDT last 55569.77, position 0.03587 | equity 9997.44 USDT | breaker NORMAL | data age 37 ms');
    expect(demoStatusLine({ session: { running: false, lastError: null }, market: null })).toBe('status: the session is warming up');
    expect(demoStatusLine({ session: { running: false, lastError: 'ECONNREFUSED' }, market: null })).toBe('status: no session running (last error: ECONNREFUSED)');
  });

  it('refuses a port that is not one, naming --port and the value', async () => {
    const run = await runCliAsync(['demo', '--port', 'http']);
    expect(run.stderr).toContain('error: --port: expected an integer 0-65535, 0 for any free port (got "http")');
    expect(run.code).toBe(2);
  });
});
