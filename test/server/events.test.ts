// GET /api/v1/events over a real WebSocket (the `ws` client on loopback) against the real server: live events in
// order, a reconnect with `after` that gets every missed event once and in order while more are published, a gap
// when `after` is older than what is kept, the same credentials as every route, 400 for a bad query before the
// upgrade, a deployment's pause as a `status` event, and a client that stops reading closed with 1013.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Deployments } from '../../src/app/deployments/index.ts';
import { connectEventHub, EventHub } from '../../src/app/events/index.ts';
import { openJournal } from '../../src/app/store/index.ts';
import { createToken, TokenVerifier } from '../../src/app/tokens/index.ts';
import { LiveClock } from '../../src/common/index.ts';
import { buildServer } from '../../src/server/index.ts';
import { type EventClient, openEvents, refusedUpgrade } from './ws-client.ts';

const CAPACITY = 1_000;
let dir: string;
let url: string;
let hub: EventHub;
let tokens: { viewer: string; operator: string };
let stop: () => Promise<void>;
let connections: () => Promise<number>;
const clients: EventClient[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'traider-events-'));
  const clock = new LiveClock();
  const { store, journal, close } = await openJournal(join(dir, 'serve.db'), { clock });
  tokens = {
    viewer: (await createToken(store, journal, clock, { name: 'watcher', role: 'viewer', actor: 'test' })).token,
    operator: (await createToken(store, journal, clock, { name: 'ops', role: 'operator', actor: 'test' })).token,
  };
  const deployments = new Deployments(store, journal, clock);
  hub = new EventHub({ clock, capacity: CAPACITY });
  connectEventHub(hub, deployments);
  const { app } = buildServer({ store, journal, clock, verifier: new TokenVerifier(store), deployments, events: hub, version: 'test', log: () => {} });
  url = await app.listen({ host: '127.0.0.1', port: 0 });
  connections = () => new Promise((resolve, reject) => app.server.getConnections((error, count) => (error ? reject(error) : resolve(count))));
  stop = async () => {
    await app.close();
    await close();
  };
});
// Every client a test opened is closed after it, also when it failed.
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
});
afterAll(async () => {
  await stop();
  rmSync(dir, { recursive: true, force: true });
});

const connect = async (query = '', onMessage?: (message: any) => void): Promise<EventClient> => {
  const client = await openEvents(url, { token: tokens.viewer, query, onMessage });
  clients.push(client);
  return client;
};
/** A fill of `deployment` numbered `n`, as a session reports it. */
const fill = (deployment: string, n: number) =>
  hub.publishSession(deployment, { type: 'fill', time: 1_700_000_000_000 + n, id: `F-${n}`, orderId: `O-${n}`, symbol: 'BTC/USDT', side: 'BUY', quantity: 0.01, price: 30_000 + n, fee: 0.3 });
const seqs = (messages: any[]) => messages.map((m) => m.seq);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('GET /api/v1/events', () => {
  it('sends a hello with the latest seq, then every event published while connected, in order, seq rising by one', async () => {
    fill('btc', 0);
    const start = hub.latestSeq;
    const client = await connect();
    await client.until((m) => m.length >= 1);
    expect(client.messages[0]).toEqual({ type: 'hello', seq: start, epoch: hub.epoch });
    expect(hub.epoch).toMatch(/^[0-9a-f]{12}$/);
    fill('btc', 1);
    hub.publishSession('eth', { type: 'order', time: 5, kind: 'ACCEPTED', id: 'O-7', symbol: 'ETH/USDT', side: 'SELL', orderType: 'LIMIT', quantity: 2, status: 'OPEN' });
    hub.publishSession('btc', { type: 'breaker', time: 6, level: 'WARNING', previousLevel: 'NORMAL', cause: 'drawdown 5%', actor: null });
    hub.publishSession('btc', { type: 'equity', time: 7, equity: 10_012.5, cash: 9_000 });
    await client.until((m) => m.length >= 5);
    const events = client.messages.slice(1);
    expect(events.map(({ time, ...rest }) => rest)).toEqual([
      { seq: start + 1, deployment: 'btc', type: 'fill', data: { time: 1_700_000_000_001, id: 'F-1', orderId: 'O-1', symbol: 'BTC/USDT', side: 'BUY', quantity: 0.01, price: 30_001, fee: 0.3 } },
      { seq: start + 2, deployment: 'eth', type: 'order', data: { time: 5, kind: 'ACCEPTED', id: 'O-7', symbol: 'ETH/USDT', side: 'SELL', orderType: 'LIMIT', quantity: 2, status: 'OPEN' } },
      { seq: start + 3, deployment: 'btc', type: 'breaker', data: { time: 6, level: 'WARNING', previousLevel: 'NORMAL', cause: 'drawdown 5%', actor: null } },
      { seq: start + 4, deployment: 'btc', type: 'equity', data: { time: 7, equity: 10_012.5, cash: 9_000 } },
    ]);
    for (const e of events) expect(typeof e.time).toBe('number');
    await client.close();
  });

  it('a client that reconnects with after=<last seq seen> gets every missed event once, in order, then the live ones, also those published while it connects and replays', async () => {
    const first = await connect();
    fill('btc', 10);
    await first.until((m) => m.length >= 2);
    const lastSeen = first.messages.at(-1).seq;
    await first.close();
    // Missed while away: more than two replay chunks and more bytes (5 MB) than loopback buffers take at once, so
    // the replay really waits for the client to read between chunks.
    const bulk = 'x'.repeat(8 * 1024);
    for (let n = 0; n < 600; n++) hub.publish(n % 2 === 0 ? 'btc' : 'eth', 'equity', { n, bulk });
    // Meanwhile events keep coming, one per turn of the event loop, while the client connects and reads its replay.
    let publishing = true;
    let published = 0;
    const publisher = (async () => {
      while (publishing) {
        fill(published % 2 === 0 ? 'eth' : 'btc', 1_000 + published++);
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    const again = await connect(`?after=${lastSeen}`);
    await again.until((m) => m.length >= 1 + 600 + 20);
    publishing = false;
    await publisher;
    const marker = fill('sol', 9_999).seq; // live, after everything else
    await again.until((m) => m.at(-1)?.seq === marker);
    expect(published).toBeGreaterThanOrEqual(20);
    expect(again.messages[0].type).toBe('hello');
    expect(seqs(again.messages.slice(1))).toEqual(range(lastSeen + 1, marker));
    expect(again.messages.at(-1)).toMatchObject({ deployment: 'sol', type: 'fill', data: { id: 'F-9999' } });
    await again.close();
  });

  it('`after` older than what is kept: a gap first (after, oldest kept), then every kept event; `after` beyond the latest seq (a restarted server): a gap and all kept', async () => {
    const before = hub.latestSeq;
    for (let n = 0; n < CAPACITY + 5; n++) fill('btc', n);
    const latest = before + CAPACITY + 5;
    const oldest = latest - CAPACITY + 1;
    const old = await connect(`?after=${before}`);
    await old.until((m) => m.length >= 2 + CAPACITY);
    expect(old.messages.slice(0, 2)).toEqual([{ type: 'hello', seq: latest, epoch: hub.epoch }, { type: 'gap', after: before, oldest }]);
    expect(seqs(old.messages.slice(2))).toEqual(range(oldest, latest));
    const future = await connect(`?after=${latest + 50}`);
    await future.until((m) => m.length >= 2 + CAPACITY);
    expect(future.messages[1]).toEqual({ type: 'gap', after: latest + 50, oldest });
    expect(seqs(future.messages.slice(2))).toEqual(range(oldest, latest));
    // Just inside the buffer: no gap.
    const inside = await connect(`?after=${oldest - 1}&epoch=${hub.epoch}`);
    await inside.until((m) => m.length >= 1 + CAPACITY);
    expect(inside.messages[1]).toMatchObject({ seq: oldest, type: 'fill' });
    // The same numbers from another epoch (seen before the server restarted, now numbering again): a restart gap and
    // everything kept, although the seq alone looks current.
    const restarted = await connect(`?after=${oldest - 1}&epoch=0123456789ab`);
    await restarted.until((m) => m.length >= 2 + CAPACITY);
    expect(restarted.messages[1]).toEqual({ type: 'gap', after: oldest - 1, oldest, restarted: true });
    expect(seqs(restarted.messages.slice(2))).toEqual(range(oldest, latest));
    const badEpoch = await refusedUpgrade(url, { token: tokens.viewer, query: '?after=1&epoch=XYZ' });
    expect(badEpoch.status).toBe(400);
    expect(badEpoch.body.problems[0]).toMatchObject({ path: 'query.epoch', value: 'XYZ' });
    await Promise.all([old.close(), future.close(), inside.close(), restarted.close()]);
  });

  it('filters by deployment (repeated or comma-separated)', async () => {
    const start = hub.latestSeq;
    const one = await connect(`?after=${start}&deployment=eth`);
    const two = await connect(`?after=${start}&deployment=eth,sol`);
    const three = await connect(`?after=${start}&deployment=eth&deployment=sol`);
    fill('btc', 1);
    fill('eth', 2);
    fill('sol', 3);
    fill('btc', 4);
    await one.until((m) => m.some((e) => e.data?.id === 'F-2'));
    await two.until((m) => m.some((e) => e.data?.id === 'F-3'));
    await three.until((m) => m.some((e) => e.data?.id === 'F-3'));
    fill('eth', 5);
    await one.until((m) => m.some((e) => e.data?.id === 'F-5'));
    expect(one.events().map((e) => e.data.id)).toEqual(['F-2', 'F-5']);
    await two.until((m) => m.some((e) => e.data?.id === 'F-5'));
    expect(two.events().map((e) => e.data.id)).toEqual(['F-2', 'F-3', 'F-5']);
    await three.until((m) => m.some((e) => e.data?.id === 'F-5'));
    expect(three.events().map((e) => e.data.id)).toEqual(['F-2', 'F-3', 'F-5']);
    await Promise.all([one.close(), two.close(), three.close()]);
  });

  it('refuses the upgrade with 401 without credentials or with an unknown token; a viewer token is enough', async () => {
    const none = await refusedUpgrade(url);
    expect(none.status).toBe(401);
    expect(none.body.error).toContain('credentials required');
    expect((await refusedUpgrade(url, { token: 'trd_000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' })).status).toBe(401);
    const viewer = await connect();
    await viewer.until((m) => m[0]?.type === 'hello');
    await viewer.close();
  });

  it('refuses a bad query with 400 before the upgrade, naming the field, the value and the rule', async () => {
    const negative = await refusedUpgrade(url, { token: tokens.viewer, query: '?after=-1' });
    expect(negative.status).toBe(400);
    expect(negative.body.problems).toEqual([{ path: 'query.after', value: '-1', rule: 'must be a non-negative integer: the seq of the last event the client saw (got "-1")' }]);
    const text = await refusedUpgrade(url, { token: tokens.viewer, query: '?after=abc&deployment=BTC_1' });
    expect(text.status).toBe(400);
    expect(text.body.problems.map((p: any) => `${p.path} ${JSON.stringify(p.value)}`)).toEqual(['query.after "abc"', 'query.deployment[0] "BTC_1"']);
    expect(text.body.problems[1].rule).toContain('must be deployment names');
    const unknown = await refusedUpgrade(url, { token: tokens.viewer, query: '?since=3' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.problems).toEqual([{ path: 'query.since', rule: 'unknown key' }]);
    // Credentials come first: a bad query without them is 401.
    expect((await refusedUpgrade(url, { query: '?after=-1' })).status).toBe(401);
  });

  it('a refused upgrade does not keep its socket open on the server', async () => {
    // No client is connected now: the server's connections go to zero once the refused ones are closed.
    const settled = async (): Promise<number> => {
      let open = await connections();
      for (let i = 0; i < 100 && open > 0; i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        open = await connections();
      }
      return open;
    };
    await settled();
    const refused = await Promise.all([refusedUpgrade(url), refusedUpgrade(url, { token: tokens.viewer, query: '?after=x' }), refusedUpgrade(url, { path: '/nowhere' })]);
    expect(refused.map((r) => r.status)).toEqual([401, 400, 404]);
    expect(await settled()).toBe(0);
  });

  it('a plain GET (no upgrade) is told to upgrade: 426', async () => {
    const response = await fetch(`${url}/api/v1/events`, { headers: { authorization: `Bearer ${tokens.viewer}` } });
    expect(response.status).toBe(426);
    expect(response.headers.get('upgrade')).toBe('websocket');
    expect((await fetch(`${url}/api/v1/events`)).status).toBe(401);
  });

  it("a deployment's creation and pause through the API are `mode` and `status` events with the values before and after", async () => {
    const client = await connect('?deployment=watched');
    const post = (path: string, body: unknown) =>
      fetch(`${url}/api/v1${path}`, { method: 'POST', headers: { authorization: `Bearer ${tokens.operator}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const created = await post('/deployments', { name: 'watched', confirm: 'watched', strategy: 'sma-cross', symbols: ['BTC/USDT'], exchange: 'binance', url: 'http://127.0.0.1:9' });
    expect(created.status).toBe(201);
    expect((await post('/deployments/watched/pause', { confirm: 'watched' })).status).toBe(200);
    await client.until((m) => m.length >= 4);
    expect(client.events().map((e) => [e.deployment, e.type, e.data])).toEqual([
      ['watched', 'mode', { before: null, after: 'PAPER' }],
      ['watched', 'status', { before: null, after: 'ACTIVE' }],
      ['watched', 'status', { before: 'ACTIVE', after: 'PAUSED' }],
    ]);
    await client.close();
  });

  it('a client that stops reading is closed with 1013 once more than 4 MiB wait for it; it has every event up to the seq the reason names', async () => {
    const start = hub.latestSeq;
    const slow = await connect(`?after=${start}`);
    await slow.until((m) => m.length >= 1);
    slow.socket.pause();
    const big = 'x'.repeat(512 * 1024);
    for (let n = 0; n < 64; n++) hub.publish('btc', 'equity', { n, note: big }); // 32 MiB: more than loopback buffers and the bound
    slow.socket.resume();
    const { code, reason } = await slow.closed;
    expect(code).toBe(1013);
    const named = Number(/reconnect with after=(\d+)$/.exec(reason)?.[1]);
    expect(reason).toContain('too slow');
    expect(named).toBeGreaterThan(start);
    expect(named).toBeLessThan(start + 64);
    expect(seqs(slow.events())).toEqual(range(start + 1, named));
  });

  it('an event that cannot be sent as JSON closes the client with 1011 rather than skipping it (kept last: the ring keeps it)', async () => {
    const client = await connect();
    await client.until((m) => m.length >= 1);
    const bad = hub.publish('btc', 'equity', { equity: 1n }).seq;
    const { code, reason } = await client.closed;
    expect(code).toBe(1011);
    expect(reason).toBe(`cannot send event ${bad}: Do not know how to serialize a BigInt`);
  });
});
