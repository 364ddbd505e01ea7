// The CCXT venue's DataClient: the venue's clock, closed bars from its candle stream (with a warm-up
// from history), and its order book, with reconnects and data-health reports.
import { type Bar, type BookSnapshot, TIMEFRAME_MS } from '../../core/index.ts';
import { type DataClient, LiveClock, type MarketDataSink } from '../../common/index.ts';
import { toVenueError } from './error-map.ts';

/** The part of a ccxt (pro) exchange the data client uses. */
export interface CcxtMarketApi {
  fetchTime(): Promise<number | undefined>;
  fetchOHLCV(symbol: string, timeframe: string, since?: number, limit?: number): Promise<number[][]>;
  watchOHLCV(symbol: string, timeframe: string): Promise<number[][]>;
  watchOrderBook(symbol: string, limit?: number): Promise<{ bids: number[][]; asks: number[][]; timestamp?: number }>;
  /** Public trades (ccxt pro); without it books carry no last trade. */
  watchTrades?(symbol: string): Promise<Array<{ price?: number; timestamp?: number }>>;
  readonly has?: Readonly<Record<string, unknown>>;
  close?(): Promise<unknown>;
}

/** Health reports for the data-quality and risk engines. */
export interface DataHealthSink {
  reportDataResult?(failed: boolean): void;
  reportApiLatency?(latencyMs: number): void;
  reportDataAge?(ageMs: number): void;
}

export interface CcxtDataOptions {
  readonly symbols: readonly string[];
  readonly timeframe: string;
  /** Bars of history replayed before live data (indicator warm-up). */
  readonly warmupBars?: number;
  readonly bookDepth?: number;
  readonly health?: DataHealthSink;
  /** Called when history is about to be replayed and when it is done (the kernel blocks orders meanwhile). */
  readonly onWarmup?: (active: boolean) => void;
  readonly log?: (message: string) => void;
  /**
   * A resumed session: per symbol, the open time of the last bar its journal has (played back already).
   * Those symbols get no warm-up; bars that closed after it are delivered as live bars (decisions on).
   */
  readonly resumeAfter?: ReadonlyMap<string, number>;
}

/**
 * Venue time from two samples of its server time, each taken at the midpoint of the request:
 * offset and rate (1 for a real exchange; a replaying local exchange runs faster).
 */
export async function syncVenueClock(api: CcxtMarketApi, clock: LiveClock, gapMs = 600): Promise<{ rate: number; roundTripMs: number }> {
  const sample = async (): Promise<{ venue: number; wall: number; roundTrip: number }> => {
    const before = LiveClock.wallNow();
    const venue = await api.fetchTime();
    const after = LiveClock.wallNow();
    if (venue === undefined) throw new Error('the exchange did not report its time');
    return { venue, wall: (before + after) / 2, roundTrip: after - before };
  };
  const first = await sample();
  await new Promise((resolve) => setTimeout(resolve, gapMs));
  const second = await sample();
  let rate = (second.venue - first.venue) / (second.wall - first.wall);
  // A real exchange runs at 1x; measurement noise of a few percent must not make it 1.03x.
  if (Math.abs(rate - 1) < 0.05 || !(rate > 0)) rate = 1;
  clock.sync(second.venue, second.wall, rate);
  return { rate, roundTripMs: second.roundTrip };
}

export class CcxtDataClient implements DataClient {
  readonly symbols: readonly string[];
  private stopped = false;
  private readonly intervalMs: number;
  /** Open time of the last bar delivered, per symbol. */
  private readonly delivered = new Map<string, number>();
  private readonly loops: Promise<void>[] = [];
  barsDelivered = 0;
  booksDelivered = 0;
  reconnects = 0;
  /** Longest wall-clock gap between two book updates after the first (ms): how long trading was blind. */
  longestBookGapMs = 0;
  /** The newest public trade per symbol, carried on the next book snapshot. */
  private readonly lastTrades = new Map<string, { price: number; time: number }>();

  constructor(
    private readonly api: CcxtMarketApi,
    private readonly clock: LiveClock,
    private readonly options: CcxtDataOptions,
  ) {
    this.symbols = options.symbols;
    const interval = TIMEFRAME_MS[options.timeframe];
    if (interval === undefined) throw new RangeError(`--timeframe: unknown "${options.timeframe}" (known: ${Object.keys(TIMEFRAME_MS).join(', ')})`);
    this.intervalMs = interval;
  }

  private bar(symbol: string, candle: number[]): Bar {
    const [openTime, open, high, low, close, volume] = candle as [number, number, number, number, number, number];
    return { symbol, openTime, closeTime: openTime + this.intervalMs, open, high, low, close, volume, preClose: undefined, adjustmentFactor: undefined };
  }

  /**
   * Deliver every candle that has closed and was not delivered yet, oldest first. A candle is closed
   * when a later one exists, or when its close time has passed on the venue clock.
   */
  private deliverClosed(sink: MarketDataSink, symbol: string, candles: readonly number[][]): void {
    const now = this.clock.now();
    const last = this.delivered.get(symbol) ?? -Infinity;
    const sorted = [...candles].sort((a, b) => a[0]! - b[0]!);
    const newest = sorted.length > 0 ? sorted[sorted.length - 1]![0]! : -Infinity;
    for (const candle of sorted) {
      const openTime = candle[0]!;
      if (openTime <= last || (openTime === newest && openTime + this.intervalMs > now)) continue;
      this.delivered.set(symbol, openTime);
      this.barsDelivered++;
      sink.onBar(this.bar(symbol, candle));
    }
  }

  async start(sink: MarketDataSink): Promise<void> {
    for (const symbol of this.symbols) sink.barInterval?.(symbol, this.intervalMs);
    const warmup = this.options.warmupBars ?? 0;
    const resumed = this.symbols.filter((symbol) => this.options.resumeAfter?.has(symbol));
    const fresh = this.symbols.filter((symbol) => !this.options.resumeAfter?.has(symbol));
    if (warmup > 0 && fresh.length > 0) {
      this.options.onWarmup?.(true);
      for (const symbol of fresh) {
        const since = Math.floor(this.clock.now() / this.intervalMs - (warmup + 1)) * this.intervalMs;
        const history = await this.request(() => this.api.fetchOHLCV(symbol, this.options.timeframe, since, warmup + 1));
        this.deliverClosed(sink, symbol, history ?? []);
      }
      this.options.onWarmup?.(false);
    }
    // Bars that closed while a resumed session was away: the session acts on them as it would have.
    for (const symbol of resumed) {
      const last = this.options.resumeAfter!.get(symbol)!;
      this.delivered.set(symbol, last);
      const missed = await this.request(() => this.api.fetchOHLCV(symbol, this.options.timeframe, last + this.intervalMs, 1000));
      this.deliverClosed(sink, symbol, missed ?? []);
    }
    this.loops.push(this.clockLoop());
    for (const symbol of this.symbols) {
      this.loops.push(this.candleLoop(sink, symbol));
      if (sink.onBook) this.loops.push(this.bookLoop(sink, symbol));
      if (sink.onBook && this.api.watchTrades !== undefined && this.api.has?.watchTrades !== false) this.loops.push(this.tradeLoop(symbol));
    }
  }

  private async request<T>(call: () => Promise<T>): Promise<T | undefined> {
    const started = LiveClock.wallNow();
    try {
      const result = await call();
      this.options.health?.reportApiLatency?.(LiveClock.wallNow() - started);
      this.options.health?.reportDataResult?.(false);
      return result;
    } catch (error) {
      this.options.health?.reportDataResult?.(true);
      this.options.log?.(`data request failed: ${toVenueError(error).message}`);
      return undefined;
    }
  }

  /**
   * Keep the venue clock honest: every few seconds, take the venue's time again and fit offset and
   * rate over the whole session (a long baseline makes the rate of a replaying venue exact).
   */
  private async clockLoop(): Promise<void> {
    let first: { venue: number; wall: number } | undefined;
    while (!this.stopped) {
      const before = LiveClock.wallNow();
      const venue = await this.request(() => this.api.fetchTime());
      const after = LiveClock.wallNow();
      if (venue !== undefined) {
        const sample = { venue, wall: (before + after) / 2 };
        first ??= sample;
        const span = sample.wall - first.wall;
        let rate = span > 2_000 ? (sample.venue - first.venue) / span : this.clock.speed;
        if (Math.abs(rate - 1) < 0.05 || !(rate > 0)) rate = 1;
        this.clock.sync(sample.venue, sample.wall, rate);
      }
      for (let waited = 0; waited < 5_000 && !this.stopped; waited += 250) await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  private async candleLoop(sink: MarketDataSink, symbol: string): Promise<void> {
    while (!this.stopped) {
      try {
        const candles = await this.api.watchOHLCV(symbol, this.options.timeframe);
        this.options.health?.reportDataResult?.(false);
        await this.fillGap(sink, symbol, candles);
        this.deliverClosed(sink, symbol, candles);
      } catch (error) {
        if (this.stopped) return;
        this.reconnects++;
        this.options.health?.reportDataResult?.(true);
        this.options.log?.(`candle stream ${symbol}: ${toVenueError(error).message}; reconnecting`);
        // Whatever closed while the stream was down comes from REST, so no bar is skipped.
        const recent = await this.request(() => this.api.fetchOHLCV(symbol, this.options.timeframe, undefined, 10));
        if (recent) this.deliverClosed(sink, symbol, recent);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
  }

  /**
   * Candles the stream starts after (one that closed between the warm-up's history and the first stream
   * message, or while the stream was away) come from REST first, so that no bar is skipped.
   */
  private async fillGap(sink: MarketDataSink, symbol: string, candles: readonly number[][]): Promise<void> {
    const last = this.delivered.get(symbol);
    if (last === undefined || candles.length === 0) return;
    let oldest = Infinity;
    for (const candle of candles) oldest = Math.min(oldest, candle[0]!);
    if (!(oldest > last + this.intervalMs)) return;
    const missing = Math.min(1000, Math.round((oldest - last) / this.intervalMs) - 1);
    const history = await this.request(() => this.api.fetchOHLCV(symbol, this.options.timeframe, last + this.intervalMs, missing));
    if (history) this.deliverClosed(sink, symbol, history.filter((candle) => candle[0]! < oldest));
  }

  private async bookLoop(sink: MarketDataSink, symbol: string): Promise<void> {
    let lastWall = NaN;
    while (!this.stopped) {
      try {
        const book = await this.api.watchOrderBook(symbol, this.options.bookDepth ?? 20);
        const wall = LiveClock.wallNow();
        if (lastWall === lastWall) this.longestBookGapMs = Math.max(this.longestBookGapMs, wall - lastWall);
        lastWall = wall;
        const trade = this.lastTrades.get(symbol);
        const snapshot: BookSnapshot = {
          symbol,
          time: book.timestamp ?? this.clock.now(),
          bids: book.bids.slice(0, this.options.bookDepth ?? 20).map(([p, q]) => [p!, q!] as const),
          asks: book.asks.slice(0, this.options.bookDepth ?? 20).map(([p, q]) => [p!, q!] as const),
          ...(trade === undefined ? {} : { lastTradePrice: trade.price, lastTradeTime: trade.time }),
        };
        this.booksDelivered++;
        this.options.health?.reportDataAge?.(Math.max(0, this.clock.now() - snapshot.time) / this.clock.speed);
        sink.onBook!(snapshot);
      } catch (error) {
        if (this.stopped) return;
        this.reconnects++;
        this.options.health?.reportDataResult?.(true);
        this.options.log?.(`book stream ${symbol}: ${toVenueError(error).message}; resubscribing`);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
  }

  /** Public trades: only the newest is kept, and the next book snapshot carries it. */
  private async tradeLoop(symbol: string): Promise<void> {
    while (!this.stopped) {
      try {
        const trades = await this.api.watchTrades!(symbol);
        const newest = trades[trades.length - 1];
        if (newest?.price !== undefined && newest.price > 0) {
          const known = this.lastTrades.get(symbol);
          const time = newest.timestamp ?? this.clock.now();
          if (known === undefined || time >= known.time) this.lastTrades.set(symbol, { price: newest.price, time });
        }
      } catch (error) {
        if (this.stopped) return;
        this.reconnects++;
        this.options.log?.(`trade stream ${symbol}: ${toVenueError(error).message}; resubscribing`);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.api.close?.().catch(() => undefined);
    await Promise.allSettled(this.loops);
  }
}
