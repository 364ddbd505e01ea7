// `traider serve` as an operator runs it: tokens from `traider tokens create`, a paper deployment created with
// `traider deploy create` trades on the local exchange (the real CCXT client over loopback); SIGKILL of the server
// and a restart: the deployment resumes from its journal and its fills continue, none lost, none twice, the
// position equal to what the fills add up to. SIGTERM then stops it cleanly (exit 0); after a pause and a resume its
// fills are still every fill, across the runs its ledger went through.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExchangeSimHandle } from '../../src/exchange-sim/index.ts';
import { DIP_START, startSim } from '../ccxt/helpers.ts';
import { runCliAsync } from '../cli/run-cli.ts';
import { startServe, type Server } from './serve-process.ts';

let sim: ExchangeSimHandle;
let dir: string;
let token: string;
const servers: Server[] = [];
beforeAll(async () => {
  sim = await startSim({ speed: 300, startTime: DIP_START });
  dir = mkdtempSync(join(tmpdir(), 'traider-serve-'));
});
afterAll(async () => {
  for (const s of servers) s.child.kill('SIGKILL');
  await sim?.close();
  rmSync(dir, { recursive: true, force: true });
});

interface FillRow {
  readonly fillId: string;
  readonly price: number;
  /** Exact decimal text (a ledger amount). */
  readonly fee: string;
  readonly time: number;
  readonly side: string;
  readonly quantity: number;
}

async function get(server: Server, path: string): Promise<any> {
  const response = await fetch(`${server.url}/api/v1${path}`, { headers: { authorization: `Bearer ${token}` } });
  expect(response.status, path).toBe(200);
  return response.json();
}

/** Polls the deployment's fills until there are at least `count`. */
async function fillsAtLeast(server: Server, count: number): Promise<FillRow[]> {
  for (let i = 0; i < 200; i++) {
    const fills = (await get(server, '/deployments/btc/fills')) as FillRow[];
    if (fills.length >= count) return fills;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`fewer than ${count} fills after 40 s: ${server.stderr().slice(-2500)}`);
}

describe('a paper deployment under traider serve', () => {
  it('trades, survives a SIGKILL of the server with its fills continuing, stops on SIGTERM, pauses, resumes and stops', async () => {
    const db = join(dir, 'serve.db');
    const issued = await runCliAsync(['tokens', 'create', '--name', 'ops', '--role', 'operator', '--db', db]);
    expect(issued.code, issued.stderr).toBe(0);
    token = issued.stdout.trim().split('\n').at(-1)!;

    const first = await startServe(db);
    servers.push(first);
    const env = { ...process.env, TRAIDER_SERVER: first.url, TRAIDER_TOKEN: token };
    const created = await runCliAsync(['deploy', 'create', '--name', 'btc', '--strategy', 'sma-cross', '--params', '{"fast":2,"slow":4}', '--symbols', 'BTC/USDT', '--exchange', 'binance', '--url', sim.url, '--json'], { env });
    expect(created.code, created.stderr).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({ name: 'btc', mode: 'PAPER', status: 'ACTIVE' });

    const before = await fillsAtLeast(first, 3);
    first.child.kill('SIGKILL');
    await first.exited;

    const second = await startServe(db);
    servers.push(second);
    const after = await fillsAtLeast(second, before.length + 3);
    expect(second.stderr()).toMatch(/deployment btc: paper session of sma-cross .*resuming run/);
    // None lost: every fill seen before the kill is still there, in the same place; none twice.
    expect(after.slice(0, before.length).map((f) => f.fillId)).toEqual(before.map((f) => f.fillId));
    expect(new Set(after.map((f) => f.fillId)).size).toBe(after.length);
    for (let i = 1; i < after.length; i++) expect(after[i]!.time).toBeGreaterThanOrEqual(after[i - 1]!.time);

    // SIGTERM: the session stops (orders canceled, position kept), the journal is flushed, exit 0.
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    const third = await startServe(db);
    servers.push(third);
    const fills = (await get(third, '/deployments/btc/fills')) as FillRow[];
    const net = Math.round(fills.reduce((sum, f) => sum + (f.side === 'BUY' ? f.quantity : -f.quantity), 0) * 1e8) / 1e8;
    const positions = (await get(third, '/deployments/btc/positions')) as { symbol: string; quantity: number }[];
    expect(positions.map((p) => p.quantity).reduce((a, b) => a + b, 0)).toBe(net);
    // The read routes agree with the run's own journal (GET /runs/{id}).
    const status = await get(third, '/deployments/btc/status');
    expect(status).toMatchObject({ name: 'btc', mode: 'PAPER', status: 'ACTIVE', session: { running: expect.any(Boolean) } });
    const run = await get(third, `/runs/${status.runId}`);
    expect(run.journal.fills.map((f: FillRow) => f.fillId)).toEqual(fills.map((f) => f.fillId));
    const lastClose = run.journal.bars.at(-1).close as number;
    const pnl = await get(third, '/deployments/btc/pnl');
    expect(pnl.curve.length).toBeGreaterThan(0);
    expect(pnl.equity).toBe(run.journal.equity.at(-1).equity);
    const risk = await get(third, '/deployments/btc/risk');
    expect(risk.exposure).toBeCloseTo((Math.abs(net) * lastClose) / pnl.equity, 9);
    expect(risk.var === null ? risk.reason : risk.var.historical['99']).toEqual(risk.var === null ? expect.stringContaining('observations') : expect.any(Number));

    // Pause and resume through the CLI: the session's run finishes and a new one continues its ledger; the
    // deployment's fills are still every fill, old and new, in order.
    const env3 = { ...process.env, TRAIDER_SERVER: third.url, TRAIDER_TOKEN: token };
    expect((await runCliAsync(['deploy', 'pause', 'btc'], { env: env3 })).stdout).toContain('btc: PAPER, PAUSED');
    expect((await runCliAsync(['deploy', 'resume', 'btc'], { env: env3 })).stdout).toContain('btc: PAPER, ACTIVE');
    const resumed = await fillsAtLeast(third, fills.length + 2);
    expect(resumed.slice(0, fills.length).map((f) => f.fillId)).toEqual(fills.map((f) => f.fillId));
    expect((await get(third, '/deployments/btc')).runId).not.toBe(status.runId);
    // The resumed run continues the ledger of both runs before it, not only the last one's.
    expect(third.stderr()).toMatch(/resuming paper run \S+ \(continuing 1 earlier run: \d+ fills\): \d+ fills/);
    const stopped = await runCliAsync(['deploy', 'stop', 'btc', '--json'], { env: env3 });
    expect(JSON.parse(stopped.stdout)).toMatchObject({ status: 'STOPPED' });
    for (let i = 0; i < 150 && (await get(third, '/deployments/btc/status')).session.running; i++) await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await get(third, '/deployments/btc/status')).session.running).toBe(false);
    const final = (await get(third, '/deployments/btc/fills')) as FillRow[];
    expect(new Set(final.map((f) => f.fillId)).size, 'fill ids stay unique across the runs of one ledger').toBe(final.length);
    const finalNet = Math.round(final.reduce((sum, f) => sum + (f.side === 'BUY' ? f.quantity : -f.quantity), 0) * 1e8) / 1e8;
    const held = (await get(third, '/deployments/btc/positions')) as { symbol: string; quantity: number }[];
    expect(held.reduce((sum, p) => sum + p.quantity, 0)).toBe(finalNet);
    // ... and what the session's kernel held when it stopped (its summary), an account kept apart from the journal.
    const lastRun = await get(third, `/runs/${(await get(third, '/deployments/btc')).runId}`);
    expect(held.map(({ symbol, quantity }) => ({ symbol, quantity }))).toEqual(lastRun.run.summary.openPositions.map(({ symbol, quantity }: { symbol: string; quantity: number }) => ({ symbol, quantity })));
    // The ledger went through three runs: the last one's equity is the starting capital plus every fill of all three
    // (cash from the fills, fees paid, what is held at the last price), not of its own fills only.
    const summary = lastRun.run.summary as { finalEquity: number; openPositions: { value: number }[] };
    const cash = final.reduce((sum, f) => sum + (f.side === 'BUY' ? -1 : 1) * f.quantity * f.price - Number(f.fee), 10_000);
    expect(summary.finalEquity).toBeCloseTo(cash + summary.openPositions.reduce((sum, p) => sum + p.value, 0), 4);
    third.child.kill('SIGTERM');
    expect(await third.exited).toBe(0);
  }, 150_000);
});
