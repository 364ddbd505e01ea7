// The address a server started as a child process prints on stdout (its first http://127.0.0.1:PORT).
import type { ChildProcess } from 'node:child_process';

export function started(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const url = /(http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
      if (url) resolve(url);
    });
    child.once('close', (code) => reject(new Error(`server exited (${code}) before listening`)));
  });
}
