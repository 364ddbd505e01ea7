// While the demo runs: its --duration bound, and a status line every --status-every seconds read from the demo's
// own API with its token, as any client reads it (the server's sessions print no status line of their own).
import { LiveClock } from '../../common/index.ts';
import type { RunningSession } from '../session/index.ts';
import { DEMO_NAME } from './demo-store.ts';

type MarketStatus = ReturnType<RunningSession['status']>;

/** What the status route answers, the part the status line shows. */
interface StatusAnswer {
  readonly session: { readonly running: boolean; readonly lastError: string | null } | null;
  readonly market: MarketStatus | null;
}

export interface DemoWatchRequest {
  /** The server: http://127.0.0.1:PORT */
  readonly server: string;
  readonly token: string;
  /** Ends the demo after this many wall milliseconds. */
  readonly durationMs: number;
  /** A status line every this many wall milliseconds (0: none). */
  readonly statusEveryMs: number;
  readonly log: (line: string) => void;
  /** Called once, when the duration is over. */
  readonly onDurationOver: () => void;
}

// A book mid can carry float noise (55569.770000000004): 8 decimals at most, like every amount in a summary.
const decimal = (value: number): string => String(Number(value.toFixed(8)));

/** The line a session prints: `status: 120 bars | BTC/USDT last 54321.1, position 0.0357 | equity 10012.34 USDT | breaker NORMAL | data age 840 ms`. */
export function demoStatusLine(answer: StatusAnswer): string {
  const market = answer.market;
  if (market === null) return answer.session?.lastError ? `status: no session running (last error: ${answer.session.lastError})` : 'status: the session is warming up';
  const symbols = Object.keys(market.lastPrices).map((symbol) => {
    const price = market.lastPrices[symbol] ?? null;
    return `${symbol} last ${price === null ? '-' : decimal(price)}, position ${decimal(market.positions[symbol] ?? 0)}`;
  });
  const age = market.dataAgeMs === null ? 'no data yet' : `data age ${market.dataAgeMs} ms`;
  return `status: ${market.bars} bars | ${symbols.join(' | ')} | equity ${market.equity.toFixed(2)} ${market.currency} | breaker ${market.breakerLevel} | ${age}`;
}

/** Starts the timers; the returned function stops them (call it when the demo stops, early or not). */
export function watchDemo(request: DemoWatchRequest): () => void {
  const clock = new LiveClock();
  let polling = false;
  const poll = async (): Promise<void> => {
    if (polling) return; // a slow answer: skip a beat rather than pile requests up
    polling = true;
    try {
      const response = await fetch(`${request.server}/api/v1/deployments/${DEMO_NAME}/status`, { headers: { authorization: `Bearer ${request.token}` }, signal: AbortSignal.timeout(5_000) });
      request.log(response.ok ? demoStatusLine((await response.json()) as StatusAnswer) : `status: the API answered ${response.status}`);
    } catch {
      // The server is stopping (or too slow for this beat): the next line, if any, says how it is.
    } finally {
      polling = false;
    }
  };
  const start = clock.now();
  clock.setTimer('demo.duration', start + request.durationMs, () => {
    clock.cancelAll();
    request.onDurationOver();
  });
  if (request.statusEveryMs > 0) clock.setInterval('demo.status', start + request.statusEveryMs, request.statusEveryMs, () => void poll());
  return () => clock.cancelAll();
}
