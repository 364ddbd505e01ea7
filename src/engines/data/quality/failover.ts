// Failover: per symbol, the provider whose data is used. Leaves the active provider within the same
// update when its data turns STALE or INVALID, another source finds it the outlier, or its health
// fails; returns to the primary once it has been usable for a number of updates in a row.
import { type DataQualityConfig, type DataQualityConfigInput, resolveDataQualityConfig } from './config.ts';
import type { ProviderHealth } from './provider-health.ts';
import { IssueCode, isUsable, type QualityAssessment, QualityLevel, qualityRank } from './types.ts';

export const FailoverReason = {
  /** The active provider's latest update was INVALID. */
  Invalid: 'INVALID',
  /** Its data is older than the staleness limit (a STALE update, or silence). */
  Stale: 'STALE',
  /** Another source's consensus check found it the outlier. */
  Outlier: 'OUTLIER',
  /** Its ProviderHealth fails the health criteria (failure streak, success rate, p95 latency). */
  Unhealthy: 'UNHEALTHY',
  /** It has never reported and the start-up grace has run out. */
  NoData: 'NO_DATA',
  /** The primary has been usable for `returnAfterUpdates` updates in a row. */
  Recovered: 'RECOVERED',
} as const;
export type FailoverReason = (typeof FailoverReason)[keyof typeof FailoverReason];

export interface FailoverEvent {
  readonly time: number;
  readonly symbol: string;
  readonly from: string;
  readonly to: string;
  readonly reason: FailoverReason;
  readonly detail: string;
}

export interface FailoverSelectorOptions {
  /** Providers in order of preference; the first is the primary. Or per symbol. */
  readonly providers: readonly string[] | ((symbol: string) => readonly string[]);
  /** Health of a provider (undefined: no evidence, counted as healthy). */
  readonly health?: (provider: string) => ProviderHealth | undefined;
  readonly config?: DataQualityConfigInput;
  /** Called on every switch. */
  readonly onSwitch?: (event: FailoverEvent) => void;
}

/** What the selector knows about one provider of one symbol. */
interface ProviderView {
  level: QualityLevel | undefined;
  issueCodes: string;
  dataTime: number;
  ageLimitMs: number;
  /** Named the outlier by another source since its last update. */
  blamedBy: string | undefined;
  /** Consecutive usable updates (hysteresis for the return to the primary). */
  streak: number;
}

interface SymbolState {
  readonly providers: readonly string[];
  readonly views: Map<string, ProviderView>;
  active: string;
  /** First time the selector heard of the symbol (start-up grace for providers without data). */
  readonly firstSeen: number;
}

export class FailoverSelector {
  readonly config: DataQualityConfig;
  readonly events: FailoverEvent[] = [];
  private readonly symbols = new Map<string, SymbolState>();

  constructor(private readonly options: FailoverSelectorOptions) {
    this.config = resolveDataQualityConfig(options.config ?? {});
    if (Array.isArray(options.providers) && options.providers.length === 0) throw new RangeError('failover needs at least one provider');
  }

  /** The provider in use for `symbol` (the primary until the first switch). */
  active(symbol: string): string {
    return this.symbols.get(symbol)?.active ?? this.providersOf(symbol)[0]!;
  }

  /** Symbols the selector has seen (by assessment or check). */
  knownSymbols(): string[] {
    return [...this.symbols.keys()];
  }

  primary(symbol: string): string {
    return this.providersOf(symbol)[0]!;
  }

  /** Consecutive usable updates of `provider` for `symbol`. */
  streak(symbol: string, provider: string): number {
    return this.symbols.get(symbol)?.views.get(provider)?.streak ?? 0;
  }

  private providersOf(symbol: string): readonly string[] {
    const list = typeof this.options.providers === 'function' ? this.options.providers(symbol) : this.options.providers;
    if (list.length === 0) throw new RangeError(`failover: no providers for ${symbol}`);
    return list;
  }

  private symbolState(symbol: string, time: number): SymbolState {
    let state = this.symbols.get(symbol);
    if (state === undefined) {
      const providers = this.providersOf(symbol);
      state = { providers, views: new Map(), active: providers[0]!, firstSeen: time };
      this.symbols.set(symbol, state);
    }
    return state;
  }

  private view(state: SymbolState, provider: string): ProviderView {
    let view = state.views.get(provider);
    if (view === undefined) {
      view = { level: undefined, issueCodes: '', dataTime: NaN, ageLimitMs: Infinity, blamedBy: undefined, streak: 0 };
      state.views.set(provider, view);
    }
    return view;
  }

  /**
   * Take in one assessment (of any provider of the symbol) and decide at once. Returns the switch it
   * caused, if any. Assessments of providers not in the symbol's list are ignored, but their
   * outlier findings still count.
   */
  onAssessment(assessment: QualityAssessment): FailoverEvent | undefined {
    const state = this.symbolState(assessment.symbol, assessment.time);
    for (const outlier of assessment.outliers) {
      const view = this.view(state, outlier);
      view.blamedBy = assessment.source;
      view.streak = 0;
    }
    if (state.providers.includes(assessment.source)) {
      const view = this.view(state, assessment.source);
      // a silence longer than the staleness limit since the previous update breaks the streak
      if (assessment.dataTime - view.dataTime > assessment.ageLimitMs) view.streak = 0;
      view.level = assessment.level;
      view.issueCodes = assessment.issues.filter((i) => i.code !== IssueCode.Gap).map((i) => i.code).join(', ');
      view.dataTime = assessment.dataTime;
      view.ageLimitMs = assessment.ageLimitMs;
      view.blamedBy = undefined;
      const usable = isUsable(assessment.level) && this.unhealthy(assessment.source) === undefined;
      view.streak = usable ? view.streak + 1 : 0;
    }
    return this.decide(state, assessment.symbol, assessment.time);
  }

  /**
   * Re-decide without a new update: a silent feed turning stale, or health changed by request
   * results recorded elsewhere. Call it periodically with the kernel clock's time.
   */
  check(symbol: string, now: number): FailoverEvent | undefined {
    return this.decide(this.symbolState(symbol, now), symbol, now);
  }

  private unhealthy(provider: string): string | undefined {
    return this.options.health?.(provider)?.unhealthyReason(this.config.health);
  }

  /** Why `provider` may not be used at `now` (undefined: usable). `pending`: no data yet, within the grace. */
  private problem(state: SymbolState, provider: string, now: number): { reason: FailoverReason; detail: string } | 'pending' | undefined {
    const view = state.views.get(provider);
    if (view === undefined || view.level === undefined) {
      return now - state.firstSeen > this.config.failover.noDataTimeoutMs
        ? { reason: FailoverReason.NoData, detail: `${provider} has sent no data for ${now - state.firstSeen} ms` }
        : 'pending';
    }
    if (view.blamedBy !== undefined) return { reason: FailoverReason.Outlier, detail: `${view.blamedBy} found ${provider} the outlier` };
    if (view.level === QualityLevel.Invalid) return { reason: FailoverReason.Invalid, detail: `${provider} INVALID (${view.issueCodes})` };
    const age = now - view.dataTime;
    if (view.level === QualityLevel.Stale || age > view.ageLimitMs) return { reason: FailoverReason.Stale, detail: `${provider} data ${Math.max(0, age)} ms old (limit ${view.ageLimitMs} ms)` };
    const unhealthy = this.unhealthy(provider);
    if (unhealthy !== undefined) return { reason: FailoverReason.Unhealthy, detail: `${provider} unhealthy: ${unhealthy}` };
    return undefined;
  }

  /** Best usable provider other than `except`: quality level, then success rate, then p95 latency, then preference. */
  private best(state: SymbolState, now: number, except: string): string | undefined {
    let best: string | undefined;
    let bestKey: number[] = [];
    state.providers.forEach((provider, preference) => {
      if (provider === except || this.problem(state, provider, now) !== undefined) return;
      const health = this.options.health?.(provider);
      const rate = health && health.samples > 0 ? health.successRate : 1;
      const p95 = health?.p95LatencyMs;
      const key = [qualityRank(state.views.get(provider)!.level!), -rate, p95 === undefined || p95 !== p95 ? 0 : p95, preference];
      if (best === undefined || less(key, bestKey)) {
        best = provider;
        bestKey = key;
      }
    });
    return best;
  }

  private decide(state: SymbolState, symbol: string, now: number): FailoverEvent | undefined {
    // a provider with a problem now (unhealthy, stale, outlier) starts its streak again
    for (const [provider, view] of state.views) if (view.streak > 0 && this.problem(state, provider, now) !== undefined) view.streak = 0;
    const active = state.active;
    const problem = this.problem(state, active, now);
    if (problem !== undefined && problem !== 'pending') {
      const to = this.best(state, now, active);
      return to === undefined ? undefined : this.switchTo(state, { time: now, symbol, from: active, to, ...problem });
    }
    const primary = state.providers[0]!;
    if (active !== primary && this.problem(state, primary, now) === undefined) {
      const streak = state.views.get(primary)!.streak;
      if (streak >= this.config.failover.returnAfterUpdates) {
        return this.switchTo(state, { time: now, symbol, from: active, to: primary, reason: FailoverReason.Recovered, detail: `${primary} usable for ${streak} updates in a row` });
      }
    }
    return undefined;
  }

  private switchTo(state: SymbolState, event: FailoverEvent): FailoverEvent {
    state.active = event.to;
    this.events.push(event);
    this.options.onSwitch?.(event);
    return event;
  }
}

function less(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]!;
  return false;
}
