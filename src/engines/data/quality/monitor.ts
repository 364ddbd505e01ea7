// The data quality monitor: every quote or bar, per symbol and source, gets sanity, staleness, gap,
// consensus and jump checks and a quality level. Usable updates count as successes of the source's
// ProviderHealth, STALE and INVALID ones as failures. Time always comes in with the update.
import { type DataQualityConfig, type DataQualityConfigInput, resolveDataQualityConfig } from './config.ts';
import { ProviderHealth } from './provider-health.ts';
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

/** Floating-point slack for "at least the threshold" (0.9 / 1 - 1 is 0.09999999999999998). */
const THRESHOLD_EPSILON = 1e-12;

/** What the monitor remembers about one source of one symbol. */
interface SourceState {
  readonly source: string;
  kind: UpdateKind;
  /** Latest finite positive price (NaN before the first). */
  price: number;
  dataTime: number;
  receivedTime: number;
  level: QualityLevel | undefined;
  ageLimitMs: number;
  /** The latest update was not INVALID and no other source has since found this one the outlier. */
  trusted: boolean;
  /** Price of the latest update that was not INVALID: the reference for jumps. */
  lastGood: number;
  /**
   * The latest price other sources agreed with (NaN before any agreement): this source's own history
   * when two sources disagree and one must be blamed.
   */
  agreed: number;
  /** An uncorroborated jump waiting for confirmation by further updates at the new level. */
  pendingJump: { price: number; count: number } | undefined;
  /** Open time of the latest bar (gap check). */
  lastBarOpen: number;
}

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

interface ConsensusResult {
  /** At least one other source was compared and agreed with this update. */
  readonly corroborated: boolean;
  readonly issue?: QualityIssue;
  /** Two-source rule: the other source is the outlier. */
  readonly blamed?: SourceState;
  /** Two-source rule: the other source agreed, which confirms its latest price too. */
  readonly confirmed?: SourceState;
}

const finitePositive = (x: number): boolean => Number.isFinite(x) && x > 0;
const pct = (x: number): string => `${(x * 100).toFixed(2)}%`;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function notFinite(field: string, value: number, price: boolean): QualityIssue {
  return { code: IssueCode.NotFinite, detail: `${field} ${value} is not ${price ? 'a finite positive price' : 'a finite number'}`, value, limit: 0 };
}

export class DataQualityMonitor {
  readonly config: DataQualityConfig;
  private readonly states = new Map<string, Map<string, SourceState>>();
  private readonly healths = new Map<string, ProviderHealth>();

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
      state = {
        source,
        kind: 'quote',
        price: NaN,
        dataTime: NaN,
        receivedTime: NaN,
        level: undefined,
        ageLimitMs: this.config.quoteStaleMs,
        trusted: false,
        lastGood: NaN,
        agreed: NaN,
        pendingJump: undefined,
        lastBarOpen: -Infinity,
      };
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
    const consensus = this.consensus(symbol, state, price, dataTime);
    if (consensus.issue) issues.push(consensus.issue);
    const jump = this.jump(state, price, consensus.corroborated || legalMove);
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

  /**
   * Consensus against the other sources of the symbol whose latest price is within the window.
   * Two or more trusted others: the median of their prices. Otherwise one counterpart (the trusted
   * one, else the most recent other) and the two-source rule: the source that moved further from its
   * own history (its latest agreed price, else its last good price) is the outlier; a tie goes to
   * provider health (lower success rate, then more consecutive failures); a full tie blames the update
   * being checked (it is uncorroborated).
   */
  private consensus(symbol: string, self: SourceState, price: number, dataTime: number): ConsensusResult {
    const { consensusThreshold: threshold, consensusWindowMs: window } = this.config;
    const others: SourceState[] = [];
    for (const other of this.states.get(symbol)!.values()) {
      if (other !== self && finitePositive(other.price) && Math.abs(other.dataTime - dataTime) <= window) others.push(other);
    }
    if (others.length === 0) return { corroborated: false };
    const voters = others.filter((o) => o.trusted);
    if (voters.length >= 2) {
      const reference = median(voters.map((o) => o.price));
      const deviation = Math.abs(price / reference - 1);
      if (deviation <= threshold) return { corroborated: true };
      const names = voters.map((o) => o.source).join(', ');
      return {
        corroborated: false,
        issue: { code: IssueCode.Consensus, detail: `${pct(deviation)} from the median ${reference} of ${voters.length} other sources (${names})`, value: deviation, limit: threshold },
      };
    }
    const other = voters[0] ?? others.reduce((a, b) => (b.dataTime > a.dataTime ? b : a));
    const deviation = Math.abs(price / other.price - 1);
    if (deviation <= threshold) return { corroborated: true, confirmed: other };

    const history = (s: SourceState): number => (s.agreed > 0 ? s.agreed : s.lastGood);
    const selfMove = history(self) > 0 ? Math.abs(price / history(self) - 1) : NaN;
    const otherMove = history(other) > 0 ? Math.abs(other.price / history(other) - 1) : NaN;
    let blameSelf: boolean;
    let why: string;
    if (selfMove === selfMove && otherMove === otherMove && selfMove !== otherMove) {
      blameSelf = selfMove > otherMove;
      why = `${self.source} moved ${pct(selfMove)} from its own history, ${other.source} ${pct(otherMove)}`;
    } else {
      const mine = this.health(self.source);
      const theirs = this.health(other.source);
      const rate = (h: ProviderHealth): number => (h.samples === 0 ? 1 : h.successRate);
      if (rate(mine) !== rate(theirs)) {
        blameSelf = rate(mine) < rate(theirs);
        why = `history ties; success rate ${pct(rate(mine))} vs ${pct(rate(theirs))}`;
      } else if (mine.consecutiveFailures !== theirs.consecutiveFailures) {
        blameSelf = mine.consecutiveFailures > theirs.consecutiveFailures;
        why = `history ties; ${mine.consecutiveFailures} vs ${theirs.consecutiveFailures} consecutive failures`;
      } else {
        blameSelf = true;
        why = 'history and health tie: the uncorroborated update is not trusted';
      }
    }
    if (!blameSelf) return { corroborated: false, blamed: other };
    return {
      corroborated: false,
      issue: { code: IssueCode.Consensus, detail: `${pct(deviation)} from ${other.source} ${other.price} (the only other source); ${why}`, value: deviation, limit: threshold },
    };
  }

  /**
   * PRICE_JUMP: a move of at least the threshold from the source's last good price, unless other
   * sources corroborate the new price, or the source confirms it with `jumpConfirmUpdates` consecutive
   * updates within the consensus threshold of the first jumped price (then the last is accepted).
   */
  private jump(state: SourceState, price: number, corroborated: boolean): QualityIssue | undefined {
    const threshold = this.config.priceJumpThreshold;
    if (!(state.lastGood > 0)) return undefined;
    const move = Math.abs(price / state.lastGood - 1);
    if (move < threshold - THRESHOLD_EPSILON || corroborated) {
      state.pendingJump = undefined;
      return undefined;
    }
    const pending = state.pendingJump;
    if (pending !== undefined && Math.abs(price / pending.price - 1) <= this.config.consensusThreshold) pending.count++;
    else state.pendingJump = { price, count: 1 };
    if (state.pendingJump!.count >= this.config.jumpConfirmUpdates) {
      state.pendingJump = undefined;
      return undefined;
    }
    return {
      code: IssueCode.PriceJump,
      detail: `${pct(move)} from the previous good price ${state.lastGood}`,
      value: move,
      limit: threshold,
    };
  }
}
