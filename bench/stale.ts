// Bench: how fast a session notices that its feed went silent. A paper session runs on the local
// exchange at speed 1; once it trades, the exchange's `silence` fault stops all market data. Measured:
// wall time from the silence to DATA_STALE (HALT_NEW_POSITIONS), against the quote-age limit (5 s):
// the staleness watch checks once a second, so the answer should be within the limit plus 1 s.
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../src/app/config/index.ts';
import { runSession } from '../src/app/session/index.ts';
import { startExchangeSim } from '../src/exchange-sim/index.ts';

export async function benchStaleDetect(): Promise<{ staleDetectMs: number; staleLimitMs: number; staleExcessMs: number }> {
  const data = fileURLToPath(new URL('../data/BTCUSDT-1m-2021-02-19_2021-02-25.csv', import.meta.url));
  const sim = await startExchangeSim({ data: [data], speed: 1, seed: 1, startTime: Date.UTC(2021, 1, 22, 12) });
  const config = loadConfig({ env: {} });
  const abort = new AbortController();
  let trading: () => void = () => {};
  const ready = new Promise<void>((resolve) => (trading = resolve));
  let detected: () => void = () => {};
  const stale = new Promise<void>((resolve) => (detected = resolve));
  try {
    const session = runSession({
      mode: 'paper',
      exchange: 'binance',
      url: sim.url,
      symbols: ['BTC/USDT'],
      strategy: 'sma-cross',
      timeframe: '1m',
      config,
      env: {},
      signal: abort.signal,
      sessionId: 'bench-stale',
      log: (line) => {
        if (line.startsWith('warm-up done')) trading();
        if (/^breaker HALT_NEW_POSITIONS \(DATA_STALE/.test(line)) detected();
      },
    });
    await ready;
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const silencedAt = performance.now();
    await fetch(`${sim.url}/admin/faults`, { method: 'POST', body: 'silence=1' });
    const timeout = new Promise<void>((_, reject) => setTimeout(() => reject(new Error('DATA_STALE not seen within 30 s of silence')), 30_000));
    await Promise.race([stale, timeout]);
    const staleDetectMs = Math.round(performance.now() - silencedAt);
    const staleLimitMs = config.risk.preTrade.maxQuoteAgeMs;
    await fetch(`${sim.url}/admin/faults`, { method: 'POST', body: '' });
    abort.abort();
    await session;
    return { staleDetectMs, staleLimitMs, staleExcessMs: staleDetectMs - staleLimitMs };
  } finally {
    abort.abort();
    await sim.close();
  }
}
