// The portfolio on its own: one bookkeeping path for fills, restores, adopted holdings and ex-rights days,
// and the marks the hot path reads (equity, held quantities, open positions, ledger version).
import { describe, expect, it } from 'vitest';
import type { Bar } from '../../src/core/bar.ts';
import { moneyToNumber, numberToMoney } from '../../src/core/decimal.ts';
import type { Fill } from '../../src/core/fill.ts';
import { resolveInstrument } from '../../src/core/instrument-table.ts';
import { Instrument } from '../../src/core/instrument.ts';
import { Market } from '../../src/core/market.ts';
import { OrderSide } from '../../src/core/order.ts';
import { Cache } from '../../src/common/cache.ts';
import { MessageBus, Topic } from '../../src/common/message-bus.ts';
import { type CorporateAction, Portfolio } from '../../src/engines/portfolio/index.ts';
import { takerFill } from './helpers.ts';

const BTC = resolveInstrument('BTC/USDT', Market.Crypto);
const ETH = resolveInstrument('ETH/USDT', Market.Crypto);
const DAY = 86_400_000;
const T0 = Date.UTC(2024, 0, 2);

function setup(instruments = [BTC, ETH], capital = 10_000) {
  const cache = new Cache();
  for (const instrument of instruments) cache.addInstrument(instrument);
  const bus = new MessageBus();
  const logs: string[] = [];
  const portfolio = new Portfolio({ cache, bus, currency: instruments[0]!.quote, initialCapital: numberToMoney(capital), log: (m) => logs.push(m) });
  return { cache, bus, portfolio, logs };
}

let orderCount = 0;
function fill(symbol: string, side: OrderSide, quantity: number, price: number, time = T0, fee = 0): Fill {
  const instrument = resolveInstrument(symbol, symbol.includes('/') ? Market.Crypto : Market.AShare);
  return takerFill({ id: `O-${++orderCount}`, symbol, side, decisionPrice: price }, instrument, quantity, price, time, fee);
}

describe('the portfolio', () => {
  it('books a fill: cash, held quantity, open positions and the ledger version move together', () => {
    const { cache, portfolio } = setup();
    expect([portfolio.equity(), portfolio.openPositions(), portfolio.ledgerVersion(), portfolio.hasOpenPosition]).toEqual([10_000, 0, 0, false]);
    portfolio.applyFill(fill('BTC/USDT', OrderSide.Buy, 0.1, 20_000, T0, 2));
    expect(portfolio.cash()).toBe(10_000 - 2_000 - 2);
    expect(moneyToNumber(portfolio.account.cash)).toBe(portfolio.cash());
    expect([portfolio.heldQuantity(0), portfolio.heldUnits('BTC/USDT'), portfolio.openPositions(), portfolio.ledgerVersion()]).toEqual([0.1, 10_000, 1, 1]);
    expect(portfolio.fills.length).toBe(1);
    cache.lastClose[0] = 21_000;
    expect(portfolio.equity()).toBeCloseTo(7_998 + 2_100, 8);
    expect(moneyToNumber(portfolio.markedPositionsValue())).toBe(2_100);
    portfolio.applyFill(fill('BTC/USDT', OrderSide.Sell, 0.1, 21_000));
    expect([portfolio.heldQuantity(0), portfolio.openPositions(), portfolio.ledgerVersion(), portfolio.hasOpenPosition]).toEqual([0, 0, 2, false]);
    expect(portfolio.equity()).toBe(portfolio.cash());
  });

  it('takes an adopted holding through the same path, at its price, without a fill', () => {
    const { cache, portfolio } = setup();
    portfolio.adoptPosition('ETH/USDT', 2.00004, 3_000);
    expect([portfolio.heldQuantity(1), portfolio.openPositions(), portfolio.ledgerVersion(), portfolio.fills.length]).toEqual([2, 1, 1, 0]);
    expect(portfolio.cash()).toBe(10_000);
    cache.lastClose[1] = 3_000;
    expect(portfolio.equity()).toBe(16_000);
  });

  it('restores journaled fills to the ledger a live run would have', () => {
    const live = setup().portfolio;
    const fills = [fill('BTC/USDT', OrderSide.Buy, 0.2, 20_000, T0, 1), fill('ETH/USDT', OrderSide.Buy, 1, 3_000, T0, 1), fill('BTC/USDT', OrderSide.Sell, 0.05, 22_000, T0 + DAY, 1)];
    for (const f of fills) live.applyFill(f);
    const restored = setup().portfolio;
    restored.restore(fills);
    expect([restored.cash(), restored.heldQuantity(0), restored.heldQuantity(1), restored.openPositions(), restored.fills]).toEqual([live.cash(), live.heldQuantity(0), live.heldQuantity(1), 2, fills]);
    expect(restored.account.realizedPnl).toBe(live.account.realizedPnl);
  });

  it('books a fee kept in the coin bought in kind: the holding less the fee, dust below the lot apart from what can be sold', () => {
    // As Binance lists BTC/USDT: lot 0.00001, balances to 8 decimals.
    const btc = new Instrument({ symbol: 'BTC/USDT', market: Market.Crypto, base: 'BTC', quote: 'USDT', tickSize: '0.01', lotSize: '0.00001', minNotional: 5, holdingDecimals: 8 });
    const { cache, portfolio } = setup([btc], 1_000);
    // Buy 0.001 at 50,000: 50 USDT; the exchange keeps 0.1% = 0.000001 BTC (worth 0.05 USDT) as the fee.
    const buy = { ...fill('BTC/USDT', OrderSide.Buy, 0.001, 50_000, T0, 0.05), feeQuantity: 0.000001 };
    portfolio.applyFill(buy);
    expect(portfolio.cash(), 'cash pays the notional only').toBe(950);
    expect(portfolio.heldQuantity(0), 'the books hold what the exchange holds').toBe(0.000999);
    const position = portfolio.account.positions.get('BTC/USDT')!;
    expect(moneyToNumber(position.cost), 'the cost basis is what was kept, at the fill price').toBe(49.95);
    expect(moneyToNumber(portfolio.account.feesPaid)).toBe(0.05);
    cache.lastClose[0] = 50_000;
    const view = portfolio.positionView('BTC/USDT', T0, 1);
    expect([view.quantity, view.dust, view.sellableQuantity], 'a strategy sees 0.00099 it can sell and 0.000009 of dust').toEqual([0.00099, 0.000009, 0.00099]);
    expect(portfolio.tradableQuantity('BTC/USDT')).toBe(0.00099);
    expect(portfolio.equity(), 'equity counts the dust: 950 + 0.000999 x 50,000').toBeCloseTo(999.95, 9);
    // Sell what can be sold at 51,000: 50.49 USDT less a 0.05049 USDT fee paid in USDT.
    portfolio.applyFill(fill('BTC/USDT', OrderSide.Sell, 0.00099, 51_000, T0 + 60_000, 0.05049));
    expect(portfolio.cash()).toBeCloseTo(950 + 50.49 - 0.05049, 9);
    expect(portfolio.heldQuantity(0), 'dust stays, as on the exchange').toBe(0.000009);
    expect(portfolio.tradableQuantity('BTC/USDT')).toBe(0);
    expect(portfolio.positionView('BTC/USDT', T0, 1).quantity, 'the strategy sees itself flat').toBe(0);
    const [trade] = portfolio.account.trades;
    expect(trade, 'the sell that leaves only dust ends the round trip').toBeDefined();
    // Bought 0.000999 for 49.95 (after the 0.05 fee in kind), sold 0.00099 for 50.49: P&L is cash in - cash out.
    expect([trade!.quantity, trade!.entryPrice, trade!.pnl]).toEqual([0.000999, 50_000, Number((50.49 - 0.05049 - 50).toFixed(8))]);
    const { cost, realizedPnl } = position;
    expect(moneyToNumber(cost), 'the dust keeps its share of the cost: 49.95 x 9 / 999').toBe(0.45);
    expect(moneyToNumber(realizedPnl), '50.49 - 49.95 x 990 / 999').toBe(0.99);
  });

  it('shows a position in the strategy prices, with what T+1 lets it sell', () => {
    const stock = resolveInstrument('600519.SH', Market.AShare);
    const { cache, portfolio } = setup([stock], 1_000_000);
    expect(portfolio.positionView('600519.SH', T0, 1)).toEqual({ symbol: '600519.SH', quantity: 0, dust: 0, sellableQuantity: 0, averagePrice: NaN, realizedPnl: 0, unrealizedPnl: 0 });
    portfolio.applyFill(fill('600519.SH', OrderSide.Buy, 300, 100, T0));
    cache.lastClose[0] = 110;
    const today = portfolio.positionView('600519.SH', T0, 0.5);
    expect([today.quantity, today.sellableQuantity, today.averagePrice, today.unrealizedPnl]).toEqual([300, 0, 50, 3_000]);
    expect(portfolio.sellableQuantity('600519.SH', T0 + DAY)).toBe(300);
  });

  it('books an ex-rights day on a held position at once, or at restore time between the fills of its days', () => {
    const stock = resolveInstrument('600519.SH', Market.AShare);
    const exRights = (time: number): Bar => ({ symbol: '600519.SH', openTime: time, closeTime: time + DAY / 4, open: 50, high: 50, low: 50, close: 50, volume: 1, preClose: 50, adjustmentFactor: 2 });
    const buy = fill('600519.SH', OrderSide.Buy, 100, 100, T0);

    const { cache, bus, portfolio, logs } = setup([stock], 1_000_000);
    const published: CorporateAction[] = [];
    bus.subscribe<CorporateAction>(Topic.CorporateAction, (action) => published.push(action));
    portfolio.applyFill(buy);
    cache.lastClose[0] = 100;
    portfolio.exRightsDay(exRights(T0 + DAY), 0, 2, false);
    expect([portfolio.heldQuantity(0), portfolio.corporateFactor[0], cache.lastClose[0], portfolio.ledgerVersion()]).toEqual([200, 2, 50, 2]);
    expect(published).toEqual(portfolio.corporateActions);
    expect(published.map((a) => [a.previousQuantity, a.quantity, a.cash])).toEqual([[100, 200, 0]]);
    expect(logs.length).toBe(1);

    // Warming up: the day waits, and a restore books it after the fill that came before it.
    const warm = setup([stock], 1_000_000);
    warm.cache.lastClose[0] = 100;
    warm.portfolio.exRightsDay(exRights(T0 + DAY), 0, 2, true);
    expect(warm.portfolio.corporateActions).toEqual([]);
    warm.portfolio.restore([buy]);
    expect([warm.portfolio.heldQuantity(0), warm.portfolio.cash(), warm.portfolio.corporateActions]).toEqual([200, portfolio.cash(), portfolio.corporateActions]);
  });
});
