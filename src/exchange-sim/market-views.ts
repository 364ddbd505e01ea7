// Market data in Binance's JSON shapes, shared by REST and the streams: tickers, klines, trades, depth.
import type { KlineStats } from './replay.ts';
import type { PublicTrade, SymbolMarket } from './symbol-market.ts';
import { fmt, fmtNumber, mulUnits } from './units.ts';

/** A replayed (float) price rounded to the symbol's tick, printed with 8 decimals. */
export function priceText(market: SymbolMarket, value: number): string {
  return Number(value.toFixed(market.spec.tickDecimals)).toFixed(8);
}

export function klineRow(market: SymbolMarket, k: KlineStats): unknown[] {
  return [
    k.openTime,
    priceText(market, k.open),
    priceText(market, k.high),
    priceText(market, k.low),
    priceText(market, k.close),
    fmtNumber(k.volume),
    k.closeTime - 1,
    fmtNumber(k.quoteVolume),
    0,
    fmtNumber(k.volume / 2),
    fmtNumber(k.quoteVolume / 2),
    '0',
  ];
}

/** The `k` object of a kline stream event. */
export function klineEventBody(market: SymbolMarket, interval: string, k: KlineStats): Record<string, unknown> {
  return {
    t: k.openTime,
    T: k.closeTime - 1,
    s: market.spec.id,
    i: interval,
    f: -1,
    L: -1,
    o: priceText(market, k.open),
    c: priceText(market, k.close),
    h: priceText(market, k.high),
    l: priceText(market, k.low),
    v: fmtNumber(k.volume),
    n: 0,
    x: k.closed,
    q: fmtNumber(k.quoteVolume),
    V: fmtNumber(k.volume / 2),
    Q: fmtNumber(k.quoteVolume / 2),
    B: '0',
  };
}

function lastTrade(market: SymbolMarket): PublicTrade | undefined {
  return market.tape[market.tape.length - 1];
}

/** 24-hour rolling statistics as of `now` (REST ticker/24hr). */
export function ticker24h(market: SymbolMarket, now: number): Record<string, unknown> {
  const stats = market.replay.window(now);
  const last = market.replay.priceAt(now);
  const top = market.topOfBook();
  const trade = lastTrade(market);
  const windowTrades = market.tape.filter((t) => t.time >= now - 86_400_000);
  const change = last - stats.open;
  return {
    symbol: market.spec.id,
    priceChange: priceText(market, change),
    priceChangePercent: (stats.open > 0 ? (change / stats.open) * 100 : 0).toFixed(3),
    weightedAvgPrice: fmtNumber(stats.volume > 0 ? stats.quoteVolume / stats.volume : last),
    prevClosePrice: priceText(market, stats.open),
    lastPrice: priceText(market, last),
    lastQty: trade ? fmt(trade.qty) : '0.00000000',
    bidPrice: fmt(top.bidPrice),
    bidQty: fmt(top.bidQty),
    askPrice: fmt(top.askPrice),
    askQty: fmt(top.askQty),
    openPrice: priceText(market, stats.open),
    highPrice: priceText(market, Math.max(stats.high, last)),
    lowPrice: priceText(market, Math.min(stats.low, last)),
    volume: fmtNumber(stats.volume),
    quoteVolume: fmtNumber(stats.quoteVolume),
    openTime: Math.max(stats.openTime, now - 86_400_000),
    closeTime: now,
    firstId: windowTrades[0]?.id ?? -1,
    lastId: trade?.id ?? -1,
    count: windowTrades.length,
  };
}

/** The 24hrTicker stream event. */
export function tickerEvent(market: SymbolMarket, now: number): Record<string, unknown> {
  const t = ticker24h(market, now);
  return {
    e: '24hrTicker',
    E: now,
    s: t.symbol,
    p: t.priceChange,
    P: t.priceChangePercent,
    w: t.weightedAvgPrice,
    x: t.prevClosePrice,
    c: t.lastPrice,
    Q: t.lastQty,
    b: t.bidPrice,
    B: t.bidQty,
    a: t.askPrice,
    A: t.askQty,
    o: t.openPrice,
    h: t.highPrice,
    l: t.lowPrice,
    v: t.volume,
    q: t.quoteVolume,
    O: t.openTime,
    C: t.closeTime,
    F: t.firstId,
    L: t.lastId,
    n: t.count,
  };
}

export function bookTicker(market: SymbolMarket): Record<string, unknown> {
  const top = market.topOfBook();
  return { symbol: market.spec.id, bidPrice: fmt(top.bidPrice), bidQty: fmt(top.bidQty), askPrice: fmt(top.askPrice), askQty: fmt(top.askQty) };
}

export function bookTickerEvent(market: SymbolMarket): Record<string, unknown> {
  const top = market.topOfBook();
  return { u: top.updateId, s: market.spec.id, b: fmt(top.bidPrice), B: fmt(top.bidQty), a: fmt(top.askPrice), A: fmt(top.askQty) };
}

export function tradeJson(t: PublicTrade): Record<string, unknown> {
  return { id: t.id, price: fmt(t.price), qty: fmt(t.qty), quoteQty: fmt(mulUnits(t.price, t.qty)), time: t.time, isBuyerMaker: t.isBuyerMaker, isBestMatch: true };
}

export function aggTradeJson(t: PublicTrade): Record<string, unknown> {
  return { a: t.id, p: fmt(t.price), q: fmt(t.qty), f: t.id, l: t.id, T: t.time, m: t.isBuyerMaker, M: true };
}

export function tradeEvent(market: SymbolMarket, t: PublicTrade, eventTime: number): Record<string, unknown> {
  return { e: 'trade', E: eventTime, s: market.spec.id, t: t.id, p: fmt(t.price), q: fmt(t.qty), T: t.time, m: t.isBuyerMaker, M: true };
}

export function aggTradeEvent(market: SymbolMarket, t: PublicTrade, eventTime: number): Record<string, unknown> {
  return { e: 'aggTrade', E: eventTime, s: market.spec.id, a: t.id, p: fmt(t.price), q: fmt(t.qty), f: t.id, l: t.id, T: t.time, m: t.isBuyerMaker, M: true };
}
