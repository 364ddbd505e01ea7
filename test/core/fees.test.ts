// Fee schedules, hand-computed to the fen (A-shares) and to 1e-8 (crypto).
import { describe, expect, it } from 'vitest';
import { AShareFeeSchedule, CryptoFeeSchedule, type FeeSchedule, type FillCosts } from '../../src/core/fees.ts';
import { Liquidity } from '../../src/core/fill.ts';
import { MONEY_SCALE, parseScaled } from '../../src/core/decimal.ts';
import { OrderSide } from '../../src/core/order.ts';

/** An amount written as a decimal string, in ledger units (10^-8). */
const money = (text: string): bigint => parseScaled(text, 8);

/** The product's defaults: 0.025% commission (5 CNY minimum), 0.1% stamp duty on sells, 0.002% transfer, 0.00487% exchange. */
const ASHARE = new AShareFeeSchedule({
  commissionRate: 0.00025,
  commissionMinimum: 5,
  stampDutyRate: 0.001,
  transferFeeRate: 0.00002,
  exchangeFeeRate: 0.0000487,
});

/** Costs of a single-fill order. */
function oneFill(side: OrderSide, notional: string): FillCosts {
  return ASHARE.costs(side, Liquidity.Taker, money(notional), 0n, 0n);
}

describe('A-share costs', () => {
  it('charges a 100-share buy at 1800.00 commission, transfer and exchange fees but no stamp duty', () => {
    const costs = oneFill(OrderSide.Buy, '180000'); // 100 x 1800.00
    expect(costs.commission).toBe(money('45.00')); // 180,000 x 0.00025 = 45.00 (above the 5.00 minimum)
    // transfer 180,000 x 0.00002 = 3.60; exchange 180,000 x 0.0000487 = 8.766 -> 8.77 (half up at the fen)
    expect(costs.fee).toBe(money('45.00') + money('3.60') + money('8.77'));
    expect(costs.fee).toBe(money('57.37'));
    expect(costs.tax).toBe(0n); // stamp duty is for sells only
  });

  it('charges a 100-share sell at 1900.00 stamp duty on top', () => {
    const costs = oneFill(OrderSide.Sell, '190000'); // 100 x 1900.00
    expect(costs.commission).toBe(money('47.50')); // 190,000 x 0.00025 = 47.50
    // transfer 190,000 x 0.00002 = 3.80; exchange 190,000 x 0.0000487 = 9.253 -> 9.25
    expect(costs.fee).toBe(money('47.50') + money('3.80') + money('9.25'));
    expect(costs.tax).toBe(money('190.00')); // 190,000 x 0.001
  });

  it('charges the 5 CNY minimum commission on a small order', () => {
    const costs = oneFill(OrderSide.Buy, '1000'); // 100 x 10.00
    expect(costs.commission).toBe(money('5.00')); // 1,000 x 0.00025 = 0.25 < 5.00
    // transfer 1,000 x 0.00002 = 0.02; exchange 1,000 x 0.0000487 = 0.0487 -> 0.05
    expect(costs.fee).toBe(money('5.00') + money('0.02') + money('0.05'));
    expect(costs.tax).toBe(0n);
  });

  it('applies the minimum once per order across its fills: two fills of 1,000 pay 5.00 then 0.00', () => {
    const first = ASHARE.costs(OrderSide.Buy, Liquidity.Taker, money('1000'), 0n, 0n);
    expect(first.commission).toBe(money('5.00')); // 1,000 x 0.00025 = 0.25 -> the 5.00 minimum
    const second = ASHARE.costs(OrderSide.Buy, Liquidity.Taker, money('1000'), money('1000'), first.commission);
    expect(second.commission).toBe(0n); // 2,000 x 0.00025 = 0.50, still under the 5.00 already paid
    expect(first.commission + second.commission).toBe(money('5.00'));
    // The other fees are per fill: 0.02 + 0.05 each time.
    expect(second.fee).toBe(money('0.07'));
  });

  it('charges 10.00 in total on three fills worth 40,000, whatever the split', () => {
    for (const split of [
      ['10000', '10000', '20000'],
      ['1000', '1000', '38000'],
      ['38000', '1000', '1000'],
    ]) {
      let soFar = 0n;
      let charged = 0n;
      for (const part of split) {
        const costs = ASHARE.costs(OrderSide.Sell, Liquidity.Taker, money(part), soFar, charged);
        expect(costs.commission, `split ${split.join('+')}`).toBeGreaterThanOrEqual(0n);
        soFar += money(part);
        charged += costs.commission;
      }
      // 40,000 x 0.00025 = 10.00 > 5.00
      expect(charged, `split ${split.join('+')}`).toBe(money('10.00'));
    }
  });

  it('charges 10.00 in total on 10,000 + 10,000 + 20,000 as 5.00, 0.00, 5.00', () => {
    const a = ASHARE.costs(OrderSide.Buy, Liquidity.Taker, money('10000'), 0n, 0n);
    const b = ASHARE.costs(OrderSide.Buy, Liquidity.Taker, money('10000'), money('10000'), a.commission);
    const c = ASHARE.costs(OrderSide.Buy, Liquidity.Taker, money('20000'), money('20000'), a.commission + b.commission);
    expect([a.commission, b.commission, c.commission]).toEqual([money('5.00'), 0n, money('5.00')]);
  });

  it('rounds every part to the fen', () => {
    const fen = MONEY_SCALE / 100n;
    for (const notional of ['1234.56', '99999.99', '0.01', '777777.77']) {
      for (const side of [OrderSide.Buy, OrderSide.Sell]) {
        const costs = oneFill(side, notional);
        expect(costs.fee % fen).toBe(0n);
        expect(costs.tax % fen).toBe(0n);
        expect(costs.commission % fen).toBe(0n);
      }
    }
  });

  it('describes its rates for reports', () => {
    expect(ASHARE.describe()).toMatch(/0\.025%.*5 CNY minimum/);
  });
});

describe('crypto costs', () => {
  // Through the port's type, as the venue calls it.
  const BINANCE: FeeSchedule = new CryptoFeeSchedule({ makerBps: 2, takerBps: 10 }, 'USDT');

  it('charges 10 bps taker on 1234.56789 USDT as 1.23456789', () => {
    // 1234.56789 x 0.001 = 1.23456789 exactly, already on the 1e-8 grid.
    const costs = BINANCE.costs(OrderSide.Buy, Liquidity.Taker, money('1234.56789'), 0n, 0n);
    expect(costs.fee).toBe(money('1.23456789'));
    expect(costs.commission).toBe(costs.fee);
    expect(costs.tax).toBe(0n);
  });

  it('rounds half up at 1e-8', () => {
    // 0.000005 x 0.001 = 0.000000005 = half a unit -> 0.00000001
    expect(BINANCE.costs(OrderSide.Buy, Liquidity.Taker, money('0.000005'), 0n, 0n).fee).toBe(1n);
    // 1234.567891 x 0.001 = 1.234567891 -> 1.23456789
    expect(BINANCE.costs(OrderSide.Sell, Liquidity.Taker, money('1234.567891'), 0n, 0n).fee).toBe(money('1.23456789'));
    // 1234.567895 x 0.001 = 1.234567895 -> 1.2345679
    expect(BINANCE.costs(OrderSide.Sell, Liquidity.Taker, money('1234.567895'), 0n, 0n).fee).toBe(money('1.2345679'));
  });

  it('charges the maker rate on maker fills and no tax on sells', () => {
    const costs = BINANCE.costs(OrderSide.Sell, Liquidity.Maker, money('10000'), 0n, 0n);
    expect(costs.fee).toBe(money('2')); // 10,000 x 0.0002
    expect(costs.tax).toBe(0n);
  });

  it('rounds to the cent for a fiat quote', () => {
    const usd: FeeSchedule = new CryptoFeeSchedule({ makerBps: 10, takerBps: 10 }, 'USD');
    expect(usd.costs(OrderSide.Buy, Liquidity.Taker, money('1234.56789'), 0n, 0n).fee).toBe(money('1.23'));
    expect(usd.costs(OrderSide.Buy, Liquidity.Taker, money('1235'), 0n, 0n).fee).toBe(money('1.24')); // 1.235 -> 1.24
  });
});
