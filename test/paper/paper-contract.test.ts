// The paper venue (BookExecutionClient, filling on a live book) against the ExecutionClient contract. Each
// step of the market is a book at the price with its last trade, then a dip to 90 and back to 100.
import { BookExecutionClient } from '../../src/adapters/sim/book-execution-client.ts';
import { numberToMoney } from '../../src/core/decimal.ts';
import { CryptoFeeSchedule } from '../../src/core/fees.ts';
import { Instrument } from '../../src/core/instrument.ts';
import { Market } from '../../src/core/market.ts';
import { SimulatedClock } from '../../src/common/clock.ts';
import { Kernel } from '../../src/kernel/kernel.ts';
import { executionClientContract, type ContractVenue } from '../ccxt/execution-contract.ts';
import { IdleStrategy } from '../ccxt/helpers.ts';
import { bookAround } from './helpers.ts';

const SYMBOL = 'BTC/USDT';
const START = Date.UTC(2024, 0, 1);

async function paperVenue(): Promise<ContractVenue> {
  const instrument = new Instrument({ symbol: SYMBOL, market: Market.Crypto, base: 'BTC', quote: 'USDT', tickSize: '0.01', lotSize: '0.001', minNotional: 0 });
  const clock = new SimulatedClock(START);
  const client = new BookExecutionClient((i) => new CryptoFeeSchedule({ makerBps: 10, takerBps: 10 }, i.quote));
  const kernel = new Kernel({ clock, execution: client, instruments: [instrument], currency: 'USDT', initialCapital: numberToMoney(10_000), strategy: new IdleStrategy() });
  kernel.start();
  // A book around `price` (deep enough for the orders here) whose last trade is `price`, one second on.
  const tick = (price: number): void => {
    clock.advanceTo(clock.now() + 1_000);
    kernel.onBook({ ...bookAround(clock.now(), price, { size: 50 }), symbol: SYMBOL, lastTradePrice: price, lastTradeTime: clock.now() });
  };
  tick(100);
  return {
    kernel,
    client,
    symbol: SYMBOL,
    quantity: 1,
    takerFeeRate: 0.001,
    buyFeeInBase: false,
    price: () => 100,
    dipPrice: () => 95,
    advance: async () => {
      tick(100);
      tick(90);
      tick(100);
    },
    close: async () => kernel.stop(),
  };
}

executionClientContract('BookExecutionClient (paper, live book)', paperVenue);
