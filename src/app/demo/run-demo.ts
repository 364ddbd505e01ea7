// `traider demo`: the local exchange replaying bundled real BTC/USDT minutes fast, and a paper
// session of the same kernel trading against it over loopback with the real CCXT client.
import { fileURLToPath } from 'node:url';
import { startExchangeSim } from '../../exchange-sim/index.ts';
import type { TraiderConfig } from '../config/index.ts';
import { runSession, type SessionSummary } from '../session/index.ts';

export const DEMO_DATA = fileURLToPath(new URL('../../../data/BTCUSDT-1m-2021-02-19_2021-02-25.csv', import.meta.url));

export interface DemoRequest {
  readonly durationMs: number;
  /** Data minutes per wall second x 60 (default 300: five one-minute bars a second). */
  readonly speed?: number;
  readonly config: TraiderConfig;
  readonly log: (line: string) => void;
  readonly signal?: AbortSignal;
  /** Journal database; undefined: the session journals nothing. */
  readonly db?: string;
  /** A status line every this many wall milliseconds (0 or undefined: none). */
  readonly statusEveryMs?: number;
}

/** The demo strategy: a fast moving-average cross, so a one-minute demo sees several trades. */
export const DEMO_STRATEGY = { name: 'sma-cross', params: { fast: 5, slow: 20, fraction: 0.5 } } as const;

export async function runDemo(request: DemoRequest): Promise<SessionSummary> {
  const speed = request.speed ?? 300;
  // Start two days into the week of data so the session has history to warm up on.
  const startTime = Date.UTC(2021, 1, 21, 0, 0, 0);
  const exchange = await startExchangeSim({ data: [DEMO_DATA], speed, seed: 1, startTime });
  request.log(`local exchange on ${exchange.url}: real Binance BTC/USDT minutes of 2021-02-21 onward at ${speed}x`);
  try {
    const summary = await runSession({
      mode: 'paper',
      exchange: 'binance',
      url: exchange.url,
      symbols: ['BTC/USDT'],
      strategy: DEMO_STRATEGY.name,
      params: DEMO_STRATEGY.params,
      timeframe: '1m',
      config: request.config,
      env: {},
      // The configuration's capital (--capital; default 10,000 USDT).
      capital: request.config.backtest.capital,
      durationMs: request.durationMs,
      warmupBars: 60,
      signal: request.signal,
      log: request.log,
      sessionId: 'demo',
      db: request.db,
      statusEveryMs: request.statusEveryMs,
    });
    // The demo stops after --duration whatever the strategy holds: say so, with what it holds.
    for (const p of summary.openPositions) {
      request.log(`the demo ended holding ${p.quantity} ${p.symbol} (average price ${p.averagePrice}, worth ${p.value.toFixed(2)} at the last price ${p.lastPrice}); its final equity counts it at that price`);
    }
    return summary;
  } finally {
    await exchange.close();
  }
}
