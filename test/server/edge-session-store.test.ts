// The browser session store on a hand-driven clock: a session ends 12 hours after login (the default), or after the
// idle limit when one is set; a full store drops expired sessions, then its oldest.
import { describe, expect, it } from 'vitest';
import type { Clock } from '../../src/common/index.ts';
import { BrowserSessions } from '../../src/server/edge/index.ts';

const HOUR = 3_600_000;

function handClock(start = 1_000_000): Clock & { time: number } {
  return {
    time: start,
    now() {
      return this.time;
    },
    setTimer: () => {},
    setInterval: () => {},
    cancelTimer: () => {},
  };
}

describe('BrowserSessions', () => {
  it('ends a session 12 hours after it was made, however much it is used', () => {
    const clock = handClock();
    const sessions = new BrowserSessions(clock);
    const session = sessions.create('trd_token', 'tok1');
    clock.time += 12 * HOUR - 1;
    expect(sessions.find(session.id)?.token).toBe('trd_token');
    clock.time += 1;
    expect(sessions.find(session.id)).toBeUndefined();
    expect(sessions.size).toBe(0);
  });

  it('with an idle limit, ends a session that long after its last use, and each use extends it', () => {
    const clock = handClock();
    const sessions = new BrowserSessions(clock, { idleMs: HOUR });
    const session = sessions.create('trd_token', 'tok1');
    for (let i = 0; i < 5; i++) {
      clock.time += HOUR - 1;
      expect(sessions.find(session.id), `use ${i}`).toBeDefined();
    }
    clock.time += HOUR;
    expect(sessions.find(session.id)).toBeUndefined();
  });

  it('when full, drops the oldest session', () => {
    const clock = handClock();
    const sessions = new BrowserSessions(clock, { maxSessions: 3 });
    const made = ['a', 'b', 'c', 'd'].map((token) => sessions.create(token, token));
    expect(made.map((s) => sessions.find(s.id)?.token)).toEqual([undefined, 'b', 'c', 'd']);
  });

  it('when full, drops expired sessions before live ones, even a younger expired one', () => {
    const clock = handClock();
    const sessions = new BrowserSessions(clock, { maxSessions: 3, idleMs: HOUR });
    const a = sessions.create('a', 'a');
    const b = sessions.create('b', 'b');
    const c = sessions.create('c', 'c');
    clock.time += 50 * 60_000;
    sessions.find(a.id);
    sessions.find(c.id);
    // 70 minutes in: b has been idle for more than an hour, a (the oldest) and c for 20 minutes.
    clock.time += 20 * 60_000;
    const d = sessions.create('d', 'd');
    expect([a, b, c, d].map((s) => sessions.find(s.id)?.token)).toEqual(['a', undefined, 'c', 'd']);
  });

  it('gives every session its own unguessable id and CSRF token (256 random bits each)', () => {
    const sessions = new BrowserSessions(handClock());
    const made = Array.from({ length: 100 }, () => sessions.create('t', 't'));
    const values = made.flatMap((s) => [s.id, s.csrfToken]);
    expect(new Set(values).size).toBe(200);
    for (const value of values) expect(value).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});
