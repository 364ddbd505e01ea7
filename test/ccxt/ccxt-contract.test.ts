// The CCXT venue (CcxtExecutionClient with the real ccxt client) against the local exchange, held to
// the same ExecutionClient contract as the backtest's simulated venue.
import { afterAll } from 'vitest';
import { RoundingMode } from '../../src/core/instrument.ts';
import type { ExchangeSimHandle } from '../../src/exchange-sim/index.ts';
import { executionClientContract, type ContractVenue } from './execution-contract.ts';
import { bundledSeries, ccxtKernel, DIP_START, exchangeFor, quoteOnlyAccount, sleep, startSim, SYMBOL, watchOrders } from './helpers.ts';

/** How far the exchange's (frozen) clock moves per market step: half an hour of real minutes. */
const STEP_MS = 30 * 60_000;

let run = 0;
const open: ExchangeSimHandle[] = [];
afterAll(async () => {
  await Promise.all(open.map((sim) => sim.close()));
});

async function ccxtVenue(): Promise<ContractVenue> {
  // Frozen data time (speed 0): the tests move the market explicitly, so every run sees the same prices.
  // The exchange takes a buyer's fee in BTC, as Binance does: the account holds no BTC beyond what the books
  // hold, so a sell for more than the books' sellable quantity would be refused for insufficient balance.
  const sim = await startSim({ speed: 0, startTime: DIP_START, accounts: quoteOnlyAccount(20_000) });
  open.push(sim);
  const exchange = await exchangeFor(sim);
  const { kernel, client, instrument } = await ccxtKernel(exchange, { prefix: `contract${++run}` });
  const stream = watchOrders(exchange, client);
  const series = await bundledSeries();
  const market = () => sim.admin.state().symbols[0]!;
  return {
    kernel,
    client,
    symbol: SYMBOL,
    quantity: 0.001,
    takerFeeRate: 0.001,
    buyFeeInBase: true,
    price: () => market().price,
    dipPrice: () => {
      const now = sim.admin.state().time;
      let low = Infinity;
      for (let i = 0; i < series.length; i++) if (series.openTime[i]! >= now && series.openTime[i]! < now + STEP_MS) low = Math.min(low, series.low[i]!);
      const bid = Number(market().bidPrice);
      const dip = instrument.roundPrice(low + 0.3 * (bid - low), RoundingMode.Up);
      if (!(dip < bid - instrument.tick)) throw new Error(`the data does not dip below ${bid} in the next step (low ${low}): pick another start time`);
      return dip;
    },
    advance: async () => {
      sim.admin.clock({ advance: STEP_MS });
      // The order stream delivers what happened; reconciliation catches anything it missed.
      await sleep(150);
      await client.settle();
      await client.reconcile([SYMBOL]);
      await client.settle();
    },
    close: async () => {
      await stream.stop();
      await client.settle();
      kernel.stop();
      await exchange.close();
      await sim.close();
    },
  };
}

executionClientContract('CcxtExecutionClient (local exchange, real ccxt)', ccxtVenue);
