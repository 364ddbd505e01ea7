// The backtest's simulated venue (SimExecutionClient, driven by bars) against the ExecutionClient contract.
import { SimExecutionClient } from '../../src/adapters/sim/sim-execution-client.ts';
import { DEFAULT_FILL_MODEL } from '../../src/adapters/sim/fill-model-config.ts';
import type { Bar } from '../../src/core/bar.ts';
import { numberToMoney } from '../../src/core/decimal.ts';
import { CryptoFeeSchedule } from '../../src/core/fees.ts';
import { Instrument } from '../../src/core/instrument.ts';
import { Market } from '../../src/core/market.ts';
import { SimulatedClock } from '../../src/common/clock.ts';
import { Kernel } from '../../src/kernel/kernel.ts';
import { executionClientContract, type ContractVenue } from './execution-contract.ts';
import { IdleStrategy } from './helpers.ts';

const MINUTE = 60_000;
const START = Date.UTC(2024, 0, 1);
const SYMBOL = 'TEST/USDT';

/**
 * Every bar opens and closes at 100 and dips to 90 on the way: a market order fills near 100, a buy
 * resting at 95 is traded through, one at 50 never is. Volume is large so the participation cap and
 * the impact stay out of the way.
 */
function flatBarWithDip(openTime: number): Bar {
  return { symbol: SYMBOL, openTime, closeTime: openTime + MINUTE, open: 100, high: 101, low: 90, close: 100, volume: 1e9 };
}

async function simVenue(): Promise<ContractVenue> {
  const instrument = new Instrument({ symbol: SYMBOL, market: Market.Crypto, base: 'TEST', quote: 'USDT', tickSize: '0.01', lotSize: '0.001', minNotional: 0 });
  const clock = new SimulatedClock(START);
  const client = new SimExecutionClient(DEFAULT_FILL_MODEL, (i) => new CryptoFeeSchedule({ makerBps: 10, takerBps: 10 }, i.quote));
  const kernel = new Kernel({ clock, execution: client, instruments: [instrument], currency: 'USDT', initialCapital: numberToMoney(10_000), strategy: new IdleStrategy() });
  kernel.start();
  // Bars reach the kernel at their close, the way the replay delivers them: orders decided now fill on the next one.
  const deliver = (): void => {
    const bar = flatBarWithDip(clock.now());
    clock.advanceTo(bar.closeTime);
    kernel.onBar(bar);
  };
  deliver();
  return {
    kernel,
    client,
    symbol: SYMBOL,
    quantity: 1,
    takerFeeRate: 0.001,
    buyFeeInBase: false,
    price: () => kernel.cache.lastClose[0]!,
    dipPrice: () => 95,
    advance: async () => deliver(),
    close: async () => kernel.stop(),
  };
}

executionClientContract('SimExecutionClient (backtest, bars)', simVenue);
