// The part of ccxt the execution client uses: the trading calls and the order and trade shapes ccxt
// parses the exchange's answers into (sample payloads sit above the mappers in stream-mapping.ts).

/** REST calls of a ccxt exchange (the order stream, watchOrders, is fed in by the session). */
export interface CcxtTradingApi {
  createOrder(symbol: string, type: string, side: string, amount: number, price?: number, params?: Record<string, unknown>): Promise<CcxtOrder>;
  /** Resolves to the order as canceled (ccxt parses the venue's answer); some venues answer nothing useful. */
  cancelOrder(id: string, symbol: string, params?: Record<string, unknown>): Promise<CcxtOrder | undefined>;
  fetchOrder(id: string | undefined, symbol: string, params?: Record<string, unknown>): Promise<CcxtOrder>;
  fetchOpenOrders(symbol?: string): Promise<CcxtOrder[]>;
  fetchMyTrades(symbol: string, since?: number, limit?: number, params?: Record<string, unknown>): Promise<CcxtTrade[]>;
  /** The trades of one order (ccxt's fetchOrderTrades); without it, fetchMyTrades with the venue's order param. */
  fetchOrderTrades?(id: string, symbol: string): Promise<CcxtTrade[]>;
  fetchBalance(): Promise<{ free: Record<string, number>; total: Record<string, number> }>;
}

/** One trade of the account. The `fills` of a createOrder answer carry no time: `timestamp` is then undefined. */
export interface CcxtTrade {
  id: string;
  order?: string;
  symbol: string;
  side: string;
  price: number;
  amount: number;
  timestamp?: number;
  takerOrMaker?: string;
  fee?: { cost?: number; currency?: string };
}

/** An order as the exchange reports it. fetchOrder and watchOrders give `filled` but no trades; createOrder may give the fills. */
export interface CcxtOrder {
  id: string;
  clientOrderId?: string;
  symbol: string;
  status?: string;
  filled?: number;
  amount?: number;
  trades?: CcxtTrade[];
  timestamp?: number;
  lastTradeTimestamp?: number;
  /** The exchange's own JSON (ccxt keeps it): where a stop's trigger shows (see venues.ts). */
  info?: Record<string, unknown>;
}
