// When pending stops trigger: the first one the replayed price path reaches, and those that trades just
// printed at given prices reach. A stop counts as reached within a thousandth of a tick, as resting limits do.
import { type SimOrder, triggersOnFall } from './orders.ts';
import type { SymbolMarket } from './symbol-market.ts';

/** Whether prices spanning [low, high] reach a stop's trigger (within a thousandth of a tick, as resting limits). */
function reaches(market: SymbolMarket, order: SimOrder, low: number, high: number): boolean {
  const stop = Number(order.stopPrice) / 1e8;
  const eps = Number(market.spec.tick) / 1e8 / 1000;
  return triggersOnFall(order) ? low <= stop + eps : high >= stop - eps;
}

/** Pending stops reached by trades just printed at these prices. */
export function stopsReachedByPrices(market: SymbolMarket, prices: readonly bigint[]): SimOrder[] {
  let low = prices[0]!;
  let high = prices[0]!;
  for (const p of prices) {
    if (p < low) low = p;
    if (p > high) high = p;
  }
  return market.stops.filter((order) => reaches(market, order, Number(low) / 1e8, Number(high) / 1e8));
}

/**
 * The pending stop the replayed path reaches first in (from, to], and when: each counted from when it was
 * placed, never before the last print.
 */
export function firstStopReached(market: SymbolMarket, from: number, to: number): { order: SimOrder; time: number } | undefined {
  const eps = Number(market.spec.tick) / 1e8 / 1000;
  let first: { order: SimOrder; time: number } | undefined;
  for (const order of market.stops) {
    const start = Math.max(from, order.time);
    if (start >= to) continue;
    const falling = triggersOnFall(order);
    const level = Number(order.stopPrice) / 1e8 + (falling ? eps : -eps);
    const reached = market.replay.firstReach(start, to, level, falling);
    if (reached === undefined) continue;
    const time = Math.min(to, Math.max(Math.ceil(reached), market.tape[market.tape.length - 1]!.time));
    if (first === undefined || time < first.time) first = { order, time };
  }
  return first;
}
