// A real server on a loopback port over a real store (a temp SQLite file, or any store given), with one token per
// role, for the API tests.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Deployments } from '../../src/app/deployments/index.ts';
import { openJournal } from '../../src/app/store/index.ts';
import { createToken, TokenVerifier } from '../../src/app/tokens/index.ts';
import { LiveClock, type Store } from '../../src/common/index.ts';
import type { Journal } from '../../src/audit/index.ts';
import { buildServer } from '../../src/server/index.ts';

export type Role = 'viewer' | 'operator' | 'admin';

export interface ApiHarness {
  readonly url: string;
  readonly db: string;
  readonly store: Store;
  readonly journal: Journal;
  readonly tokens: Record<Role, string>;
  readonly logs: string[];
  /** fetch with JSON in and out: `as` sends that role's token (or a raw token string). */
  call(method: string, path: string, options?: { as?: Role | string; body?: unknown; raw?: string; headers?: Record<string, string> }): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

export async function startApi(): Promise<ApiHarness> {
  const dir = mkdtempSync(join(tmpdir(), 'traider-api-'));
  const db = join(dir, 'serve.db');
  const clock = new LiveClock();
  const { store, journal, close } = await openJournal(db, { clock });
  const tokens = {} as Record<Role, string>;
  for (const role of ['viewer', 'operator', 'admin'] as const) tokens[role] = (await createToken(store, journal, clock, { name: `test-${role}`, role, actor: 'test' })).token;
  const logs: string[] = [];
  const { app } = buildServer({ store, journal, clock, verifier: new TokenVerifier(store), deployments: new Deployments(store, journal, clock), version: 'test', log: (line) => logs.push(line) });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    url,
    db,
    store,
    journal,
    tokens,
    logs,
    async call(method, path, options = {}) {
      const headers: Record<string, string> = { ...options.headers };
      if (options.as !== undefined) headers.authorization = `Bearer ${options.as in tokens ? tokens[options.as as Role] : options.as}`;
      let body: string | undefined = options.raw;
      if (options.body !== undefined) body = JSON.stringify(options.body);
      if (body !== undefined) headers['content-type'] ??= 'application/json';
      const response = await fetch(`${url}${path}`, { method, headers, body });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = text === '' ? undefined : JSON.parse(text);
      } catch {
        // not JSON: keep the text
      }
      return { status: response.status, body: parsed };
    },
    async close() {
      await app.close();
      await close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
