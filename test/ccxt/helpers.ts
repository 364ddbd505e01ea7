// Shared set-up for the CCXT venue tests: the local exchange replaying the bundled BTC/USDT minutes,
// the real ccxt client made by our factory, and a kernel on the CCXT execution client.
import { BookExecutionClient } from '../../src/adapters/sim/book-execution-client.ts';
import { CryptoFeeSchedule } from '../../src/core/fees.ts';
import type { CcxtOrder, CcxtTradingApi } from '../../src/adapters/ccxt/ccxt-api.ts';
import { CcxtExecutionClient } from '../../src/adapters/ccxt/ccxt-execution-client.ts';
import type { Discrepancy } from '../../src/adapters/ccxt/client-state.ts';
import { syncVenueClock, type CcxtMarketApi } from '../../src/adapters/ccxt/ccxt-data-client.ts';
import { createExchange } from '../../src/adapters/ccxt/exchange-factory.ts';
import { instrumentFromMarket, type CcxtMarket } from '../../src/app/session/instruments-from-exchange.ts';
import { loadBarSeries } from '../../src/adapters/files/index.ts';
import type { BarSeries } from '../../src/core/bar.ts';
import { numberToMoney } from '../../src/core/decimal.ts';
import type { Instrument } from '../../src/core/instrument.ts';
import { ORDER_TRANSITIONS, OrderStatus, type OrderEventKind } from '../../src/core/order.ts';
import { LiveClock } from '../../src/common/clock.ts';
import type { OrderEvent } from '../../src/common/events.ts';
import { Kernel } from '../../src/kernel/kernel.ts';
import { Topic } from '../../src/common/message-bus.ts';
import { Strategy } from '../../src/common/strategy.ts';
import { startExchangeSim, type AccountConfig, type ExchangeSimHandle, type ExchangeSimOptions } from '../../src/exchange-sim/index.ts';
import { mulberry32 } from '../support/random.ts';

export const DATA = 'data/BTCUSDT-1m-2021-02-19_2021-02-25.csv';
export const SYMBOL = 'BTC/USDT';
/** The local exchange's public test credential, given the way a user gives theirs: in the environment. */
export const TEST_ENV = { TRAIDER_BINANCE_API_KEY: 'test-key', TRAIDER_BINANCE_API_SECRET: 'test-secret' } as const;
/** 2021-02-22 12:00 UTC: the price falls 3% within the next half hour, so resting buys below the market get filled. */
export const DIP_START = Date.UTC(2021, 1, 22, 12);

export type Exchange = Awaited<ReturnType<typeof createExchange>>;

let series: Promise<BarSeries> | undefined;
/** The bundled minutes, loaded once per test file. */
export function bundledSeries(): Promise<BarSeries> {
  series ??= loadBarSeries(DATA).then((loaded) => loaded.series);
  return series;
}

export function startSim(options: Partial<ExchangeSimOptions> = {}): Promise<ExchangeSimHandle> {
  return startExchangeSim({ data: [DATA], port: 0, seed: 5, ...options });
}

/** Our exchange factory pointed at the local exchange; no throttle beyond 1 ms per weight (loopback). */
export async function exchangeFor(sim: ExchangeSimHandle, options: { timeoutMs?: number } = {}): Promise<Exchange> {
  const exchange = await createExchange({ exchange: 'binance', url: sim.url, env: TEST_ENV, requireCredentials: true, rateLimitMs: 1, ...options });
  await exchange.loadMarkets();
  return exchange;
}

export function instrumentOf(exchange: Exchange, symbol = SYMBOL): Instrument {
  const markets = exchange.markets as unknown as Record<string, CcxtMarket>;
  return instrumentFromMarket(markets[symbol]!, (exchange as unknown as { precisionMode: number }).precisionMode === 4);
}

/** A strategy that does nothing by itself: tests drive the kernel directly. */
export class IdleStrategy extends Strategy {
  readonly name = 'idle';
}

export interface CcxtKernel {
  readonly kernel: Kernel;
  readonly client: CcxtExecutionClient;
  readonly clock: LiveClock;
  readonly instrument: Instrument;
  readonly events: OrderEvent[];
  readonly discrepancies: Discrepancy[];
  /** The quote balance the kernel started with (the exchange's free USDT). */
  readonly capital: number;
}

/** A kernel trading on the exchange through CcxtExecutionClient, with capital = the free quote balance. */
export async function ccxtKernel(exchange: Exchange, options: { prefix: string; strategy?: Strategy; random?: () => number; exchangeId?: string }): Promise<CcxtKernel> {
  const instrument = instrumentOf(exchange);
  const clock = new LiveClock();
  await syncVenueClock(exchange as unknown as CcxtMarketApi, clock, 200);
  const balance = (await exchange.fetchBalance()) as unknown as { free: Record<string, number> };
  const capital = balance.free[instrument.quote] ?? 0;
  const discrepancies: Discrepancy[] = [];
  const client = new CcxtExecutionClient(exchange as unknown as CcxtTradingApi, {
    clientIdPrefix: options.prefix,
    onDiscrepancy: (d) => discrepancies.push(d),
    random: options.random ?? seeded(1),
  }, options.exchangeId ?? 'binance');
  const kernel = new Kernel({ clock, execution: client, instruments: [instrument], currency: instrument.quote, initialCapital: numberToMoney(capital), strategy: options.strategy ?? new IdleStrategy() });
  const events: OrderEvent[] = [];
  kernel.bus.subscribe<OrderEvent>(Topic.OrderEvent, (event) => events.push(event));
  kernel.start();
  return { kernel, client, clock, instrument, events, discrepancies, capital };
}

/**
 * Feed the exchange's order stream (ccxt.pro watchOrders over the WebSocket API) into the client, as
 * a live session does; survives dropped sockets. Returns a stop function, the reconnect count and the
 * number of order updates delivered so far.
 */
export function watchOrders(exchange: Exchange, client: CcxtExecutionClient): { stop: () => Promise<void>; reconnects: () => number; updates: () => number } {
  let stopped = false;
  let reconnects = 0;
  let updates = 0;
  const loop = (async () => {
    const watcher = exchange as unknown as { watchOrders(symbol?: string): Promise<CcxtOrder[]> };
    while (!stopped) {
      try {
        for (const update of await watcher.watchOrders(SYMBOL)) {
          updates++;
          client.onOrderUpdate(update);
        }
      } catch {
        if (stopped) return;
        reconnects++;
        await sleep(100);
      }
    }
  })();
  return {
    reconnects: () => reconnects,
    updates: () => updates,
    stop: async () => {
      stopped = true;
      await Promise.race([loop, sleep(500)]);
    },
  };
}

/** Accounts for a run that starts with quote only, so any base the exchange holds came from our trades. */
export function quoteOnlyAccount(usdt = 100_000): AccountConfig[] {
  return [{ apiKey: 'test-key', secret: 'test-secret', balances: { USDT: usdt } }];
}

/** A deterministic random source (mulberry32). */
export const seeded = mulberry32;

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Wait until `condition` holds, polling; throws with `what` after `timeoutMs`. */
export async function waitUntil(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = LiveClock.wallNow() + timeoutMs;
  while (!condition()) {
    if (LiveClock.wallNow() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(20);
  }
}

/**
 * Every order's events walked through the transition table from INITIALIZED: returns one line per
 * illegal step (empty when all are legal).
 */
export function illegalTransitions(events: readonly OrderEvent[]): string[] {
  const status = new Map<string, OrderStatus>();
  const problems: string[] = [];
  for (const event of events) {
    const id = event.order.id;
    const from = status.get(id) ?? OrderStatus.Initialized;
    const kind: OrderEventKind = event.kind;
    const to = ORDER_TRANSITIONS[from][kind];
    if (to === undefined) {
      problems.push(`order ${id}: ${kind} after ${from}`);
      continue;
    }
    status.set(id, to);
  }
  return problems;
}

/** The exchange account's state as the admin endpoint reports it (the exchange's own truth). */
export interface ExchangeAccountState {
  balances: Record<string, { free: string; locked: string }>;
  orders: Array<{ orderId: number; clientOrderId: string; status: string; side: string; type: string; executedQty: string; origQty: string }>;
  trades: Array<{ id: number; orderId: number; qty: string; price: string; commission: string; commissionAsset: string; isBuyer: boolean }>;
}

export function exchangeAccount(sim: ExchangeSimHandle, apiKey = 'test-key'): ExchangeAccountState {
  const account = sim.admin.state().accounts.find((a) => a.apiKey === apiKey);
  if (!account) throw new Error(`no account ${apiKey} on the exchange`);
  return account as unknown as ExchangeAccountState;
}

export function totalOf(state: ExchangeAccountState, asset: string): number {
  const balance = state.balances[asset];
  return balance ? Number(balance.free) + Number(balance.locked) : 0;
}

/** A paper session's parts on a new local exchange replaying at `speed` from DIP_START: the paper venue (10 bps fees) under a kernel on the venue's clock. */
export async function paperOnLocalExchange(speed: number, strategy: Strategy = new IdleStrategy()) {
  const sim = await startSim({ speed, startTime: DIP_START });
  const exchange = await exchangeFor(sim);
  const instrument = instrumentOf(exchange);
  const clock = new LiveClock();
  await syncVenueClock(exchange as unknown as CcxtMarketApi, clock, 300);
  const venue = new BookExecutionClient((i) => new CryptoFeeSchedule({ makerBps: 10, takerBps: 10 }, i.quote));
  const kernel = new Kernel({ clock, execution: venue, instruments: [instrument], currency: 'USDT', initialCapital: numberToMoney(10_000), strategy });
  return { sim, exchange, instrument, clock, venue, kernel };
}
