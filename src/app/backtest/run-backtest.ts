// The backtest use-case shared by the CLI (and later the server): files + strategy + config -> results.
import type { FillModelConfig } from '../../adapters/sim/index.ts';
import { computeMetrics, extrapolatedMetrics, type PerformanceMetrics, periodsPerYear } from '../../analytics/index.ts';
import { type BarSeries, type Fill, type Instrument, type Market, moneyToNumber, type Order, resolveInstrument, type Trade } from '../../core/index.ts';
import { loadBarSeries } from '../../adapters/files/index.ts';
import { type BreakerEvent, type DataError, RiskMode } from '../../engines/index.ts';
import { BuyAndHold, resolveStrategy } from '../../strategies/index.ts';
import type { TraiderConfig } from '../config/index.ts';
import { toRiskConfig } from '../config/index.ts';
import { simulate, type SimulationResult } from './simulate.ts';
import { openJournal } from '../store/index.ts';
import { type JsonValue, LiveClock, RunKind } from '../../common/index.ts';
import { dailyEquity } from './daily-equity.ts';
import { type BacktestDenial, type DenialExample, denialExamples } from './denials.ts';
import { jsonSafe } from '../environment/index.ts';
import { fieldMention, InputError, inputText } from '../errors/index.ts';

export interface BacktestRequest {
  readonly dataFiles: readonly string[];
  /** Built-in name or path to a strategy file. */
  readonly strategy: string;
  readonly params?: unknown;
  readonly symbol?: string;
  readonly market?: Market;
  readonly timeframe?: string;
  readonly config: TraiderConfig;
  /** Apply a mode's limits (PAPER, LIVE_MINIMAL, LIVE_SCALED); default: breakers and pre-trade checks only. */
  readonly riskMode?: RiskMode;
  /** LIVE_SCALED step, 1-based. */
  readonly riskStep?: number;
  /** Journal the run to this database (path or postgres:// URL); undefined: write nothing. */
  readonly db?: string;
  /** The command line, recorded with the run. */
  readonly command?: readonly string[];
  /** Where the run id is reported (stderr), so the JSON on stdout stays identical with or without --db. */
  readonly onRunId?: (id: string) => void;
  /** Also run buy-and-hold on the same data as the benchmark line (default true). */
  readonly benchmark?: boolean;
  readonly progress?: (done: number, total: number) => void;
  /**
   * Each line the strategy logs (`ctx.log`), as `<bar time, ISO-8601 UTC> [<strategy name>] <message>`, as it
   * happens (the CLI prints them on stderr); the outcome keeps them all for log.txt.
   */
  readonly onLog?: (line: string) => void;
}

/** The JSON a backtest prints: deterministic (no run ids, no wall time). Fractions, not percents. */
export interface BacktestSummary {
  strategy: string;
  symbols: string[];
  market: string;
  timeframe: string;
  fillModel: string;
  currency: string;
  start: number;
  end: number;
  bars: number;
  orders: number;
  fills: number;
  trades: number;
  initialCapital: number;
  finalEquity: number;
  realizedPnl: number;
  unrealizedPnl: number;
  totalReturn: number;
  cagr: number | null;
  sharpe: number | null;
  sortino: number | null;
  calmar: number | null;
  maxDrawdown: number;
  winRate: number | null;
  profitFactor: number | null;
  exposure: number;
  feesPaid: number;
  taxesPaid: number;
  /** Fills the venue cut to what the cash covered. */
  reducedFills: number;
  /** Orders refused before reaching the venue, by reason. */
  denials: Record<string, number>;
  /** The first refusal of each reason, most frequent reason first (every refusal: denials.csv with --out). */
  denialExamples: Record<string, DenialExample>;
  /** Breaker level changes: when, to which level, why, and the numbers behind it. */
  breakerEvents: Array<{ time: number; level: string; previousLevel: string; cause: string; value: number; threshold: number }>;
  riskMode: string;
  benchmarkReturn: number | null;
  /**
   * The annualised metrics (of cagr, sharpe, sortino, calmar, those with a value) that were extrapolated from a run
   * shorter than MIN_ANNUALISING_DAYS (90 days); empty for a longer run.
   */
  extrapolated: string[];
}

export interface BacktestOutcome {
  readonly summary: BacktestSummary;
  readonly metrics: PerformanceMetrics;
  readonly simulation: SimulationResult;
  readonly benchmark?: { readonly time: Float64Array; readonly equity: Float64Array };
  readonly series: readonly BarSeries[];
  readonly instruments: readonly Instrument[];
  readonly fills: readonly Fill[];
  readonly orders: readonly Order[];
  readonly trades: readonly Trade[];
  readonly strategyParameters: Record<string, unknown>;
  readonly skippedRows: number;
  readonly problems: readonly DataError[];
  readonly drawdown: Float64Array;
  /** Every refused order, in the order of refusal. */
  readonly denials: readonly BacktestDenial[];
  /** The strategy's log lines (see BacktestRequest.onLog). */
  readonly log: readonly string[];
}

export async function loadSeries(request: Pick<BacktestRequest, 'dataFiles' | 'symbol' | 'market' | 'timeframe' | 'config'>) {
  const { dataFiles } = request;
  if (dataFiles.length === 0) throw new InputError('dataFiles', 'give at least one CSV file', { value: dataFiles });
  if (request.symbol && dataFiles.length > 1) {
    throw new InputError('symbol', inputText`${fieldMention('symbol')}: only with a single ${fieldMention('dataFiles')} file (names give each file its symbol)`, { value: request.symbol });
  }
  const results = [];
  for (const file of dataFiles) {
    results.push(
      await loadBarSeries(file, {
        symbol: request.symbol,
        market: request.market,
        timeframe: request.timeframe,
        adjust: request.config.backtest.adjust,
        onBadRow: request.config.backtest.onBadRow === 'skip' ? 'skip' : 'error',
      }),
    );
  }
  const series = results.map((r) => r.series);
  const symbols = series.map((s) => s.symbol);
  const duplicate = symbols.find((s, i) => symbols.indexOf(s) !== i);
  if (duplicate) throw new InputError('dataFiles', `two files are both ${duplicate}`, { value: dataFiles });
  const timeframes = [...new Set(series.map((s) => s.timeframe))];
  if (timeframes.length > 1) {
    const rule = inputText`${fieldMention('dataFiles')}: files have different timeframes (${timeframes.join(', ')}); give ${fieldMention('timeframe')} to align them`;
    throw new InputError('dataFiles', rule, { value: dataFiles });
  }
  return { series, results };
}

export function instrumentsFor(series: readonly BarSeries[], config: TraiderConfig): Instrument[] {
  return series.map((s) => {
    const override = config.instruments[s.symbol];
    return resolveInstrument(s.symbol, s.market, override as Parameters<typeof resolveInstrument>[2]);
  });
}

export async function runBacktest(request: BacktestRequest): Promise<BacktestOutcome> {
  const { config } = request;
  const strategyFactory = await resolveStrategy(request.strategy);
  const strategy = strategyFactory.create(request.params);
  const { series, results } = await loadSeries(request);
  const instruments = instrumentsFor(series, config);
  const fill: FillModelConfig = config.fill;
  const base = { series, instruments, capital: config.backtest.capital, fill, fees: config.fees };
  // Open the database first: a bad --db fails before any work, and nothing is written.
  const journaled = request.db === undefined ? undefined : await openJournal(request.db, { clock: new LiveClock() });
  let runId: string | undefined;
  if (journaled) {
    runId = await journaled.journal.createRun({
      kind: RunKind.Backtest,
      strategy: strategyFactory.name,
      symbols: series.map((s) => s.symbol),
      market: series[0]!.market,
      timeframe: series[0]!.timeframe,
      mode: request.riskMode ?? RiskMode.Backtest,
      parameters: jsonSafe({ strategy: strategy.parameters(), command: request.command ?? [], config }) as { readonly [key: string]: JsonValue },
      dataHashes: Object.fromEntries(series.map((s) => [s.source.file, s.source.sha256])),
    });
    request.onRunId?.(runId);
  }
  const mode = request.riskMode ?? RiskMode.Backtest;
  const log: string[] = [];
  const simulation = simulate({
    ...base,
    strategy,
    risk: { config: toRiskConfig(config.risk), mode, scaledStep: (request.riskStep ?? 1) - 1, backtest: true },
    progress: request.progress,
    journal: journaled && runId ? { journal: journaled.journal, runId } : undefined,
    log: (line) => {
      log.push(line);
      request.onLog?.(line);
    },
  });
  let benchmark: BacktestOutcome['benchmark'];
  if (request.benchmark !== false) {
    const run = simulate({ ...base, strategy: new BuyAndHold({ fraction: 1 }) });
    benchmark = { time: run.time, equity: run.equity };
  }
  const kernel = simulation.kernel;
  const account = kernel.account;
  const market = series[0]!.market;
  const drawdown = new Float64Array(simulation.equity.length);
  const metrics = computeMetrics(
    {
      equity: simulation.equity,
      time: simulation.time,
      initialCapital: config.backtest.capital,
      periodsPerYear: periodsPerYear(market, series[0]!.intervalMs),
      firstTime: Math.min(...series.map((s) => s.openTime[0]!)),
      trades: account.trades,
      barsInPosition: simulation.barsInPosition,
    },
    drawdown,
  );
  // Money from the exact ledger: finalEquity = capital + realized + unrealized - fees - taxes holds exactly.
  const marked = kernel.markedPositionsValue();
  const finalEquity = account.cash + marked;
  const unrealized = marked - account.totalCost;
  const orders = [...kernel.cache.orders.values()];
  const start = Math.min(...series.map((s) => s.openTime[0]!));
  const end = Math.max(...series.map((s) => s.closeTime[s.length - 1]!));
  const summary: BacktestSummary = {
    strategy: strategy.name,
    symbols: series.map((s) => s.symbol),
    market,
    timeframe: series[0]!.timeframe,
    fillModel: fill.model,
    currency: simulation.currency,
    start,
    end,
    bars: simulation.bars,
    orders: orders.length,
    fills: kernel.fills.length,
    trades: account.trades.length,
    initialCapital: moneyToNumber(account.initialCapital),
    finalEquity: moneyToNumber(finalEquity),
    realizedPnl: moneyToNumber(account.realizedPnl),
    unrealizedPnl: moneyToNumber(unrealized),
    totalReturn: moneyToNumber(finalEquity) / moneyToNumber(account.initialCapital) - 1,
    cagr: metrics.cagr,
    sharpe: metrics.sharpe,
    sortino: metrics.sortino,
    calmar: metrics.calmar,
    maxDrawdown: metrics.maxDrawdown,
    winRate: metrics.winRate,
    profitFactor: metrics.profitFactor,
    exposure: metrics.exposure,
    feesPaid: moneyToNumber(account.feesPaid),
    taxesPaid: moneyToNumber(account.taxesPaid),
    reducedFills: kernel.fills.filter((f) => f.reducedForCash).length,
    denials: Object.fromEntries([...kernel.deniedCounts.entries()].sort(([a], [b]) => a.localeCompare(b))),
    denialExamples: denialExamples(simulation.denials),
    breakerEvents: (kernel.breakerEvents as BreakerEvent[]).map((e) => ({ time: e.time, level: e.level, previousLevel: e.previousLevel, cause: e.cause, value: e.value, threshold: e.threshold })),
    riskMode: mode,
    benchmarkReturn: benchmark && benchmark.equity.length > 0 ? benchmark.equity[benchmark.equity.length - 1]! / config.backtest.capital - 1 : null,
    extrapolated: extrapolatedMetrics(end - start).filter((key) => metrics[key] !== null),
  };
  if (journaled && runId) {
    try {
      await journaled.journal.appendEquity(dailyEquity(runId, market, simulation.time, simulation.equity, simulation.cash));
      await journaled.journal.finishRun(runId, { summary: jsonSafe(summary) });
    } finally {
      await journaled.close();
    }
  }
  return {
    summary,
    metrics,
    simulation,
    benchmark,
    series,
    instruments,
    fills: kernel.fills,
    orders,
    trades: account.trades,
    strategyParameters: strategy.parameters(),
    skippedRows: results.reduce((n, r) => n + r.series.source.skipped, 0),
    problems: results.flatMap((r) => r.problems),
    drawdown,
    denials: simulation.denials,
    log,
  };
}
