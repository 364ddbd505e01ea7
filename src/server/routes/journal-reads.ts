// Runs and the audit log over HTTP (viewer): the same reads as `traider runs` and `traider audit`.
import { z } from 'zod';
import { listRuns, moneyReplacer, RunNotFoundError, showRun, verifyAudit } from '../../app/store/index.ts';
import { RunKind } from '../../common/index.ts';
import { json, route, type RouteSpec } from '../route.ts';
import type { ServerContext } from './context.ts';

/** Ledger amounts are bigints: as exact decimal strings, as `runs show --json` prints them. */
export const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value, moneyReplacer));

const limit = (max: number, fallback: number) => z.coerce.number().int().min(1).max(max).default(fallback);

export function journalRoutes(context: ServerContext): RouteSpec[] {
  const { store } = context;
  return [
    route({
      method: 'GET',
      path: '/api/v1/runs',
      role: 'viewer',
      tag: 'journal',
      summary: 'runs, newest first',
      query: z.strictObject({ limit: limit(1000, 100), kind: z.enum(Object.values(RunKind) as [string, ...string[]]).optional() }),
      handler: async ({ query }) => json(plain(await listRuns(store, { limit: query.limit, kind: query.kind as RunKind | undefined }))),
    }),
    route({
      method: 'GET',
      path: '/api/v1/runs/{id}',
      role: 'viewer',
      tag: 'journal',
      summary: 'one run with its journal (id or a unique prefix)',
      params: z.strictObject({ id: z.string() }),
      handler: async ({ params }) => {
        try {
          return json(plain(await showRun(store, params.id)));
        } catch (error) {
          if (error instanceof RunNotFoundError) return { status: 404, body: { error: error.message } };
          throw error;
        }
      },
    }),
    route({
      method: 'GET',
      path: '/api/v1/audit',
      role: 'viewer',
      tag: 'audit',
      summary: 'audit entries in seq order, a page at a time: pass the last seq seen as afterSeq',
      query: z.strictObject({ afterSeq: z.coerce.number().int().min(0).default(0), limit: limit(1000, 100) }),
      handler: async ({ query }) => {
        const entries = await store.readAudit({ afterSeq: query.afterSeq, limit: query.limit });
        const last = entries.at(-1);
        return json({ entries, nextAfterSeq: entries.length === query.limit && last !== undefined ? last.seq : null });
      },
    }),
    route({
      method: 'GET',
      path: '/api/v1/audit/verify',
      role: 'viewer',
      tag: 'audit',
      summary: 'verifies the hash chain: the count and head, or the first broken entry',
      handler: async () => json(await verifyAudit(store)),
    }),
  ];
}
