// Paper and live sessions: the same kernel as a backtest, on the venue's clock and data; paper fills
// on the live book, live sends orders through the CCXT venue.
import { BookExecutionClient } from '../../adapters/sim/index.ts';
import { CcxtDataClient, CcxtExecutionClient, type CcxtMarketApi, type CcxtTradingApi, createExchange, type Discrepancy, syncVenueClock } from '../../adapters/ccxt/index.ts';
import { CryptoFeeSchedule, type Fill, moneyToNumber, numberToMoney, TIMEFRAME_MS } from '../../core/index.ts';
import { type BreakerEvent, type DataQualityConfigInput, DEFAULT_DATA_QUALITY_CONFIG, RiskEngine, RiskMode } from '../../engines/index.ts';
import { type ExecutionClient, type JsonValue, LiveClock, type MarketDataSink, type OrderEvent, RunKind, type RunRecord, RunStatus, Topic } from '../../common/index.ts';
import { Kernel } from '../../kernel/index.ts';
import { resolveStrategy } from '../../strategies/index.ts';
import type { TraiderConfig } from '../config/index.ts';
import { toRiskConfig } from '../config/index.ts';
import { instrumentFromMarket, type CcxtMarket } from './instruments-from-exchange.ts';
import { fillFromRecord, orderFromRecord } from './restore.ts';
import { playBack, type PlaybackResult } from './session-playback.ts';
import { watchStaleness } from './staleness-watch.ts';
import { bounded, cancelOpenOrders, flattenPositions, openPositionsOf } from './shutdown.ts';
import { type DataQualitySummary, SessionDataQuality } from './data-quality.ts';
import { openReferenceFeeds, startReferenceFeeds, stopReferenceFeeds } from './reference-feeds.ts';
import { type DailyCandleApi, seedDailyHistory } from './daily-history.ts';
import { barRecord, breakerRecord, canonicalJson, denialRecord, fillRecord, orderEventRecord, type Journal } from '../../audit/index.ts';
import { jsonSafe } from '../backtest/index.ts';
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
  /** On stop: close every open position with market orders (through the kernel) before finishing. */
  readonly flattenOnExit?: boolean;
  /** On stop: how long to wait for the venue to confirm cancels, and (flatten) for the closing fills; default 10 s each. */
  readonly shutdownTimeoutMs?: number;
  /** Other sources of the same market data (same exchange API, no credentials): consensus and failover. */
  readonly referenceUrls?: readonly string[];
}

import type { OpenPositionSummary } from './shutdown.ts';
export type { OpenPositionSummary };

/** An order still open when the session finished: the venue did not confirm its cancel. */
export interface UnCanceledOrderSummary {
  id: string;
  symbol: string;
  side: string;
  type: string;
  quantity: number;
  filledQuantity: number;
  status: string;
  reason: string;
}

/** A breaker level change, as a backtest's summary lists it. */
export interface BreakerEventSummary {
  time: number;
  level: string;
  previousLevel: string;
  cause: string;
  value: number;
  threshold: number;
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
  /** Every breaker level change of this session (a resumed run's played-back ones are not repeated). */
  breakerEvents: BreakerEventSummary[];
  initialCapital: number;
  finalEquity: number;
  feesPaid: number;
  reconnects: number;
  longestBookGapMs: number;
  discrepancies: number;
  /** Quality level per source (venue, ref1, ...), events, withheld bars, outliers, failovers. */
  dataQuality: DataQualitySummary;
  /** Positions held at the end (after --flatten-on-exit, if given). */
  openPositions: OpenPositionSummary[];
  /** Orders the venue would not cancel (or did not confirm in time) at shutdown. */
  unCanceledOrders: UnCanceledOrderSummary[];
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
    if (previous.status === RunStatus.Running) checkSameSession(previous, request);
  }
  // A run that stopped without finishing (a crash) is continued under its own id, its journal played back.
  const continuing = previous?.status === RunStatus.Running ? previous : undefined;
  // A resumed paper ledger starts from the capital of the run it continues.
  const previousCapital = (previous?.parameters as { capital?: unknown } | undefined)?.capital;
  let capital = typeof previousCapital === 'number' ? previousCapital : (request.capital ?? config.backtest.capital);
  // Set once the kernel exists: differences become audit entries, unknown positions halt their symbol.
  let onDiscrepancy: ((d: Discrepancy) => void) | undefined;
  let execution: ExecutionClient;
  let ccxtExecution: CcxtExecutionClient | undefined;
  const discrepancies: Discrepancy[] = [];
  /** Why the venue would not cancel an order (the CCXT venue's last word on it), by order id. */
  const cancelFailures = new Map<string, string>();
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
      log: (line) => {
        const refused = /^cancel of (\S+): (.*)$/.exec(line);
        if (refused) cancelFailures.set(refused[1]!, refused[2]!);
        log(line);
      },
    }, request.exchange);
    execution = ccxtExecution;
  } else {
    execution = new BookExecutionClient((instrument) => new CryptoFeeSchedule(config.fees.crypto, instrument.quote));
  }

  const risk = new RiskEngine({ config: toRiskConfig(config.risk), mode: request.mode === 'live' ? RiskMode.LiveMinimal : RiskMode.Paper, backtest: false });
  // Once the session stops, the strategy sees nothing more (no bars, books, timers or order events):
  // it takes no decisions while the shutdown cancels and flattens.
  let decisionsOff = false;
  const strategy = gateStrategy((await resolveStrategy(request.strategy)).create(request.params), () => decisionsOff);
  const kernel = new Kernel({ clock, execution, instruments, currency, initialCapital: numberToMoney(capital), strategy, risk, log });
  let playback: PlaybackResult | undefined;
  if (continuing) {
    const journal = await journaled!.store.readRunJournal(continuing.id);
    kernel.start();
    playback = playBack(kernel, clock, risk, journal);
    if (execution instanceof BookExecutionClient) execution.continueFillIds(journal.fills.map((f) => f.fillId));
    resumedFrom = continuing.id;
    log(`resuming paper run ${continuing.id}: played back ${playback.bars} journaled bars and ${playback.fills} fills; ${playback.openOrders} open orders back to the venue, cash ${kernel.cash().toFixed(2)}`);
  } else if (previous) {
    const journal = await journaled!.store.readRunJournal(previous.id);
    const fills = journal.fills.map(fillFromRecord);
    const orders = journal.orders.map(orderFromRecord);
    kernel.restore({ fills, orders });
    resumedFrom = previous.id;
    log(`resuming paper run ${previous.id}: ${fills.length} fills, ${orders.filter((o) => o.isOpen).length} open orders, cash ${kernel.cash().toFixed(2)}`);
  }
  if (journaled) {
    const runId = continuing?.id ?? await journaled.journal.createRun({
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
  const sink = journaled ? journalingBars(kernel, journaled.journal, runIdOf.get(kernel)!) : kernel;
  // Every update passes the data-quality layer first; references feed it for consensus and failover.
  const references = await openReferenceFeeds(request.referenceUrls ?? [], request.exchange, request.symbols, request.timeframe, log);
  const quality = new SessionDataQuality({
    target: {
      onBar: (bar) => sink.onBar(bar),
      onBook: (book) => sink.onBook?.(book),
      onReferenceBar: (bar) => kernel.onReferenceBar(bar),
      barInterval: (symbol, intervalMs) => sink.barInterval?.(symbol, intervalMs),
    },
    clock,
    references: references.map((r) => r.name),
    config: qualityConfigFor(clock.speed, TIMEFRAME_MS[request.timeframe] ?? 60_000),
    levelEventEveryMs: 60_000 * clock.speed,
    log,
    onEvent: journaled
      ? (event) => void journaled.journal.audit.append({ actor: 'data-quality', kind: `data-quality.${event.kind}`, payload: jsonSafe(event) }).catch(() => undefined)
      : undefined,
  });
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
    // Data age is judged on the clock by the staleness watch below, not on each arrival.
    health: { reportDataResult: (failed) => risk.reportDataResult(failed), reportApiLatency: (ms) => risk.reportApiLatency(ms) },
    onWarmup: (active) => {
      kernel.warmingUp = active;
      quality.warmingUp(active);
    },
    log,
    resumeAfter: playback?.lastBarOpen,
  });
  kernel.start();
  const riskConfig = toRiskConfig(config.risk);
  await seedDailyHistory(exchange as unknown as DailyCandleApi, risk, clock, request.symbols, riskConfig.monitorDays, log);
  const breakersBefore = kernel.breakerEvents.length;
  await data.start(quality.venue);
  await startReferenceFeeds(references, (name) => quality.reference(name));
  const qualityTimer = setInterval(() => quality.tick(clock.now()), 1000);
  const stopStalenessWatch = watchStaleness(kernel, clock, risk, riskConfig.preTrade, TIMEFRAME_MS[request.timeframe] ?? 60_000);
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
  // Clean shutdown: no more decisions; cancel every open order through the venue (and wait for its
  // confirmation, bounded); with --flatten-on-exit close every position with market orders and wait
  // for the fills (bounded). The data streams, order stream and reconciliation keep running meanwhile
  // (paper fills need the live book; live confirmations come from the exchange).
  decisionsOff = true;
  kernel.warmingUp = true; // a decision that still gets through is refused quietly; the shutdown's own orders are emergency orders
  const shutdownTimeoutMs = request.shutdownTimeoutMs ?? 10_000;
  await cancelOpenOrders(kernel, shutdownTimeoutMs, log);
  if (request.flattenOnExit) {
    await flattenPositions(kernel, shutdownTimeoutMs, log);
    // Whatever of the closing orders did not fill in time does not stay working.
    await cancelOpenOrders(kernel, shutdownTimeoutMs, log);
  }
  stopping = true;
  stopStalenessWatch();
  clearInterval(qualityTimer);
  if (reconcileTimer) clearInterval(reconcileTimer);
  // Bounded: an exchange that stopped answering must not hold the shutdown (what is still open is reported).
  await bounded(Promise.all([data.stop(), stopReferenceFeeds(references)]), shutdownTimeoutMs, () => log(`shutdown: the data streams did not close within ${(shutdownTimeoutMs / 1000).toFixed(1)} s`));
  if (ccxtExecution) await bounded(ccxtExecution.settle(), shutdownTimeoutMs, () => log(`shutdown: requests to the exchange still unanswered after ${(shutdownTimeoutMs / 1000).toFixed(1)} s`));
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
    breakerEvents: (kernel.breakerEvents.slice(breakersBefore) as BreakerEvent[]).map((e) => ({ time: e.time, level: e.level, previousLevel: e.previousLevel, cause: e.cause, value: e.value, threshold: e.threshold })),
    initialCapital: moneyToNumber(account.initialCapital),
    finalEquity: Number(kernel.equity().toFixed(8)),
    feesPaid: moneyToNumber(account.feesPaid),
    reconnects: data.reconnects,
    longestBookGapMs: Math.round(data.longestBookGapMs),
    discrepancies: discrepancies.length,
    dataQuality: quality.summary(),
    openPositions: openPositionsOf(kernel),
    unCanceledOrders: kernel.cache.openOrders.map((o) => ({
      id: o.id,
      symbol: o.symbol,
      side: o.side,
      type: o.type,
      quantity: o.quantity,
      filledQuantity: o.filledQuantity,
      status: o.status,
      reason: cancelFailures.get(o.id) ?? `the venue did not confirm the cancel within ${(shutdownTimeoutMs / 1000).toFixed(1)} s (status ${o.status})`,
    })),
  };
  for (const p of summary.openPositions) log(`open position ${p.symbol}: ${p.quantity} (value ${p.value.toFixed(2)} ${currency} at the last price)`);
  for (const o of summary.unCanceledOrders) log(`order ${o.id} ${o.side} ${o.type} ${o.quantity} ${o.symbol} is still open: ${o.reason}`);
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
 * The data-quality limits on the venue clock: a local exchange replaying at `rate`x ages `rate` times
 * faster in venue time, so the time limits scale with it (1 for a real exchange: the defaults).
 */
function qualityConfigFor(rate: number, intervalMs: number): DataQualityConfigInput | undefined {
  if (rate === 1) return undefined;
  const d = DEFAULT_DATA_QUALITY_CONFIG;
  return {
    quoteStaleMs: d.quoteStaleMs * rate,
    barStaleMs: d.barStaleMs * rate + intervalMs,
    consensusWindowMs: d.consensusWindowMs * rate,
    latency: { excellentMs: d.latency.excellentMs * rate, goodMs: d.latency.goodMs * rate, fairMs: d.latency.fairMs * rate },
    failover: { noDataTimeoutMs: d.failover.noDataTimeoutMs * rate },
  };
}

/** The kernel as the data client's sink, journaling each bar it acts on (warm-up included) before it does. */
function journalingBars(kernel: Kernel, journal: Journal, runId: string): MarketDataSink {
  return {
    onBar: (bar) => {
      void journal.appendBars([barRecord(runId, bar)]).catch(() => undefined);
      kernel.onBar(bar);
    },
    onBook: (book) => kernel.onBook(book),
    barInterval: (symbol, intervalMs) => kernel.barInterval(symbol, intervalMs),
  };
}

/** A crashed run is continued only by the same strategy, parameters, symbols and timeframe. */
function checkSameSession(run: RunRecord, request: SessionRequest): void {
  const stored = run.parameters as { params?: JsonValue };
  const same = (a: unknown, b: unknown): boolean => canonicalJson(jsonSafe(a ?? null)) === canonicalJson(jsonSafe(b ?? null));
  const differs: string[] = [];
  if (run.strategy !== request.strategy) differs.push(`--strategy ${run.strategy} (got ${request.strategy})`);
  if (!same(stored.params, request.params)) differs.push(`--params ${canonicalJson(stored.params ?? null)} (got ${canonicalJson(jsonSafe(request.params ?? null))})`);
  if (run.symbols.join(',') !== request.symbols.join(',')) differs.push(`--symbols ${run.symbols.join(',')} (got ${request.symbols.join(',')})`);
  if (run.timeframe !== request.timeframe) differs.push(`--timeframe ${run.timeframe} (got ${request.timeframe})`);
  if (differs.length > 0) throw new RangeError(`--resume: run ${run.id} stopped without finishing and continues only as it started: ${differs.join('; ')}`);
}

const GATED_CALLBACKS = new Set<PropertyKey>(['onBar', 'onBook', 'onTimer', 'onOrderEvent']);

/** The strategy as the kernel sees it: once `off()` says so, its market and order callbacks are no longer called. */
function gateStrategy<T extends object>(strategy: T, off: () => boolean): T {
  return new Proxy(strategy, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      if (GATED_CALLBACKS.has(property)) return (...args: unknown[]) => (off() ? undefined : (value as (...a: unknown[]) => unknown).apply(target, args));
      return (value as (...a: unknown[]) => unknown).bind(target);
    },
  });
}

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
