// The wiring from data quality to the risk engine's data breakers (DATA_STALE, DATA_FAILURES,
// API_LATENCY). RiskEngine has these three methods, so it is a DataRiskSink as it is.
import { QualityLevel, type QualityAssessment, type UpdateKind } from './types.ts';

/** Where data problems go: the risk engine's data breaker inputs. */
export interface DataRiskSink {
  /** Age (ms) of the freshest data in use: above the DATA_STALE threshold the breaker trips. */
  reportDataAge(ageMs: number): void;
  /** A data request or update failed (true) or succeeded (false): counts towards DATA_FAILURES. */
  reportDataResult(failed: boolean): void;
  /** Round-trip time (ms) of a request to a provider: API_LATENCY. */
  reportApiLatency(latencyMs: number): void;
}

interface Feed {
  source: string;
  kind: UpdateKind;
  dataTime: number;
  ageLimitMs: number;
}

/**
 * Forwards assessments and request results to a DataRiskSink:
 * - INVALID data: reportDataResult(true);
 * - STALE data: reportDataAge(age);
 * - usable data: reportDataAge(age) and reportDataResult(false);
 * - a request: success -> reportApiLatency(ms) and reportDataResult(false); failure -> reportDataResult(true).
 *
 * DATA_STALE is one cause for the whole account and the engine wants the age of the freshest data,
 * so the bridge keeps the latest data time per symbol and reports the smallest age over symbols.
 * The breaker's threshold is a quote age (5 s): a quote's age is reported as it is; a bar counts as
 * age 0 while within its own staleness limit (60 s from its close) and with its real age once past it.
 */
export class RiskDataBridge {
  private readonly feeds = new Map<string, Feed>();

  constructor(private readonly sink: DataRiskSink) {}

  /** An assessment of data in use (for failover setups: of the active provider only). */
  onAssessment(assessment: QualityAssessment): void {
    if (assessment.level === QualityLevel.Invalid) {
      this.sink.reportDataResult(true);
      return;
    }
    this.track(assessment.symbol, assessment.source, assessment.kind, assessment.dataTime, assessment.ageLimitMs);
    this.reportAge(assessment.time);
    if (assessment.level !== QualityLevel.Stale) this.sink.reportDataResult(false);
  }

  /**
   * Note the latest data time of a symbol without reporting (after a failover the new provider's
   * data replaces the old one's; from the same provider only a later time counts).
   */
  track(symbol: string, source: string, kind: UpdateKind, dataTime: number, ageLimitMs: number): void {
    if (!Number.isFinite(dataTime)) return;
    const feed = this.feeds.get(symbol);
    if (feed === undefined || feed.source !== source) {
      this.feeds.set(symbol, { source, kind, dataTime, ageLimitMs });
    } else if (dataTime >= feed.dataTime) {
      feed.kind = kind;
      feed.dataTime = dataTime;
      feed.ageLimitMs = ageLimitMs;
    }
  }

  /** No update for a while: report the freshest age at `now` (a silent feed goes stale). */
  onTick(now: number): void {
    this.reportAge(now);
  }

  onRequestSuccess(latencyMs: number): void {
    this.sink.reportApiLatency(latencyMs);
    this.sink.reportDataResult(false);
  }

  onRequestFailure(): void {
    this.sink.reportDataResult(true);
  }

  /** The age reported for the freshest feed at `now` (undefined before any data). */
  freshestAge(now: number): number | undefined {
    let freshest = Infinity;
    for (const feed of this.feeds.values()) {
      const age = Math.max(0, now - feed.dataTime);
      const reported = feed.kind === 'quote' || age > feed.ageLimitMs ? age : 0;
      if (reported < freshest) freshest = reported;
    }
    return freshest === Infinity ? undefined : freshest;
  }

  private reportAge(now: number): void {
    const age = this.freshestAge(now);
    if (age !== undefined) this.sink.reportDataAge(age);
  }
}
