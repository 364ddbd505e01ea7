// What the matching engine takes and reports: a new order request, executions, the hooks streams listen on, fee rates.
import type { Account } from './accounts.ts';
import type { OrderKind, Side, SimOrder, SimTrade, TimeInForce } from './orders.ts';
import type { DepthDiff, PublicTrade, SymbolMarket } from './symbol-market.ts';

export interface NewOrder {
  symbol: string;
  side: Side;
  type: OrderKind;
  timeInForce?: TimeInForce;
  quantity?: bigint;
  quoteOrderQty?: bigint;
  price?: bigint;
  /** Trigger price of STOP_LOSS(_LIMIT) and TAKE_PROFIT(_LIMIT) orders. */
  stopPrice?: bigint;
  newClientOrderId?: string;
}

export type ExecutionType = 'NEW' | 'TRADE' | 'CANCELED' | 'EXPIRED';

export interface Execution {
  type: ExecutionType;
  time: number;
  /** Execution id, unique across the exchange (executionReport `I`). */
  id: number;
  /** The fill of a TRADE execution. */
  trade?: SimTrade;
  /** CANCELED: the cancel request's client id (the order's own id is reported as the original). */
  cancelClientId?: string;
}

/** What the streams and the WebSocket API listen to. */
export interface ExchangeListener {
  depth?(market: SymbolMarket, diff: DepthDiff): void;
  trade?(market: SymbolMarket, trade: PublicTrade): void;
  /** After every step of a symbol (klines, book tickers). */
  stepped?(market: SymbolMarket, time: number): void;
  execution?(account: Account, order: SimOrder, execution: Execution): void;
  accountPosition?(account: Account, assets: readonly string[], time: number): void;
}

export interface FeeRates {
  makerBps: number;
  takerBps: number;
}
