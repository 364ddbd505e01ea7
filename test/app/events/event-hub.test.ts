// The event hub: one global seq from 1, the last N events kept in a ring, replay after a seq or a gap when the seq is
// older than what is kept (or from an earlier server), listeners isolated from one another, and deployment record
// changes as `mode`/`status` events. Expectations are written out by hand.
import { describe, expect, it } from 'vitest';
import type { DeploymentListener, Deployments } from '../../../src/app/deployments/index.ts';
import { connectEventHub, EventHub, followEvents, type EventMessage } from '../../../src/app/events/index.ts';
import type { DeploymentRecord } from '../../../src/common/index.ts';

let now = 1_000;
const clock = { now: () => now };
const seqsOf = (events: readonly { seq: number }[]) => events.map((e) => e.seq);

function hubWith(capacity: number, count: number): EventHub {
  const hub = new EventHub({ clock, capacity });
  for (let i = 1; i <= count; i++) hub.publish(i % 2 === 0 ? 'eth' : 'btc', 'equity', { equity: i });
  return hub;
}

describe('EventHub', () => {
  it('numbers events 1, 2, 3 across deployments and stamps them with the clock', () => {
    const hub = new EventHub({ clock });
    expect(hub.latestSeq).toBe(0);
    now = 5_000;
    expect(hub.publish('btc', 'status', { before: 'ACTIVE', after: 'PAUSED' })).toEqual({ seq: 1, time: 5_000, deployment: 'btc', type: 'status', data: { before: 'ACTIVE', after: 'PAUSED' } });
    now = 5_001;
    expect(hub.publish('eth', 'mode', { before: 'PAPER', after: 'EMERGENCY_STOP' }).seq).toBe(2);
    expect(hub.latestSeq).toBe(2);
  });

  it("a session's event: its type becomes the event's type, the rest (with the session's own time) its data", () => {
    const hub = new EventHub({ clock });
    now = 9_000;
    const event = hub.publishSession('btc', { type: 'breaker', time: 42, level: 'HALT', previousLevel: 'WARNING', cause: 'loss', actor: null });
    expect(event).toEqual({ seq: 1, time: 9_000, deployment: 'btc', type: 'breaker', data: { time: 42, level: 'HALT', previousLevel: 'WARNING', cause: 'loss', actor: null } });
  });

  it('replays the kept events after a seq; nothing after the latest', () => {
    const hub = hubWith(10, 5);
    expect(seqsOf(hub.replayAfter(0).events)).toEqual([1, 2, 3, 4, 5]);
    expect(seqsOf(hub.replayAfter(3).events)).toEqual([4, 5]);
    expect(hub.replayAfter(5)).toEqual({ events: [] });
    expect(hub.replayAfter(3).gap).toBeUndefined();
  });

  it('keeps only the last N: older seqs get a gap naming the oldest kept, and every kept event', () => {
    const hub = hubWith(3, 7); // keeps 5, 6, 7
    expect(hub.oldestSeq).toBe(5);
    expect(hub.replayAfter(0).gap).toEqual({ after: 0, oldest: 5 });
    expect(seqsOf(hub.replayAfter(0).events)).toEqual([5, 6, 7]);
    expect(hub.replayAfter(3).gap).toEqual({ after: 3, oldest: 5 });
    // 4 is the last one a client may have seen and still miss nothing.
    expect(hub.replayAfter(4).gap).toBeUndefined();
    expect(seqsOf(hub.replayAfter(4).events)).toEqual([5, 6, 7]);
    expect(seqsOf(hub.replayAfter(6).events)).toEqual([7]);
  });

  it('a seq beyond the latest (seen from an earlier server process) gets a gap and every kept event', () => {
    const hub = hubWith(3, 7);
    expect(hub.replayAfter(8).gap).toEqual({ after: 8, oldest: 5 });
    expect(seqsOf(hub.replayAfter(8).events)).toEqual([5, 6, 7]);
    const fresh = new EventHub({ clock });
    expect(fresh.replayAfter(0)).toEqual({ events: [] });
    expect(fresh.replayAfter(12)).toEqual({ events: [], gap: { after: 12, oldest: 1 } });
  });

  it('a seq from another epoch (an earlier server process) gets a restart gap and every kept event, even when the seq looks current', () => {
    const hub = hubWith(3, 7);
    expect(hub.replayAfter(6, hub.epoch)).toEqual({ events: hub.replayAfter(6).events });
    expect(seqsOf(hub.replayAfter(6, hub.epoch).events)).toEqual([7]);
    expect(hub.replayAfter(6, 'beef')).toEqual({ events: hub.replayAfter(4).events, gap: { after: 6, oldest: 5, restarted: true } });
    expect(new EventHub({ clock }).epoch).not.toBe(new EventHub({ clock }).epoch);
    expect(new EventHub({ clock, epoch: 'abc' }).epoch).toBe('abc');
  });

  it('wraps around its ring many times and still replays in seq order', () => {
    const hub = hubWith(4, 103);
    expect(seqsOf(hub.replayAfter(99).events)).toEqual([100, 101, 102, 103]);
    expect(seqsOf(hub.replayAfter(101).events)).toEqual([102, 103]);
  });

  it('a failing listener neither stops the others nor the publisher; unsubscribed listeners hear nothing more', () => {
    const lines: string[] = [];
    const hub = new EventHub({ clock, log: (line) => lines.push(line) });
    const heard: number[] = [];
    hub.subscribe(() => {
      throw new Error('boom');
    });
    const stop = hub.subscribe((e) => heard.push(e.seq));
    hub.publish('btc', 'equity', {});
    stop();
    hub.publish('btc', 'equity', {});
    expect(heard).toEqual([1]);
    expect(lines).toEqual(['event listener failed on event 1: boom', 'event listener failed on event 2: boom']);
  });

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => new EventHub({ clock, capacity: 0 })).toThrow('event capacity must be a positive integer (got 0)');
  });

  it('a client that starts following from inside a listener gets each event once', () => {
    const hub = new EventHub({ clock });
    const got: EventMessage[] = [];
    let started = false;
    hub.subscribe(() => {
      if (started) return;
      started = true;
      followEvents(hub, { after: 0 }, { send: (m, written) => (got.push(m), written?.()), tooSlow: () => {} });
    });
    hub.publish('btc', 'equity', { n: 1 });
    hub.publish('btc', 'equity', { n: 2 });
    expect(got.map((m) => ('seq' in m ? `${m.type} ${m.seq}` : m.type))).toEqual(['hello 1', 'equity 1', 'equity 2']);
  });
});

describe('connectEventHub', () => {
  const record = (mode: string, status: string, extra: Partial<DeploymentRecord> = {}) => ({ name: 'btc', mode, status, capital: 10_000, ...extra }) as DeploymentRecord;

  it('publishes `mode` and `status` events when they change (before null at creation), nothing for other edits', () => {
    const hub = new EventHub({ clock });
    let listener: DeploymentListener | undefined;
    connectEventHub(hub, { onChange: (l: DeploymentListener) => (listener = l) } as unknown as Deployments);
    listener!(record('PAPER', 'ACTIVE'), undefined);
    listener!(record('PAPER', 'ACTIVE', { capital: 20_000 }), record('PAPER', 'ACTIVE'));
    listener!(record('PAPER', 'PAUSED'), record('PAPER', 'ACTIVE'));
    listener!(record('EMERGENCY_STOP', 'PAUSED'), record('PAPER', 'PAUSED'));
    expect(hub.replayAfter(0).events.map((e) => [e.seq, e.deployment, e.type, e.data])).toEqual([
      [1, 'btc', 'mode', { before: null, after: 'PAPER' }],
      [2, 'btc', 'status', { before: null, after: 'ACTIVE' }],
      [3, 'btc', 'status', { before: 'ACTIVE', after: 'PAUSED' }],
      [4, 'btc', 'mode', { before: 'PAPER', after: 'EMERGENCY_STOP' }],
    ]);
  });
});
