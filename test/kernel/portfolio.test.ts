// The portfolio on its own: one bookkeeping path for fills, restores, adopted holdings and ex-rights days,
// and the marks the hot path reads (equity, held quantities, open positions, ledger version).
import { describe, expect, it } from 'vitest';
import type { Bar } from '../../src/core/bar.ts';
import { moneyToNumber, numberToMoney } from '../../src/core/decimal.ts';
import type { Fill } from '../../src/core/fill.ts';
import { resolveInstrument } from '../../src/core/instrument-table.ts';
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

  it('shows a position in the strategy prices, with what T+1 lets it sell', () => {
    const stock = resolveInstrument('600519.SH', Market.AShare);
    const { cache, portfolio } = setup([stock], 1_000_000);
    expect(portfolio.positionView('600519.SH', T0, 1)).toEqual({ symbol: '600519.SH', quantity: 0, sellableQuantity: 0, averagePrice: NaN, realizedPnl: 0, unrealizedPnl: 0 });
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
