// Trading sessions: when a market accepts orders that must execute now (IOC/FOK).
import { Market, MS_PER_DAY, SHANGHAI_OFFSET_MS } from './market.ts';

/** A-share continuous sessions, minutes after midnight Shanghai: 09:30-11:30 and 13:00-15:00. */
const ASHARE_SESSIONS: ReadonlyArray<readonly [number, number]> = [
  [9 * 60 + 30, 11 * 60 + 30],
  [13 * 60, 15 * 60],
];

/** True when the market trades continuously at `timeMs` (crypto: always; A-shares: weekday sessions). */
export function isMarketOpen(market: Market, timeMs: number): boolean {
  if (market !== Market.AShare) return true;
  const local = timeMs + SHANGHAI_OFFSET_MS;
  const weekday = (Math.floor(local / MS_PER_DAY) + 4) % 7; // 0 = Sunday; 1970-01-01 was a Thursday
  if (weekday === 0 || weekday === 6) return false;
  const minute = Math.floor((local % MS_PER_DAY) / 60_000);
  return ASHARE_SESSIONS.some(([open, close]) => minute >= open && minute < close);
}
