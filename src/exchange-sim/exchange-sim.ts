// startExchangeSim: load the data, build the exchange, serve it on 127.0.0.1, step it every 100 ms.
import type { BarSeries } from '../core/index.ts';
import { loadBarSeries } from '../adapters/files/index.ts';
import { Accounts, TEST_ACCOUNT, type AccountConfig } from './accounts.ts';
import { Admin } from './admin.ts';
import { ExchangeCore } from './exchange-core.ts';
import { Faults, parseFaults, type FaultSpec } from './faults.ts';
import { SimHttpServer } from './http-server.ts';
import { MarketStreams } from './market-streams.ts';
import { SymbolReplay } from './replay.ts';
import { specFor } from './symbols.ts';
import { VirtualClock } from './virtual-clock.ts';
import { systemWallClock, type WallClock } from './wall-clock.ts';
import { WsApi } from './ws-api.ts';

export interface ExchangeSimOptions {
  /** OHLCV files (.csv or .csv.gz), one symbol each, named like BTCUSDT-1m-....csv. */
  data?: readonly string[];
  /** Already loaded series (instead of, or in addition to, files). */
  series?: readonly BarSeries[];
  /** TCP port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /** Data ms per wall ms (default 60); 0 freezes the data time. */
  speed?: number;
  /** Fault spec, e.g. "5xx=0.1,lost=0.05,drop-ws=30s,latency=50ms", or an object. */
  faults?: string | Record<string, unknown>;
  /** Seed for book sizes and fault decisions (default 1). */
  seed?: number;
  /** Accounts; default: the single test account (test-key / test-secret). */
  accounts?: readonly AccountConfig[];
  /** Data time to start at (default: the first bar's open). */
  startTime?: number;
  /** Wall clock (tests). */
  wallClock?: WallClock;
  /** Wall ms between market steps (default 100). */
  stepMs?: number;
  /** Accept a client order id that an earlier order used (default false: refused as a duplicate). */
  acceptReusedClientIds?: boolean;
}

export interface ExchangeSimHandle {
  port: number;
  /** http://127.0.0.1:PORT */
  url: string;
  /** Symbols served (Binance ids, e.g. BTCUSDT). */
  symbols: string[];
  admin: Admin;
  close(): Promise<void>;
}

export async function startExchangeSim(options: ExchangeSimOptions): Promise<ExchangeSimHandle> {
  const series: BarSeries[] = [...(options.series ?? [])];
  for (const file of options.data ?? []) series.push((await loadBarSeries(file)).series);
  if (series.length === 0) throw new Error('exchange-sim: no data (give at least one OHLCV file)');
  const speed = options.speed ?? 60;
  if (!(speed >= 0) || !Number.isFinite(speed)) throw new Error(`exchange-sim: speed must be a number >= 0 (got ${speed})`);
  const seed = options.seed ?? 1;
  if (!Number.isInteger(seed)) throw new Error(`exchange-sim: seed must be an integer (got ${seed})`);

  const symbols = series.map((s, index) => ({ spec: specFor(s, index), replay: new SymbolReplay(s) }));
  const ids = new Set<string>();
  for (const { spec } of symbols) {
    if (ids.has(spec.id)) throw new Error(`exchange-sim: two data files for ${spec.id}`);
    ids.add(spec.id);
  }
  const start = options.startTime ?? Math.min(...symbols.map((s) => s.replay.firstTime));
  const clock = new VirtualClock(options.wallClock ?? systemWallClock, start, speed);
  const accounts = new Accounts(options.accounts ?? [TEST_ACCOUNT]);
  const faults = new Faults(parseFaults(options.faults), seed);
  const core = new ExchangeCore(clock, accounts, symbols, seed);
  core.acceptReusedClientIds = options.acceptReusedClientIds ?? false;
  const admin = new Admin(core, faults);
  const streams = new MarketStreams(core, faults);
  const wsApi = new WsApi(core, faults);
  core.listeners.add(streams);
  core.listeners.add(wsApi);
  const http = new SimHttpServer({ core, faults, admin, streams, wsApi });
  const port = await http.listen(options.port ?? 0);

  const timer = setInterval(() => {
    core.step();
    http.dropExpiredSockets();
  }, options.stepMs ?? 100);

  let closed: Promise<void> | undefined;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    symbols: symbols.map((s) => s.spec.id),
    admin,
    close(): Promise<void> {
      closed ??= (async () => {
        clearInterval(timer);
        streams.closeAll();
        wsApi.closeAll();
        await http.close();
      })();
      return closed;
    },
  };
}

/**
 * Point a ccxt `binance` instance at the simulator: every REST URL becomes http://127.0.0.1:PORT/<path>
 * and every WebSocket URL ws://127.0.0.1:PORT/<path> (paths kept: /api/v3, /ws, /ws-api/v3).
 * ccxt also needs `await exchange.loadHttpProxyAgent()` before it opens ws:// URLs.
 */
export function pointCcxtAt(exchange: { urls: { api: Record<string, unknown> } }, port: number): void {
  const rewrite = (value: unknown): unknown => {
    if (typeof value === 'string') {
      const url = new URL(value);
      const ws = url.protocol === 'wss:' || url.protocol === 'ws:';
      return `${ws ? 'ws' : 'http'}://127.0.0.1:${port}${url.pathname === '/' ? '' : url.pathname}`;
    }
    if (value !== null && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [key, inner] of Object.entries(value)) out[key] = rewrite(inner);
      return out;
    }
    return value;
  };
  exchange.urls.api = rewrite(exchange.urls.api) as Record<string, unknown>;
}

export type { FaultSpec };
