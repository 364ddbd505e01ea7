// Staleness judged on the clock, not on arrival: once a second the session asks how old the market data
// in use is, so a feed that goes quiet trips DATA_STALE within its limit plus a second, and releases it
// when data flows again. Each feed of each symbol is judged against its own limit: a book is stale past
// maxQuoteAgeMs, a bar once the clock passes its close plus one interval plus maxBarAgeMs. Ages are
// in wall milliseconds (venue time over the clock's rate: a local exchange replaying at 300x ages 300x
// faster in venue time). The oldest symbol is reported: any stale symbol halts new positions.
import type { LiveClock } from '../../common/index.ts';
import type { Kernel } from '../../kernel/index.ts';

export interface StalenessLimits {
  readonly maxQuoteAgeMs: number;
  readonly maxBarAgeMs: number;
}

export interface StalenessSink {
  reportStaleness(ageMs: number, limitMs: number): void;
}

/** The feed furthest past (or least within) its limit, over every symbol: its age and limit (wall ms). */
export function oldestData(kernel: Kernel, clock: LiveClock, limits: StalenessLimits, intervalMs: number): { ageMs: number; limitMs: number } | undefined {
  const now = clock.now();
  const rate = clock.speed;
  let worst: { ageMs: number; limitMs: number } | undefined;
  for (let i = 0; i < kernel.cache.instruments.length; i++) {
    const book = kernel.cache.lastBooks[i];
    const bar = kernel.cache.lastBars[i];
    // Each feed against its own limit: a quiet book stream is stale even while the last bar is recent.
    const feeds: Array<{ ageMs: number; limitMs: number }> = [];
    if (book !== undefined) feeds.push({ ageMs: Math.max(0, now - book.time) / rate, limitMs: limits.maxQuoteAgeMs });
    if (bar !== undefined) feeds.push({ ageMs: Math.max(0, now - bar.closeTime - intervalMs) / rate, limitMs: limits.maxBarAgeMs });
    for (const feed of feeds) if (worst === undefined || feed.ageMs - feed.limitMs > worst.ageMs - worst.limitMs) worst = feed;
  }
  return worst;
}

/** Check every `everyMs` wall milliseconds (default 1 s) until stopped. */
export function watchStaleness(kernel: Kernel, clock: LiveClock, sink: StalenessSink, limits: StalenessLimits, intervalMs: number, everyMs = 1000): () => void {
  const timer = setInterval(() => {
    const oldest = oldestData(kernel, clock, limits, intervalMs);
    if (oldest !== undefined) sink.reportStaleness(Math.round(oldest.ageMs), oldest.limitMs);
  }, everyMs);
  return () => clearInterval(timer);
}
