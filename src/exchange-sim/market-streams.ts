// Market streams on the stream endpoint: SUBSCRIBE/UNSUBSCRIBE/LIST_SUBSCRIPTIONS, depth diffs with U/u
// (100 ms and 1000 ms), partial depth, trades, klines, book tickers and 24h tickers; depth faults and
// silence (every market message dropped while it is on; replies to the client's own requests still go out).
import type { ExchangeListener } from './exchange-api.ts';
import type { ExchangeCore } from './exchange-core.ts';
import type { Faults } from './faults.ts';
import { aggTradeEvent, bookTickerEvent, klineEventBody, tickerEvent, tradeEvent } from './market-views.ts';
import { KLINE_INTERVALS, type KlineStats } from './replay.ts';
import type { DepthDiff, PublicTrade, SymbolMarket } from './symbol-market.ts';
import type { WsConnection } from './ws-protocol.ts';

const STREAM_RE = /^([a-z0-9]+)@(depth(?:5|10|20)?(?:@(?:100|1000)ms)?|trade|aggTrade|kline_[0-9]+[smhdw]|bookTicker|ticker)$/;

interface DepthAccumulator {
  first: number;
  last: number;
  time: number;
  bids: Map<string, string>;
  asks: Map<string, string>;
  /** Merged diffs of a silent period: dropped once silence ends, never sent late. */
  silent: boolean;
}

interface StreamClient {
  ws: WsConnection;
  combined: boolean;
  streams: Set<string>;
  /** `symbol@depth` (1000 ms) diffs merged until the next flush. */
  slowDepth: Map<string, DepthAccumulator>;
  lastSlowFlush: number;
  lastTickerSent: number;
  /** A depth message held back by a reorder fault, sent after the next one. */
  held: string | undefined;
}

export class MarketStreams implements ExchangeListener {
  private readonly clients = new Set<StreamClient>();
  private readonly lastTop = new Map<string, string>();
  private readonly lastKlineOpen = new Map<string, number>();
  /** Whether silence was on at the last step (book tickers are sent again once it ends). */
  private wasSilent = false;

  constructor(
    private readonly core: ExchangeCore,
    private readonly faults: Faults,
  ) {}

  /** Serve a connection: `/ws[/stream1/stream2]` raw, `/stream?streams=a/b` combined. */
  accept(ws: WsConnection): void {
    const combined = ws.path.startsWith('/stream');
    const client: StreamClient = { ws, combined, streams: new Set(), slowDepth: new Map(), lastSlowFlush: 0, lastTickerSent: 0, held: undefined };
    const initial = combined ? (ws.query.get('streams') ?? '').split('/') : ws.path.replace(/^\/ws\/?/, '').split('/');
    for (const name of initial) if (STREAM_RE.test(name)) client.streams.add(name);
    this.clients.add(client);
    ws.onClose(() => this.clients.delete(client));
    ws.onMessage = (text) => this.command(client, text);
  }

  private command(client: StreamClient, text: string): void {
    let request: { method?: unknown; params?: unknown; id?: unknown };
    try {
      request = JSON.parse(text) as typeof request;
    } catch {
      client.ws.send(JSON.stringify({ error: { code: 3, msg: 'Invalid JSON: malformed request' } }));
      return;
    }
    const id = request.id ?? null;
    const params = Array.isArray(request.params) ? (request.params as unknown[]) : [];
    const invalid = (msg: string): void => client.ws.send(JSON.stringify({ error: { code: 2, msg }, id }));
    switch (request.method) {
      case 'SUBSCRIBE':
      case 'UNSUBSCRIBE': {
        const names = params.filter((p): p is string => typeof p === 'string');
        const bad = names.find((name) => !STREAM_RE.test(name));
        if (bad !== undefined || names.length !== params.length) return invalid(`Invalid request: unknown stream ${String(bad)}`);
        for (const name of names) {
          if (request.method === 'SUBSCRIBE') client.streams.add(name);
          else client.streams.delete(name);
        }
        client.ws.send(JSON.stringify({ result: null, id }));
        return;
      }
      case 'LIST_SUBSCRIPTIONS':
        client.ws.send(JSON.stringify({ result: [...client.streams], id }));
        return;
      case 'SET_PROPERTY':
        client.ws.send(JSON.stringify({ result: null, id }));
        return;
      case 'GET_PROPERTY':
        client.ws.send(JSON.stringify({ result: false, id }));
        return;
      default:
        return invalid('Invalid request: unknown method');
    }
  }

  /**
   * silence: true, and the message counted as suppressed, while the feed is silenced. A depth message a
   * reorder fault held back is dropped with it, so diffs resume after silence with a gap in U/u.
   */
  private silenced(client: StreamClient): boolean {
    if (!this.faults.silent) return false;
    const held = client.held === undefined ? 0 : 1;
    client.held = undefined;
    this.faults.countSilenced('message', 1 + held);
    return true;
  }

  private send(client: StreamClient, stream: string, data: unknown): void {
    if (this.silenced(client)) return;
    client.ws.send(JSON.stringify(client.combined ? { stream, data } : data));
  }

  /** A depth diff through the fault filter: dropped (gap), held for one message (reorder), or doubled (dup). */
  private sendDepth(client: StreamClient, stream: string, data: unknown): void {
    if (this.silenced(client)) return;
    const text = JSON.stringify(client.combined ? { stream, data } : data);
    const fault = this.faults.decideDepth();
    if (fault === 'gap') return;
    if (fault === 'reorder' && client.held === undefined) {
      client.held = text;
      return;
    }
    client.ws.send(text);
    if (fault === 'dup') client.ws.send(text);
    if (client.held !== undefined) {
      const held = client.held;
      client.held = undefined;
      client.ws.send(held);
    }
  }

  depth(market: SymbolMarket, diff: DepthDiff): void {
    const id = market.spec.id.toLowerCase();
    const fast = `${id}@depth@100ms`;
    const slow = [`${id}@depth`, `${id}@depth@1000ms`];
    const event = (d: { first: number; last: number; time: number; bids: Array<[string, string]>; asks: Array<[string, string]> }) => ({
      e: 'depthUpdate',
      E: d.time,
      s: market.spec.id,
      U: d.first,
      u: d.last,
      b: d.bids,
      a: d.asks,
    });
    const silent = this.faults.silent;
    for (const client of this.clients) {
      if (client.streams.has(fast)) this.sendDepth(client, fast, event({ first: diff.firstUpdateId, last: diff.lastUpdateId, time: diff.time, bids: diff.bids, asks: diff.asks }));
      const slowName = slow.find((name) => client.streams.has(name));
      if (slowName === undefined) continue;
      let acc = client.slowDepth.get(id);
      if (acc === undefined || (acc.silent && !silent)) {
        acc = { first: diff.firstUpdateId, last: diff.lastUpdateId, time: diff.time, bids: new Map(), asks: new Map(), silent };
        client.slowDepth.set(id, acc);
      }
      acc.silent ||= silent;
      acc.last = diff.lastUpdateId;
      acc.time = diff.time;
      for (const [p, q] of diff.bids) acc.bids.set(p, q);
      for (const [p, q] of diff.asks) acc.asks.set(p, q);
      const wall = this.core.clock.wallNow();
      if (wall - client.lastSlowFlush >= 1000) {
        client.lastSlowFlush = wall;
        client.slowDepth.delete(id);
        this.sendDepth(client, slowName, event({ ...acc, bids: [...acc.bids], asks: [...acc.asks] }));
      }
    }
  }

  trade(market: SymbolMarket, trade: PublicTrade): void {
    const id = market.spec.id.toLowerCase();
    const now = this.core.clock.now();
    for (const client of this.clients) {
      if (client.streams.has(`${id}@trade`)) this.send(client, `${id}@trade`, tradeEvent(market, trade, now));
      if (client.streams.has(`${id}@aggTrade`)) this.send(client, `${id}@aggTrade`, aggTradeEvent(market, trade, now));
    }
  }

  stepped(market: SymbolMarket, time: number): void {
    // The first step after silence sends every book ticker again (the top may have moved meanwhile).
    const silent = this.faults.silent;
    if (this.wasSilent && !silent) this.lastTop.clear();
    this.wasSilent = silent;
    if (this.clients.size === 0) return;
    const id = market.spec.id.toLowerCase();
    const top = bookTickerEvent(market);
    const topKey = `${top.b as string}/${top.B as string}/${top.a as string}/${top.A as string}`;
    const topChanged = this.lastTop.get(id) !== topKey;
    this.lastTop.set(id, topKey);
    const wall = this.core.clock.wallNow();
    // Each subscribed stream's messages for this step, computed once for all clients.
    const messages = new Map<string, unknown[]>();
    const messagesOf = (stream: string, kind: string): unknown[] => {
      let out = messages.get(stream);
      if (out !== undefined) return out;
      out = [];
      if (kind.startsWith('kline_')) out = this.klineEvents(market, stream, kind.slice('kline_'.length), time);
      else if (kind === 'bookTicker' && topChanged) out = [top];
      else if (/^depth(5|10|20)/.test(kind)) {
        const snapshot = market.snapshot(Number(/^depth(\d+)/.exec(kind)![1]));
        out = [{ lastUpdateId: snapshot.lastUpdateId, bids: snapshot.bids, asks: snapshot.asks }];
      }
      messages.set(stream, out);
      return out;
    };
    for (const client of this.clients) {
      for (const stream of client.streams) {
        if (!stream.startsWith(`${id}@`)) continue;
        const kind = stream.slice(id.length + 1);
        if (kind === 'ticker') {
          if (wall - client.lastTickerSent >= 1000) {
            client.lastTickerSent = wall;
            this.send(client, stream, tickerEvent(market, time));
          }
          continue;
        }
        for (const message of messagesOf(stream, kind)) this.send(client, stream, message);
      }
    }
  }

  /** The kline in progress; when a new one opened since the last step, the previous one closed first (x: true). */
  private klineEvents(market: SymbolMarket, stream: string, interval: string, time: number): unknown[] {
    const ms = KLINE_INTERVALS[interval];
    if (ms === undefined || ms % market.replay.intervalMs !== 0) return [];
    const event = (k: KlineStats) => ({ e: 'kline', E: time, s: market.spec.id, k: klineEventBody(market, interval, k) });
    const [current] = market.replay.klines(ms, time, 1);
    if (current === undefined) return [];
    const previousOpen = this.lastKlineOpen.get(stream);
    this.lastKlineOpen.set(stream, current.openTime);
    const out: unknown[] = [];
    if (previousOpen !== undefined && previousOpen < current.openTime && current.openTime - previousOpen <= ms) {
      const [closed] = market.replay.klines(ms, time, 1, previousOpen, previousOpen + ms - 1);
      if (closed !== undefined && closed.openTime === previousOpen) out.push(event(closed));
    }
    out.push(event(current));
    return out;
  }

  closeAll(): void {
    for (const client of this.clients) client.ws.close(1001, 'server shutting down');
    this.clients.clear();
  }
}
