// A paper session on the local exchange (fixed speed), killed with SIGKILL three times right after fills
// and resumed each time with --resume, decides exactly like the same session run uninterrupted beside it
// on the same exchange: the same orders (ids, sides, quantities, the bar each was decided on), the same
// fills per order (ids, quantities) and the same position after every bar. The strategy counts bars and
// alternates, so a resume that loses its state, skips bars or misses a fill decides differently.
// Fill prices and times are not compared: a paper fill takes the live book at the wall-clock moment the
// order reaches it, which differs between any two runs (see docs/sessions.md).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExchangeSimHandle } from '../../src/exchange-sim/index.ts';
import { DIP_START, startSim, TEST_ENV } from '../ccxt/helpers.ts';
import { mulberry32 } from '../support/random.ts';
import { BIN, ROOT } from './replay-crash.ts';

const COUNT_FROM = DIP_START + 3 * 60_000; // 9 s of wall time after the exchange starts

// Every second bar: buy 0.01 when flat, else sell what is held; the order's tag names the bar and the
// strategy's own bar count (its state: a resume that did not restore it shows in the tags). It counts
// from the exchange's fourth minute, a bar both sessions are sure to see live: where the warm-up history
// ends depends on the moment each process started (a bar is 2 s of wall time here), and an order
// decided on a warm-up bar is not sent, so counting from earlier would make two correct sessions disagree.
const STRATEGY = `
import { OrderSide, OrderType, Strategy, type Bar } from 'traider';

export default class EveryOtherBar extends Strategy {
  readonly name = 'every-other-bar';
  private bars = 0;

  override onBar(bar: Bar): void {
    if (bar.openTime < ${COUNT_FROM}) return;
    this.bars++;
    if (this.bars % 2 !== 0) return;
    const held = this.ctx.position(bar.symbol).quantity;
    const side = held > 0 ? OrderSide.Sell : OrderSide.Buy;
    this.ctx.submitOrder({ symbol: bar.symbol, side, type: OrderType.Market, quantity: held > 0 ? held : 0.01, tag: bar.openTime + '-n' + this.bars });
  }
}
`;

// A 1m bar every 3 s: a restart (about 1.5 s, more on a loaded machine) is back before the next bar closes. A restart
// that misses a bar gets it on its return together with the next one, and decides on the second before the paper fill
// of the first arrives, which no uninterrupted session does (seen at a bar every 2 s with the machine under load).
const SPEED = 20;
const SECONDS = 60;

let sim: ExchangeSimHandle;
let dir: string;
beforeAll(async () => {
  sim = await startSim({ speed: SPEED, startTime: DIP_START });
  dir = mkdtempSync(join(tmpdir(), 'traider-paper-crash-'));
  writeFileSync(join(dir, 'every-other-bar.ts'), STRATEGY);
});
afterAll(async () => {
  await sim?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Proc {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function paper(db: string, durationS: number, resume?: string): Proc {
  const args = [BIN, 'paper', '--exchange', 'binance', '--url', sim.url, '--symbols', 'BTC/USDT', '--strategy', join(dir, 'every-other-bar.ts'), '--db', db, '--duration', String(durationS), '--json', ...(resume ? ['--resume', resume] : [])];
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TRAIDER_DB: '', ...TEST_ENV } });
  let text = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
  return { child, output: () => text, exited: new Promise((resolve) => child.on('exit', (code) => resolve(code))) };
}

async function until(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return check();
}

function decisions(db: string) {
  const sqlite = new Database(db, { readonly: true });
  try {
    const runs = sqlite.prepare('SELECT id FROM runs').all() as Array<{ id: string }>;
    const orders = sqlite.prepare("SELECT order_id AS id, side, quantity, tag, status FROM orders WHERE status != 'DENIED' ORDER BY created_at, order_id").all() as Array<{ id: string; side: string; quantity: number; tag: string; status: string }>;
    const fills = sqlite.prepare('SELECT fill_id AS id, order_id AS orderId, quantity FROM fills ORDER BY id').all() as Array<{ id: string; orderId: string; quantity: number }>;
    const bars = sqlite.prepare('SELECT open_time AS openTime FROM bars ORDER BY id').all() as Array<{ openTime: number }>;
    return { runs: runs.map((r) => r.id), orders, fills, bars: bars.map((b) => b.openTime) };
  } finally {
    sqlite.close();
  }
}

describe('a paper session on the local exchange killed with SIGKILL 3 times after fills, resumed each time', () => {
  it('decides and fills exactly like the same session uninterrupted', async () => {
    const started = performance.now();
    const baseDb = join(dir, 'uninterrupted.db');
    const base = paper(baseDb, SECONDS);

    const db = join(dir, 'killed.db');
    const random = mulberry32(3);
    let runId: string | undefined;
    const kills: number[] = [];
    for (let k = 0; k < 3; k++) {
      const elapsed = (performance.now() - started) / 1000;
      const proc = paper(db, Math.max(1, Math.round(SECONDS - elapsed)), runId);
      const fillsBefore = (): number => (proc.output().match(/^fill /gm) ?? []).length;
      // Kill after this process's first (or second) fill, 0-300 ms later.
      const target = 1 + Math.floor(random() * 2);
      expect(await until(() => fillsBefore() >= target, 30_000), `process ${k + 1} fills: ${proc.output().slice(-600)}`).toBe(true);
      if (k > 0) expect(proc.output(), `process ${k + 1} resumed the run`).toMatch(new RegExp(`resuming paper run ${runId}: played back \\d+ journaled bars and \\d+ fills`));
      runId ??= /journaling run (\S+) to /.exec(proc.output())![1]!;
      await new Promise((resolve) => setTimeout(resolve, Math.floor(random() * 300)));
      kills.push(fillsBefore());
      proc.child.kill('SIGKILL');
      await proc.exited;
    }
    const elapsed = (performance.now() - started) / 1000;
    const last = paper(db, Math.max(2, Math.round(SECONDS - elapsed)), runId);
    expect(await last.exited, last.output().slice(-800)).toBe(0);
    expect(await base.exited, base.output().slice(-800)).toBe(0);
    expect(last.output()).toMatch(new RegExp(`resuming paper run ${runId}`));

    const expected = decisions(baseDb);
    const got = decisions(db);
    expect(got.runs, 'one run, continued').toEqual([runId]);
    // Compare up to the last bar both saw, less one (the two sessions stop a moment apart).
    const lastBar = Math.min(expected.bars[expected.bars.length - 1]!, got.bars[got.bars.length - 1]!) - 60_000;
    const upTo = <T extends { tag: string }>(orders: T[]) => orders.filter((o) => Number(o.tag.split('-')[0]) <= lastBar);
    const view = (o: { id: string; side: string; quantity: number; tag: string }) => ({ id: o.id, side: o.side, quantity: o.quantity, tag: o.tag });
    const expectedOrders = upTo(expected.orders);
    expect(expectedOrders.length, 'the uninterrupted session trades').toBeGreaterThanOrEqual(6);
    expect(upTo(got.orders).map(view), 'the same orders, decided on the same bars').toEqual(expectedOrders.map(view));
    const ids = new Set(expectedOrders.map((o) => o.id));
    const fillView = (f: { id: string; orderId: string; quantity: number }) => ({ id: f.id, orderId: f.orderId, quantity: f.quantity });
    expect(got.fills.filter((f) => ids.has(f.orderId)).map(fillView), 'the same fills').toEqual(expected.fills.filter((f) => ids.has(f.orderId)).map(fillView));
    const counted = (t: number) => t >= COUNT_FROM && t <= lastBar;
    expect(got.bars.filter(counted), 'every bar acted on once, none skipped').toEqual(expected.bars.filter(counted));
    console.log(`paper resume: kills after ${kills.join(', ')} fills; ${expectedOrders.length} orders compared`);
  }, 120_000);
});
