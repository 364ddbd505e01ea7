// The data quality pipeline in one object: monitor -> failover -> risk bridge. Only the data of each
// symbol's active provider reaches the breakers; failover is what keeps a bad backup from halting.
import type { DataQualityConfigInput } from './config.ts';
import { type FailoverEvent, FailoverSelector } from './failover.ts';
import { DataQualityMonitor } from './monitor.ts';
import { type DataRiskSink, RiskDataBridge } from './risk-bridge.ts';
import type { BarUpdate, QualityAssessment, QuoteUpdate } from './types.ts';

export interface DataQualityHubOptions {
  /** Providers in order of preference (the first is the primary), or per symbol. */
  readonly providers: readonly string[] | ((symbol: string) => readonly string[]);
  readonly config?: DataQualityConfigInput;
  /** The risk engine (or any DataRiskSink); absent: no breaker wiring. */
  readonly risk?: DataRiskSink;
  readonly onSwitch?: (event: FailoverEvent) => void;
}

export interface HubResult {
  readonly assessment: QualityAssessment;
  /** The switch this update caused, if any. */
  readonly failover: FailoverEvent | undefined;
}

export type RequestResult = { readonly ok: true; readonly latencyMs: number } | { readonly ok: false; readonly error: unknown };

export class DataQualityHub {
  readonly monitor: DataQualityMonitor;
  readonly selector: FailoverSelector;
  readonly bridge: RiskDataBridge | undefined;

  constructor(options: DataQualityHubOptions) {
    this.monitor = new DataQualityMonitor(options.config);
    this.selector = new FailoverSelector({
      providers: options.providers,
      health: (provider) => this.monitor.health(provider),
      config: this.monitor.config,
      onSwitch: options.onSwitch,
    });
    this.bridge = options.risk ? new RiskDataBridge(options.risk) : undefined;
  }

  onQuote(update: QuoteUpdate): HubResult {
    return this.route(this.monitor.onQuote(update));
  }

  onBar(update: BarUpdate): HubResult {
    return this.route(this.monitor.onBar(update));
  }

  /**
   * A REST request to `provider` finished at `time`: recorded in its health; forwarded to the breakers
   * when the provider is in use for some symbol (or before any symbol is known); failover re-decided.
   */
  onRequestResult(provider: string, time: number, result: RequestResult): FailoverEvent[] {
    const health = this.monitor.health(provider);
    if (result.ok) health.recordSuccess(result.latencyMs, time);
    else health.recordFailure(time, result.error);
    const symbols = this.selector.knownSymbols();
    if (this.bridge && (symbols.length === 0 || symbols.some((s) => this.selector.active(s) === provider))) {
      if (result.ok) this.bridge.onRequestSuccess(result.latencyMs);
      else this.bridge.onRequestFailure();
    }
    return this.recheck(time);
  }

  /** Periodic check at the kernel clock's `now`: silent feeds go stale, failover and breakers follow. */
  tick(now: number): FailoverEvent[] {
    const events = this.recheck(now);
    this.bridge?.onTick(now);
    return events;
  }

  private recheck(now: number): FailoverEvent[] {
    const events: FailoverEvent[] = [];
    for (const symbol of this.selector.knownSymbols()) {
      const event = this.selector.check(symbol, now);
      if (event) {
        events.push(event);
        this.follow(symbol);
      }
    }
    return events;
  }

  private route(assessment: QualityAssessment): HubResult {
    const failover = this.selector.onAssessment(assessment);
    if (failover) this.follow(assessment.symbol);
    if (this.selector.active(assessment.symbol) === assessment.source) this.bridge?.onAssessment(assessment);
    return { assessment, failover };
  }

  /** After a switch the bridge tracks the new provider's latest usable data. */
  private follow(symbol: string): void {
    const active = this.selector.active(symbol);
    const latest = this.monitor.latest(symbol, active);
    if (latest && this.bridge) this.bridge.track(symbol, active, latest.kind, latest.dataTime, latest.ageLimitMs);
  }
}
