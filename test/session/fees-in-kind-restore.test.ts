// A crash loses no fee paid in kind: fills whose fee the exchange kept in the coin bought go through the journal
// (the record a session writes, a real SQLite file, the record read back) and a restarted process's ledger is the
// one that booked them: the same holding to the satoshi, dust, cash, cost basis and fees.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fillRecord } from '../../src/audit/records.ts';
import { openJournal } from '../../src/app/store/index.ts';
import { fillFromRecord } from '../../src/app/session/restore.ts';
import { instrumentFromMarket } from '../../src/app/session/instruments-from-exchange.ts';
import { Cache } from '../../src/common/cache.ts';
import { LiveClock } from '../../src/common/clock.ts';
import { MessageBus } from '../../src/common/message-bus.ts';
import { RunKind } from '../../src/common/store.ts';
import { notionalOf } from '../../src/core/account.ts';
import { numberToMoney } from '../../src/core/decimal.ts';
import { type Fill, fillOf, Liquidity } from '../../src/core/fill.ts';
import { OrderSide } from '../../src/core/order.ts';
import { Portfolio } from '../../src/engines/portfolio/index.ts';
import { runCliAsync } from '../cli/run-cli.ts';

// BTC/USDT as ccxt describes Binance's market (TICK_SIZE precision): tick 0.01, step 0.00001, balances to 1e-8.
const BTC = instrumentFromMarket({ symbol: 'BTC/USDT', base: 'BTC', quote: 'USDT', precision: { price: 0.01, amount: 0.00001, base: 1e-8 }, limits: { cost: { min: 5 } } }, true);
const T0 = Date.UTC(2024, 0, 2);

function portfolio(): Portfolio {
  const cache = new Cache();
  cache.addInstrument(BTC);
  cache.lastClose[0] = 50_000;
  return new Portfolio({ cache, bus: new MessageBus(), currency: 'USDT', initialCapital: numberToMoney(1_000), log: () => {} });
}

let seq = 0;
function trade(side: OrderSide, quantity: number, price: number, feeInCoin: number): Fill {
  const notional = notionalOf(BTC, price, quantity);
  const fee = feeInCoin > 0 ? notionalOf(BTC, price, feeInCoin) : notional / 1000n;
  seq++;
  return fillOf(
    { id: `O-${seq}`, symbol: 'BTC/USDT', side, decisionPrice: price },
    { id: `binance-${seq}`, time: T0 + seq * 60_000, price, quantity, notional, fee, tax: 0n, liquidity: Liquidity.Taker, referencePrice: price, ...(feeInCoin > 0 ? { feeQuantity: feeInCoin } : {}) },
  );
}

/** The one run in a journal file. */
async function runIdIn(db: string): Promise<string | undefined> {
  const { store, close } = await openJournal(db, { clock: new LiveClock() });
  try {
    return (await store.listRuns())[0]?.id;
  } finally {
    await close();
  }
}

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('fees paid in kind across a restart', () => {
  it('keeps holdings to the balance precision of the exchange: 8 decimals', () => {
    expect([BTC.quantityDecimals, BTC.lot]).toEqual([8, 0.00001]);
  });

  it('the journal keeps each fill\'s fee in the coin, and the restored ledger equals the one that booked them', async () => {
    dir = mkdtempSync(join(tmpdir(), 'traider-inkind-'));
    // Two buys with 0.1% kept in BTC, a sell of what can be sold (fee in USDT), then another buy.
    const fills = [trade(OrderSide.Buy, 0.00123, 50_000, 0.00000123), trade(OrderSide.Buy, 0.002, 50_100.5, 0.000002)];
    const live = portfolio();
    for (const f of fills) live.applyFill(f);
    fills.push(trade(OrderSide.Sell, live.tradableQuantity('BTC/USDT'), 50_200, 0));
    live.applyFill(fills[2]!);
    fills.push(trade(OrderSide.Buy, 0.001, 49_900, 0.000001));
    live.applyFill(fills[3]!);

    const { store, journal, close } = await openJournal(join(dir, 'live.db'), { clock: new LiveClock() });
    try {
      const runId = await journal.createRun({ kind: RunKind.Live, strategy: 's', symbols: ['BTC/USDT'] });
      await journal.appendFills(fills.map((f) => fillRecord(runId, f)));
      const read = await store.readRunJournal(runId, ['fills']);
      expect(read.fills.map((f) => f.feeQuantity), 'the fees kept in the coin come back; none for the sell').toEqual([0.00000123, 0.000002, undefined, 0.000001]);
      const restored = portfolio();
      restored.restore(read.fills.map(fillFromRecord));
      const a = live.account.positions.get('BTC/USDT')!;
      const b = restored.account.positions.get('BTC/USDT')!;
      // 0.00123 - 0.00000123 + 0.002 - 0.000002 = 0.00322677; sold 0.00322; + 0.001 - 0.000001 = 0.00100577.
      expect(b.quantityUnits, 'the holding, in satoshis').toBe(100_577);
      expect([b.quantityUnits, b.dustUnits, b.cost, b.realizedPnl]).toEqual([a.quantityUnits, a.dustUnits, a.cost, a.realizedPnl]);
      expect([restored.account.cash, restored.account.feesPaid]).toEqual([live.account.cash, live.account.feesPaid]);
      expect(restored.tradableQuantity('BTC/USDT')).toBe(0.001);
    } finally {
      await close();
    }
    // `traider runs show` names the fee kept in the coin beside its value.
    const shown = await runCliAsync(['runs', 'show', (await runIdIn(join(dir, 'live.db')))!, '--db', join(dir, 'live.db')]);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toMatch(/binance-\d+ O-\d+ BUY 0\.00123 BTC\/USDT @ 50000 fee 0\.0615 \(0\.00000123 kept in the coin\)/);
  });
});
