// Before a session trades: the venue's daily candles for the risk engine's VAR_LIMIT and CORRELATION
// triggers, so they act from the first bar instead of after 20 completed days. What the venue has is
// used (a warning says when it is less than the configured window); a venue without it never stops the
// session from starting: the triggers then wait for days to complete.
import type { RiskEngine } from '../../engines/index.ts';
import type { LiveClock } from '../../common/index.ts';

const DAY_MS = 86_400_000;

export interface DailyCandleApi {
  fetchOHLCV(symbol: string, timeframe: string, since?: number, limit?: number): Promise<number[][]>;
}

export async function seedDailyHistory(api: DailyCandleApi, risk: RiskEngine, clock: LiveClock, symbols: readonly string[], windowDays: number, log: (line: string) => void): Promise<number> {
  const now = clock.now();
  const counts: string[] = [];
  let returns = 0;
  for (const symbol of symbols) {
    let candles: number[][];
    try {
      candles = await api.fetchOHLCV(symbol, '1d', now - (windowDays + 2) * DAY_MS, windowDays + 2);
    } catch (error) {
      log(`daily history for ${symbol}: ${(error as Error).message}; VAR_LIMIT and CORRELATION wait for completed days`);
      continue;
    }
    // Completed days only: today's candle is still open.
    const days = candles.filter((c) => c[0]! + DAY_MS <= now && c[4]! > 0).map((c) => ({ openTime: c[0]!, close: c[4]! }));
    counts.push(`${symbol} ${days.length}`);
    returns = risk.seedDailyHistory(symbol, days);
  }
  const short = returns < windowDays ? ` (less than the ${windowDays}-day window: VaR and correlation use what exists)` : '';
  const waiting = returns < 2 ? '; VAR_LIMIT and CORRELATION start once 2 daily returns exist' : '';
  log(`daily history for VaR and correlation: ${counts.join(', ') || 'none'} days, ${returns} aligned daily returns${short}${waiting}`);
  return returns;
}
