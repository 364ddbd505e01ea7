// Public REST endpoints (market data), served from the replay and the published book.
import { Errors } from './errors.ts';
import type { ExchangeCore } from './exchange-core.ts';
import { aggTradeJson, bookTicker, klineRow, priceText, ticker24h, tradeJson } from './market-views.ts';
import { limitParam, optionalInt, requiredString, symbolList, type Params } from './params.ts';
import { KLINE_INTERVALS } from './replay.ts';
import { exchangeInfoSymbol } from './symbols.ts';
import type { SymbolMarket } from './symbol-market.ts';

export type PublicHandler = (core: ExchangeCore, params: Params) => unknown;

/**
 * Public endpoints that are not market data: they keep answering under the `silence` fault, so a client
 * can still start (load markets) and sync its clock. Every other public endpoint is market data.
 */
export const NOT_MARKET_DATA: ReadonlySet<string> = new Set(['ping', 'time', 'exchangeInfo']);

/** The markets a request names with `symbol` or `symbols`, or all of them. */
function selected(core: ExchangeCore, params: Params): { markets: SymbolMarket[]; single: boolean } {
  if (params.symbol !== undefined) return { markets: [core.market(params.symbol)], single: true };
  const list = symbolList(params);
  if (list !== undefined) return { markets: list.map((s) => core.market(s)), single: false };
  return { markets: [...core.markets.values()], single: false };
}

function perSymbol(core: ExchangeCore, params: Params, view: (m: SymbolMarket) => unknown): unknown {
  const { markets, single } = selected(core, params);
  return single ? view(markets[0]!) : markets.map(view);
}

export const PUBLIC_ROUTES: Readonly<Record<string, PublicHandler>> = {
  ping: () => ({}),
  time: (core) => ({ serverTime: core.clock.now() }),
  exchangeInfo: (core, params) => ({
    timezone: 'UTC',
    serverTime: core.clock.now(),
    rateLimits: [
      { rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 6000 },
      { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: 100 },
      { rateLimitType: 'RAW_REQUESTS', interval: 'MINUTE', intervalNum: 5, limit: 61000 },
    ],
    exchangeFilters: [],
    symbols: selected(core, params).markets.map((m) => exchangeInfoSymbol(m.spec)),
  }),
  depth: (core, params) => {
    const market = core.market(params.symbol);
    const snapshot = market.snapshot(limitParam(params, 100, 5000));
    return { lastUpdateId: snapshot.lastUpdateId, bids: snapshot.bids, asks: snapshot.asks };
  },
  'ticker/24hr': (core, params) => perSymbol(core, params, (m) => ticker24h(m, m.lastTime)),
  'ticker/bookTicker': (core, params) => perSymbol(core, params, bookTicker),
  'ticker/price': (core, params) => perSymbol(core, params, (m) => ({ symbol: m.spec.id, price: priceText(m, m.replay.priceAt(m.lastTime)) })),
  avgPrice: (core, params) => {
    const market = core.market(params.symbol);
    const now = market.lastTime;
    const stats = market.replay.window(now, 300_000);
    return { mins: 5, price: priceText(market, stats.volume > 0 ? stats.quoteVolume / stats.volume : market.replay.priceAt(now)), closeTime: now };
  },
  klines: klines,
  uiKlines: klines,
  trades: (core, params) => {
    const market = core.market(params.symbol);
    return market.tape.slice(-limitParam(params, 500, 1000)).map(tradeJson);
  },
  aggTrades: (core, params) => {
    const market = core.market(params.symbol);
    const limit = limitParam(params, 500, 1000);
    const fromId = optionalInt(params, 'fromId');
    const startTime = optionalInt(params, 'startTime');
    const endTime = optionalInt(params, 'endTime');
    let trades = market.tape;
    if (fromId !== undefined) return trades.filter((t) => t.id >= fromId).slice(0, limit).map(aggTradeJson);
    if (startTime !== undefined || endTime !== undefined) {
      trades = trades.filter((t) => (startTime === undefined || t.time >= startTime) && (endTime === undefined || t.time <= endTime));
      return trades.slice(0, limit).map(aggTradeJson);
    }
    return trades.slice(-limit).map(aggTradeJson);
  },
};

function klines(core: ExchangeCore, params: Params): unknown {
  const market = core.market(params.symbol);
  const interval = requiredString(params, 'interval');
  const intervalMs = KLINE_INTERVALS[interval];
  if (intervalMs === undefined || intervalMs < market.replay.intervalMs || intervalMs % market.replay.intervalMs !== 0) throw Errors.invalidInterval();
  const rows = market.replay.klines(intervalMs, market.lastTime, limitParam(params, 500, 1000), optionalInt(params, 'startTime'), optionalInt(params, 'endTime'));
  return rows.map((row) => klineRow(market, row));
}

