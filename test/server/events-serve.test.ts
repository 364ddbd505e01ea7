// `serve()` (what `traider serve` runs) pushes a paper deployment's session events and its record changes over
// GET /api/v1/events: the session runs on the local exchange and its equity events (session events, as fills,
// orders and breaker changes are) reach a WebSocket client with the deployment's name and rising seqs, and so does
// its pause.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openJournal } from '../../src/app/store/index.ts';
import { createToken } from '../../src/app/tokens/index.ts';
import { LiveClock } from '../../src/common/index.ts';
import type { ExchangeSimHandle } from '../../src/exchange-sim/index.ts';
import { type RunningServer, serve } from '../../src/server/index.ts';
import { DIP_START, startSim } from '../ccxt/helpers.ts';
import { openEvents } from './ws-client.ts';

let dir: string;
let sim: ExchangeSimHandle;
let server: RunningServer;
let operator: string;
const logs: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'traider-events-serve-'));
  const db = join(dir, 'serve.db');
  const clock = new LiveClock();
  const opened = await openJournal(db, { clock });
  operator = (await createToken(opened.store, opened.journal, clock, { name: 'ops', role: 'operator', actor: 'test' })).token;
  await opened.close();
  sim = await startSim({ speed: 300, startTime: DIP_START });
  server = await serve({ db, host: '127.0.0.1', port: 0, version: 'test', env: {}, log: (line) => logs.push(line) });
});
afterAll(async () => {
  await server?.stop();
  await sim?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('serve() and GET /api/v1/events', () => {
  it("a paper deployment's session events and its pause reach a WebSocket client, numbered in order", async () => {
    const client = await openEvents(server.url, { token: operator, query: '?deployment=paper-btc' });
    const post = (path: string, body: unknown) =>
      fetch(`${server.url}/api/v1${path}`, { method: 'POST', headers: { authorization: `Bearer ${operator}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const created = await post('/deployments', { name: 'paper-btc', confirm: 'paper-btc', strategy: 'sma-cross', params: { fast: 2, slow: 4 }, symbols: ['BTC/USDT'], exchange: 'binance', url: sim.url });
    expect(created.status).toBe(201);
    await client.until((m) => m.some((e) => e.type === 'equity'));
    expect((await post('/deployments/paper-btc/pause', { confirm: 'paper-btc' })).status).toBe(200);
    await client.until((m) => m.some((e) => e.type === 'status' && e.data.after === 'PAUSED'));
    await client.close();
    const events = client.events();
    expect(events.every((e) => e.deployment === 'paper-btc')).toBe(true);
    expect(events.slice(0, 2).map((e) => [e.type, e.data])).toEqual([
      ['mode', { before: null, after: 'PAPER' }],
      ['status', { before: null, after: 'ACTIVE' }],
    ]);
    const seqs = events.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
    const equity = events.find((e) => e.type === 'equity');
    expect(equity.data.equity).toBeGreaterThan(0);
  });
});
