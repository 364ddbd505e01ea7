// Where test/long/tutorial.test.ts runs the tutorial's commands: a temporary folder laid out like a fresh clone after
// `npm ci` (the checkout's files linked in, its installed node_modules too), with its own empty test/ and nothing
// else, so whatever the commands write (test/mine/..., out/, runs.db) lands in the temporary folder and never in the
// checkout. Commands run through /bin/sh as a reader's shell would run them.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * What a clone holds that the tutorial's commands read: the package and its lock, sources, CLI, bundled data, docs,
 * examples, the TypeScript and vitest configuration (its `include` decides what `npx vitest run` finds), and the
 * installed dependencies. An allow-list, so that nothing the checkout happens to hold (out/, a database) is shared.
 */
const CLONE_ENTRIES = ['package.json', 'package-lock.json', 'node_modules', 'bin', 'src', 'data', 'docs', 'examples', 'tsconfig.json', 'vitest.config.ts'];

export function makeClone(root: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'traider-tutorial-'));
  for (const entry of CLONE_ENTRIES) symlinkSync(join(root, entry), join(dir, entry));
  mkdirSync(join(dir, 'test'));
  return dir;
}

/** A port nobody listens on right now, on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** The environment of a reader's shell: the test runner's own variables and any TRAIDER_* setting left out. */
export function shellEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(VITEST|TRAIDER_|FORCE_COLOR$|NODE_ENV$|TEST$)/.test(key)) env[key] = value;
  }
  return { ...env, NO_COLOR: '1' };
}

export interface ShellResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export function runShell(command: string, cwd: string, timeoutMs: number): Promise<ShellResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', command], { cwd, env: shellEnv(), timeout: timeoutMs, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code: code ?? -1, stdout, stderr: signal ? `${stderr}\n(killed by ${signal}: over ${timeoutMs} ms?)` : stderr }));
  });
}

export interface Background {
  readonly child: ChildProcess;
  output(): string;
  /** Ctrl-C, as the reader stops it; resolves with the exit code. */
  interrupt(): Promise<number>;
}

/**
 * Starts a long-running command (`exec`, so the signal reaches it and not only the shell) and resolves once its
 * output matches `ready`; rejects if it exits first or `readyTimeoutMs` pass.
 */
export function startBackground(command: string, cwd: string, ready: RegExp, readyTimeoutMs: number): Promise<Background> {
  const child = spawn('/bin/sh', ['-c', `exec ${command}`], { cwd, env: shellEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise<number>((resolve) => child.on('close', (code, signal) => resolve(code ?? (signal ? -1 : 0))));
  const background: Background = {
    child,
    output: () => output,
    interrupt: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
      return exited;
    },
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`not ready after ${readyTimeoutMs} ms: ${command}\n${output}`));
    }, readyTimeoutMs);
    const watch = (chunk: string): void => {
      output += chunk;
      if (ready.test(output)) {
        clearTimeout(timer);
        resolve(background);
      }
    };
    child.stdout.setEncoding('utf8').on('data', watch);
    child.stderr.setEncoding('utf8').on('data', watch);
    child.on('error', reject);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`exited with code ${code} before it was ready: ${command}\n${output}`));
    });
  });
}
