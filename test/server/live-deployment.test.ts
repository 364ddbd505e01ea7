// A LIVE_MINIMAL deployment under `traider serve`, created by an admin: its session trades through the CCXT venue on
// the local exchange with the credentials its `credentials` name points to in the server's environment (never stored),
// and what the deployment reports as its fills is what the exchange's own books hold as the account's trades.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExchangeSimHandle } from '../../src/exchange-sim/index.ts';
import { DIP_START, quoteOnlyAccount, startSim } from '../ccxt/helpers.ts';
import { runCliAsync } from '../cli/run-cli.ts';
import { startServe, type Server } from './serve-process.ts';

let sim: ExchangeSimHandle;
let dir: string;
let server: Server | undefined;
beforeAll(async () => {
  // Cash only: holdings the platform did not book would halt the symbol until a person decides (as they should).
  sim = await startSim({ speed: 300, startTime: DIP_START, accounts: quoteOnlyAccount(100_000) });
  dir = mkdtempSync(join(tmpdir(), 'traider-live-'));
});
afterAll(async () => {
  server?.child.kill('SIGKILL');
  await sim?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a LIVE_MINIMAL deployment', () => {
  it('trades on the exchange with its named credentials; its fills are the account\'s trades; every rejection is logged', async () => {
    const db = join(dir, 'serve.db');
    const admin = (await runCliAsync(['tokens', 'create', '--name', 'root', '--role', 'admin', '--db', db])).stdout.trim().split('\n').at(-1)!;
    server = await startServe(db, { LOCAL_TEST_API_KEY: 'test-key', LOCAL_TEST_API_SECRET: 'test-secret' });
    const env = { ...process.env, TRAIDER_SERVER: server.url, TRAIDER_TOKEN: admin };
    const base = ['deploy', 'create', '--name', 'live-btc', '--strategy', 'sma-cross', '--params', '{"fast":2,"slow":4}', '--symbols', 'BTC/USDT', '--exchange', 'binance', '--url', sim.url, '--credentials', 'LOCAL_TEST', '--mode', 'LIVE_MINIMAL'];
    const unconfirmed = await runCliAsync(base, { env });
    expect(unconfirmed.stderr).toContain('body.confirmLive: must be true to create a deployment in LIVE_MINIMAL: it trades real money');
    const created = await runCliAsync([...base, '--confirm-live', '--json'], { env });
    expect(created.code, created.stderr).toBe(0);
    const deployment = JSON.parse(created.stdout);
    expect(deployment).toMatchObject({ mode: 'LIVE_MINIMAL', credentials: 'LOCAL_TEST' });
    expect(JSON.stringify(deployment)).not.toContain('test-secret');

    const get = async (path: string) => (await fetch(`${server!.url}/api/v1${path}`, { headers: { authorization: `Bearer ${admin}` } })).json();
    let fills: { side: string; quantity: number }[] = [];
    for (let i = 0; i < 200 && fills.length < 1; i++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      fills = await get('/deployments/live-btc/fills');
    }
    expect(fills.length, server.stderr().slice(-2000)).toBeGreaterThanOrEqual(1);
    await new Promise((resolve) => setTimeout(resolve, 4000)); // 20 minutes of exchange time: more decisions
    await runCliAsync(['deploy', 'stop', 'live-btc'], { env });
    for (let i = 0; i < 150 && (await get('/deployments/live-btc/status')).session.running; i++) await new Promise((resolve) => setTimeout(resolve, 200));
    fills = await get('/deployments/live-btc/fills');
    const state = (await (await fetch(`${sim.url}/admin/state`)).json()) as {
      accounts: { apiKey: string; trades: { isBuyer: boolean; qty: string }[]; balances: Record<string, { free: string; locked: string }> }[];
    };
    const account = state.accounts.find((a) => a.apiKey === 'test-key')!;
    const trades = account.trades;
    expect(fills.map((f) => `${f.side} ${f.quantity}`)).toEqual(trades.map((t) => `${t.isBuyer ? 'BUY' : 'SELL'} ${Number(t.qty)}`));
    // The exchange kept each buy's fee in BTC: the deployment's position is what the exchange holds, to the satoshi,
    // and the strategy's exits (it sells position.quantity) went through.
    const btc = account.balances.BTC === undefined ? 0 : Number(account.balances.BTC.free) + Number(account.balances.BTC.locked);
    const held = ((await get('/deployments/live-btc/positions')) as { symbol: string; quantity: number }[]).reduce((sum, p) => sum + p.quantity, 0);
    expect(held, 'the position the deployment shows is what the exchange holds').toBeCloseTo(btc, 10);
    expect(fills.filter((f) => f.side === 'SELL').length, 'the strategy exited at least once').toBeGreaterThanOrEqual(1);
    // Nothing silent: every order the venue rejected is a line of the server's log, with the venue's reason.
    const run = await get(`/runs/${(await get('/deployments/live-btc')).runId}`);
    const rejected = (run.journal.orderEvents as { kind: string; orderId: string; reason: string }[]).filter((e) => e.kind === 'REJECTED');
    expect(rejected.filter((e) => e.reason === 'INSUFFICIENT_FUNDS'), 'no order asked the exchange for more than the account holds').toEqual([]);
    const lines = server.stderr().split('\n').filter((line) => line.startsWith('deployment live-btc: rejected by the venue: '));
    expect(lines.map((line) => line.split(' ')[6])).toEqual(rejected.map((e) => e.orderId));
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    server = undefined;
  });
});
