// One route of the API: method, path, the role it needs, and zod schemas of its input. The server registers routes
// from these specs, validates with the schemas (every problem listed) and builds the OpenAPI document from them.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { Principal } from '../app/tokens/index.ts';

export type RouteRole = 'public' | 'viewer' | 'operator' | 'admin';
export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

export interface RouteInput<P, Q, B> {
  readonly params: P;
  readonly query: Q;
  readonly body: B;
  /** Who sent it; undefined only on public routes. */
  readonly principal: Principal | undefined;
  readonly request: FastifyRequest;
  readonly reply: FastifyReply;
}

/** What a handler answers: a JSON body with status 200, or a status and body. */
export type RouteAnswer = { readonly status: number; readonly body?: unknown } | { readonly json: unknown };

export interface RouteSpec<P = unknown, Q = unknown, B = unknown> {
  readonly method: HttpMethod;
  /** Full path, OpenAPI style: /api/v1/deployments/{name} */
  readonly path: string;
  readonly role: RouteRole;
  /** Spends no rate-limit budget (the big red button: a dashboard that polled too much must not lock it out). */
  readonly unlimited?: true;
  readonly summary: string;
  readonly tag: string;
  readonly params?: z.ZodType<P>;
  readonly query?: z.ZodType<Q>;
  readonly body?: z.ZodType<B>;
  /** Response description for the document (default "OK"). */
  readonly responds?: string;
  handler(input: RouteInput<P, Q, B>): Promise<RouteAnswer> | RouteAnswer;
}

/** Keeps a route's handler typed by its own schemas. */
export function route<P = undefined, Q = undefined, B = undefined>(spec: RouteSpec<P, Q, B>): RouteSpec {
  return spec as unknown as RouteSpec;
}

export const json = (body: unknown): RouteAnswer => ({ json: body });
