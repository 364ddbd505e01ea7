// Markets and their calendars: which trading day a timestamp belongs to, when a bar closes.

export const Market = { Crypto: 'crypto', AShare: 'ashare' } as const;
export type Market = (typeof Market)[keyof typeof Market];

export const MS_PER_MINUTE = 60_000;
export const MS_PER_HOUR = 3_600_000;
export const MS_PER_DAY = 86_400_000;
/** Asia/Shanghai is UTC+8 all year (no daylight saving since 1991). */
export const SHANGHAI_OFFSET_MS = 8 * MS_PER_HOUR;
/** A daily A-share bar is labelled 00:00 UTC of its trading date and closes at 15:00 Asia/Shanghai = 07:00 UTC. */
export const ASHARE_DAILY_CLOSE_OFFSET_MS = 7 * MS_PER_HOUR;

/** Trading day number (days since 1970-01-01 in the market's own calendar). Crypto: UTC date; A-shares: Shanghai date. */
export function tradingDayOf(market: Market, timeMs: number): number {
  const shifted = market === Market.AShare ? timeMs + SHANGHAI_OFFSET_MS : timeMs;
  return Math.floor(shifted / MS_PER_DAY);
}

/** Monday-based week number of a trading day (1970-01-01 was a Thursday). */
export function tradingWeekOf(day: number): number {
  return Math.floor((day + 3) / 7);
}

/** ISO date (YYYY-MM-DD) of a trading day number. */
export function isoDateOfDay(day: number): string {
  const d = new Date(day * MS_PER_DAY);
  return d.toISOString().slice(0, 10);
}

/** When a bar that opens at `openTime` becomes visible: its close. */
export function barCloseTime(market: Market, intervalMs: number, openTime: number): number {
  if (market === Market.AShare && intervalMs >= MS_PER_DAY) {
    // Daily (or longer) A-share bars are date labels; the session ends at 15:00 Shanghai on the label's date.
    return openTime + intervalMs - MS_PER_DAY + ASHARE_DAILY_CLOSE_OFFSET_MS;
  }
  return openTime + intervalMs;
}

/** Timeframe names and their length. */
export const TIMEFRAME_MS: Readonly<Record<string, number>> = {
  '1m': MS_PER_MINUTE,
  '3m': 3 * MS_PER_MINUTE,
  '5m': 5 * MS_PER_MINUTE,
  '15m': 15 * MS_PER_MINUTE,
  '30m': 30 * MS_PER_MINUTE,
  '1h': MS_PER_HOUR,
  '2h': 2 * MS_PER_HOUR,
  '4h': 4 * MS_PER_HOUR,
  '1d': MS_PER_DAY,
};

export function timeframeOfMs(intervalMs: number): string | undefined {
  for (const [name, ms] of Object.entries(TIMEFRAME_MS)) if (ms === intervalMs) return name;
  return undefined;
}
