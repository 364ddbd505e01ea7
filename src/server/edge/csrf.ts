// CSRF for cookie sessions: a browser sends the session cookie with any request to the server, also one a hostile
// page triggers, so a request that changes state with the cookie must also carry the session's CSRF token in a
// header, which only the page that logged in knows. Bearer requests carry their credential explicitly and need none.
import { createHash, timingSafeEqual } from 'node:crypto';

export const CSRF_HEADER = 'x-csrf-token';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Every method but GET, HEAD and OPTIONS may change state (POST, PATCH, PUT, DELETE, and anything unknown). */
export function changesState(method: string): boolean {
  return !SAFE_METHODS.has(method.toUpperCase());
}

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

/** Constant-time: compares digests of equal length, so neither the content nor the length of a guess leaks. */
export function csrfMatches(expected: string, given: string | string[] | undefined): boolean {
  if (typeof given !== 'string' || given === '') return false;
  return timingSafeEqual(digest(expected), digest(given));
}
