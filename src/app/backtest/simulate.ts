// One backtest simulation: series in memory -> kernel on a simulated clock with the simulated venue.
import { type FillModelConfig, ReplayDataClient, type ReplayHooks } from '../../adapters/sim/index.ts';
import type { BarSeries, Instrument } from '../../core/index.ts';
import { mergeOrder } from '../../engines/index.ts';
import { type RiskGate, SimulatedClock, type Strategy } from '../../common/index.ts';
import type { Kernel } from '../../kernel/index.ts';
import { buildKernel, feeScheduleFor, type Fees, type JournalTarget, type RiskSettings } from '../environment/index.ts';
import { type BacktestDenial, collectDenials } from './denials.ts';

export interface SimulationRequest {
  readonly series: readonly BarSeries[];
  /** Same order as `series`. */
  readonly instruments: readonly Instrument[];
  readonly strategy: Strategy;
  /** Account currency amount. */
  readonly capital: number;
  readonly fill: FillModelConfig;
  readonly fees: Fees;
  /** The risk engine's settings, a gate of the caller's own, or none (no pre-trade checks). */
  readonly risk?: RiskSettings | RiskGate;
  readonly progress?: (done: number, total: number) => void;
  /** Journal the run's order events, fills, denials and breaker changes. */
  readonly journal?: JournalTarget;
  /** Where the strategy's `ctx.log` lines go (`<bar time> [<strategy>] <message>`); default: nowhere. */
  readonly log?: (line: string) => void;
}

export interface SimulationResult {
  readonly kernel: Kernel;
  readonly currency: string;
  /** One point per distinct bar close time. */
  readonly time: Float64Array;
  readonly equity: Float64Array;
  /** Free cash at the same points. */
  readonly cash: Float64Array;
  readonly barsInPosition: number;
  /** Bar events replayed (all symbols). */
  readonly bars: number;
  readonly assumptions: string[];
  /** Every refused order, in the order of refusal. */
  readonly denials: readonly BacktestDenial[];
}

/**
 * How often a backtest reports progress: every 2^14 bars, about ten reports a second at the kernel's pace with
 * risk on (150,000 to 250,000 bars a second; the bundled 58,000-bar file shows three steps), and one call in
 * 16,384 bars costs nothing a measurement sees. The replay loop runs synchronously, without yielding: the
 * callback draws by itself (src/cli/progress.ts).
 */
export const PROGRESS_EVERY_BARS = 2 ** 14;

/** One point of the equity curve per distinct bar close time (the replay's afterTime hook). */
class CurveRecorder implements ReplayHooks {
  readonly progressEvery = PROGRESS_EVERY_BARS;
  readonly time: Float64Array;
  readonly equity: Float64Array;
  readonly cash: Float64Array;
  points = 0;
  barsInPosition = 0;

  constructor(
    private readonly kernel: Kernel,
    capacity: number,
    readonly progress?: (done: number, total: number) => void,
  ) {
    this.time = new Float64Array(capacity);
    this.equity = new Float64Array(capacity);
    this.cash = new Float64Array(capacity);
  }

  afterTime(t: number): void {
    const i = this.points++;
    this.time[i] = t;
    this.cash[i] = this.kernel.cash();
    this.equity[i] = this.kernel.equity();
    if (this.kernel.hasOpenPosition) this.barsInPosition++;
  }
}

/** One run shows one kind of price: adjusted unless a series was loaded with `adjust: 'none'`. */
export function strategySeesAdjustedPrices(series: readonly BarSeries[]): boolean {
  return series.every((s) => s.adjust !== 'none');
}

export function simulate(request: SimulationRequest): SimulationResult {
  const { series, instruments } = request;
  if (series.length === 0) throw new RangeError('no data to replay');
  series.forEach((s, i) => {
    if (instruments[i]?.symbol !== s.symbol) throw new RangeError(`instrument ${i} is ${instruments[i]?.symbol}, series is ${s.symbol}`);
  });
  // One series replays in its own order; several are merged by close time.
  const order = series.length === 1 ? undefined : mergeOrder(series);
  const total = series.reduce((n, s) => n + s.length, 0);
  const clock = new SimulatedClock(series.reduce((t, s) => Math.min(t, s.openTime[0] ?? Infinity), Infinity));
  const { kernel, currency, execution: venue } = buildKernel({
    clock,
    venue: { kind: 'bars', fill: request.fill, fees: request.fees },
    instruments,
    capital: request.capital,
    strategy: request.strategy,
    risk: request.risk,
    adjustedPrices: strategySeesAdjustedPrices(series),
    journal: request.journal,
    log: request.log,
  });
  const denials = collectDenials(kernel.bus);
  const curve = new CurveRecorder(kernel, total, request.progress);
  const replay = new ReplayDataClient(series, order, clock, curve);
  kernel.start();
  replay.start(kernel);
  kernel.stop();
  return {
    kernel,
    currency,
    time: curve.time.subarray(0, curve.points),
    equity: curve.equity.subarray(0, curve.points),
    cash: curve.cash.subarray(0, curve.points),
    barsInPosition: curve.barsInPosition,
    bars: total,
    assumptions: [...venue.describe(), ...instruments.map((i) => feeScheduleFor(request.fees)(i).describe()).filter((d, k, all) => all.indexOf(d) === k)],
    denials,
  };
}
