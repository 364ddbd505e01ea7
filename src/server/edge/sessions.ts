// Browser sessions, kept in the server's memory: an unguessable id (256 random bits) in an HttpOnly cookie stands
// for the API token the browser logged in with. The session keeps that token so the server verifies it on every
// request: revoking the token ends its sessions at once. A restart ends every session (log in again).
import { randomBytes } from 'node:crypto';
import type { Clock } from '../../common/index.ts';
import { DEFAULT_SESSION_MAX_AGE_MS } from './settings.ts';

export interface BrowserSession {
  readonly id: string;
  /** The API token it was made from, verified again on every request. */
  readonly token: string;
  readonly tokenId: string;
  /** Sent back in x-csrf-token with every state-changing request made with the cookie. */
  readonly csrfToken: string;
  readonly createdAt: number;
  lastUsedAt: number;
}

export interface BrowserSessionOptions {
  readonly maxAgeMs?: number;
  readonly idleMs?: number;
  /** At most this many live sessions; the oldest goes first (default 10,000). */
  readonly maxSessions?: number;
}

const randomId = (): string => randomBytes(32).toString('base64url');

export class BrowserSessions {
  private readonly sessions = new Map<string, BrowserSession>();
  readonly maxAgeMs: number;
  private readonly idleMs: number | undefined;
  private readonly maxSessions: number;

  constructor(
    private readonly clock: Clock,
    options: BrowserSessionOptions = {},
  ) {
    this.maxAgeMs = options.maxAgeMs ?? DEFAULT_SESSION_MAX_AGE_MS;
    this.idleMs = options.idleMs;
    this.maxSessions = options.maxSessions ?? 10_000;
  }

  get size(): number {
    return this.sessions.size;
  }

  create(token: string, tokenId: string): BrowserSession {
    const now = this.clock.now();
    if (this.sessions.size >= this.maxSessions) this.dropExpired(now);
    // Still full: the oldest session goes (a Map iterates in insertion order).
    while (this.sessions.size >= this.maxSessions) this.sessions.delete(this.sessions.keys().next().value!);
    const session: BrowserSession = { id: randomId(), token, tokenId, csrfToken: randomId(), createdAt: now, lastUsedAt: now };
    this.sessions.set(session.id, session);
    return session;
  }

  /** The live session with this id (its last use set to now), or undefined: unknown, ended or expired. */
  find(id: string): BrowserSession | undefined {
    const session = this.sessions.get(id);
    if (session === undefined) return undefined;
    const now = this.clock.now();
    if (this.expired(session, now)) {
      this.sessions.delete(id);
      return undefined;
    }
    session.lastUsedAt = now;
    return session;
  }

  end(id: string): boolean {
    return this.sessions.delete(id);
  }

  private expired(session: BrowserSession, now: number): boolean {
    return now - session.createdAt >= this.maxAgeMs || (this.idleMs !== undefined && now - session.lastUsedAt >= this.idleMs);
  }

  private dropExpired(now: number): void {
    for (const [id, session] of this.sessions) if (this.expired(session, now)) this.sessions.delete(id);
  }
}
