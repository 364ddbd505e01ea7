// The data quality monitor: every quote or bar, per symbol and source, gets sanity, staleness, gap,
// consensus and jump checks and a quality level. Usable updates count as successes of the source's
// ProviderHealth, STALE and INVALID ones as failures. Time always comes in with the update.
import { type DataQualityConfig, type DataQualityConfigInput, resolveDataQualityConfig } from './config.ts';
import { checkConsensus } from './consensus.ts';
import { ProviderHealth } from './provider-health.ts';
import { finitePositive, newSourceState, priceJump, type SourceState, THRESHOLD_EPSILON } from './source-state.ts';
import {
  type BarUpdate,
  invalidates,
  IssueCode,
  isUsable,
  type QualityAssessment,
  type QualityIssue,
  QualityLevel,
  type QuoteUpdate,
  type UpdateKind,
} from './types.ts';

/** A read-only view of a source's latest state. */
export interface SourceSnapshot {
  readonly source: string;
  readonly kind: UpdateKind;
  readonly price: number;
  readonly dataTime: number;
  readonly receivedTime: number;
  readonly level: QualityLevel | undefined;
  readonly ageLimitMs: number;
  readonly trusted: boolean;
  readonly lastGoodPrice: number;
  /** Latest price other sources agreed with (NaN before any agreement). */
  readonly agreedPrice: number;
}

function notFinite(field: string, value: number, price: boolean): QualityIssue {
  return { code: IssueCode.NotFinite, detail: `${field} ${value} is not ${price ? 'a finite positive price' : 'a finite number'}`, value, limit: 0 };
}

export class DataQualityMonitor {
  readonly config: DataQualityConfig;
  private readonly states = new Map<string, Map<string, SourceState>>();
  private readonly healths = new Map<string, ProviderHealth>();
  private readonly healthOf = (source: string): ProviderHealth => this.health(source);

  constructor(config: DataQualityConfigInput = {}) {
    this.config = resolveDataQualityConfig(config);
  }

  /** The health of a provider across all its symbols (created on first use). */
  health(source: string): ProviderHealth {
    let health = this.healths.get(source);
    if (health === undefined) {
      health = new ProviderHealth(source, this.config.health.windowSize);
      this.healths.set(source, health);
    }
    return health;
  }

  symbols(): string[] {
    return [...this.states.keys()];
  }

  sources(symbol: string): string[] {
    return [...(this.states.get(symbol)?.keys() ?? [])];
  }

  latest(symbol: string, source: string): SourceSnapshot | undefined {
    const s = this.states.get(symbol)?.get(source);
    if (s === undefined || s.level === undefined) return undefined;
    return {
      source: s.source,
      kind: s.kind,
      price: s.price,
      dataTime: s.dataTime,
      receivedTime: s.receivedTime,
      level: s.level,
      ageLimitMs: s.ageLimitMs,
      trusted: s.trusted,
      lastGoodPrice: s.lastGood,
      agreedPrice: s.agreed,
    };
  }

  private state(symbol: string, source: string): SourceState {
    let bySource = this.states.get(symbol);
    if (bySource === undefined) {
      bySource = new Map();
      this.states.set(symbol, bySource);
    }
    let state = bySource.get(source);
    if (state === undefined) {
      state = newSourceState(source, this.config.quoteStaleMs);
      bySource.set(source, state);
    }
    return state;
  }

  onQuote(update: QuoteUpdate): QualityAssessment {
    const { source, symbol, price, bid, ask, exchangeTime, receivedTime } = update;
    const issues: QualityIssue[] = [];
    let usable = true;
    if (!finitePositive(price)) {
      issues.push(notFinite('price', price, true));
      usable = false;
    }
    for (const [field, value] of [['exchangeTime', exchangeTime], ['receivedTime', receivedTime]] as const) {
      if (!Number.isFinite(value)) {
        issues.push(notFinite(field, value, false));
        usable = false;
      }
    }
    const bidOk = bid === undefined || finitePositive(bid);
    const askOk = ask === undefined || finitePositive(ask);
    if (!bidOk) issues.push(notFinite('bid', bid!, true));
    if (!askOk) issues.push(notFinite('ask', ask!, true));
    if (bid !== undefined && ask !== undefined && bidOk && askOk && bid > ask) {
      issues.push({ code: IssueCode.Crossed, detail: `bid ${bid} above ask ${ask}`, value: bid, limit: ask });
    }
    return this.finish(this.state(symbol, source), 'quote', symbol, price, exchangeTime, receivedTime, this.config.quoteStaleMs, issues, usable);
  }

  onBar(update: BarUpdate): QualityAssessment {
    const { source, bar, receivedTime } = update;
    const { open, high, low, close, volume, openTime, closeTime } = bar;
    const state = this.state(bar.symbol, source);
    const issues: QualityIssue[] = [];
    let pricesOk = true;
    for (const [field, value] of [['open', open], ['high', high], ['low', low], ['close', close]] as const) {
      if (!finitePositive(value)) {
        issues.push(notFinite(field, value, true));
        pricesOk = false;
      }
    }
    let timesOk = true;
    for (const [field, value] of [['volume', volume], ['openTime', openTime], ['closeTime', closeTime], ['receivedTime', receivedTime]] as const) {
      if (!Number.isFinite(value)) {
        issues.push(notFinite(field, value, false));
        if (field !== 'volume') timesOk = false;
      }
    }
    if (pricesOk) {
      const top = Math.max(open, close);
      const bottom = Math.min(open, close);
      if (high < top) issues.push({ code: IssueCode.Ohlc, detail: `high ${high} below max(open, close) ${top}`, value: high, limit: top });
      if (low > bottom) issues.push({ code: IssueCode.Ohlc, detail: `low ${low} above min(open, close) ${bottom}`, value: low, limit: bottom });
    }
    if (volume < 0) issues.push({ code: IssueCode.Ohlc, detail: `volume ${volume} is negative`, value: volume, limit: 0 });
    if (timesOk) {
      if (closeTime <= openTime) issues.push({ code: IssueCode.Ohlc, detail: `closeTime ${closeTime} not after openTime ${openTime}`, value: closeTime, limit: openTime });
      const interval = update.intervalMs ?? this.config.barIntervalMs ?? closeTime - openTime;
      if (interval > 0 && state.lastBarOpen > -Infinity && openTime > state.lastBarOpen + interval) {
        const missing = Math.max(1, Math.round((openTime - state.lastBarOpen) / interval) - 1);
        issues.push({
          code: IssueCode.Gap,
          detail: `${missing} bar(s) missing between open ${state.lastBarOpen} and ${openTime} (interval ${interval} ms)`,
          value: missing,
          limit: 0,
        });
      }
      if (openTime > state.lastBarOpen) state.lastBarOpen = openTime;
    }
    const band = update.legalBand;
    const legal = band !== undefined && close >= band.down * (1 - THRESHOLD_EPSILON) && close <= band.up * (1 + THRESHOLD_EPSILON);
    return this.finish(state, 'bar', bar.symbol, close, closeTime, receivedTime, this.config.barStaleMs, issues, pricesOk && timesOk, legal);
  }

  /**
   * The state of a feed at `now` without a new update: STALE (with a STALE issue) once the latest
   * data is older than its limit, else the level of the latest update. Undefined before any data.
   * Call it periodically to notice a feed that went silent.
   */
  assessAge(symbol: string, source: string, now: number): QualityAssessment | undefined {
    const s = this.states.get(symbol)?.get(source);
    if (s === undefined || s.level === undefined || !Number.isFinite(s.dataTime)) return undefined;
    const ageMs = Math.max(0, now - s.dataTime);
    const stale = ageMs > s.ageLimitMs;
    return {
      kind: s.kind,
      symbol,
      source,
      time: now,
      dataTime: s.dataTime,
      price: s.price,
      ageMs,
      ageLimitMs: s.ageLimitMs,
      level: stale ? QualityLevel.Stale : s.level,
      issues: stale ? [this.staleIssue(s.kind, ageMs, s.ageLimitMs)] : [],
      outliers: [],
    };
  }

  private staleIssue(kind: UpdateKind, ageMs: number, limit: number): QualityIssue {
    const from = kind === 'bar' ? "the bar's close" : 'the exchange time';
    return { code: IssueCode.Stale, detail: `${ageMs} ms since ${from} (limit ${limit} ms)`, value: ageMs, limit };
  }

  private finish(
    state: SourceState,
    kind: UpdateKind,
    symbol: string,
    price: number,
    dataTime: number,
    receivedTime: number,
    ageLimitMs: number,
    issues: QualityIssue[],
    usable: boolean,
    legalMove = false,
  ): QualityAssessment {
    const health = this.health(state.source);
    const time = Number.isFinite(receivedTime) ? receivedTime : state.receivedTime;
    if (!usable) {
      // Nothing to compare: the state keeps its last price, but the source is not trusted now.
      state.kind = kind;
      state.level = QualityLevel.Invalid;
      state.trusted = false;
      health.recordFailure(time, issues.map((i) => i.detail).join('; '));
      const ageMs = Number.isFinite(receivedTime) && Number.isFinite(dataTime) ? Math.max(0, receivedTime - dataTime) : NaN;
      return { kind, symbol, source: state.source, time, dataTime, price: NaN, ageMs, ageLimitMs, level: QualityLevel.Invalid, issues, outliers: [] };
    }
    const ageMs = Math.max(0, receivedTime - dataTime);
    if (ageMs > ageLimitMs) issues.push(this.staleIssue(kind, ageMs, ageLimitMs));
    const consensus = checkConsensus(this.states.get(symbol)!.values(), state, price, dataTime, this.config, this.healthOf);
    if (consensus.issue) issues.push(consensus.issue);
    const jump = priceJump(state, price, consensus.corroborated || legalMove, this.config);
    if (jump) issues.push(jump);
    const level = this.levelOf(issues, ageMs);

    state.kind = kind;
    state.price = price;
    state.dataTime = dataTime;
    state.receivedTime = receivedTime;
    state.level = level;
    state.ageLimitMs = ageLimitMs;
    state.trusted = level !== QualityLevel.Invalid;
    if (state.trusted) {
      state.lastGood = price;
      if (consensus.corroborated) {
        state.agreed = price;
        if (consensus.confirmed) consensus.confirmed.agreed = consensus.confirmed.price;
      }
    }
    if (consensus.blamed) consensus.blamed.trusted = false;

    if (isUsable(level)) health.recordSuccess(ageMs, receivedTime);
    else health.recordFailure(receivedTime, `${level}: ${issues.filter((i) => i.code !== IssueCode.Gap).map((i) => i.code).join(', ')}`);
    return {
      kind,
      symbol,
      source: state.source,
      time: receivedTime,
      dataTime,
      price,
      ageMs,
      ageLimitMs,
      level,
      issues,
      outliers: consensus.blamed ? [consensus.blamed.source] : [],
    };
  }

  private levelOf(issues: readonly QualityIssue[], latencyMs: number): QualityLevel {
    if (issues.some((i) => invalidates(i.code))) return QualityLevel.Invalid;
    if (issues.some((i) => i.code === IssueCode.Stale)) return QualityLevel.Stale;
    const { excellentMs, goodMs, fairMs } = this.config.latency;
    if (latencyMs < excellentMs) return QualityLevel.Excellent;
    if (latencyMs < goodMs) return QualityLevel.Good;
    if (latencyMs < fairMs) return QualityLevel.Fair;
    return QualityLevel.Poor;
  }
}
