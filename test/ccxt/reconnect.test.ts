// A WebSocket drop during a paper session: the data client reconnects, the order book resyncs with
// the exchange's, and trading decisions (bars and books reaching the strategy) never pause for 2 s.
import { afterEach, describe, expect, it } from 'vitest';
import { CcxtDataClient, type CcxtMarketApi } from '../../src/adapters/ccxt/ccxt-data-client.ts';
import { loadConfig } from '../../src/app/config/index.ts';
import { runSession } from '../../src/app/session/run-session.ts';
import type { Bar } from '../../src/core/bar.ts';
import type { BookSnapshot } from '../../src/core/book.ts';
import { OrderSide, OrderType } from '../../src/core/order.ts';
import type { ExchangeSimHandle } from '../../src/exchange-sim/index.ts';
import { LiveClock } from '../../src/common/clock.ts';
import { Strategy } from '../../src/common/strategy.ts';
import { DIP_START, type Exchange, paperOnLocalExchange, sleep, startSim, SYMBOL, waitUntil } from './helpers.ts';

/** The longest pause a drop may cause in trading decisions. */
const MAX_GAP_MS = 2_000;

/** Decides on every bar and book (wall time recorded), and trades a little on bars to stay honest. */
class DecidingStrategy extends Strategy {
  readonly name = 'deciding';
  readonly decisions: number[] = [];
  readonly books: Array<{ wall: number; book: BookSnapshot }> = [];
  bars = 0;

  override onBar(_bar: Bar): void {
    this.decisions.push(LiveClock.wallNow());
    this.bars++;
    const held = this.ctx.position(SYMBOL).quantity;
    this.ctx.submitOrder({ symbol: SYMBOL, side: held > 0 ? OrderSide.Sell : OrderSide.Buy, type: OrderType.Market, quantity: held > 0 ? held : 0.01 });
  }

  override onBook(book: BookSnapshot): void {
    const wall = LiveClock.wallNow();
    this.decisions.push(wall);
    this.books.push({ wall, book });
  }

  longestGap(from: number, to = Infinity): number {
    const times = this.decisions.filter((t) => t >= from && t <= to);
    let longest = 0;
    for (let i = 1; i < times.length; i++) longest = Math.max(longest, times[i]! - times[i - 1]!);
    return longest;
  }
}

/** Cut every WebSocket once (drop-ws with a 1 ms age), then stop cutting. Returns the wall time of the cut. */
async function dropSocketsOnce(sim: ExchangeSimHandle): Promise<number> {
  const before = sim.admin.state().faults.injected['drop-ws'];
  sim.admin.setFaults('drop-ws=1');
  await waitUntil(() => sim.admin.state().faults.injected['drop-ws'] > before, 'the exchange to drop its sockets', 5_000);
  sim.admin.setFaults({});
  return LiveClock.wallNow();
}

describe('a WebSocket drop during a paper session', () => {
  let sim: ExchangeSimHandle | undefined;
  let exchange: Exchange | undefined;

  afterEach(async () => {
    await exchange?.close();
    await sim?.close();
    exchange = undefined;
    sim = undefined;
  });

  it('the data client reconnects, the book resyncs, and no decision gap reaches 2 s', async () => {
    // 60x: a one-minute bar closes every wall second, the book moves every 100 ms.
    const strategy = new DecidingStrategy();
    const parts = await paperOnLocalExchange(60, strategy);
    ({ sim, exchange } = parts);
    const { clock, kernel } = parts;
    const live = parts.sim;
    const logs: string[] = [];
    const data = new CcxtDataClient(exchange as unknown as CcxtMarketApi, clock, {
      symbols: [SYMBOL],
      timeframe: '1m',
      warmupBars: 5,
      onWarmup: (active) => {
        kernel.warmingUp = active;
      },
      log: (line) => logs.push(line),
    });
    kernel.start();
    await data.start(kernel);
    try {
      await waitUntil(() => strategy.books.length > 10 && strategy.bars > 6, 'books and bars before the drop');
      await sleep(1_500);
      const barsBefore = strategy.bars;
      const dropped = await dropSocketsOnce(live);
      await sleep(3_500);
      const reconnects = data.reconnects;
      const booksAfter = strategy.books.filter((b) => b.wall > dropped).length;
      const barsAfter = strategy.bars - barsBefore;
      const gapAroundDrop = strategy.longestGap(dropped - 1_000);
      const gapSession = strategy.longestGap(strategy.decisions[0]!);

      // Resync: freeze the exchange and compare its top of book with the last book the kernel saw.
      live.admin.clock({ speed: 0 });
      await sleep(600);
      const top = live.admin.state().symbols[0]!;
      const last = kernel.cache.lastBooks[0]!;
      console.log(
        `reconnect test: reconnects ${reconnects}, longest decision gap around the drop ${gapAroundDrop} ms, over the session ${gapSession} ms, ` +
          `longest book gap ${Math.round(data.longestBookGapMs)} ms, books after the drop ${booksAfter}, bars after ${barsAfter}`,
      );
      expect(reconnects, `the data client should notice the drop and reconnect (log: ${logs.join(' | ')})`).toBeGreaterThan(0);
      expect(booksAfter, 'books keep coming after the drop').toBeGreaterThan(10);
      expect(barsAfter, 'bars keep coming after the drop (one a second at 60x)').toBeGreaterThanOrEqual(2);
      expect(gapAroundDrop, `trading decisions must not pause ${MAX_GAP_MS} ms or more across the drop`).toBeLessThan(MAX_GAP_MS);
      expect(gapSession, `nor anywhere in the session`).toBeLessThan(MAX_GAP_MS);
      expect(last.bids[0]![0], 'after the resync the best bid equals the exchange\'s').toBe(Number(top.bidPrice));
      expect(last.asks[0]![0], 'after the resync the best ask equals the exchange\'s').toBe(Number(top.askPrice));
    } finally {
      await data.stop();
      kernel.stop();
      clock.cancelAll();
    }
  });

  it('runSession in paper mode rides out the drop (reconnects > 0, longest book gap < 2 s)', async () => {
    sim = await startSim({ speed: 60, startTime: DIP_START });
    const url = sim.url;
    const lines: string[] = [];
    const controller = new AbortController();
    let dropped = false;
    const session = runSession({
      mode: 'paper',
      exchange: 'binance',
      url,
      symbols: [SYMBOL],
      strategy: 'sma-cross',
      params: { fast: 3, slow: 8, fraction: 0.5 },
      timeframe: '1m',
      config: loadConfig({ env: {} }),
      env: {},
      capital: 10_000,
      warmupBars: 20,
      signal: controller.signal,
      log: (line) => lines.push(line),
      sessionId: 'reconnect',
    });
    const handle = sim;
    await waitUntil(() => lines.some((l) => l.startsWith('warm-up done')), 'the session to finish its warm-up', 20_000);
    await sleep(2_000);
    await dropSocketsOnce(handle);
    dropped = true;
    await sleep(3_000);
    controller.abort();
    const summary = await session;
    console.log(`reconnect test (runSession paper): reconnects ${summary.reconnects}, longest book gap ${summary.longestBookGapMs} ms, bars ${summary.bars}, books ${summary.books}, orders ${summary.orders}`);
    expect(dropped).toBe(true);
    expect(summary.reconnects, `the session should reconnect after the drop (log: ${lines.slice(-5).join(' | ')})`).toBeGreaterThan(0);
    expect(summary.longestBookGapMs, `the book must not pause ${MAX_GAP_MS} ms or more`).toBeLessThan(MAX_GAP_MS);
    expect(summary.books, 'books reached the session').toBeGreaterThan(20);
  });
});
