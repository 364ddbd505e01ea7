// Bench: tick to order in a paper session on loopback. The local exchange streams the real BTC/USDT
// book; our data client receives it through ccxt.pro, the kernel hands it to a strategy that decides
// and submits an order on every update. Measured: wall time from the update entering the kernel
// (after ccxt parsed it) to the order accepted and filled by the paper venue.
import { fileURLToPath } from 'node:url';
import { CcxtDataClient, type CcxtMarketApi, createExchange, syncVenueClock } from '../src/adapters/ccxt/index.ts';
import { BookExecutionClient } from '../src/adapters/sim/index.ts';
import { type CcxtMarket, instrumentFromMarket } from '../src/app/session/index.ts';
import { type BookSnapshot, CryptoFeeSchedule, numberToMoney, OrderSide, OrderType } from '../src/core/index.ts';
import { startExchangeSim } from '../src/exchange-sim/index.ts';
import { LiveClock, Strategy } from '../src/common/index.ts';
import { Kernel } from '../src/kernel/index.ts';

let arrival = 0;
const latencies: number[] = [];

/** Buys a lot on every book update and sells it on the next: a decision per tick. */
class EveryTick extends Strategy {
  readonly name = 'every-tick';
  private holding = false;
  override onBook(book: BookSnapshot): void {
    const quantity = this.ctx.instrument(book.symbol).lot * 10;
    this.ctx.submitOrder({ symbol: book.symbol, side: this.holding ? OrderSide.Sell : OrderSide.Buy, type: OrderType.Market, quantity });
    this.holding = !this.holding;
    latencies.push(performance.now() - arrival);
  }
}

export async function benchPaper(seconds = 8): Promise<{ tickToOrderP50Ms: number; tickToOrderP99Ms: number; ticks: number }> {
  latencies.length = 0;
  const data = fileURLToPath(new URL('../data/BTCUSDT-1m-2021-02-19_2021-02-25.csv', import.meta.url));
  const sim = await startExchangeSim({ data: [data], speed: 60, seed: 1, startTime: Date.UTC(2021, 1, 20) });
  try {
    const exchange = await createExchange({ exchange: 'binance', url: sim.url, env: {} });
    const markets = (await exchange.loadMarkets()) as unknown as Record<string, CcxtMarket>;
    const instrument = instrumentFromMarket(markets['BTC/USDT']!, true);
    const clock = new LiveClock();
    await syncVenueClock(exchange as unknown as CcxtMarketApi, clock, 300);
    const kernel = new Kernel({
      clock,
      execution: new BookExecutionClient((i) => new CryptoFeeSchedule({ makerBps: 10, takerBps: 10 }, i.quote)),
      instruments: [instrument],
      currency: 'USDT',
      initialCapital: numberToMoney(1_000_000),
      strategy: new EveryTick(),
    });
    const onBook = kernel.onBook.bind(kernel);
    kernel.onBook = (book) => {
      arrival = performance.now();
      onBook(book);
    };
    const client = new CcxtDataClient(exchange as unknown as CcxtMarketApi, clock, { symbols: ['BTC/USDT'], timeframe: '1m' });
    kernel.start();
    await client.start(kernel);
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    await client.stop();
    kernel.stop();
    clock.cancelAll();
  } finally {
    await sim.close();
  }
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (q: number): number => Number((sorted[Math.floor(q * (sorted.length - 1))] ?? NaN).toFixed(4));
  if (sorted.length < 20) throw new Error(`paper bench saw only ${sorted.length} book updates`);
  return { tickToOrderP50Ms: at(0.5), tickToOrderP99Ms: at(0.99), ticks: sorted.length };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(`${JSON.stringify(await benchPaper())}\n`);
}
