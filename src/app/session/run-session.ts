// Paper and live sessions: the same kernel as a backtest, on the venue's clock and data; paper fills
// on the live book, live sends orders through the CCXT venue.
import { BookExecutionClient } from '../../adapters/sim/book-execution-client.ts';
import { CcxtDataClient, syncVenueClock, type CcxtMarketApi } from '../../adapters/ccxt/ccxt-data-client.ts';
import { CcxtExecutionClient, type CcxtTradingApi, type Discrepancy } from '../../adapters/ccxt/ccxt-execution-client.ts';
import { createExchange } from '../../adapters/ccxt/exchange-factory.ts';
import { moneyToNumber, numberToMoney } from '../../core/decimal.ts';
import { CryptoFeeSchedule } from '../../core/fees.ts';
import type { Fill } from '../../core/fill.ts';
import { RiskMode } from '../../engines/risk/codes.ts';
import { RiskEngine } from '../../engines/risk/risk-engine.ts';
import { LiveClock } from '../../kernel/clock.ts';
import type { OrderEvent } from '../../kernel/events.ts';
import { Kernel } from '../../kernel/kernel.ts';
import { Topic } from '../../kernel/message-bus.ts';
import type { ExecutionClient } from '../../kernel/ports.ts';
import { resolveStrategy } from '../../strategies/index.ts';
import type { TraiderConfig } from '../config/index.ts';
import { toRiskConfig } from '../config/risk-schema.ts';
import { instrumentFromMarket, type CcxtMarket } from './instruments-from-exchange.ts';
import { fillFromRecord, orderFromRecord } from './restore.ts';
import { breakerRecord, denialRecord, fillRecord, orderEventRecord, type Journal } from '../../audit/index.ts';
import type { BreakerEvent } from '../../engines/risk/breaker-ladder.ts';
import { RunKind } from '../../kernel/store.ts';
import { jsonSafe } from '../backtest/journal-run.ts';
import { openJournal } from '../store/index.ts';

export interface SessionRequest {
  readonly mode: 'paper' | 'live';
  readonly exchange: string;
  readonly url?: string;
  readonly symbols: readonly string[];
  readonly strategy: string;
  readonly params?: unknown;
  readonly timeframe: string;
  readonly config: TraiderConfig;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Paper: starting cash in the quote currency. Live uses the exchange balance. */
  readonly capital?: number;
  /** Stop after this many wall-clock milliseconds (default: until stopped). */
  readonly durationMs?: number;
  readonly warmupBars?: number;
  readonly signal?: AbortSignal;
  readonly log: (line: string) => void;
  /** Identifies the session in client order ids (so retries and restarts stay idempotent). */
  readonly sessionId: string;
  /** Journal database (path or postgres:// URL); undefined: nothing is journaled. */
  readonly db?: string;
  /**
   * Live: holdings the exchange has that the platform did not book are taken into the books at the
   * start (a person's decision, named by `actor`). Without it, such a symbol is halted.
   */
  readonly adoptPositions?: boolean;
  /** Who runs the session (audit log). */
  readonly actor?: string;
  /** Paper: continue the ledger, positions and open orders of this earlier run (from the journal). */
  readonly resume?: string;
}

export interface SessionSummary {
  mode: string;
  exchange: string;
  symbols: string[];
  clockRate: number;
  bars: number;
  books: number;
  orders: number;
  fills: number;
  trades: number;
  denials: Record<string, number>;
  breakerEvents: number;
  initialCapital: number;
  finalEquity: number;
  feesPaid: number;
  reconnects: number;
  longestBookGapMs: number;
  discrepancies: number;
}

function waitFor(durationMs: number | undefined, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      if (timer) clearTimeout(timer);
      resolve();
    };
    const timer = durationMs === undefined ? undefined : setTimeout(done, durationMs);
    if (signal?.aborted) done();
    signal?.addEventListener('abort', done, { once: true });
  });
}

export async function runSession(request: SessionRequest): Promise<SessionSummary> {
  const { config, log } = request;
  const exchange = await createExchange({ exchange: request.exchange, url: request.url, env: request.env, requireCredentials: request.mode === 'live' });
  const markets = (await exchange.loadMarkets()) as unknown as Record<string, CcxtMarket>;
  const tickMode = (exchange as unknown as { precisionMode: number }).precisionMode === 4;
  const instruments = request.symbols.map((symbol) => {
    const market = markets[symbol];
    if (!market) throw new RangeError(`--symbols: ${symbol} is not traded on ${request.exchange}`);
    return instrumentFromMarket(market, tickMode);
  });
  const currency = instruments[0]!.quote;
  if (instruments.some((i) => i.quote !== currency)) throw new RangeError('--symbols: all symbols of one session need the same quote currency');
  const clock = new LiveClock();
  const { rate } = await syncVenueClock(exchange as unknown as CcxtMarketApi, clock);
  log(`${request.mode} session on ${request.exchange}${request.url ? ` (${request.url})` : ''}: venue clock ${new Date(clock.now()).toISOString()}, ${rate === 1 ? 'real time' : `${rate.toFixed(1)}x`}`);

  const journaled = request.db === undefined ? undefined : await openJournal(request.db, { clock });
  let resumedFrom: string | undefined;
  let previous: Awaited<ReturnType<NonNullable<typeof journaled>['store']['getRun']>>;
  if (request.resume !== undefined) {
    if (!journaled) throw new RangeError('--resume: needs the journal database (--db)');
    if (request.mode !== 'paper') throw new RangeError('--resume: only paper sessions resume; a live session reconciles with the exchange instead');
    previous = await journaled.store.getRun(request.resume);
    if (!previous) throw new RangeError(`--resume: no run ${request.resume} in ${journaled.store.location}`);
    if (previous.kind !== RunKind.Paper) throw new RangeError(`--resume: run ${request.resume} is a ${previous.kind} run, not a paper session`);
  }
  // A resumed paper ledger starts from the capital of the run it continues.
  const previousCapital = (previous?.parameters as { capital?: unknown } | undefined)?.capital;
  let capital = typeof previousCapital === 'number' ? previousCapital : (request.capital ?? config.backtest.capital);
  // Set once the kernel exists: differences become audit entries, unknown positions halt their symbol.
  let onDiscrepancy: ((d: Discrepancy) => void) | undefined;
  let execution: ExecutionClient;
  let ccxtExecution: CcxtExecutionClient | undefined;
  const discrepancies: Discrepancy[] = [];
  if (request.mode === 'live') {
    const balance = (await exchange.fetchBalance()) as unknown as { free: Record<string, number> };
    capital = balance.free[currency] ?? 0;
    ccxtExecution = new CcxtExecutionClient(exchange as unknown as CcxtTradingApi, {
      clientIdPrefix: request.sessionId,
      onDiscrepancy: (d) => {
        discrepancies.push(d);
        log(`reconciliation: ${d.kind} ${d.symbol}: ${d.detail}`);
        onDiscrepancy?.(d);
      },
      log,
    }, request.exchange);
    execution = ccxtExecution;
  } else {
    execution = new BookExecutionClient((instrument) => new CryptoFeeSchedule(config.fees.crypto, instrument.quote));
  }

  const risk = new RiskEngine({ config: toRiskConfig(config.risk), mode: request.mode === 'live' ? RiskMode.LiveMinimal : RiskMode.Paper, backtest: false });
  const strategy = (await resolveStrategy(request.strategy)).create(request.params);
  const kernel = new Kernel({ clock, execution, instruments, currency, initialCapital: numberToMoney(capital), strategy, risk, log });
  if (previous) {
    const journal = await journaled!.store.readRunJournal(previous.id);
    const fills = journal.fills.map(fillFromRecord);
    const orders = journal.orders.map(orderFromRecord);
    kernel.restore({ fills, orders });
    resumedFrom = previous.id;
    log(`resuming paper run ${previous.id}: ${fills.length} fills, ${orders.filter((o) => o.isOpen).length} open orders, cash ${kernel.cash().toFixed(2)}`);
  }
  if (journaled) {
    const runId = await journaled.journal.createRun({
      kind: request.mode === 'live' ? RunKind.Live : RunKind.Paper,
      strategy: request.strategy,
      symbols: [...request.symbols],
      market: 'crypto',
      timeframe: request.timeframe,
      mode: request.mode === 'live' ? RiskMode.LiveMinimal : RiskMode.Paper,
      parameters: jsonSafe({ exchange: request.exchange, url: request.url ?? null, params: request.params ?? null, capital, sessionId: request.sessionId, resumedFrom: resumedFrom ?? null }) as never,
    });
    log(`journaling run ${runId} to ${journaled.store.location}`);
    writeAheadSession(kernel, journaled.journal, runId);
    runIdOf.set(kernel, runId);
  }
  kernel.bus.subscribe<Fill>(Topic.Fill, (fill) => {
    const instrument = kernel.cache.instrument(fill.symbol);
    log(`fill ${fill.side} ${instrument.formatQuantity(fill.quantity)} ${fill.symbol} @ ${instrument.formatPrice(fill.price)} fee ${moneyToNumber(fill.fee).toFixed(4)} ${currency}  equity ${kernel.equity().toFixed(2)}`);
  });
  kernel.bus.subscribe<OrderEvent>(Topic.OrderEvent, (event) => {
    if (event.kind === 'DENIED' && event.reason !== 'WARMING_UP') log(`denied ${event.order.side} ${event.order.symbol}: ${event.reason} (${event.detail})`);
  });
  kernel.bus.subscribe<{ level: string; cause: string; value: number; threshold: number }>(Topic.Breaker, (e) => log(`breaker ${e.level} (${e.cause} ${e.value.toFixed(4)} vs ${e.threshold})`));

  const data = new CcxtDataClient(exchange as unknown as CcxtMarketApi, clock, {
    symbols: request.symbols,
    timeframe: request.timeframe,
    warmupBars: request.warmupBars ?? 100,
    health: risk,
    onWarmup: (active) => {
      kernel.warmingUp = active;
    },
    log,
  });
  kernel.start();
  await data.start(kernel);
  log(`warm-up done (${data.barsDelivered} bars); trading ${request.symbols.join(', ')} on ${request.timeframe} bars`);
  const actor = request.actor ?? 'traider';
  let reconciling = true;
  onDiscrepancy = (d) => {
    if (journaled) void journaled.journal.audit.append({ actor: 'reconciler', kind: `reconciliation.${d.kind.toLowerCase()}`, payload: jsonSafe(d) }).catch(() => undefined);
    if (d.kind !== 'UNKNOWN_POSITION' || d.difference === undefined) return;
    if (reconciling && request.adoptPositions && d.difference > 0) {
      kernel.adoptPosition(d.symbol, d.difference, kernel.cache.lastClose[kernel.cache.symbolIndex(d.symbol)]!);
      ccxtExecution?.adoptHolding(d.asset ?? kernel.cache.instrument(d.symbol).base, d.difference);
      log(`adopted ${d.difference} ${d.asset ?? ''} of ${d.symbol} into the books (--adopt-positions, ${actor})`);
      if (journaled) void journaled.journal.audit.append({ actor, kind: 'reconciliation.adopted', payload: jsonSafe(d) }).catch(() => undefined);
      return;
    }
    risk.haltSymbol(d.symbol, d.detail);
    log(`trading ${d.symbol} halted until a person decides (restart with --adopt-positions to take the holding into the books)`);
  };

  let ordersLoop: Promise<void> | undefined;
  let reconcileTimer: ReturnType<typeof setInterval> | undefined;
  let stopping = false;
  if (ccxtExecution) {
    const client = ccxtExecution;
    await client.reconcile(request.symbols);
    reconciling = false;
    ordersLoop = (async () => {
      const watcher = exchange as unknown as { watchOrders(): Promise<Array<Parameters<CcxtExecutionClient['onOrderUpdate']>[0]>> };
      while (!stopping) {
        try {
          for (const update of await watcher.watchOrders()) client.onOrderUpdate(update);
        } catch {
          if (!stopping) await new Promise((resolve) => setTimeout(resolve, 250));
        }
      }
    })();
    reconcileTimer = setInterval(() => void client.reconcile(request.symbols).catch((e: Error) => log(`reconciliation failed: ${e.message}`)), 10_000);
  }

  await waitFor(request.durationMs, request.signal);
  stopping = true;
  if (reconcileTimer) clearInterval(reconcileTimer);
  await data.stop();
  await ccxtExecution?.settle();
  await Promise.race([ordersLoop, new Promise((resolve) => setTimeout(resolve, 1000))]);
  kernel.stop();
  clock.cancelAll();
  if (journaled) {
    await journaled.journal.flush().catch(() => undefined);
    kernel.release();
  }

  const account = kernel.account;
  const summary: SessionSummary = {
    mode: request.mode,
    exchange: request.exchange,
    symbols: [...request.symbols],
    clockRate: Number(clock.speed.toFixed(3)),
    bars: data.barsDelivered,
    books: data.booksDelivered,
    orders: [...kernel.cache.orders.values()].filter((o) => o.status !== 'DENIED').length,
    fills: kernel.fills.length,
    trades: account.trades.length,
    denials: Object.fromEntries([...kernel.deniedCounts.entries()].filter(([reason]) => reason !== 'WARMING_UP')),
    breakerEvents: kernel.breakerEvents.length,
    initialCapital: moneyToNumber(account.initialCapital),
    finalEquity: Number(kernel.equity().toFixed(8)),
    feesPaid: moneyToNumber(account.feesPaid),
    reconnects: data.reconnects,
    longestBookGapMs: Math.round(data.longestBookGapMs),
    discrepancies: discrepancies.length,
  };
  if (journaled) {
    const runId = runIdOf.get(kernel)!;
    try {
      await journaled.journal.appendEquity([{ runId, time: clock.now(), equity: kernel.equity(), cash: kernel.cash() }]);
      await journaled.journal.finishRun(runId, { summary: jsonSafe(summary) });
    } finally {
      await journaled.close();
    }
  }
  return summary;
}

const runIdOf = new WeakMap<Kernel, string>();

/**
 * Live write-ahead: every order event, fill and breaker change is appended to the journal as it
 * happens; the kernel holds them from the strategy, logs and subscribers until the group commit that
 * holds them is durable, then delivers them (and holds whatever that causes for the next commit).
 */
function writeAheadSession(kernel: Kernel, journal: Journal, runId: string): void {
  let scheduled = false;
  kernel.hold();
  kernel.setWriteAhead(({ topic, message }) => {
    if (topic === Topic.OrderEvent) {
      const event = message as OrderEvent;
      void journal.appendOrderEvents([orderEventRecord(runId, event)]).catch(() => undefined);
      if (event.kind === 'DENIED') void journal.appendDenials([denialRecord(runId, event.time, { reason: event.reason ?? 'UNKNOWN', detail: event.detail ?? '' }, event.order)]).catch(() => undefined);
    } else if (topic === Topic.Fill) {
      void journal.appendFills([fillRecord(runId, message as Fill)]).catch(() => undefined);
    } else if (topic === Topic.Breaker) {
      void journal.appendBreakerEvents([breakerRecord(runId, message as BreakerEvent)]).catch(() => undefined);
    }
    if (scheduled) return;
    scheduled = true;
    void journal.flush().then(
      () => {
        scheduled = false;
        kernel.release(true);
      },
      () => {
        // A failed commit stops the journal: nothing more is acknowledged; the session halts below.
        scheduled = false;
      },
    );
  });
}
