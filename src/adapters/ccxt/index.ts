// The CCXT adapter: market data and execution clients for any ccxt exchange (Binance Spot and the local exchange).
export { CcxtDataClient, syncVenueClock } from './ccxt-data-client.ts';
export type { CcxtMarketApi } from './ccxt-data-client.ts';
export { CcxtExecutionClient } from './ccxt-execution-client.ts';
export type { CcxtTradingApi } from './ccxt-api.ts';
export type { Discrepancy } from './client-state.ts';
export { createExchange, credentialVariables } from './exchange-factory.ts';
