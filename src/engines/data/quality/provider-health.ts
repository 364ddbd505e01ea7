// Provider health: success rate, latency (average, p95) and failure streaks over a window of results.
import { DEFAULT_DATA_QUALITY_CONFIG, type HealthCriteria } from './config.ts';

export interface HealthSnapshot {
  readonly provider: string;
  /** Results in the window. */
  readonly samples: number;
  /** Successes / samples in the window; NaN before the first result. */
  readonly successRate: number;
  /** Over the successes in the window; NaN when there are none. */
  readonly averageLatencyMs: number;
  readonly p95LatencyMs: number;
  readonly consecutiveFailures: number;
  readonly totalSuccesses: number;
  readonly totalFailures: number;
  readonly lastSuccessTime: number;
  readonly lastFailureTime: number;
  readonly lastError: string | undefined;
}

/**
 * The health of one data provider. A result is a request (REST call) or an update (a streamed quote or
 * bar, recorded by `DataQualityMonitor`: usable data is a success with its latency, STALE or INVALID
 * data a failure). Times are UTC ms from the kernel clock.
 */
export class ProviderHealth {
  private readonly ok: boolean[] = [];
  /** Latency of each result in the window (NaN for failures); same ring positions as `ok`. */
  private readonly latency: number[] = [];
  private next = 0;
  private successesInWindow = 0;
  private consecutive = 0;
  private successes = 0;
  private failures = 0;
  private lastSuccess = NaN;
  private lastFailure = NaN;
  private error: string | undefined;
  /** Sorted latencies of the window's successes, rebuilt lazily after a change. */
  private sorted: number[] | undefined;

  constructor(
    readonly provider: string,
    readonly windowSize: number = DEFAULT_DATA_QUALITY_CONFIG.health.windowSize,
  ) {
    if (!Number.isInteger(windowSize) || windowSize < 1) throw new RangeError(`provider ${provider}: window size must be an integer >= 1 (got ${windowSize})`);
  }

  recordSuccess(latencyMs: number, time: number): void {
    this.push(true, Number.isFinite(latencyMs) ? Math.max(0, latencyMs) : NaN);
    this.consecutive = 0;
    this.successes++;
    this.lastSuccess = time;
  }

  recordFailure(time: number, error: unknown): void {
    this.push(false, NaN);
    this.consecutive++;
    this.failures++;
    this.lastFailure = time;
    this.error = error instanceof Error ? error.message : String(error);
  }

  private push(ok: boolean, latencyMs: number): void {
    if (this.ok.length < this.windowSize) {
      this.ok.push(ok);
      this.latency.push(latencyMs);
    } else {
      if (this.ok[this.next]) this.successesInWindow--;
      this.ok[this.next] = ok;
      this.latency[this.next] = latencyMs;
    }
    if (ok) this.successesInWindow++;
    this.next = (this.next + 1) % this.windowSize;
    this.sorted = undefined;
  }

  get samples(): number {
    return this.ok.length;
  }

  get successRate(): number {
    return this.ok.length === 0 ? NaN : this.successesInWindow / this.ok.length;
  }

  get consecutiveFailures(): number {
    return this.consecutive;
  }

  get lastError(): string | undefined {
    return this.error;
  }

  private latencies(): number[] {
    if (this.sorted === undefined) this.sorted = this.latency.filter((x) => x === x).sort((a, b) => a - b);
    return this.sorted;
  }

  get averageLatencyMs(): number {
    const values = this.latencies();
    if (values.length === 0) return NaN;
    let sum = 0;
    for (const x of values) sum += x;
    return sum / values.length;
  }

  /** Nearest-rank 95th percentile of the successes' latencies in the window. */
  get p95LatencyMs(): number {
    const values = this.latencies();
    if (values.length === 0) return NaN;
    return values[Math.ceil(0.95 * values.length) - 1]!;
  }

  /** Why the provider is unhealthy under `criteria`, or undefined when it is healthy. */
  unhealthyReason(criteria: HealthCriteria = DEFAULT_DATA_QUALITY_CONFIG.health): string | undefined {
    if (this.consecutive >= criteria.maxConsecutiveFailures) {
      return `${this.consecutive} consecutive failures (limit ${criteria.maxConsecutiveFailures})${this.error ? `, last: ${this.error}` : ''}`;
    }
    if (this.ok.length >= criteria.minSamples && this.successRate < criteria.minSuccessRate) {
      return `success rate ${(this.successRate * 100).toFixed(1)}% over ${this.ok.length} results (minimum ${(criteria.minSuccessRate * 100).toFixed(1)}%)`;
    }
    const latencies = this.latencies();
    if (latencies.length >= criteria.minSamples) {
      const p95 = this.p95LatencyMs;
      if (p95 > criteria.maxP95LatencyMs) return `p95 latency ${p95} ms (limit ${criteria.maxP95LatencyMs} ms)`;
    }
    return undefined;
  }

  isHealthy(criteria: HealthCriteria = DEFAULT_DATA_QUALITY_CONFIG.health): boolean {
    return this.unhealthyReason(criteria) === undefined;
  }

  snapshot(): HealthSnapshot {
    return {
      provider: this.provider,
      samples: this.samples,
      successRate: this.successRate,
      averageLatencyMs: this.averageLatencyMs,
      p95LatencyMs: this.p95LatencyMs,
      consecutiveFailures: this.consecutive,
      totalSuccesses: this.successes,
      totalFailures: this.failures,
      lastSuccessTime: this.lastSuccess,
      lastFailureTime: this.lastFailure,
      lastError: this.error,
    };
  }
}
