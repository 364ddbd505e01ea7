// When a tripped breaker cause may clear: its cooldown read in the trading calendar of the account's market.
import { Market, MS_PER_DAY, SHANGHAI_OFFSET_MS, tradingDayOf, tradingWeekOf } from '../../core/index.ts';
import type { Cooldown } from './config.ts';

/** UTC time at which trading day `day` starts in the calendar of `market`. */
export function dayStartTime(day: number, market: Market): number {
  return day * MS_PER_DAY - (market === Market.AShare ? SHANGHAI_OFFSET_MS : 0);
}

/** The earliest time a cause tripped at `now` may clear. */
export function cooldownEnd(cooldown: Cooldown, now: number, market: Market): number {
  switch (cooldown.kind) {
    case 'duration':
      return now + cooldown.ms;
    case 'while-above':
      return now;
    case 'next-week': {
      const week = tradingWeekOf(tradingDayOf(market, now));
      return dayStartTime((week + 1) * 7 - 3, market);
    }
    case 'next-trading-day': {
      const next = dayStartTime(tradingDayOf(market, now) + 1, market);
      return Math.max(next, now + (cooldown.minimumMs ?? 0));
    }
  }
}
