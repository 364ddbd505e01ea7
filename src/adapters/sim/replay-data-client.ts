// Replays loaded bar series in time order on a simulated clock: the backtest's DataClient.
import type { Bar, BarSeries } from '../../core/index.ts';
import type { DataClient, MarketDataSink, SimulatedClock } from '../../common/index.ts';

export interface ReplayOrder {
  readonly seriesIndex: ArrayLike<number>;
  readonly barIndex: ArrayLike<number>;
}

export interface ReplayHooks {
  /** Called once per distinct bar close time, after every bar of that time has been handled. */
  afterTime?(time: number): void;
  /** Progress: events done and total, called every `progressEvery` events. */
  progress?(done: number, total: number): void;
  readonly progressEvery?: number;
}

/**
 * Each bar reaches the sink at its close time, never before: the clock is advanced to the close
 * first, so a strategy can only ever see bars whose close is <= now. Series i must be the kernel's
 * symbol index i.
 */
export class ReplayDataClient implements DataClient {
  readonly symbols: readonly string[];
  private stopped = false;

  constructor(
    private readonly series: readonly BarSeries[],
    /** Event order over several series; omit for a single series. */
    private readonly order: ReplayOrder | undefined,
    private readonly clock: SimulatedClock,
    private readonly hooks: ReplayHooks = {},
  ) {
    this.symbols = series.map((s) => s.symbol);
  }

  start(sink: MarketDataSink): void {
    const order = this.order;
    if (order === undefined && this.series.length !== 1) throw new RangeError('several series need a merge order');
    const single = order === undefined;
    const seriesIndex = order?.seriesIndex;
    const barIndex = order?.barIndex;
    const total = single ? this.series[0]!.length : seriesIndex!.length;
    // Hooks are called as methods of the hooks object: a class instance there keeps one call target
    // across replays, so the JIT keeps inlining it.
    const hooks = this.hooks;
    const afterTime = hooks.afterTime !== undefined;
    const progress = this.hooks.progress;
    const every = this.hooks.progressEvery ?? 100_000;
    // A method call on the sink, not a bound function: a bound function is a new call target for
    // every replay, and the JIT would stop inlining the kernel into this loop after the first.
    const indexed = sink.onBarIndexed !== undefined;
    for (const series of this.series) sink.barInterval?.(series.symbol, series.intervalMs);
    let currentTime = NaN;
    for (let e = 0; e < total && !this.stopped; e++) {
      const s = single ? 0 : seriesIndex![e]!;
      const i = single ? e : barIndex![e]!;
      const series = this.series[s]!;
      const closeTime = series.closeTime[i]!;
      if (closeTime !== currentTime) {
        if (afterTime && currentTime === currentTime) hooks.afterTime!(currentTime);
        this.clock.advanceTo(closeTime);
        currentTime = closeTime;
      }
      const bar: Bar = {
        symbol: series.symbol,
        openTime: series.openTime[i]!,
        closeTime,
        open: series.open[i]!,
        high: series.high[i]!,
        low: series.low[i]!,
        close: series.close[i]!,
        volume: series.volume[i]!,
        preClose: series.preClose === undefined ? undefined : series.preClose[i]!,
        adjustmentFactor: series.adjustmentFactor === undefined ? undefined : series.adjustmentFactor[i]!,
      };
      if (indexed) sink.onBarIndexed!(bar, s);
      else sink.onBar(bar);
      if (progress !== undefined && e % every === 0) progress(e, total);
    }
    if (afterTime && currentTime === currentTime) hooks.afterTime!(currentTime);
    if (progress !== undefined) progress(total, total);
  }

  stop(): void {
    this.stopped = true;
  }
}
