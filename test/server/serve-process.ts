// `traider serve` as a child process, as an operator starts it: resolves once it prints its address.
import { type ChildProcess, spawn } from 'node:child_process';
import { BIN, ROOT } from '../crash/replay-crash.ts';

export interface Server {
  readonly child: ChildProcess;
  readonly url: string;
  readonly stderr: () => string;
  readonly exited: Promise<number | null>;
}

export function startServe(db: string, env: Record<string, string> = {}): Promise<Server> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--db', db], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let out = '';
  let err = '';
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const url = /^(http:\/\/127\.0\.0\.1:\d+)$/m.exec(out)?.[1];
      if (url) resolve({ child, url, stderr: () => err, exited });
    });
    void exited.then((code) => reject(new Error(`traider serve exited (${code}) before listening: ${err}`)));
  });
}
