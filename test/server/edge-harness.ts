// `serve()` in the test's process (the function `traider serve` runs) on a loopback port over a temp SQLite store,
// with edge options (rate limits, TLS), one token per role, and a raw HTTP client that shows status, headers and
// cookies as they are on the wire.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openJournal } from '../../src/app/store/index.ts';
import { createToken } from '../../src/app/tokens/index.ts';
import { LiveClock } from '../../src/common/index.ts';
import { type RunningServer, serve, type ServeRequest } from '../../src/server/index.ts';

export type Role = 'viewer' | 'operator' | 'admin';

export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: any;
}

export interface RequestOptions {
  /** Bearer token. */
  readonly token?: string;
  /** Cookie header value (traider_session=...). */
  readonly cookie?: string;
  /** x-csrf-token header. */
  readonly csrf?: string;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
}

export interface EdgeServer {
  readonly url: string;
  readonly dir: string;
  readonly tokens: Record<Role, string>;
  readonly logs: string[];
  request(method: string, path: string, options?: RequestOptions): Promise<Answer>;
  /** Logs in with a token: the cookie to send back (name=value) and the CSRF token. */
  login(token: string): Promise<{ cookie: string; csrf: string; answer: Answer }>;
  stop(): Promise<void>;
}

export type EdgeOptions = Partial<Omit<ServeRequest, 'db' | 'version' | 'env' | 'log'>>;

export async function startEdgeServer(options: EdgeOptions = {}): Promise<EdgeServer> {
  const dir = mkdtempSync(join(tmpdir(), 'traider-edge-'));
  const db = join(dir, 'serve.db');
  const clock = new LiveClock();
  const opened = await openJournal(db, { clock });
  const tokens = {} as Record<Role, string>;
  for (const role of ['viewer', 'operator', 'admin'] as const) tokens[role] = (await createToken(opened.store, opened.journal, clock, { name: `edge-${role}`, role, actor: 'test' })).token;
  await opened.close();
  const logs: string[] = [];
  let running: RunningServer;
  try {
    running = await serve({ db, host: '127.0.0.1', port: 0, version: 'test', env: {}, log: (line) => logs.push(line), ...options });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const request = async (method: string, path: string, o: RequestOptions = {}): Promise<Answer> => {
    const headers: Record<string, string> = { ...o.headers };
    if (o.token !== undefined) headers.authorization = `Bearer ${o.token}`;
    if (o.cookie !== undefined) headers.cookie = o.cookie;
    if (o.csrf !== undefined) headers['x-csrf-token'] = o.csrf;
    if (o.body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${running.url}${path}`, { method, headers, body: o.body === undefined ? undefined : JSON.stringify(o.body) });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, headers: response.headers, body };
  };
  return {
    url: running.url,
    dir,
    tokens,
    logs,
    request,
    async login(token) {
      const answer = await request('POST', '/api/v1/login', { body: { token } });
      const setCookie = answer.headers.getSetCookie()[0] ?? '';
      return { cookie: setCookie.split(';')[0]!, csrf: answer.body?.csrfToken, answer };
    },
    async stop() {
      await running.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
