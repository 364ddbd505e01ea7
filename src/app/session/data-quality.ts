// Data quality in a session: every update of the venue's and the reference feeds passes the monitor
// (src/engines/data/quality). Venue bars reach the kernel unless they fail OHLC sanity or consensus
// (two or more references); jumps go on at once, flagged. With one reference the venue's price wins and
// a disagreement is an alert. While the venue's feed of a symbol is unusable (silent, stale, invalid) a
// healthy reference's bars mark and feed risk, never strategies or paper fills. No breaker is fed from
// here: the session's staleness watch judges the venue's feed (a reference's data must not clear it).
import type { Bar, BookSnapshot } from '../../core/index.ts';
import { type DataQualityConfig, type DataQualityConfigInput, DataQualityMonitor, DEFAULT_DATA_QUALITY_CONFIG, type FailoverEvent, FailoverSelector, invalidates, IssueCode, isUsable, type QualityAssessment, type QualityIssue, QualityLevel, qualityRank, resolveDataQualityConfig } from '../../engines/index.ts';
import type { MarketDataSink } from '../../common/index.ts';

/** The venue's own feed: the primary source. */
export const VENUE = 'venue';
/** A session's consensus threshold unless configured (the engine's own default is 1%). */
export const SESSION_CONSENSUS_THRESHOLD = 0.02;
const EVENTS_KEPT = 200;
/** Changes between usable levels (EXCELLENT..POOR) are reported at most this often per source. */
const LEVEL_EVENT_EVERY_MS = 60_000;
/** Issues that keep a bar from strategies (and a reference's bar from marks). */
const WITHHOLDING = new Set<IssueCode>([IssueCode.Ohlc, IssueCode.NotFinite, IssueCode.Consensus]);

/** What the session's data reaches (the kernel implements it). */
export interface QualityTarget {
  onBar(bar: Bar): void; // venue bar accepted: strategy, paper venue, risk, marks
  onBook(book: BookSnapshot): void; // venue book, always (paper fills use the venue's own book)
  onReferenceBar(bar: Bar): void; // a reference's bar while it is the symbol's active source: marks and risk only
  barInterval?(symbol: string, intervalMs: number): void;
}

export interface SessionDataQualityOptions {
  readonly target: QualityTarget;
  readonly clock: { now(): number }; // the session clock (venue time, ms)
  readonly references: readonly string[]; // reference source names; the venue is 'venue'
  readonly config?: DataQualityConfigInput;
  readonly log: (line: string) => void;
  readonly onEvent?: (event: QualityEvent) => void;
  /** The prices a bar may legally reach (A-shares: the daily limits): a move inside is not a jump. */
  readonly legalBand?: (bar: Bar) => { readonly down: number; readonly up: number } | undefined;
  /** Changes between usable levels are reported at most this often per source (clock ms; default 60 s). */
  readonly levelEventEveryMs?: number;
}

export type QualityEventKind = 'level' | 'jump' | 'withheld' | 'outlier' | 'disagreement' | 'failover';
export interface QualityEvent {
  readonly time: number;
  readonly source: string;
  readonly symbol: string;
  readonly kind: QualityEventKind;
  readonly level?: QualityLevel; // kind 'level', and the level of a jumped update
  readonly severity: 'info' | 'warning' | 'alert';
  readonly detail: string;
}

/**
 * levels: per source, the worst of its symbols' latest levels; events: the latest 200 (eventCount: all);
 * withheld: venue bars kept from the kernel; outliers: updates found consensus outliers (2+ references).
 */
export interface DataQualitySummary {
  readonly levels: Record<string, QualityLevel>;
  readonly events: QualityEvent[];
  readonly eventCount: number;
  readonly withheld: number;
  readonly outliers: number;
  readonly failovers: number;
}

const key = (source: string, symbol: string): string => `${source}\u0000${symbol}`;
const pct = (x: number): string => `${(x * 100).toFixed(2)}%`;

export class SessionDataQuality {
  /** The sink for the venue's data client. */
  readonly venue: MarketDataSink;
  private readonly sinks = new Map<string, MarketDataSink>();
  private engine: { monitor: DataQualityMonitor; selector: FailoverSelector } | undefined;
  // by key(source, symbol): bar interval (gap check, bar staleness), a flagged jump until confirmed or cleared, outlier now
  private readonly intervals = new Map<string, number>();
  private readonly jumps = new Map<string, { from: number; to: number }>();
  private readonly outlying = new Set<string>();
  /** Latest level per source and symbol (a jump or a lone reference's disagreement does not lower it). */
  private readonly levels = new Map<string, Map<string, QualityLevel>>();
  private readonly reported = new Map<string, { level: QualityLevel; time: number }>();
  private readonly disagreeing = new Set<string>(); // symbols
  private readonly events: QualityEvent[] = [];
  private eventCount = 0;
  private withheld = 0;
  private outliers = 0;
  private failovers = 0;
  private warmup = false;

  constructor(private readonly options: SessionDataQualityOptions) {
    const refs = options.references;
    if (new Set(refs).size !== refs.length || refs.includes(VENUE)) throw new RangeError(`data quality: reference names must be distinct and not "${VENUE}" (got ${refs.join(', ')})`);
    resolveDataQualityConfig(this.configInput()); // a bad config fails now, not on the first update
    const { target } = options;
    this.venue = {
      onBar: (bar) => {
        const why = this.onBarOf(VENUE, bar);
        if (why === undefined) return target.onBar(bar);
        this.withheld++;
        this.emit({ time: this.options.clock.now(), source: VENUE, symbol: bar.symbol, kind: 'withheld', severity: 'warning', detail: `bar opening ${bar.openTime} withheld: ${why}` });
      },
      onBook: (book) => {
        this.onBookOf(VENUE, book);
        target.onBook(book);
      },
      barInterval: (symbol, intervalMs) => {
        this.intervals.set(key(VENUE, symbol), intervalMs);
        target.barInterval?.(symbol, intervalMs);
      },
    };
  }

  /** The sink for a reference's data client: checked and compared, and used for marks only on failover. */
  reference(name: string): MarketDataSink {
    if (!this.options.references.includes(name)) throw new RangeError(`data quality: unknown reference "${name}" (known: ${this.options.references.join(', ') || 'none'})`);
    const sink: MarketDataSink = this.sinks.get(name) ?? {
      onBar: (bar) => {
        if (this.onBarOf(name, bar) === undefined && this.active(bar.symbol) === name) this.options.target.onReferenceBar(bar);
      },
      onBook: (book) => this.onBookOf(name, book),
      barInterval: (symbol, intervalMs) => void this.intervals.set(key(name, symbol), intervalMs),
    };
    this.sinks.set(name, sink);
    return sink;
  }

  /** History replay (warm-up) on or off: its bars are checked but neither graded on age nor failed over on. */
  warmingUp(active: boolean): void {
    this.warmup = active;
  }

  /** The source whose data marks `symbol` ('venue' unless failed over). */
  active(symbol: string): string {
    return this.built().selector.active(symbol);
  }

  get config(): DataQualityConfig {
    return this.built().monitor.config;
  }

  /** Every second: silent feeds turn stale and failover is decided again. */
  tick(now: number): void {
    const { monitor, selector } = this.built();
    for (const [source, bySymbol] of this.levels) {
      for (const symbol of bySymbol.keys()) if (monitor.assessAge(symbol, source, now)?.level === QualityLevel.Stale) bySymbol.set(symbol, QualityLevel.Stale);
      this.reportLevel(source, now);
    }
    for (const symbol of selector.knownSymbols()) selector.check(symbol, now);
  }

  summary(): DataQualitySummary {
    const levels: Record<string, QualityLevel> = {};
    for (const source of this.levels.keys()) levels[source] = this.worst(source)!.level;
    return { levels, events: [...this.events], eventCount: this.eventCount, withheld: this.withheld, outliers: this.outliers, failovers: this.failovers };
  }

  /** One line for the session summary. */
  summaryLine(): string {
    const { levels, withheld, outliers, failovers, eventCount } = this.summary();
    const text = Object.entries(levels).map(([source, level]) => `${source} ${level}`).join(', ') || 'no data';
    return `data quality: ${text}; ${withheld} bar(s) withheld, ${outliers} outlier update(s), ${failovers} failover(s), ${eventCount} event(s)`;
  }

  private configInput(): DataQualityConfigInput {
    const input = this.options.config ?? {};
    const interval = Math.max(0, ...this.intervals.values());
    return {
      ...input,
      consensusThreshold: input.consensusThreshold ?? SESSION_CONSENSUS_THRESHOLD,
      // A bar-only feed is stale once its next bar is overdue by the usual limit.
      barStaleMs: input.barStaleMs ?? DEFAULT_DATA_QUALITY_CONFIG.barStaleMs + interval,
      // Venue bars reach the kernel whatever the active source: marks return with the venue's first good update.
      failover: { ...input.failover, returnAfterUpdates: input.failover?.returnAfterUpdates ?? 1 },
    };
  }

  /** Built on first use, after the data clients have told their bar intervals. */
  private built(): { monitor: DataQualityMonitor; selector: FailoverSelector } {
    if (this.engine) return this.engine;
    const monitor = new DataQualityMonitor(this.configInput());
    const selector = new FailoverSelector({
      providers: [VENUE, ...this.options.references],
      // The venue is judged on its data (stale, invalid, outlier), not on a failure streak: jumps and a
      // lone reference's disagreement count as failures in its health, and its own price must win then.
      health: (provider) => (provider === VENUE ? undefined : monitor.health(provider)),
      config: monitor.config,
      onSwitch: (e) => this.onSwitch(e),
    });
    this.engine = { monitor, selector };
    return this.engine;
  }

  /** Returns why the bar is withheld, if it is. History (warm-up) is judged as of its close. */
  private onBarOf(source: string, bar: Bar): string | undefined {
    const receivedTime = this.warmup ? bar.closeTime : this.options.clock.now();
    const legalBand = this.options.legalBand?.(bar);
    return this.take(this.built().monitor.onBar({ source, bar, receivedTime, intervalMs: this.intervals.get(key(source, bar.symbol)), legalBand }));
  }

  private onBookOf(source: string, book: BookSnapshot): void {
    const bid = book.bids[0]?.[0];
    const ask = book.asks[0]?.[0];
    if (bid === undefined || ask === undefined) return; // one-sided: no price to judge
    this.take(this.built().monitor.onQuote({ source, symbol: book.symbol, price: (bid + ask) / 2, bid, ask, exchangeTime: book.time, receivedTime: this.options.clock.now() }));
  }

  /** Events, level and failover for one assessment; returns why the data is withheld, if it is. */
  private take(a: QualityAssessment): string | undefined {
    const single = this.options.references.length === 1;
    // One reference: the venue's price wins (the rule is ours; the monitor blames whichever moved).
    const venueWins = single && a.source === VENUE;
    const passed = (i: QualityIssue): boolean => i.code === IssueCode.PriceJump || (venueWins && i.code === IssueCode.Consensus);
    const issues = a.issues.filter((i) => !passed(i));
    const outliers = single ? a.outliers.filter((o) => o !== VENUE) : a.outliers;
    const effective = issues.length === a.issues.length && outliers.length === a.outliers.length ? a : { ...a, issues, outliers, level: this.levelOf(issues, a.ageMs) };
    this.jumpEvents(a);
    if (single) this.disagreement(a);
    else this.outlierEvents(a);
    if (!this.warmup) {
      const bySymbol = this.levels.get(a.source) ?? new Map<string, QualityLevel>();
      this.levels.set(a.source, bySymbol.set(a.symbol, effective.level));
      this.reportLevel(a.source, a.time);
      this.built().selector.onAssessment(effective);
    }
    const why = issues.filter((i) => WITHHOLDING.has(i.code));
    return why.length === 0 ? undefined : why.map((i) => `${i.code} ${i.detail}`).join('; ');
  }

  /** The monitor's grading (docs/data-quality.md) of the issues that remain. */
  private levelOf(issues: readonly QualityIssue[], ageMs: number): QualityLevel {
    if (issues.some((i) => invalidates(i.code))) return QualityLevel.Invalid;
    if (issues.some((i) => i.code === IssueCode.Stale)) return QualityLevel.Stale;
    const { excellentMs, goodMs, fairMs } = this.config.latency;
    return ageMs < excellentMs ? QualityLevel.Excellent : ageMs < goodMs ? QualityLevel.Good : ageMs < fairMs ? QualityLevel.Fair : QualityLevel.Poor;
  }

  private jumpEvents(a: QualityAssessment): void {
    const k = key(a.source, a.symbol);
    const jump = a.issues.find((i) => i.code === IssueCode.PriceJump);
    const pending = this.jumps.get(k);
    if (jump !== undefined) {
      if (pending !== undefined) return;
      this.jumps.set(k, { from: this.built().monitor.latest(a.symbol, a.source)!.lastGoodPrice, to: a.price });
      this.emitFor(a, a.source, 'jump', 'warning', `${jump.detail} to ${a.price}: passed on at once, to be confirmed or cleared`, a.level);
    } else if (pending !== undefined && a.price > 0) {
      this.jumps.delete(k);
      const verdict = Math.abs(a.price - pending.to) < Math.abs(a.price - pending.from) ? 'confirmed' : 'cleared';
      this.emitFor(a, a.source, 'jump', 'info', `jump ${pending.from} -> ${pending.to} ${verdict} by ${a.price}`);
    }
  }

  /** Two or more references: the median decides; an event when a source starts to be the outlier. */
  private outlierEvents(a: QualityAssessment): void {
    const issue = a.issues.find((i) => i.code === IssueCode.Consensus);
    if (issue === undefined && a.price > 0) this.outlying.delete(key(a.source, a.symbol));
    for (const source of issue === undefined ? a.outliers : [a.source, ...a.outliers]) {
      this.outliers++;
      if (this.outlying.has(key(source, a.symbol))) continue;
      this.outlying.add(key(source, a.symbol));
      this.emitFor(a, source, 'outlier', source === VENUE ? 'alert' : 'warning', source === a.source && issue ? issue.detail : `${a.source} found ${source} the outlier`);
    }
  }

  /** One reference: the venue's price is used; a disagreement above the threshold is an alert (once). */
  private disagreement(a: QualityAssessment): void {
    const { symbol } = a;
    const ref = this.options.references[0]!;
    const v = this.built().monitor.latest(symbol, VENUE);
    const r = this.built().monitor.latest(symbol, ref);
    if (!v || !r || !(v.price > 0 && r.price > 0) || Math.abs(v.dataTime - r.dataTime) > this.config.consensusWindowMs) return;
    const deviation = Math.abs(r.price / v.price - 1);
    const apart = deviation > this.config.consensusThreshold;
    if (apart === this.disagreeing.has(symbol)) return;
    this.disagreeing[apart ? 'add' : 'delete'](symbol);
    const detail = apart
      ? `${ref} ${r.price} is ${pct(deviation)} from the venue's ${v.price} (threshold ${pct(this.config.consensusThreshold)}); the venue's price is used`
      : `${ref} ${r.price} agrees with the venue's ${v.price} again (${pct(deviation)})`;
    this.emitFor(a, ref, 'disagreement', apart ? 'alert' : 'info', detail);
  }

  private worst(source: string): { level: QualityLevel; symbol: string } | undefined {
    let worst: { level: QualityLevel; symbol: string } | undefined;
    for (const [symbol, level] of this.levels.get(source) ?? []) if (!worst || qualityRank(level) > qualityRank(worst.level)) worst = { level, symbol };
    return worst;
  }

  /** A level event when the source's level changes (moves between usable levels at most once a minute). */
  private reportLevel(source: string, time: number): void {
    const cur = this.worst(source);
    const last = this.reported.get(source);
    if (cur === undefined || last?.level === cur.level) return;
    if (last && isUsable(cur.level) && isUsable(last.level) && time - last.time < (this.options.levelEventEveryMs ?? LEVEL_EVENT_EVERY_MS)) return;
    this.reported.set(source, { level: cur.level, time });
    const severity = isUsable(cur.level) ? 'info' : source === VENUE ? 'alert' : 'warning';
    this.emit({ time, source, symbol: cur.symbol, kind: 'level', level: cur.level, severity, detail: `${source} ${last?.level ?? 'no data'} -> ${cur.level} (worst: ${cur.symbol})` });
  }

  private onSwitch(e: FailoverEvent): void {
    this.failovers++;
    const severity = e.to === VENUE ? 'info' : e.from === VENUE ? 'alert' : 'warning';
    this.emit({ time: e.time, source: e.to, symbol: e.symbol, kind: 'failover', severity, detail: `marks and risk of ${e.symbol}: ${e.from} -> ${e.to} (${e.reason}: ${e.detail})` });
  }

  private emitFor(a: QualityAssessment, source: string, kind: QualityEventKind, severity: QualityEvent['severity'], detail: string, level?: QualityLevel): void {
    this.emit({ time: a.time, source, symbol: a.symbol, kind, ...(level ? { level } : {}), severity, detail });
  }

  private emit(event: QualityEvent): void {
    this.eventCount++;
    this.events.push(event);
    if (this.events.length > EVENTS_KEPT) this.events.shift();
    this.options.log(`data quality ${event.severity}: ${event.kind} ${event.source} ${event.symbol}${event.level ? ` ${event.level}` : ''}: ${event.detail}`);
    this.options.onEvent?.(event);
  }
}

/**
 * The data-quality limits on the venue clock: a local exchange replaying at `rate`x ages `rate` times
 * faster in venue time, so the time limits scale with it (1 for a real exchange: the defaults).
 */
export function qualityConfigFor(rate: number, intervalMs: number): DataQualityConfigInput | undefined {
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
