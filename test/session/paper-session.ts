// Scaffolding of the tests that run a session as a user does: `traider paper` (or `live`) in a child process against
// the local exchange over loopback (replaying the 2021 dip at 60x), a strategy file in a temporary folder that also
// holds the journals, and the process's output collected as it comes.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { ExchangeSimHandle } from '../../src/exchange-sim/index.ts';
import { DIP_START, startSim, TEST_ENV } from '../ccxt/helpers.ts';
import { BIN, ROOT } from '../crash/replay-crash.ts';

/**
 * Once trading is on (warm-up refusals come back with the id 'warm-up'): a limit buy 4% below the market (as far as
 * the paper risk price band allows) that rests, then a small market buy that fills; a log line names both orders.
 */
export const REST_AND_BUY = `
import { OrderSide, OrderType, Strategy } from 'traider';

export default class RestAndBuy extends Strategy {
  readonly name = 'rest-and-buy';
  private limitId: string | undefined;
  private marketId: string | undefined;

  override onBook(book: { symbol: string }): void {
    const price = this.ctx.lastPrice(book.symbol);
    if (!(price > 0)) return;
    if (this.limitId === undefined) {
      const order = this.ctx.submitOrder({ symbol: book.symbol, side: OrderSide.Buy, type: OrderType.Limit, quantity: 0.01, price: Math.round(price * 0.96) });
      if (order.id !== 'warm-up') this.limitId = order.id;
    }
    if (this.marketId === undefined && this.limitId !== undefined) {
      const order = this.ctx.submitOrder({ symbol: book.symbol, side: OrderSide.Buy, type: OrderType.Market, quantity: 0.01 });
      if (order.id !== 'warm-up') {
        this.marketId = order.id;
        this.ctx.log('test-strategy placed limit ' + this.limitId + ' and market ' + this.marketId);
      }
    }
  }
}
`;

export interface LocalExchange {
  readonly sim: ExchangeSimHandle;
  /** The temporary folder: the strategy files, and the journals the sessions write. */
  readonly dir: string;
}

/**
 * For the tests of the calling file: before them, the local exchange and a temporary folder (named from `prefix`)
 * holding `files` (name -> text); after them, both gone. Read the fields inside the tests (they are set by then).
 */
export function localExchangeForTests(prefix: string, files: Readonly<Record<string, string>>): LocalExchange {
  let sim: ExchangeSimHandle | undefined;
  let dir: string | undefined;
  beforeAll(async () => {
    sim = await startSim({ speed: 60, startTime: DIP_START });
    dir = mkdtempSync(join(tmpdir(), prefix));
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  });
  afterAll(async () => {
    await sim?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  return {
    get sim() {
      if (!sim) throw new Error('the local exchange starts in beforeAll: read it inside a test');
      return sim;
    },
    get dir() {
      if (!dir) throw new Error('the temporary folder is made in beforeAll: read it inside a test');
      return dir;
    },
  };
}

export interface SessionOptions {
  readonly mode?: 'paper' | 'live';
  /** A file in the folder. */
  readonly strategy: string;
  /** The journal: `<db>.db` in the folder. */
  readonly db: string;
  /** More flags. */
  readonly extra?: readonly string[];
}

export interface SessionProcess {
  readonly child: ChildProcess;
  /** The journal database. */
  readonly db: string;
  stdout(): string;
  stderr(): string;
  /** stdout and stderr interleaved as they arrived. */
  output(): string;
  /** The exit code once the process has ended and its output is all read (null when killed by a signal). */
  readonly exited: Promise<number | null>;
}

/** `traider paper|live` on the local exchange for BTC/USDT with a JSON summary, in a child process started now. */
export function startSession(exchange: LocalExchange, options: SessionOptions): SessionProcess {
  const db = join(exchange.dir, `${options.db}.db`);
  const strategy = join(exchange.dir, options.strategy);
  const args = [BIN, options.mode ?? 'paper', '--exchange', 'binance', '--url', exchange.sim.url, '--symbols', 'BTC/USDT', '--strategy', strategy, '--db', db, '--json', ...(options.extra ?? [])];
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TRAIDER_DB: '', ...TEST_ENV } });
  const text = { stdout: '', stderr: '', both: '' };
  for (const stream of ['stdout', 'stderr'] as const) {
    child[stream].setEncoding('utf8').on('data', (chunk: string) => {
      text[stream] += chunk;
      text.both += chunk;
    });
  }
  // 'close', not 'exit': the output is complete by then.
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, db, stdout: () => text.stdout, stderr: () => text.stderr, output: () => text.both, exited };
}

/** The last line of `output` that is a JSON object: a session's summary with --json. */
export function lastJsonLine<T = Record<string, unknown>>(output: string): T {
  const line = output.trim().split('\n').reverse().find((l) => l.startsWith('{'));
  if (!line) throw new Error(`no JSON summary line in the output:\n${output}`);
  return JSON.parse(line) as T;
}
