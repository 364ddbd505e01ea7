// A paper session on replayed data, with write-ahead journaling and resume after a crash: each bar's
// fills are durable before anything acts on them, and a restarted process rebuilds the ledger,
// positions and orders from the journal, warms its indicators on history, and carries on.
import { SimExecutionClient } from '../../adapters/sim/sim-execution-client.ts';
import { ReplayDataClient } from '../../adapters/sim/replay-data-client.ts';
import { breakerRecord, denialRecord, fillRecord, orderEventRecord, type Journal } from '../../audit/index.ts';
import type { BarSeries } from '../../core/bar.ts';
import { formatMoney, moneyToNumber, numberToMoney } from '../../core/decimal.ts';
import type { Fill } from '../../core/fill.ts';
import { type Order, OrderEventKind } from '../../core/order.ts';
import type { BreakerEvent } from '../../engines/risk/breaker-ladder.ts';
import { RiskMode } from '../../engines/risk/codes.ts';
import { RiskEngine } from '../../engines/risk/risk-engine.ts';
import { mergeOrder } from '../../engines/data/index.ts';
import { SimulatedClock } from '../../kernel/clock.ts';
import type { OrderEvent } from '../../kernel/events.ts';
import { Kernel } from '../../kernel/kernel.ts';
import { Topic } from '../../kernel/message-bus.ts';
import { RunKind, RunStatus } from '../../kernel/store.ts';
import { fillFromRecord, orderFromRecord } from './restore.ts';
import { LiveClock } from '../../kernel/clock.ts';
import { resolveStrategy } from '../../strategies/index.ts';
import { accountCurrency, feeScheduleFor, strategySeesAdjustedPrices } from '../backtest/simulate.ts';
import { instrumentsFor, loadSeries } from '../backtest/run-backtest.ts';
import { jsonSafe } from '../backtest/journal-run.ts';
import type { TraiderConfig } from '../config/index.ts';
import { toRiskConfig } from '../config/risk-schema.ts';
import { openJournal } from '../store/index.ts';

export interface ReplaySessionRequest {
  readonly dataFiles: readonly string[];
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
  readonly log?: (line: string) => void;
}

export interface ReplaySessionResult {
  readonly runId: string;
  readonly resumedFrom: number | null;
  readonly bars: number;
  readonly fills: number;
  readonly cash: string;
  readonly positions: Record<string, string>;
  readonly finalEquity: number;
}

/** Journal every record the kernel hands to write-ahead. */
function writeAhead(journal: Journal, runId: string, durableFills: Fill[]) {
  return ({ topic, message }: { topic: string; message: unknown }): void => {
    if (topic === Topic.OrderEvent) {
      const event = message as OrderEvent;
      void journal.appendOrderEvents([orderEventRecord(runId, event)]).catch(() => undefined);
      if (event.kind === OrderEventKind.Denied) {
        void journal.appendDenials([denialRecord(runId, event.time, { reason: event.reason ?? 'UNKNOWN', detail: event.detail ?? '' }, event.order)]).catch(() => undefined);
      }
    } else if (topic === Topic.Fill) {
      const fill = message as Fill;
      durableFills.push(fill);
      void journal.appendFills([fillRecord(runId, fill)]).catch(() => undefined);
    } else if (topic === Topic.Breaker) {
      void journal.appendBreakerEvents([breakerRecord(runId, message as BreakerEvent)]).catch(() => undefined);
    }
  };
}

export async function runReplaySession(request: ReplaySessionRequest): Promise<ReplaySessionResult> {
  const { config } = request;
  const log = request.log ?? (() => {});
  const strategyFactory = await resolveStrategy(request.strategy);
  const { series } = await loadSeries({ dataFiles: request.dataFiles, config });
  const instruments = instrumentsFor(series, config);
  const opened = await openJournal(request.db, { clock: new LiveClock() });
  const { journal, store } = opened;
  try {
    let resumedFrom: number | null = null;
    let restoredFills: Fill[] = [];
    let restoredOrders: Order[] = [];
    if (request.resume) {
      const run = await store.getRun(request.runId);
      if (!run) throw new RangeError(`--resume: no run ${request.runId} in ${store.location}`);
      if (run.status !== RunStatus.Running) throw new RangeError(`--resume: run ${request.runId} is ${run.status}, nothing to resume`);
      const journaled = await store.readRunJournal(request.runId);
      restoredFills = journaled.fills.map(fillFromRecord);
      restoredOrders = journaled.orders.map(orderFromRecord);
      resumedFrom = journaled.equity.length > 0 ? journaled.equity[journaled.equity.length - 1]!.time : null;
      log(`resuming run ${request.runId}: ${restoredFills.length} fills, ${restoredOrders.filter((o) => o.isOpen).length} open orders, last bar ${resumedFrom === null ? 'none' : new Date(resumedFrom).toISOString()}`);
    } else {
      await journal.createRun({
        id: request.runId,
        kind: RunKind.Paper,
        strategy: strategyFactory.name,
        symbols: series.map((s) => s.symbol),
        market: series[0]!.market,
        timeframe: series[0]!.timeframe,
        mode: 'REPLAY',
        parameters: jsonSafe({ params: request.params ?? null, dataFiles: request.dataFiles }) as never,
        dataHashes: Object.fromEntries(series.map((s) => [s.source.file, s.source.sha256])),
      });
    }

    const clock = new SimulatedClock(Math.min(...series.map((s) => s.openTime[0]!)));
    const venue = new SimExecutionClient(config.fill, feeScheduleFor(config.fees));
    const risk = new RiskEngine({ config: toRiskConfig(config.risk), mode: RiskMode.Paper, backtest: true });
    const kernel = new Kernel({
      clock,
      execution: venue,
      instruments,
      currency: accountCurrency(instruments),
      initialCapital: numberToMoney(config.backtest.capital),
      strategy: strategyFactory.create(request.params),
      risk,
      adjustedPrices: strategySeesAdjustedPrices(series),
    });
    const durableFills: Fill[] = [];
    kernel.setWriteAhead(writeAhead(journal, request.runId, durableFills));
    for (const s of series) kernel.barInterval(s.symbol, s.intervalMs);
    kernel.start();

    const order = series.length === 1 ? undefined : mergeOrder(series);
    const events = replayOrder(series, order);
    let bars = 0;
    let k = 0;
    // Warm-up: history up to the last bar the journal completed, with trading off.
    if (resumedFrom !== null) {
      kernel.warmingUp = true;
      for (; k < events.length && events[k]!.bar.closeTime <= resumedFrom; k++) {
        clock.advanceTo(events[k]!.bar.closeTime);
        kernel.onBarIndexed(events[k]!.bar, events[k]!.index);
      }
      kernel.warmingUp = false;
    }
    if (request.resume) kernel.restore({ fills: restoredFills, orders: restoredOrders });

    for (; k < events.length; k++) {
      const { bar, index } = events[k]!;
      clock.advanceTo(bar.closeTime);
      // 1. The venue matches; fills and order changes are journaled and committed before anyone sees them.
      kernel.hold();
      kernel.ingestBar(bar, index);
      await journal.flush();
      for (const fill of durableFills.splice(0)) request.onAck?.(fill);
      kernel.release();
      // 2. The strategy decides; its orders and the bar's checkpoint commit together.
      kernel.presentBar(bar, index);
      void journal.appendEquity([{ runId: request.runId, time: bar.closeTime, equity: kernel.equity(), cash: kernel.cash() }]).catch(() => undefined);
      await journal.flush();
      bars++;
      if (request.barDelayMs) await new Promise((resolve) => setTimeout(resolve, request.barDelayMs));
    }
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
    };
    await journal.finishRun(request.runId, { summary: jsonSafe({ ...result, cashNumber: moneyToNumber(account.cash) }) });
    return result;
  } finally {
    await opened.close();
  }
}

interface ReplayEvent {
  readonly bar: import('../../core/bar.ts').Bar;
  readonly index: number;
}

/** All bars in replay order as objects (a session is slow anyway: one commit per bar). */
function replayOrder(series: readonly BarSeries[], order: ReturnType<typeof mergeOrder> | undefined): ReplayEvent[] {
  const events: ReplayEvent[] = [];
  const sink = {
    onBar: () => {},
    onBarIndexed: (bar: import('../../core/bar.ts').Bar, index: number) => void events.push({ bar, index }),
  };
  new ReplayDataClient(series, order, new SimulatedClock(-Infinity)).start(sink);
  return events;
}
