// The session cookie: HttpOnly (no script reads it), SameSite=Strict (no other site's page makes the browser send
// it), Path=/api (only the API sees it), Secure when the server speaks HTTPS, and it lives as long as the session.
import type { CookieSerializeOptions } from '@fastify/cookie';
import { fastifyCookie } from '@fastify/cookie';
import type { FastifyRequest } from 'fastify';

export const SESSION_COOKIE = 'traider_session';
export const COOKIE_PATH = '/api';

export function sessionCookieOptions(request: FastifyRequest, maxAgeMs: number): CookieSerializeOptions {
  return { httpOnly: true, sameSite: 'strict', path: COOKIE_PATH, secure: request.protocol === 'https', maxAge: Math.floor(maxAgeMs / 1000) };
}

/** The options that clear it (the same name and path, expired). */
export function clearedCookieOptions(request: FastifyRequest): CookieSerializeOptions {
  return { httpOnly: true, sameSite: 'strict', path: COOKIE_PATH, secure: request.protocol === 'https' };
}

/**
 * The session id the request's cookie header carries. Parsed here rather than read from request.cookies so that it
 * does not depend on the cookie plugin's hook having run before the auth hook.
 */
export function sessionIdOf(request: FastifyRequest): string | undefined {
  const header = request.headers.cookie;
  if (typeof header !== 'string' || header === '') return undefined;
  const id = fastifyCookie.parse(header)[SESSION_COOKIE];
  return typeof id === 'string' && id !== '' ? id : undefined;
}
