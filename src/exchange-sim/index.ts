// Public API of the local Binance-compatible exchange simulator.
export { startExchangeSim, pointCcxtAt } from './exchange-sim.ts';
export type { ExchangeSimHandle, ExchangeSimOptions } from './exchange-sim.ts';
export { TEST_ACCOUNT, readAccountsFile } from './accounts.ts';
export type { AccountConfig } from './accounts.ts';
export { parseFaults, formatFaults } from './faults.ts';
export type { FaultSpec } from './faults.ts';
export type { AdminState, ClockChange, PendingStop } from './admin.ts';
