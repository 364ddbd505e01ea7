// The admin surface for tests and demos: state (balances, orders, trades, fault counts), faults, clock.
import type { ExchangeCore } from './exchange-core.ts';
import { formatFaults, parseFaults, type FaultName, type FaultSpec, type Faults } from './faults.ts';
import { myTradeJson, orderJson } from './orders.ts';
import { fmt } from './units.ts';

export interface AdminState {
  time: number;
  wallTime: number;
  speed: number;
  symbols: Array<{
    symbol: string;
    price: number;
    /** The last trade's price (the replay's prints and user trades). */
    lastPrice: string;
    bidPrice: string;
    askPrice: string;
    lastUpdateId: number;
    /** User orders on the book. */
    restingOrders: number;
    /** Stops that have not triggered (off the book, waiting for the last price), in arrival order. */
    stops: PendingStop[];
  }>;
  accounts: Array<{
    apiKey: string;
    balances: Record<string, { free: string; locked: string }>;
    orders: Array<Record<string, unknown>>;
    trades: Array<Record<string, unknown>>;
  }>;
  /** `injected.silence` counts what silence suppressed; `silenced` splits it into stream messages and REST requests. */
  faults: { spec: FaultSpec; text: string; injected: Record<FaultName, number>; silenced: { messages: number; requests: number } };
  requests: number;
}

export interface PendingStop {
  apiKey: string;
  orderId: number;
  clientOrderId: string;
  side: string;
  type: string;
  stopPrice: string;
  /** Limit price once triggered (0 for STOP_LOSS / TAKE_PROFIT). */
  price: string;
  origQty: string;
  time: number;
}

export interface ClockChange {
  /** Jump the data time forward by this many ms. */
  advance?: number;
  /** Set the data time (UTC ms). */
  set?: number;
  /** New speed (data ms per wall ms). */
  speed?: number;
}

export class Admin {
  requests = 0;

  constructor(
    readonly core: ExchangeCore,
    private readonly faults: Faults,
  ) {}

  state(): AdminState {
    const now = this.core.clock.now();
    return {
      time: now,
      wallTime: this.core.clock.wallNow(),
      speed: this.core.clock.speed,
      symbols: [...this.core.markets.values()].map((m) => {
        const top = m.topOfBook();
        const resting = m.bids.reduce((n, l) => n + l.orders.length, 0) + m.asks.reduce((n, l) => n + l.orders.length, 0);
        const stops = m.stops.map((o) => ({
          apiKey: this.core.accounts.list[o.accountId]!.apiKey,
          orderId: o.orderId,
          clientOrderId: o.clientOrderId,
          side: o.side,
          type: o.type,
          stopPrice: fmt(o.stopPrice),
          price: fmt(o.price),
          origQty: fmt(o.origQty),
          time: o.time,
        }));
        return { symbol: m.spec.id, price: m.replay.priceAt(now), lastPrice: fmt(m.lastPrice()), bidPrice: fmt(top.bidPrice), askPrice: fmt(top.askPrice), lastUpdateId: top.updateId, restingOrders: resting, stops };
      }),
      accounts: this.core.accounts.list.map((a) => ({ apiKey: a.apiKey, balances: a.snapshot(), orders: a.orders.map(orderJson), trades: a.trades.map(myTradeJson) })),
      faults: { spec: { ...this.faults.spec }, text: formatFaults(this.faults.spec), injected: { ...this.faults.injected }, silenced: { ...this.faults.silenced } },
      requests: this.requests,
    };
  }

  /** Replace the fault settings ("5xx=0.1,latency=50ms" or {"5xx": 0.1}); returns the new settings. */
  setFaults(input: string | Record<string, unknown>): FaultSpec {
    this.faults.spec = parseFaults(input);
    return { ...this.faults.spec };
  }

  getFaults(): FaultSpec {
    return { ...this.faults.spec };
  }

  /** Move the virtual clock, then step the markets to it. */
  clock(change: ClockChange): { time: number; speed: number } {
    const clock = this.core.clock;
    if (change.set !== undefined) clock.set(change.set);
    if (change.advance !== undefined) clock.advance(change.advance);
    if (change.speed !== undefined) {
      if (!(change.speed >= 0)) throw new Error('speed must be a number >= 0');
      clock.setSpeed(change.speed);
    }
    this.core.step();
    return { time: clock.now(), speed: clock.speed };
  }
}
