// The WebSocket API (ws-api/v3) subset: user data stream subscription by signature (what ccxt 4.5 uses
// for spot watchOrders/watchBalance/watchMyTrades), pushing executionReport and outboundAccountPosition,
// plus ping/time and the signed order and account requests.
import type { Account } from './accounts.ts';
import { BinanceError, Errors } from './errors.ts';
import type { Execution, ExchangeListener } from './exchange-api.ts';
import type { ExchangeCore } from './exchange-core.ts';
import type { Faults } from './faults.ts';
import type { SimOrder } from './orders.ts';
import type { Params } from './params.ts';
import { PRIVATE_ROUTES } from './rest-private.ts';
import { PUBLIC_ROUTES } from './rest-public.ts';
import { verifyWsSignature } from './signing.ts';
import { accountPosition, executionReport } from './user-events.ts';
import type { WsConnection } from './ws-protocol.ts';

interface Session {
  ws: WsConnection;
  /** subscriptionId -> account. */
  subscriptions: Map<number, Account>;
}

/** Signed WebSocket API methods that map onto the REST handlers. */
const SIGNED_METHODS: Readonly<Record<string, string>> = {
  'order.place': 'POST order',
  'order.test': 'POST order/test',
  'order.status': 'GET order',
  'order.cancel': 'DELETE order',
  'openOrders.status': 'GET openOrders',
  'openOrders.cancelAll': 'DELETE openOrders',
  allOrders: 'GET allOrders',
  myTrades: 'GET myTrades',
  'account.status': 'GET account',
};

const PUBLIC_METHODS: Readonly<Record<string, string>> = {
  ping: 'ping',
  time: 'time',
  exchangeInfo: 'exchangeInfo',
  depth: 'depth',
  klines: 'klines',
  'trades.recent': 'trades',
  'ticker.24hr': 'ticker/24hr',
  'ticker.book': 'ticker/bookTicker',
  'ticker.price': 'ticker/price',
};

function stringParams(params: Record<string, unknown>): Params {
  const out: Params = {};
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null) continue;
    out[key] = Array.isArray(value) ? JSON.stringify(value) : String(value);
  }
  return out;
}

export class WsApi implements ExchangeListener {
  private readonly sessions = new Set<Session>();
  private nextSubscriptionId = 0;

  constructor(
    private readonly core: ExchangeCore,
    private readonly faults: Faults,
  ) {}

  accept(ws: WsConnection): void {
    const session: Session = { ws, subscriptions: new Map() };
    this.sessions.add(session);
    ws.onClose(() => this.sessions.delete(session));
    ws.onMessage = (text) => this.request(session, text);
  }

  private reply(session: Session, body: Record<string, unknown>): void {
    const latency = this.faults.spec.latency;
    const text = JSON.stringify(body);
    if (latency > 0) {
      this.faults.countLatency();
      setTimeout(() => session.ws.send(text), latency);
    } else {
      session.ws.send(text);
    }
  }

  private request(session: Session, text: string): void {
    let message: { id?: unknown; method?: unknown; params?: unknown };
    try {
      message = JSON.parse(text) as typeof message;
    } catch {
      this.reply(session, { id: null, status: 400, error: { code: -1100, msg: 'Malformed request: not JSON.' } });
      return;
    }
    const id = message.id ?? null;
    const raw = message.params && typeof message.params === 'object' ? (message.params as Record<string, unknown>) : {};
    try {
      const result = this.dispatch(session, String(message.method), raw);
      this.reply(session, { id, status: 200, result, rateLimits: [] });
    } catch (error) {
      const e = error instanceof BinanceError ? error : new BinanceError(-1000, `An unknown error occurred while processing the request: ${(error as Error).message}`, 500);
      this.reply(session, { id, status: e.status, error: e.toJSON(), rateLimits: [] });
    }
  }

  private dispatch(session: Session, method: string, raw: Record<string, unknown>): unknown {
    const wallNow = this.core.clock.wallNow();
    if (method === 'userDataStream.subscribe.signature') {
      const account = verifyWsSignature(this.core.accounts, raw, wallNow);
      const subscriptionId = this.nextSubscriptionId++;
      session.subscriptions.set(subscriptionId, account);
      return { subscriptionId };
    }
    if (method === 'userDataStream.unsubscribe') {
      const id = raw.subscriptionId;
      if (id === undefined) session.subscriptions.clear();
      else session.subscriptions.delete(Number(id));
      return {};
    }
    if (method === 'session.subscriptions') return [...session.subscriptions.keys()].map((subscriptionId) => ({ subscriptionId }));
    const route = SIGNED_METHODS[method];
    if (route !== undefined) {
      const account = verifyWsSignature(this.core.accounts, raw, wallNow);
      return PRIVATE_ROUTES[route]!(this.core, account, stringParams(raw));
    }
    const publicRoute = PUBLIC_METHODS[method];
    if (publicRoute !== undefined) return PUBLIC_ROUTES[publicRoute]!(this.core, stringParams(raw));
    throw Errors.unknownMethod();
  }

  private push(account: Account, event: Record<string, unknown>): void {
    for (const session of this.sessions) {
      for (const [subscriptionId, subscribed] of session.subscriptions) {
        if (subscribed === account) session.ws.send(JSON.stringify({ subscriptionId, event }));
      }
    }
  }

  execution(account: Account, order: SimOrder, execution: Execution): void {
    this.push(account, executionReport(order, execution));
  }

  accountPosition(account: Account, assets: readonly string[], time: number): void {
    this.push(account, accountPosition(account, assets, time));
  }

  closeAll(): void {
    for (const session of this.sessions) session.ws.close(1001, 'server shutting down');
    this.sessions.clear();
  }
}
