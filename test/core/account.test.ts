// The ledger: exact conservation of value, round trips, T+1 and several symbols in one account.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Account, InsufficientPosition, notionalOf } from '../../src/core/account.ts';
import { MONEY_SCALE, moneyToNumber, parseScaled } from '../../src/core/decimal.ts';
import { type Fill, Liquidity } from '../../src/core/fill.ts';
import { Instrument } from '../../src/core/instrument.ts';
import { resolveInstrument } from '../../src/core/instrument-table.ts';
import { Market } from '../../src/core/market.ts';
import { OrderSide } from '../../src/core/order.ts';

const money = (text: string): bigint => parseScaled(text, 8);

const MOUTAI = resolveInstrument('600519.SH', Market.AShare); // tick 0.01, lot 100
const BTC = new Instrument({ symbol: 'BTC/USDT', market: Market.Crypto, base: 'BTC', quote: 'USDT', tickSize: '0.01', lotSize: '0.00001', minNotional: 5 });
const XRP = new Instrument({ symbol: 'XRP/USDT', market: Market.Crypto, base: 'XRP', quote: 'USDT', tickSize: '0.0001', lotSize: '0.1', minNotional: 5 });

let fillSequence = 0;
function fill(instrument: Instrument, side: OrderSide, price: number, quantity: number, fee = 0n, tax = 0n, time = 0): Fill {
  return {
    id: `F-${++fillSequence}`,
    orderId: `O-${fillSequence}`,
    symbol: instrument.symbol,
    side,
    time,
    price,
    quantity,
    notional: notionalOf(instrument, price, quantity),
    fee,
    tax,
    liquidity: Liquidity.Taker,
    referencePrice: price,
    impactBps: 0,
    slippageBps: 0,
    reducedForCash: false,
  };
}

/** initialCapital + realized - fees - taxes: what cash plus cost bases must add up to. */
function expectConserved(account: Account, label = ''): void {
  expect(account.cash + account.totalCost, `conservation ${label}`).toBe(
    account.initialCapital + account.realizedPnl - account.feesPaid - account.taxesPaid,
  );
}

describe('notionalOf', () => {
  it('is price x quantity exactly in ledger units', () => {
    expect(notionalOf(MOUTAI, 1800, 100)).toBe(money('180000'));
    expect(notionalOf(BTC, 42_123.45, 0.00123)).toBe(money('51.8118435')); // 4212345 x 123 = 518118435 at 10^-7
    expect(notionalOf(XRP, 0.1 + 0.2, 0.3)).toBe(money('0.09')); // float noise does not leak in
  });

  it('rounds half up when the grid is finer than the ledger', () => {
    const fine = new Instrument({ symbol: 'F/USDT', market: Market.Crypto, base: 'F', quote: 'USDT', tickSize: '0.00001', lotSize: '0.00001', minNotional: 0 });
    // 0.00005 x 0.00001 = 5e-10 -> 0.05 of a ledger unit -> 0; 0.5 x 0.00001 = 5e-6 exactly.
    expect(notionalOf(fine, 0.00005, 0.00001)).toBe(0n);
    expect(notionalOf(fine, 0.5, 0.00001)).toBe(500n);
    // 1.5 x 0.00001 = 1.5e-5 = 1500 units; 0.00015 x 0.5 = 7.5e-5 = 7500 units; 0.00003 x 0.00005 = 1.5e-9 -> 0.15 -> 0
    expect(notionalOf(fine, 0.00015, 0.5)).toBe(7_500n);
    expect(notionalOf(fine, 0.99999, 0.00005)).toBe(5_000n); // 4.99995e-5 = 4999.95 units -> 5000
  });
});

interface Step {
  readonly symbol: 0 | 1 | 2;
  readonly buy: boolean;
  /** Lots to trade (sells are cut to the position). */
  readonly lots: number;
  /** Price in ticks. */
  readonly ticks: number;
  readonly fee: bigint;
  readonly tax: bigint;
  readonly dayStep: number;
}

const INSTRUMENTS = [MOUTAI, BTC, XRP] as const;

const step: fc.Arbitrary<Step> = fc.record({
  symbol: fc.constantFrom(0 as const, 1 as const, 2 as const),
  buy: fc.boolean(),
  lots: fc.integer({ min: 1, max: 500 }),
  ticks: fc.integer({ min: 1, max: 10_000_000 }),
  fee: fc.bigInt({ min: 0n, max: 100n * MONEY_SCALE }),
  tax: fc.bigInt({ min: 0n, max: 10n * MONEY_SCALE }),
  dayStep: fc.integer({ min: 0, max: 1 }),
});

/** BTC as Binance lists it: lot 0.00001, holdings to 8 decimals (a fee kept in the coin leaves dust). */
const BTC_HOLDING = new Instrument({ symbol: 'BTC/USDT', market: Market.Crypto, base: 'BTC', quote: 'USDT', tickSize: '0.01', lotSize: '0.00001', minNotional: 5, holdingDecimals: 8 });

describe('fees kept in the base asset (paid in kind)', () => {
  it('keeps the ledger identity, books what the exchange holds, and never sells dust (property)', () => {
    const trade = fc.record({ buy: fc.boolean(), lots: fc.integer({ min: 1, max: 300 }), ticks: fc.integer({ min: 100_000, max: 10_000_000 }), feePerMille: fc.integer({ min: 0, max: 5 }) });
    fc.assert(
      fc.property(fc.array(trade, { minLength: 1, maxLength: 40 }), (trades) => {
        const i = BTC_HOLDING;
        const account = new Account('USDT', 1_000_000n * MONEY_SCALE);
        // The exchange's side, kept apart in whole satoshis: what it holds and the cash it moved.
        let exchangeSats = 0;
        let exchangeCash = account.cash;
        for (const t of trades) {
          const position = account.position(i);
          const lotSats = 1_000; // 0.00001 BTC
          const units = t.buy ? t.lots * lotSats : Math.min(t.lots * lotSats, position.tradableUnits);
          if (units === 0) continue;
          const price = (t.ticks * i.tickUnits) / i.priceScale;
          const quantity = units / 1e8;
          // A buy's fee in the coin (t.feePerMille of what was bought); a sell pays its fee in USDT.
          const feeSats = t.buy ? Math.floor((units * t.feePerMille) / 1_000) : 0;
          const base = fill(i, t.buy ? OrderSide.Buy : OrderSide.Sell, price, quantity);
          const feeInCash = t.buy ? 0n : (base.notional * BigInt(t.feePerMille)) / 1_000n;
          const f: Fill = feeSats > 0 ? { ...base, fee: notionalOf(i, price, feeSats / 1e8), feeQuantity: feeSats / 1e8 } : { ...base, fee: feeInCash };
          account.applyFill(i, f, 0);
          exchangeSats += t.buy ? units - feeSats : -units;
          exchangeCash += t.buy ? -base.notional : base.notional - feeInCash;
          expectConserved(account, 'in kind');
          expect(position.quantityUnits, 'the books hold what the exchange holds, satoshi for satoshi').toBe(exchangeSats);
          expect(account.cash, 'cash moved as the exchange moved it').toBe(exchangeCash);
          expect(position.tradableUnits % lotSats, 'what can be sold is on the lot').toBe(0);
          expect(position.dustUnits).toBeLessThan(lotSats);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('ledger conservation', () => {
  it('keeps cash + cost == capital + realized - fees - taxes exactly, and the equity identity at any mark (property)', () => {
    fc.assert(
      fc.property(
        fc.array(step, { minLength: 1, maxLength: 60 }),
        fc.array(fc.integer({ min: 1, max: 10_000_000 }), { minLength: 3, maxLength: 3 }),
        fc.bigInt({ min: 0n, max: 10_000_000n * MONEY_SCALE }),
        (steps, markTicks, capital) => {
          const account = new Account('MIX', capital);
          let day = 19_000;
          let booked = 0;
          for (const s of steps) {
            const instrument = INSTRUMENTS[s.symbol];
            const position = account.position(instrument);
            day += s.dayStep;
            let units = s.lots * instrument.lotUnits;
            if (!s.buy) units = Math.min(units, position.quantityUnits);
            if (units === 0) continue;
            const price = (s.ticks * instrument.tickUnits) / instrument.priceScale;
            const quantity = instrument.quantityFromUnits(units);
            account.applyFill(instrument, fill(instrument, s.buy ? OrderSide.Buy : OrderSide.Sell, price, quantity, s.fee, s.tax, day), day);
            booked++;
            expectConserved(account, `after fill ${booked}`);
            expect(position.quantityUnits).toBeGreaterThanOrEqual(0);
            if (position.isFlat) expect(position.cost).toBe(0n);
          }
          // Mark every position and check equity = initial + realized + unrealized - fees - taxes, exactly.
          let marked = 0n;
          let unrealized = 0n;
          INSTRUMENTS.forEach((instrument, k) => {
            const position = account.positions.get(instrument.symbol);
            if (!position || position.isFlat) return;
            const mark = (markTicks[k]! * instrument.tickUnits) / instrument.priceScale;
            const value = notionalOf(instrument, mark, position.quantity);
            marked += value;
            unrealized += value - position.cost;
            expect(position.unrealizedPnl(mark)).toBeCloseTo(moneyToNumber(value - position.cost), 2);
          });
          const equity = account.cash + marked;
          expect(equity).toBe(account.initialCapital + account.realizedPnl + unrealized - account.feesPaid - account.taxesPaid);
          // Every closed round trip nets to sells - buys - costs; their sum plus what is open is the whole story.
          const realizedPerSymbol = [...account.positions.values()].reduce((sum, p) => sum + p.realizedPnl, 0n);
          expect(realizedPerSymbol).toBe(account.realizedPnl);
        },
      ),
      { numRuns: 300 },
    );
  });
});

/**
 * An independent model of one symbol's ledger, kept by the test from the fills alone: units held, cash
 * flows, FIFO lots (realized P&L when flat), and an average-cost basis (a sale takes its share of the
 * cost, rounded half up to the ledger unit).
 */
class LedgerModel {
  units = 0;
  /** Sells minus buys (notional only). */
  flow = 0n;
  averageCost = 0n;
  fifoRealized = 0n;
  private readonly lots: Array<{ units: number; notional: bigint }> = [];

  buy(units: number, notional: bigint): void {
    this.units += units;
    this.flow -= notional;
    this.averageCost += notional;
    this.lots.push({ units, notional });
  }

  sell(units: number, notional: bigint): void {
    const held = BigInt(this.units);
    // cost x units / held, half up: floor((2 cost units + held) / (2 held)).
    this.averageCost -= units === this.units ? this.averageCost : (2n * this.averageCost * BigInt(units) + held) / (2n * held);
    this.units -= units;
    this.flow += notional;
    let left = units;
    let cost = 0n;
    while (left > 0) {
      const lot = this.lots[0]!;
      const take = Math.min(left, lot.units);
      const part = take === lot.units ? lot.notional : (lot.notional * BigInt(take)) / BigInt(lot.units);
      cost += part;
      lot.units -= take;
      lot.notional -= part;
      if (lot.units === 0) this.lots.shift();
      left -= take;
    }
    this.fifoRealized += notional - cost;
  }
}

describe('ledger against an independent model', () => {
  it('cash, quantities, the average-cost basis, and realized P&L when flat (FIFO) agree with a model kept from the fills (property)', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 60 }), fc.bigInt({ min: 0n, max: 10_000_000n * MONEY_SCALE }), (steps, capital) => {
        const account = new Account('MIX', capital);
        const models = INSTRUMENTS.map(() => new LedgerModel());
        let cash = capital;
        let day = 19_000;
        for (const s of steps) {
          const instrument = INSTRUMENTS[s.symbol];
          const model = models[s.symbol]!;
          day += s.dayStep;
          let units = s.lots * instrument.lotUnits;
          if (!s.buy) units = Math.min(units, model.units);
          if (units === 0) continue;
          const price = (s.ticks * instrument.tickUnits) / instrument.priceScale;
          const quantity = instrument.quantityFromUnits(units);
          const notional = notionalOf(instrument, price, quantity);
          account.applyFill(instrument, fill(instrument, s.buy ? OrderSide.Buy : OrderSide.Sell, price, quantity, s.fee, s.tax, day), day);
          if (s.buy) model.buy(units, notional);
          else model.sell(units, notional);
          cash += (s.buy ? -notional : notional) - s.fee - s.tax;

          const position = account.position(instrument);
          expect(account.cash, 'cash').toBe(cash);
          expect(position.quantityUnits, 'units').toBe(model.units);
          expect(position.realizedPnl - position.cost, 'realized - open cost = sells - buys').toBe(model.flow);
          if (model.units === 0) {
            expect(position.cost, 'flat: no cost left').toBe(0n);
            expect(position.realizedPnl, 'flat: realized P&L is the FIFO one').toBe(model.fifoRealized);
          }
          expect(position.cost, 'average-cost basis').toBe(model.averageCost);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('account', () => {
  it('books a buy at cost and a sell with realized P&L, fees and taxes apart', () => {
    const account = new Account('CNY', money('1000000'));
    account.applyFill(MOUTAI, fill(MOUTAI, OrderSide.Buy, 1800, 100, money('57.37'), 0n), 1);
    expect(account.cash).toBe(money('1000000') - money('180000') - money('57.37'));
    const position = account.position(MOUTAI);
    expect(position.quantity).toBe(100);
    expect(position.cost).toBe(money('180000'));
    expect(position.averagePrice).toBe(1800);
    account.applyFill(MOUTAI, fill(MOUTAI, OrderSide.Sell, 1900, 100, money('60.55'), money('190')), 2);
    expect(account.realizedPnl).toBe(money('10000'));
    expect(account.feesPaid).toBe(money('117.92'));
    expect(account.taxesPaid).toBe(money('190'));
    expect(account.cash).toBe(money('1000000') + money('10000') - money('117.92') - money('190'));
    expect(position.isFlat).toBe(true);
    expect(Number.isNaN(position.averagePrice)).toBe(true);
    expectConserved(account);
  });

  it('throws when selling more than is held, and changes nothing', () => {
    const account = new Account('USDT', money('100000'));
    account.applyFill(BTC, fill(BTC, OrderSide.Buy, 40_000, 0.5), 1);
    const cash = account.cash;
    expect(() => account.applyFill(BTC, fill(BTC, OrderSide.Sell, 41_000, 0.50001), 1)).toThrow(InsufficientPosition);
    expect(account.cash).toBe(cash);
    expect(account.position(BTC).quantity).toBe(0.5);
    expect(account.position(BTC).cost).toBe(money('20000'));
    expect(() => account.applyFill(XRP, fill(XRP, OrderSide.Sell, 0.5, 0.1), 1)).toThrow(InsufficientPosition);
    expect(account.trades).toHaveLength(0);
    expectConserved(account);
  });

  it('records a round trip with net pnl = sells - buys - costs', () => {
    const account = new Account('USDT', money('100000'));
    // Buy 1.0 in two fills, sell it in two fills.
    account.applyFill(BTC, fill(BTC, OrderSide.Buy, 100, 0.4, money('0.04'), 0n, 1_000), 0);
    account.applyFill(BTC, fill(BTC, OrderSide.Buy, 110, 0.6, money('0.066'), 0n, 2_000), 0);
    account.applyFill(BTC, fill(BTC, OrderSide.Sell, 120, 0.5, money('0.06'), money('0.01'), 3_000), 0);
    expect(account.trades).toHaveLength(0);
    account.applyFill(BTC, fill(BTC, OrderSide.Sell, 130, 0.5, money('0.065'), 0n, 4_000), 0);
    expect(account.trades).toHaveLength(1);
    const trade = account.trades[0]!;
    // buys 40 + 66 = 106; sells 60 + 65 = 125; costs 0.04 + 0.066 + 0.06 + 0.01 + 0.065 = 0.241
    expect(trade.pnl).toBe(125 - 106 - 0.241);
    expect(trade.quantity).toBe(1);
    expect(trade.entryPrice).toBe(106);
    expect(trade.exitPrice).toBe(125);
    expect(trade.entryTime).toBe(1_000);
    expect(trade.exitTime).toBe(4_000);
    expect(trade.fills).toBe(4);
    expect(trade.returnFraction).toBeCloseTo((125 - 106 - 0.241) / 106, 12);
    // Realized P&L in the ledger is before costs: 125 - 106 = 19.
    expect(account.realizedPnl).toBe(money('19'));
    expectConserved(account);
  });

  it('starts a new round trip after the position goes flat', () => {
    const account = new Account('USDT', money('100000'));
    account.applyFill(XRP, fill(XRP, OrderSide.Buy, 0.5, 100, money('0.05')), 0);
    account.applyFill(XRP, fill(XRP, OrderSide.Sell, 0.6, 100, money('0.06')), 0);
    account.applyFill(XRP, fill(XRP, OrderSide.Buy, 0.7, 10), 0);
    account.applyFill(XRP, fill(XRP, OrderSide.Sell, 0.65, 10), 0);
    expect(account.trades.map((t) => t.pnl)).toEqual([60 - 50 - 0.11, 6.5 - 7]);
    expect(account.trades.map((t) => t.fills)).toEqual([2, 2]);
  });

  it('takes a proportional cost basis on partial sells', () => {
    const account = new Account('USDT', money('100000'));
    account.applyFill(XRP, fill(XRP, OrderSide.Buy, 0.3333, 3), 0); // cost 0.9999
    account.applyFill(XRP, fill(XRP, OrderSide.Sell, 0.5, 1), 0);
    // cost sold = 0.9999 x 1/3 = 0.3333; realized = 0.5 - 0.3333
    expect(account.position(XRP).cost).toBe(money('0.6666'));
    expect(account.realizedPnl).toBe(money('0.1667'));
    expectConserved(account);
  });
});

describe('T+1', () => {
  it('excludes same-day buys from what is sellable and includes them the next day', () => {
    const account = new Account('CNY', money('1000000'));
    const position = account.position(MOUTAI);
    const monday = 19_724;
    account.applyFill(MOUTAI, fill(MOUTAI, OrderSide.Buy, 1800, 200), monday);
    expect(position.sellableUnits(monday, true)).toBe(0);
    expect(position.sellableUnits(monday + 1, true)).toBe(200);
    // Without T+1 (crypto) everything is sellable at once.
    expect(position.sellableUnits(monday, false)).toBe(200);
    // Tuesday: buy 100 more; yesterday's 200 can go, today's 100 cannot.
    account.applyFill(MOUTAI, fill(MOUTAI, OrderSide.Buy, 1810, 100), monday + 1);
    expect(position.sellableUnits(monday + 1, true)).toBe(200);
    account.applyFill(MOUTAI, fill(MOUTAI, OrderSide.Sell, 1820, 200), monday + 1);
    expect(position.sellableUnits(monday + 1, true)).toBe(0);
    expect(position.quantity).toBe(100);
    expect(position.sellableUnits(monday + 2, true)).toBe(100);
  });

  it('counts several buys of the same day together', () => {
    const account = new Account('CNY', money('1000000'));
    const position = account.position(MOUTAI);
    account.applyFill(MOUTAI, fill(MOUTAI, OrderSide.Buy, 1800, 100), 10);
    account.applyFill(MOUTAI, fill(MOUTAI, OrderSide.Buy, 1800, 100), 11);
    account.applyFill(MOUTAI, fill(MOUTAI, OrderSide.Buy, 1801, 300), 11);
    expect(position.sellableUnits(11, true)).toBe(100);
    expect(position.sellableUnits(12, true)).toBe(500);
  });
});

describe('several symbols', () => {
  it('share one cash balance and keep their positions apart', () => {
    const account = new Account('USDT', money('10000'));
    account.applyFill(BTC, fill(BTC, OrderSide.Buy, 40_000, 0.1, money('4')), 0);
    account.applyFill(XRP, fill(XRP, OrderSide.Buy, 0.5, 1000, money('0.5')), 0);
    expect(account.cash).toBe(money('10000') - money('4000') - money('4') - money('500') - money('0.5'));
    expect(account.positions.size).toBe(2);
    expect(account.position(BTC).cost).toBe(money('4000'));
    expect(account.position(XRP).cost).toBe(money('500'));
    expect(account.totalCost).toBe(money('4500'));
    account.applyFill(XRP, fill(XRP, OrderSide.Sell, 0.6, 1000), 0);
    expect(account.position(XRP).realizedPnl).toBe(money('100'));
    expect(account.position(BTC).realizedPnl).toBe(0n);
    expect(account.realizedPnl).toBe(money('100'));
    expect(account.trades.map((t) => t.symbol)).toEqual(['XRP/USDT']);
    expectConserved(account);
  });
});
