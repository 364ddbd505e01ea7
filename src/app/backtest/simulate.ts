// One backtest simulation: series in memory -> kernel on a simulated clock with the simulated venue.
import { type FillModelConfig, ReplayDataClient, type ReplayHooks, SimExecutionClient } from '../../adapters/sim/index.ts';
import { type AShareFeeConfig, AShareFeeSchedule, type BarSeries, type CryptoFeeConfig, CryptoFeeSchedule, type FeeSchedule, type Instrument, Market, numberToMoney } from '../../core/index.ts';
import { mergeOrder } from '../../engines/index.ts';
import { type RiskGate, SimulatedClock, type Strategy } from '../../common/index.ts';
import { Kernel } from '../../kernel/index.ts';

export interface SimulationRequest {
  readonly series: readonly BarSeries[];
  /** Same order as `series`. */
  readonly instruments: readonly Instrument[];
  readonly strategy: Strategy;
  /** Account currency amount. */
  readonly capital: number;
  readonly fill: FillModelConfig;
  readonly fees: { readonly crypto: CryptoFeeConfig; readonly ashare: AShareFeeConfig };
  readonly risk?: RiskGate;
  readonly progress?: (done: number, total: number) => void;
  /** Called with the kernel before it starts (journaling subscribes here). */
  readonly onKernel?: (kernel: Kernel) => void;
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
}

export function accountCurrency(instruments: readonly Instrument[]): string {
  const currencies = [...new Set(instruments.map((i) => i.quote))];
  if (currencies.length !== 1) {
    throw new RangeError(`all symbols of one run share one account, so they need one quote currency (got ${currencies.join(', ')})`);
  }
  return currencies[0]!;
}

export function feeScheduleFor(fees: SimulationRequest['fees']): (instrument: Instrument) => FeeSchedule {
  return (instrument) =>
    instrument.market === Market.AShare ? new AShareFeeSchedule(fees.ashare) : new CryptoFeeSchedule(fees.crypto, instrument.quote);
}

/** One point of the equity curve per distinct bar close time (the replay's afterTime hook). */
class CurveRecorder implements ReplayHooks {
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
  const currency = accountCurrency(instruments);
  // One series replays in its own order; several are merged by close time.
  const order = series.length === 1 ? undefined : mergeOrder(series);
  const total = series.reduce((n, s) => n + s.length, 0);
  const clock = new SimulatedClock(series.reduce((t, s) => Math.min(t, s.openTime[0] ?? Infinity), Infinity));
  const venue = new SimExecutionClient(request.fill, feeScheduleFor(request.fees));
  const kernel = new Kernel({
    clock,
    execution: venue,
    instruments,
    currency,
    initialCapital: numberToMoney(request.capital),
    strategy: request.strategy,
    risk: request.risk,
    adjustedPrices: strategySeesAdjustedPrices(series),
  });
  const curve = new CurveRecorder(kernel, total, request.progress);
  const replay = new ReplayDataClient(series, order, clock, curve);
  request.onKernel?.(kernel);
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
  };
}
