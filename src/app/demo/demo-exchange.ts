// The local exchange of `traider demo`: bundled real Binance BTC/USDT minutes replayed fast, on loopback.
import { fileURLToPath } from 'node:url';
import { startExchangeSim } from '../../exchange-sim/index.ts';

export const DEMO_DATA = fileURLToPath(new URL('../../../data/BTCUSDT-1m-2021-02-19_2021-02-25.csv', import.meta.url));

export interface DemoExchange {
  /** http://127.0.0.1:PORT */
  readonly url: string;
  close(): Promise<void>;
}

/** Starts the exchange at `speed` data minutes per wall second x 60 (300: five one-minute bars a second). */
export async function startDemoExchange(speed: number, log: (line: string) => void): Promise<DemoExchange> {
  // Two days into the week of data, so the session has history to warm up on.
  const startTime = Date.UTC(2021, 1, 21, 0, 0, 0);
  const exchange = await startExchangeSim({ data: [DEMO_DATA], speed, seed: 1, startTime });
  log(`local exchange on ${exchange.url}: real Binance BTC/USDT minutes of 2021-02-21 onward at ${speed}x`);
  return { url: exchange.url, close: () => exchange.close() };
}
