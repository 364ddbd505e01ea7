// A paper session on replayed data, with write-ahead journaling and resume after a crash: each bar, its
// fills and order changes are durable before anything acts on them. A restarted process runs the journaled
// bars again through the same kernel, venue, risk engine and strategy, checks every record it produces
// against the journal (ResumeCheck), and carries on from the first bar the journal does not have: the
// resumed run is the uninterrupted one.
import { createHash } from 'node:crypto';
import { ReplayDataClient } from '../../adapters/sim/index.ts';
import { canonicalJson } from '../../audit/index.ts';
import { type Bar, type BarSeries, type Fill, formatMoney, type Market, moneyToNumber } from '../../core/index.ts';
import { type BreakerEvent, mergeOrder, RiskMode } from '../../engines/index.ts';
import { type JsonValue, LiveClock, type RunJournal, RunKind, type RunRecord, RunStatus, SimulatedClock } from '../../common/index.ts';
import { resolveStrategy } from '../../strategies/index.ts';
import { instrumentsFor, loadSeries, strategySeesAdjustedPrices } from '../backtest/index.ts';
import type { TraiderConfig } from '../config/index.ts';
import { toRiskConfig } from '../config/index.ts';
import { buildKernel, jsonSafe } from '../environment/index.ts';
import { fieldMention, InputError, inputText } from '../errors/index.ts';
import { openJournal } from '../store/index.ts';
import { ResumeCheck, ResumeDivergence } from './resume-check.ts';
import { type DataQualitySummary, SessionDataQuality } from './data-quality.ts';
import { legalBandOf } from './legal-band.ts';
import { formatStatus, type OpenOrderSummary, openOrdersAtStop, type OpenPositionSummary, openPositionsOf, readStatus } from './session-status.ts';

/** How often a replay reports progress: every 64 bars (a replay commits each bar: a few hundred bars a second). */
export const REPLAY_PROGRESS_EVERY_BARS = 64;

export interface ReplaySessionRequest {
  readonly dataFiles: readonly string[];
  /** Symbol and market of the data, when the file name does not say (as a backtest's). */
  readonly symbol?: string;
  readonly market?: Market;
  readonly strategy: string;
  readonly params?: unknown;
  readonly config: TraiderConfig;
  /** Database target (path or postgres:// URL). */
  readonly db: string;
  /** The run's id: new runs take it, `resume` continues it. */
  readonly runId: string;
  readonly resume?: boolean;
  /** Wall milliseconds to wait after each bar ("real time"). */
  readonly barDelayMs?: number;
  /** Called once a fill is durable: the acknowledgement. */
  readonly onAck?: (fill: Fill) => void;
  /** Called after each bar's checkpoint; `replayed` for a bar a resumed run ran again from its journal. */
  readonly onBar?: (bar: Bar, replayed: boolean) => void;
  readonly log?: (line: string) => void;
  /** Bars replayed so far of the total, every REPLAY_PROGRESS_EVERY_BARS bars and at the end. */
  readonly progress?: (done: number, total: number) => void;
  /** A status line through `log` every this many wall milliseconds (0 or undefined: none). */
  readonly statusEveryMs?: number;
}

export interface ReplaySessionResult {
  readonly runId: string;
  readonly resumedFrom: number | null;
  readonly bars: number;
  readonly fills: number;
  readonly cash: string;
  readonly positions: Record<string, string>;
  readonly finalEquity: number;
  readonly initialCapital: number;
  /** The account currency (cash, equity and values are in it). */
  readonly currency: string;
  /** Quality of the replayed data: withheld bars, jumps (events), level. */
  readonly dataQuality: DataQualitySummary;
  /** Every breaker level change of the run, as a backtest's summary lists them. */
  readonly breakerEvents: ReadonlyArray<{ time: number; level: string; previousLevel: string; cause: string; value: number; threshold: number }>;
  /** Positions held at the end, with average price, last price and value. */
  readonly openPositions: readonly OpenPositionSummary[];
  /** Orders still open at the end (a replay does not cancel them: a resumed run continues them). */
  readonly openOrders: readonly OpenOrderSummary[];
  /** Wall-clock time (UTC ms, the computer's clock) the run started; a resumed run: when this process started it. */
  readonly startedAt: number;
  /** Open time of the first and close time of the last replayed bar (data time); null without bars. */
  readonly dataStart: number | null;
  readonly dataEnd: number | null;
}

/** What must be the same for a run to be continued: strategy, parameters, data and configuration. */
function runIdentity(strategy: string, params: unknown, config: TraiderConfig): { strategy: string; params: string; configHash: string } {
  return {
    strategy,
    params: canonicalJson(jsonSafe(params ?? null)),
    configHash: createHash('sha256').update(canonicalJson(jsonSafe(config))).digest('hex'),
  };
}

/** A resumed run must be the journaled one: the same strategy, parameters, data files and configuration. */
function checkSameRun(run: RunRecord, identity: ReturnType<typeof runIdentity>, series: readonly BarSeries[]): void {
  const id = run.id;
  const refuse = (rule: string): InputError => new InputError('resume', rule, { value: id });
  if (run.strategy !== identity.strategy) throw refuse(`run ${id} ran strategy ${run.strategy}, not ${identity.strategy}`);
  const stored = run.parameters as { params?: JsonValue; configHash?: string };
  const params = canonicalJson(stored.params ?? null);
  if (params !== identity.params) {
    throw new InputError('resume', inputText`${fieldMention('resume')}: run ${id} was started with ${fieldMention('params')} ${params}, not ${identity.params}`, { value: id });
  }
  if (stored.configHash !== undefined && stored.configHash !== identity.configHash) {
    throw refuse(`the configuration differs from the one run ${id} started with (fill model, fees, risk limits or capital changed)`);
  }
  for (const s of series) {
    const hash = run.dataHashes[s.source.file];
    if (hash === undefined) throw refuse(`run ${id} did not replay ${s.source.file} (it replayed ${Object.keys(run.dataHashes).join(', ')})`);
    if (hash !== s.source.sha256) throw refuse(`${s.source.file} changed since run ${id} started (SHA-256 ${s.source.sha256.slice(0, 12)}, journaled ${hash.slice(0, 12)})`);
  }
}

export async function runReplaySession(request: ReplaySessionRequest): Promise<ReplaySessionResult> {
  const { config } = request;
  const log = request.log ?? (() => {});
  const startedAt = LiveClock.wallNow();
  const strategyFactory = await resolveStrategy(request.strategy);
  const { series } = await loadSeries({ dataFiles: request.dataFiles, symbol: request.symbol, market: request.market, config });
  const instruments = instrumentsFor(series, config);
  const identity = runIdentity(strategyFactory.name, request.params, config);
  const opened = await openJournal(request.db, { clock: new LiveClock() });
  const { journal, store } = opened;
  try {
    let journaled: RunJournal | undefined;
    if (request.resume) {
      const run = await store.getRun(request.runId);
      if (!run) throw new InputError('resume', `no run ${request.runId} in ${store.location}`, { value: request.runId });
      if (run.status !== RunStatus.Running) throw new InputError('resume', `run ${request.runId} is ${run.status}, nothing to resume`, { value: request.runId });
      checkSameRun(run, identity, series);
      journaled = await store.readRunJournal(request.runId);
    } else {
      await journal.createRun({
        id: request.runId,
        kind: RunKind.Paper,
        strategy: strategyFactory.name,
        symbols: series.map((s) => s.symbol),
        market: series[0]!.market,
        timeframe: series[0]!.timeframe,
        mode: 'REPLAY',
        parameters: jsonSafe({ params: request.params ?? null, dataFiles: request.dataFiles, configHash: identity.configHash }) as never,
        dataHashes: Object.fromEntries(series.map((s) => [s.source.file, s.source.sha256])),
      });
    }
    const check = new ResumeCheck(journaled ?? { fills: [], orderEvents: [], breakerEvents: [], equity: [], bars: [] });
    const resumedFrom = check.lastCheckpoint;
    if (journaled) {
      const last = resumedFrom === null ? 'none' : new Date(resumedFrom).toISOString();
      log(`resuming run ${request.runId}: ${journaled.fills.length} journaled fills, ${journaled.equity.length} bars completed (last ${last}); running them again and checking each record against the journal`);
    }

    const clock = new SimulatedClock(Math.min(...series.map((s) => s.openTime[0]!)));
    // New fills wait here for their acknowledgement (once the bar's commit is durable).
    const newFills: Fill[] = [];
    const built = buildKernel({
      clock,
      venue: { kind: 'bars', fill: config.fill, fees: config.fees },
      instruments,
      capital: config.backtest.capital,
      strategy: strategyFactory.create(request.params),
      risk: { config: toRiskConfig(config.risk), mode: RiskMode.Paper, backtest: true },
      adjustedPrices: strategySeesAdjustedPrices(series),
      // Records the resumed run's journal has already are checked against it, not written twice.
      journal: { journal, runId: request.runId, journaled: check, onNewFill: (fill) => newFills.push(fill) },
    });
    const { kernel } = built;
    const recorder = built.journal!;
    for (const s of series) kernel.barInterval(s.symbol, s.intervalMs);
    // No history before the first replayed bar: VaR and correlation speak once two daily returns exist.
    built.risk!.useShortHistory();
    kernel.start();

    // Every bar passes the data-quality layer: a bad bar is withheld (not journaled, not acted on),
    // a jump is an event; an A-share move inside the day's limits is legal.
    let accepted = false;
    const quality = new SessionDataQuality({
      target: { onBar: () => void (accepted = true), onBook: () => {}, onReferenceBar: () => {} },
      clock,
      references: [],
      log,
      legalBand: legalBandOf((symbol) => (kernel.cache.hasSymbol(symbol) ? kernel.cache.instrument(symbol) : undefined)),
    });
    for (const s of series) quality.venue.barInterval?.(s.symbol, s.intervalMs);
    const events = replayOrder(series, series.length === 1 ? undefined : mergeOrder(series));
    let bars = 0;
    let resumedAt = -1;
    const risk = built.risk!;
    let lastBarAt: number | undefined;
    let lastStatusAt = startedAt;
    const statusSource = { kernel, currency: built.currency, breakerLevel: () => risk.level, bars: () => bars, lastDataAt: () => lastBarAt };
    for (let k = 0; k < events.length; k++) {
      const { bar, index } = events[k]!;
      if (k % REPLAY_PROGRESS_EVERY_BARS === 0) request.progress?.(k, events.length);
      if (request.statusEveryMs) {
        // Checked once a bar on the wall clock: a replay is a loop of bars, no timer needed.
        const now = LiveClock.wallNow();
        if (now - lastStatusAt >= request.statusEveryMs) {
          lastStatusAt = now;
          log(formatStatus(readStatus(statusSource, now), kernel));
        }
      }
      clock.advanceTo(bar.closeTime);
      accepted = false;
      quality.venue.onBar(bar);
      if (!accepted) continue;
      // 1. The venue matches; the bar, its fills and order changes are journaled and committed before anyone sees them.
      kernel.hold();
      const barIsNew = recorder.bar(bar);
      kernel.ingestBar(bar, index);
      if (barIsNew || newFills.length > 0) await journal.flush();
      for (const fill of newFills.splice(0)) request.onAck?.(fill);
      kernel.release();
      // 2. The strategy decides; its orders and the bar's checkpoint commit together.
      kernel.presentBar(bar, index);
      const checkpoint = { runId: request.runId, time: bar.closeTime, equity: kernel.equity(), cash: kernel.cash() };
      const replayed = check.checkpoint(checkpoint);
      if (!replayed) {
        if (resumedAt < 0 && journaled) {
          resumedAt = k;
          log(`resumed run ${request.runId} at ${new Date(bar.closeTime).toISOString()} after running ${k} journaled bars again: ${kernel.fills.length} fills, cash ${formatMoney(kernel.account.cash)}, orders and risk state as journaled`);
        }
        void journal.appendEquity([checkpoint]).catch(() => undefined);
        await journal.flush();
      }
      bars++;
      lastBarAt = LiveClock.wallNow();
      request.onBar?.(bar, replayed);
      if (!replayed && request.barDelayMs) await new Promise((resolve) => setTimeout(resolve, request.barDelayMs));
    }
    request.progress?.(events.length, events.length);
    if (journaled) check.expectConsumed(clock.now());
    kernel.stop();
    const account = kernel.account;
    const positions: Record<string, string> = {};
    for (const [symbol, position] of account.positions) if (!position.isFlat) positions[symbol] = position.instrument.formatQuantity(position.quantity);
    const result: ReplaySessionResult = {
      runId: request.runId,
      resumedFrom,
      bars,
      fills: kernel.fills.length,
      cash: formatMoney(account.cash),
      positions,
      finalEquity: kernel.equity(),
      initialCapital: moneyToNumber(account.initialCapital),
      currency: built.currency,
      dataQuality: quality.summary(),
      breakerEvents: (kernel.breakerEvents as BreakerEvent[]).map((e) => ({ time: e.time, level: e.level, previousLevel: e.previousLevel, cause: e.cause, value: e.value, threshold: e.threshold })),
      openPositions: openPositionsOf(kernel),
      openOrders: openOrdersAtStop(kernel)(),
      startedAt,
      dataStart: events.length === 0 ? null : Math.min(...series.map((s) => s.openTime[0]!)),
      dataEnd: events.length === 0 ? null : Math.max(...series.map((s) => s.closeTime[s.length - 1]!)),
    };
    await journal.finishRun(request.runId, { summary: jsonSafe({ ...result, cashNumber: moneyToNumber(account.cash) }) });
    return result;
  } catch (error) {
    if (error instanceof ResumeDivergence) {
      const rule = `run ${request.runId} no longer matches its journal (data, parameters, configuration or traider version changed); it stopped before trading on: ${error.message}`;
      throw new InputError('resume', rule, { value: request.runId, cause: error });
    }
    throw error;
  } finally {
    await opened.close();
  }
}

interface ReplayEvent {
  readonly bar: Bar;
  readonly index: number;
}

/** All bars in replay order as objects (a session is slow anyway: one commit per bar). */
function replayOrder(series: readonly BarSeries[], order: ReturnType<typeof mergeOrder> | undefined): ReplayEvent[] {
  const events: ReplayEvent[] = [];
  const sink = {
    onBar: () => {},
    onBarIndexed: (bar: Bar, index: number) => void events.push({ bar, index }),
  };
  new ReplayDataClient(series, order, new SimulatedClock(-Infinity)).start(sink);
  return events;
}
