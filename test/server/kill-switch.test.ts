// The big red button on a LIVE_MINIMAL deployment holding a position and a resting order on the local exchange:
// kill-all through the API (as `traider kill --all` sends it) leaves the account without an open order and without
// the coin, read from the exchange's own books; the deployment stays in EMERGENCY_STOP, sends nothing more, until a
// named operator resets it. Then the same without a server: `traider kill --all --direct` while `traider serve` is
// dead, after which a restarted server shows EMERGENCY_STOP and sends no order. Every action is audited with its actor.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExchangeSimHandle } from '../../src/exchange-sim/index.ts';
import { DIP_START, quoteOnlyAccount, startSim } from '../ccxt/helpers.ts';
import { ROOT, runCliAsync } from '../cli/run-cli.ts';
import { openJournal } from '../../src/app/store/index.ts';
import { createToken } from '../../src/app/tokens/index.ts';
import { LiveClock } from '../../src/common/index.ts';
import { startServe, type Server } from './serve-process.ts';

const CREDENTIALS = { LOCAL_TEST_API_KEY: 'test-key', LOCAL_TEST_API_SECRET: 'test-secret' };
/** The exchange's lot for BTC/USDT: what is left below it cannot be sold. */
const LOT = 0.00001;
const STRATEGY = join(ROOT, 'test/fixtures/strategies/hold-and-rest.ts');

interface Account {
  apiKey: string;
  balances: Record<string, { free: string; locked: string }>;
  orders: { status: string; side: string }[];
}

let sim: ExchangeSimHandle;
let dir: string;
let server: Server | undefined;
beforeAll(async () => {
  sim = await startSim({ speed: 300, startTime: DIP_START, accounts: quoteOnlyAccount(100_000) });
  dir = mkdtempSync(join(tmpdir(), 'traider-kill-'));
});
afterAll(async () => {
  server?.child.kill('SIGKILL');
  await sim?.close();
  rmSync(dir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function account(): Promise<{ btc: number; open: number; orders: number }> {
  const state = (await (await fetch(`${sim.url}/admin/state`)).json()) as { accounts: Account[] };
  const a = state.accounts.find((x) => x.apiKey === 'test-key')!;
  const b = a.balances.BTC ?? { free: '0', locked: '0' };
  return { btc: Number(b.free) + Number(b.locked), open: a.orders.filter((o) => /NEW|PARTIALLY/.test(o.status)).length, orders: a.orders.length };
}

async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean, what: string, tries = 150): Promise<T> {
  let value = await read();
  for (let i = 0; i < tries && !ok(value); i++) {
    await sleep(200);
    value = await read();
  }
  if (!ok(value)) throw new Error(`${what}: still ${JSON.stringify(value)}; server log: ${server?.stderr().slice(-1500)}`);
  return value;
}

describe('the kill switch on a live deployment', () => {
  it('kill-all through the API, then kill --all --direct without a server: flat, nothing open, EMERGENCY_STOP until a reset, audited', async () => {
    const db = join(dir, 'serve.db');
    // Tokens straight on the store, deployments through the API (their CLI is tested elsewhere): the CLI runs here
    // are the emergency ones.
    const opened = await openJournal(db, { clock: new LiveClock() });
    const token = async (name: string, role: string) => (await createToken(opened.store, opened.journal, new LiveClock(), { name, role, actor: 'test' })).token;
    const admin = await token('root', 'admin');
    const operator = await token('ops', 'operator');
    await opened.close();
    server = await startServe(db, CREDENTIALS);
    const env = (t: string) => ({ ...process.env, TRAIDER_SERVER: server!.url, TRAIDER_TOKEN: t });
    const get = async (path: string) => (await fetch(`${server!.url}/api/v1${path}`, { headers: { authorization: `Bearer ${admin}` } })).json();
    const create = async (name: string) => {
      const body = { name, strategy: STRATEGY, symbols: ['BTC/USDT'], exchange: 'binance', url: sim.url, credentials: 'LOCAL_TEST', mode: 'LIVE_MINIMAL', confirmLive: true, confirm: name };
      const created = await fetch(`${server!.url}/api/v1/deployments`, { method: 'POST', headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect(created.status, await created.text()).toBe(201);
    };

    // 1. Over the API: a position and a resting order, then kill-all.
    await create('live-a');
    await until(account, (a) => a.btc > 0 && a.open === 1, 'a position and a resting order on the exchange');
    const killed = await runCliAsync(['kill', '--all', '--reason', 'test'], { env: env(operator) });
    expect(killed.code, killed.stderr).toBe(0);
    expect(killed.stdout).toContain('EMERGENCY_STOP: live-a');
    const flat = await until(account, (a) => a.open === 0 && a.btc < LOT, 'no open order and no BTC after kill-all');
    expect(flat).toMatchObject({ open: 0 });
    expect((await get('/deployments/live-a')).mode).toBe('EMERGENCY_STOP');
    // It stays stopped: no order for a while (the strategy would buy again at the next bar if it ran).
    await sleep(1_500);
    expect((await account()).orders).toBe(flat.orders);
    expect((await get('/deployments/live-a/status')).session?.running ?? false).toBe(false);
    // Only a named operator's reset ends it (back to PAPER).
    const reset = await runCliAsync(['deploy', 'reset', 'live-a', '--json'], { env: env(operator) });
    expect(reset.code, reset.stderr).toBe(0);
    expect(JSON.parse(reset.stdout)).toMatchObject({ mode: 'PAPER' });

    // 2. Without a server: a second live deployment trades, the server dies, the direct kill cleans up.
    await create('live-b');
    await until(account, (a) => a.btc > 0 && a.open === 1, 'live-b: a position and a resting order');
    server.child.kill('SIGKILL');
    await server.exited;
    server = undefined;
    const direct = await runCliAsync(['kill', '--all', '--direct', '--db', db], { env: { ...process.env, ...CREDENTIALS } });
    expect(direct.code, direct.stderr).toBe(0);
    expect(direct.stderr).toContain('live-b: EMERGENCY_STOP (was LIVE_MINIMAL)');
    const after = await until(account, (a) => a.open === 0 && a.btc < LOT, 'no open order and no BTC after kill --direct');
    server = await startServe(db, CREDENTIALS);
    await sleep(2_000);
    expect((await account()).orders, 'orders sent by the restarted server').toBe(after.orders);
    // It did not even start their sessions (it would log it at once: the start of every active deployment is immediate).
    expect(server.stderr()).toContain('traider serve: API on');
    expect(server.stderr()).not.toMatch(/deployment live-[ab]: (live|paper) session of/);
    for (const name of ['live-a', 'live-b']) expect((await get(`/deployments/${name}`)).mode).toBe('EMERGENCY_STOP');
    // live-a had been reset to PAPER: its paper run (if it traded) is closed in the journal.
    expect(await get('/deployments/live-a/positions')).toEqual([]);

    // 3. The audit log names who did what.
    const audit = ((await get('/audit?limit=1000')).entries as { actor: string; kind: string; payload: string }[]).map((e) => ({ ...e, payload: JSON.parse(e.payload) as Record<string, unknown> }));
    const kinds = (actor: string) => audit.filter((e) => e.actor === actor).map((e) => `${e.kind}${e.payload.name ? ` ${e.payload.name}` : ''}`);
    // The operator's kill: the session's kill switch (a MANUAL breaker change naming them), the mode change, and the reset.
    const ops = kinds('token:ops');
    expect(ops).toEqual(expect.arrayContaining(['breaker.changed', 'deployment.emergency-stop live-a', 'deployment.reset live-a']));
    expect(ops.indexOf('deployment.reset live-a')).toBeGreaterThan(ops.indexOf('deployment.emergency-stop live-a'));
    const cli = `cli:${userInfo().username}`;
    expect(kinds(cli)).toEqual(expect.arrayContaining(['deployment.emergency-stop live-a', 'deployment.emergency-stop live-b', 'emergency.venue-close']));
    const venue = audit.find((e) => e.actor === cli && e.kind === 'emergency.venue-close')!.payload as { actions: { kind: string }[] };
    expect(venue.actions.map((a) => a.kind).sort()).toEqual(['canceled', 'sold']);
    expect((await get('/audit/verify')).ok).toBe(true);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    server = undefined;
  }, 120_000);
});
