// Paper and live sessions: the same kernel as a backtest, on the venue's clock and data; paper fills
// on the live book, live sends orders through the CCXT venue.
import { CcxtDataClient, CcxtExecutionClient, type CcxtMarketApi, type CcxtTradingApi, createExchange, type Discrepancy, syncVenueClock } from '../../adapters/ccxt/index.ts';
import { type Fill, moneyToNumber, TIMEFRAME_MS } from '../../core/index.ts';
import { type BreakerEvent, RiskMode } from '../../engines/index.ts';
import { LiveClock, type OrderEvent, RunKind, RunStatus, Topic } from '../../common/index.ts';
import type { Kernel } from '../../kernel/index.ts';
import { resolveStrategy } from '../../strategies/index.ts';
import { toRiskConfig } from '../config/index.ts';
import { buildKernel, journalKernel, jsonSafe, type KernelJournal, type Venue } from '../environment/index.ts';
import { openJournal } from '../store/index.ts';
import { type CcxtMarket, sessionInstruments } from './instruments-from-exchange.ts';
import { type PlaybackResult } from './session-playback.ts';
import { watchStaleness } from './staleness-watch.ts';
import { bounded, cancelOpenOrders, flattenPositions, settleClosingOrders } from './shutdown.ts';
import { sessionEventSource } from './session-events.ts';
import { formatStatus, openOrdersAtStop, openPositionsOf, orderBasics, readStatus } from './session-status.ts';
import { qualityConfigFor, SessionDataQuality } from './data-quality.ts';
import { openReferenceFeeds, startReferenceFeeds, stopReferenceFeeds } from './reference-feeds.ts';
import { type DailyCandleApi, seedDailyHistory } from './daily-history.ts';
import { gateStrategy } from './gated-strategy.ts';
import { capitalOf, restoreRun, runToResume } from './session-resume.ts';
import type { SessionRequest, SessionSummary } from './session-types.ts';

function waitFor(durationMs: number | undefined, signals: ReadonlyArray<AbortSignal | undefined>): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      if (timer) clearTimeout(timer);
      resolve();
    };
    const timer = durationMs === undefined ? undefined : setTimeout(done, durationMs);
    for (const signal of signals) {
      if (signal?.aborted) done();
      signal?.addEventListener('abort', done, { once: true });
    }
  });
}

export async function runSession(request: SessionRequest): Promise<SessionSummary> {
  const { config, log } = request;
  // When the run started by the computer's clock: the venue clock below may run at another speed and date.
  const startedAt = LiveClock.wallNow();
  const exchange = await createExchange({ exchange: request.exchange, url: request.url, env: request.env, requireCredentials: request.mode === 'live' });
  const markets = (await exchange.loadMarkets()) as unknown as Record<string, CcxtMarket>;
  const tickMode = (exchange as unknown as { precisionMode: number }).precisionMode === 4;
  const instruments = sessionInstruments(markets, tickMode, request.symbols, request.exchange);
  const currency = instruments[0]!.quote;
  const clock = new LiveClock();
  const { rate } = await syncVenueClock(exchange as unknown as CcxtMarketApi, clock);
  log(`${request.mode} session on ${request.exchange}${request.url ? ` (${request.url})` : ''}: venue clock ${new Date(clock.now()).toISOString()}, ${rate === 1 ? 'real time' : `${rate.toFixed(1)}x`}`);

  const journaled = request.db === undefined ? undefined : await openJournal(request.db, { clock });
  const previous = await runToResume(request, journaled?.store);
  let capital = capitalOf(previous) ?? request.capital ?? config.backtest.capital;
  // Set once the kernel exists: differences become audit entries, unknown positions halt their symbol.
  let onDiscrepancy: ((d: Discrepancy) => void) | undefined;
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
  }

  const mode = request.mode === 'live' ? RiskMode.LiveMinimal : RiskMode.Paper;
  // Once the session stops, the strategy sees nothing more: it takes no decisions while the shutdown cancels and flattens.
  let decisionsOff = false;
  const strategy = gateStrategy((await resolveStrategy(request.strategy)).create(request.params), () => decisionsOff);
  const venue: Venue = ccxtExecution ? { kind: 'client', client: ccxtExecution } : { kind: 'book', fees: config.fees };
  const built = buildKernel({ clock, venue, instruments, capital, strategy, risk: { config: toRiskConfig(config.risk), mode, backtest: false }, log });
  const { kernel, execution } = built;
  const risk = built.risk!;
  const subscribe = sessionEventSource(kernel);
  const playback: PlaybackResult | undefined = previous ? await restoreRun(previous, journaled!.store, kernel, clock, risk, execution, log) : undefined;
  // Journaled from here on: the played-back past is in the journal already.
  let recorder: KernelJournal | undefined;
  if (journaled) {
    // A run that stopped without finishing (a crash) is continued under its own id.
    const continuing = previous?.status === RunStatus.Running ? previous : undefined;
    const runId = continuing?.id ?? await journaled.journal.createRun({
      kind: request.mode === 'live' ? RunKind.Live : RunKind.Paper,
      strategy: request.strategy,
      symbols: [...request.symbols],
      market: 'crypto',
      timeframe: request.timeframe,
      mode,
      parameters: jsonSafe({ exchange: request.exchange, url: request.url ?? null, params: request.params ?? null, capital, sessionId: request.sessionId, resumedFrom: previous?.id ?? null }) as never,
      // Runs list by when they were started on the computer's clock (the venue's clock may be a replay of 2021).
      startedAt,
    });
    log(`journaling run ${runId} to ${journaled.store.location}`);
    recorder = journalKernel(kernel, { journal: journaled.journal, runId, deliverWhenDurable: true });
  }
  const sink = recorder ? recorder.sinkFor(kernel) : kernel;
  // Every update passes the data-quality layer first; references feed it for consensus and failover.
  const references = await openReferenceFeeds(request.referenceUrls ?? [], request.exchange, request.symbols, request.timeframe, log);
  // The data the session acted on: its time range (venue time) and when the last of it arrived (wall time).
  let dataStart: number | null = null;
  let dataEnd: number | null = null;
  let lastDataAt: number | undefined;
  const quality = new SessionDataQuality({
    target: {
      onBar: (bar) => {
        dataStart = Math.min(dataStart ?? bar.openTime, bar.openTime);
        dataEnd = Math.max(dataEnd ?? bar.closeTime, bar.closeTime);
        lastDataAt = LiveClock.wallNow();
        sink.onBar(bar);
      },
      onBook: (book) => {
        lastDataAt = LiveClock.wallNow();
        sink.onBook?.(book);
      },
      onReferenceBar: (bar) => kernel.onReferenceBar(bar),
      barInterval: (symbol, intervalMs) => sink.barInterval?.(symbol, intervalMs),
    },
    clock,
    references: references.map((r) => r.name),
    config: qualityConfigFor(clock.speed, TIMEFRAME_MS[request.timeframe] ?? 60_000),
    levelEventEveryMs: 60_000 * clock.speed,
    log,
    onEvent: recorder ? (event) => recorder.audit('data-quality', `data-quality.${event.kind}`, event) : undefined,
  });
  logKernelEvents(kernel, currency, log);

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
  // From the start, warm-up included: a session never stays silent for long.
  const statusSource = { kernel, currency, breakerLevel: () => risk.level, bars: () => data.barsDelivered, lastDataAt: () => lastDataAt };
  const statusTimer = request.statusEveryMs ? setInterval(() => log(formatStatus(readStatus(statusSource, LiveClock.wallNow()), kernel)), request.statusEveryMs) : undefined;
  const riskConfig = toRiskConfig(config.risk);
  await seedDailyHistory(exchange as unknown as DailyCandleApi, risk, clock, request.symbols, riskConfig.monitorDays, log);
  const breakersBefore = kernel.breakerEvents.length;
  await data.start(quality.venue);
  await startReferenceFeeds(references, (name) => quality.reference(name));
  const qualityTimer = setInterval(() => quality.tick(clock.now()), 1000);
  const stopStalenessWatch = watchStaleness(kernel, clock, risk, riskConfig.preTrade, TIMEFRAME_MS[request.timeframe] ?? 60_000);
  log(`warm-up done (${data.barsDelivered} bars); trading ${request.symbols.join(', ')} on ${request.timeframe} bars`);
  // An emergency stop trips the kill switch at once and ends the session (the shutdown below waits for its closing orders).
  const emergency = new AbortController();
  let emergencyClose: { by: string; reason: string } | undefined;
  request.onRunning?.({
    runId: recorder?.runId,
    status: () => readStatus(statusSource, LiveClock.wallNow()),
    dataQuality: () => quality.summary().levels,
    subscribe,
    emergencyStop: (by, options) => {
      if (emergency.signal.aborted) return;
      const reason = options.reason ?? 'emergency stop';
      // Halt and cancel now; the closing orders follow once the cancels are confirmed (a resting sell locks the coin it would sell).
      risk.killSwitch(by, { flatten: false, reason });
      if (options.flatten) emergencyClose = { by, reason };
      log(`EMERGENCY STOP by ${by}: trading halted, open orders canceled${options.flatten ? ', every position closing at market' : ', positions kept'}`);
      emergency.abort();
    },
  });
  const actor = request.actor ?? 'traider';
  let reconciling = true;
  onDiscrepancy = (d) => {
    recorder?.audit('reconciler', `reconciliation.${d.kind.toLowerCase()}`, d);
    if (d.kind !== 'UNKNOWN_POSITION' || d.difference === undefined) return;
    if (reconciling && request.adoptPositions && d.difference > 0) {
      kernel.adoptPosition(d.symbol, d.difference, kernel.cache.lastClose[kernel.cache.symbolIndex(d.symbol)]!);
      ccxtExecution?.adoptHolding(d.asset ?? kernel.cache.instrument(d.symbol).base, d.difference);
      log(`adopted ${d.difference} ${d.asset ?? ''} of ${d.symbol} into the books (--adopt-positions, ${actor})`);
      recorder?.audit(actor, 'reconciliation.adopted', d);
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

  await waitFor(request.durationMs, [request.signal, emergency.signal]);
  // Clean shutdown: no more decisions; cancel every open order through the venue (and wait for its
  // confirmation, bounded); with --flatten-on-exit close every position with market orders and wait
  // for the fills (bounded). The data streams, order stream and reconciliation keep running meanwhile
  // (paper fills need the live book; live confirmations come from the exchange).
  decisionsOff = true;
  kernel.warmingUp = true; // a decision that still gets through is refused quietly; the shutdown's own orders are emergency orders
  const shutdownTimeoutMs = request.shutdownTimeoutMs ?? 10_000;
  if (statusTimer) clearInterval(statusTimer);
  const openOrders = openOrdersAtStop(kernel);
  await cancelOpenOrders(kernel, shutdownTimeoutMs, log);
  if (emergencyClose) {
    // EMERGENCY_CLOSE: the risk engine sends a closing market order for every position; they are left to fill (bounded).
    risk.killSwitch(emergencyClose.by, { flatten: true, reason: emergencyClose.reason });
    await settleClosingOrders(kernel, shutdownTimeoutMs, log);
  }
  if (request.flattenOnExit || emergencyClose) {
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
      ...orderBasics(o),
      status: o.status,
      reason: cancelFailures.get(o.id) ?? `the venue did not confirm the cancel within ${(shutdownTimeoutMs / 1000).toFixed(1)} s (status ${o.status})`,
    })),
    openOrders: openOrders(),
    startedAt,
    dataStart,
    dataEnd,
  };
  for (const p of summary.openPositions) {
    const dust = p.dust === undefined ? '' : `, ${p.dust} of it dust below the lot that no order can sell`;
    log(`open position ${p.symbol}: ${p.quantity} (value ${p.value.toFixed(2)} ${currency} at the last price ${p.lastPrice}, average price ${p.averagePrice}${dust})`);
  }
  for (const o of summary.unCanceledOrders) log(`order ${o.id} ${o.side} ${o.type} ${o.quantity} ${o.symbol} is still open: ${o.reason}`);
  if (journaled && recorder) {
    const runId = recorder.runId;
    try {
      await journaled.journal.appendEquity([{ runId, time: clock.now(), equity: kernel.equity(), cash: kernel.cash() }]);
      await journaled.journal.finishRun(runId, { summary: jsonSafe(summary), finishedAt: LiveClock.wallNow() });
    } finally {
      await journaled.close();
    }
  }
  return summary;
}

/** One log line per fill, per denial (warm-up ones aside), per order the venue rejected and per breaker level change. */
function logKernelEvents(kernel: Kernel, currency: string, log: (line: string) => void): void {
  kernel.bus.subscribe<Fill>(Topic.Fill, (fill) => {
    const instrument = kernel.cache.instrument(fill.symbol);
    log(`fill ${fill.side} ${instrument.formatQuantity(fill.quantity)} ${fill.symbol} @ ${instrument.formatPrice(fill.price)} fee ${moneyToNumber(fill.fee).toFixed(4)} ${currency}  equity ${kernel.equity().toFixed(2)}`);
  });
  kernel.bus.subscribe<OrderEvent>(Topic.OrderEvent, (event) => {
    if (event.kind === 'DENIED' && event.reason !== 'WARMING_UP') log(`denied ${event.order.side} ${event.order.symbol}: ${event.reason} (${event.detail})`);
    if (event.kind === 'REJECTED') log(`rejected by the venue: ${event.order.id} ${event.order.side} ${event.order.quantity} ${event.order.symbol}: ${event.reason} (${event.detail})`);
  });
  kernel.bus.subscribe<{ level: string; cause: string; value: number; threshold: number }>(Topic.Breaker, (e) => log(`breaker ${e.level} (${e.cause} ${e.value.toFixed(4)} vs ${e.threshold})`));
}
