// Every pre-trade reason through the real kernel: the order is DENIED with the reason, the strategy
// receives the DENIED event, the denial carries the numbers (value, limit) and the kernel counts it.
import { describe, expect, it } from 'vitest';
import { Order, OrderEventKind, OrderSide, OrderStatus, OrderType, TimeInForce } from '../../src/core/order.ts';
import { BreakerLevel, DenialReason, RiskMode } from '../../src/engines/risk/codes.ts';
import type { SimulatedClock } from '../../src/common/clock.ts';
import { ashareInstrument, cryptoInstrument } from '../sim/helpers.ts';
import { DAY, Harness, HOUR, MINUTE, T0 } from './helpers.ts';

/** 2024-01-02 (a Tuesday) 09:30 Shanghai = 01:30 UTC. */
const ASHARE_OPEN = Date.UTC(2024, 0, 2, 1, 30);

interface Expected {
  readonly value?: number;
  readonly limit?: number;
  readonly detail?: RegExp;
}

/** The order was denied with `reason`, the strategy saw it, and the numbers are as expected. */
function expectDenied(h: Harness, order: Order, reason: string, expected: Expected = {}): void {
  expect(order.status, `order ${order.id} should be denied with ${reason}`).toBe(OrderStatus.Denied);
  const event = h.strategy.events.find((e) => e.order === order);
  expect(event, 'the strategy receives the DENIED event').toMatchObject({ kind: OrderEventKind.Denied, reason });
  const denial = h.lastDenial();
  expect(denial.reason).toBe(reason);
  expect(event!.detail).toBe(denial.detail);
  if (expected.detail) expect(denial.detail).toMatch(expected.detail);
  if ('value' in expected) {
    if (expected.value === undefined) expect(denial.value).toBeUndefined();
    else expect(denial.value).toBeCloseTo(expected.value, 9);
  }
  if ('limit' in expected) {
    if (expected.limit === undefined) expect(denial.limit).toBeUndefined();
    else expect(denial.limit).toBeCloseTo(expected.limit, 9);
  }
}

function expectPassed(order: Order): void {
  expect(order.status, `order ${order.id} should pass the pre-trade chain`).not.toBe(OrderStatus.Denied);
}

/** Denials the kernel counted, by reason (what the backtest JSON reports as `denials`). */
function counts(h: Harness): Record<string, number> {
  return Object.fromEntries(h.kernel.deniedCounts);
}

describe('size and value limits', () => {
  it('denies an order above the per-symbol quantity limit with MAX_QUANTITY (quantity vs limit)', () => {
    const h = new Harness({ risk: { preTrade: { maxOrderQuantity: { 'TEST/USDT': 5 } } } });
    h.bar(100);
    expectPassed(h.buy(5));
    const order = h.buy(5.001);
    expectDenied(h, order, DenialReason.MaxQuantity, { value: 5.001, limit: 5 });
    expect(counts(h)).toEqual({ MAX_QUANTITY: 1 });
  });

  it('denies an order worth more than maxOrderNotional with MAX_NOTIONAL, valued at the limit price for limit orders', () => {
    const h = new Harness({ risk: { preTrade: { maxOrderNotional: 1000 } } });
    h.bar(100);
    expectPassed(h.buy(10));
    expectDenied(h, h.buy(10.001), DenialReason.MaxNotional, { value: 1000.1, limit: 1000 });
    expectDenied(h, h.buy(10, { type: OrderType.Limit, price: 101 }), DenialReason.MaxNotional, { value: 1010, limit: 1000 });
    expect(counts(h)).toEqual({ MAX_NOTIONAL: 2 });
  });

  it('denies growing a position beyond maxPositionFraction of equity with MAX_POSITION (fraction vs limit)', () => {
    const h = new Harness({ capital: 100_000, risk: { preTrade: { maxPositionFraction: 0.1 } } });
    h.bar(100);
    expectPassed(h.buy(100));
    h.bar(100);
    expect(h.position()).toBe(100);
    expectDenied(h, h.buy(0.01), DenialReason.MaxPosition, { value: 0.10001, limit: 0.1 });
    // Reducing is never limited by the position cap.
    expectPassed(h.sell(50));
    expect(counts(h)).toEqual({ MAX_POSITION: 1 });
  });

  it('denies an order that takes total exposure (positions, open buys and the order) above the cap with MAX_EXPOSURE', () => {
    const a = cryptoInstrument({ symbol: 'AAA/USDT', base: 'AAA' });
    const b = cryptoInstrument({ symbol: 'BBB/USDT', base: 'BBB' });
    const h = new Harness({ instruments: [a, b], capital: 100_000, risk: { preTrade: { maxExposureFraction: 0.3 } } });
    h.bar(100, 'AAA/USDT');
    h.bar(100, 'BBB/USDT');
    expectPassed(h.buy(200, { symbol: 'AAA/USDT' }));
    h.bar(100, 'AAA/USDT');
    h.bar(100, 'BBB/USDT');
    expect(h.position('AAA/USDT')).toBe(200);
    // A resting buy counts too: 20,000 held + 5,000 resting + 5,100 new = 0.301 of equity.
    expectPassed(h.buy(50, { symbol: 'BBB/USDT', type: OrderType.Limit, price: 100 }));
    expectDenied(h, h.buy(51, { symbol: 'BBB/USDT' }), DenialReason.MaxExposure, { value: 0.301, limit: 0.3 });
    expectPassed(h.buy(50, { symbol: 'BBB/USDT' }));
    expect(counts(h)).toEqual({ MAX_EXPOSURE: 1 });
  });

  it('under --risk-mode sizes increasing orders to the mode exposure headroom, then denies with MAX_EXPOSURE (mode limit)', () => {
    const h = new Harness({ capital: 100_000, engine: { mode: RiskMode.LiveMinimal } });
    h.bar(100);
    const first = h.buy(100);
    expect(first.quantity).toBe(20);
    h.bar(100);
    expect(h.position()).toBe(20);
    expectDenied(h, h.buy(10), DenialReason.MaxExposure, { value: 0.03, limit: 0.02 });
    // Reducing orders are not sized.
    expect(h.sell(20).quantity).toBe(20);
    expect(counts(h)).toEqual({ MAX_EXPOSURE: 1 });
  });

  it('denies a buy worth more than the free cash (cash less open buys) with INSUFFICIENT_BALANCE', () => {
    const h = new Harness({ capital: 100_000 });
    h.bar(100);
    expectDenied(h, h.buy(1000.01), DenialReason.InsufficientBalance, { value: 100_001, limit: 100_000 });
    expectPassed(h.buy(500, { type: OrderType.Limit, price: 99 }));
    expectDenied(h, h.buy(506), DenialReason.InsufficientBalance, { value: 50_600, limit: 50_500 });
    expectPassed(h.buy(505));
    expect(counts(h)).toEqual({ INSUFFICIENT_BALANCE: 2 });
  });

  it('denies an order worth less than the instrument minimum notional with MIN_NOTIONAL', () => {
    const h = new Harness({ instruments: [cryptoInstrument({ minNotional: 10 })] });
    h.bar(100);
    expectDenied(h, h.buy(0.099), DenialReason.MinNotional, { value: 9.9, limit: 10 });
    expectPassed(h.buy(0.1));
    expect(counts(h)).toEqual({ MIN_NOTIONAL: 1 });
  });
});

describe('grid checks on orders built outside the kernel (the kernel rounds its own)', () => {
  function engineAt100(): Harness {
    const h = new Harness();
    h.bar(100);
    return h;
  }
  const order = (quantity: number, price: number | undefined, stopPrice?: number): Order =>
    new Order('X-1', 'TEST/USDT', OrderSide.Buy, price === undefined ? OrderType.Stop : OrderType.Limit, quantity, price, stopPrice, TimeInForce.GTC, T0 + MINUTE, 100);

  it('denies a quantity off the lot grid with INVALID_LOT (quantity vs lot)', () => {
    const h = engineAt100();
    const denial = h.risk.checkSubmit(order(0.0015, 100));
    expect(denial).toMatchObject({ reason: DenialReason.InvalidLot, value: 0.0015, limit: 0.001 });
    expect(h.risk.deniedCounts.get(DenialReason.InvalidLot)).toBe(1);
    // Through the kernel the same request is rounded down onto the grid and passes.
    const rounded = h.buy(0.0015, { type: OrderType.Limit, price: 100 });
    expect(rounded.quantity).toBe(0.001);
    expectPassed(rounded);
  });

  it('denies a limit or stop price off the tick grid with INVALID_TICK (price vs tick)', () => {
    const h = engineAt100();
    expect(h.risk.checkSubmit(order(1, 100.005))).toMatchObject({ reason: DenialReason.InvalidTick, value: 100.005, limit: 0.01 });
    expect(h.risk.checkSubmit(order(1, undefined, 100.123))).toMatchObject({ reason: DenialReason.InvalidTick, value: 100.123, limit: 0.01 });
    expect(h.risk.checkSubmit(order(1, 100.01))).toBeUndefined();
    expect(h.risk.deniedCounts.get(DenialReason.InvalidTick)).toBe(2);
  });
});

describe('price checks', () => {
  it('denies a limit price one tick outside the 5% band with PRICE_BAND and lets one exactly at the band pass', () => {
    const h = new Harness();
    h.bar(100);
    expectDenied(h, h.buy(1, { type: OrderType.Limit, price: 105.01 }), DenialReason.PriceBand, { value: 105.01, limit: 105 });
    expectPassed(h.buy(1, { type: OrderType.Limit, price: 105 }));
    // Below the band: the limit reported is the lower edge.
    expectDenied(h, h.buy(1, { type: OrderType.Limit, price: 94.99 }), DenialReason.PriceBand, { value: 94.99, limit: 95 });
    expectPassed(h.buy(1, { type: OrderType.Limit, price: 95 }));
    expect(counts(h)).toEqual({ PRICE_BAND: 2 });
  });

  it('applies the price band to sell limits, on a non-round last price', () => {
    const h = new Harness({ risk: { preTrade: { priceBandBps: 100 } } });
    h.bar(123.45);
    h.buy(10);
    h.bar(123.45);
    // 1% of 123.45 is 1.2345: 124.6845 is the upper edge, 124.68 inside, 124.69 one tick outside.
    expectDenied(h, h.sell(1, { type: OrderType.Limit, price: 124.69 }), DenialReason.PriceBand, { value: 124.69, limit: 124.6845, detail: /limit price .* band 100 bps/ });
    expectPassed(h.sell(1, { type: OrderType.Limit, price: 124.68 }));
  });

  it('gives stops their own band (default 2,000 bps): a stop 9% away passes, a limit 9% away is denied PRICE_BAND', () => {
    const h = new Harness();
    h.bar(100);
    h.buy(10);
    h.bar(100);
    expectPassed(h.buy(1, { type: OrderType.Stop, stopPrice: 109 }));
    expectPassed(h.sell(1, { type: OrderType.Stop, stopPrice: 91 }));
    expectPassed(h.sell(1, { type: OrderType.StopLimit, stopPrice: 91, price: 90.5 }));
    expectDenied(h, h.buy(1, { type: OrderType.Limit, price: 109 }), DenialReason.PriceBand, { value: 109, limit: 105, detail: /band 500 bps/ });
    expect(counts(h)).toEqual({ PRICE_BAND: 1 });
  });

  it('denies a stop beyond the stop band with STOP_BAND (price vs edge), and a stop-limit whose limit is beyond it', () => {
    const h = new Harness({ risk: { preTrade: { stopBandBps: 1000 } } });
    h.bar(123.45);
    h.buy(10);
    h.bar(123.45);
    // 10% of 123.45 is 12.345: 111.105 is the lower edge, 111.11 inside, 111.10 one tick outside.
    expectPassed(h.sell(1, { type: OrderType.Stop, stopPrice: 111.11 }));
    expectDenied(h, h.sell(1, { type: OrderType.Stop, stopPrice: 111.1 }), DenialReason.StopBand, { value: 111.1, limit: 111.105, detail: /stop price 111.1 is .* stop band 1000 bps/ });
    expectDenied(h, h.buy(1, { type: OrderType.StopLimit, stopPrice: 135, price: 135.8 }), DenialReason.StopBand, { value: 135.8, limit: 135.795, detail: /stop-limit price/ });
    expect(counts(h)).toEqual({ STOP_BAND: 2 });
  });

  it('denies an A-share limit price above limit-up with PRICE_LIMIT (price vs limit-up); at limit-up it passes', () => {
    const h = new Harness({ instruments: [ashareInstrument()], capital: 1_000_000 });
    h.bar({ close: 10.9, open: 10.5, preClose: 10, openTime: ASHARE_OPEN });
    expectDenied(h, h.buy(100, { type: OrderType.Limit, price: 11.01 }), DenialReason.PriceLimit, { value: 11.01, limit: 11 });
    expectPassed(h.buy(100, { type: OrderType.Limit, price: 11 }));
    h.bar({ close: 9.2, preClose: 10 });
    expectDenied(h, h.buy(100, { type: OrderType.Limit, price: 8.99 }), DenialReason.PriceLimit, { value: 8.99, limit: 9 });
    expect(counts(h)).toEqual({ PRICE_LIMIT: 2 });
  });

  it('after the 15:00 close (a daily bar) checks A-share prices against the next session limits, from that close', () => {
    const h = new Harness({ instruments: [ashareInstrument()], capital: 1_000_000, start: Date.UTC(2024, 0, 2), risk: { preTrade: { priceBandBps: 1500 } } });
    h.bar({ open: 10.2, close: 10.95, preClose: 10, openTime: Date.UTC(2024, 0, 2), intervalMs: DAY });
    // Today's limits were 9.00 .. 11.00; tomorrow's are 9.86 .. 12.05 (10.95 -/+ 10%, half up to the fen).
    expectPassed(h.buy(100, { type: OrderType.Limit, price: 11.5 }));
    expectPassed(h.buy(100, { type: OrderType.Limit, price: 12.05 }));
    expectDenied(h, h.buy(100, { type: OrderType.Limit, price: 12.06 }), DenialReason.PriceLimit, { value: 12.06, limit: 12.05 });
    expectDenied(h, h.buy(100, { type: OrderType.Limit, price: 9.85 }), DenialReason.PriceLimit, { value: 9.85, limit: 9.86 });
  });

  it('denies orders on a symbol without any price yet with NO_QUOTE', () => {
    const a = cryptoInstrument({ symbol: 'AAA/USDT', base: 'AAA' });
    const b = cryptoInstrument({ symbol: 'BBB/USDT', base: 'BBB' });
    const h = new Harness({ instruments: [a, b] });
    h.bar(100, 'AAA/USDT');
    expectDenied(h, h.buy(1, { symbol: 'BBB/USDT' }), DenialReason.NoQuote, { value: undefined, limit: undefined, detail: /BBB\/USDT/ });
    expectPassed(h.buy(1, { symbol: 'AAA/USDT' }));
    expect(counts(h)).toEqual({ NO_QUOTE: 1 });
  });

  it('denies orders on a symbol whose last bar closed more than maxBarAgeMs ago with STALE_QUOTE (age vs limit)', () => {
    const a = cryptoInstrument({ symbol: 'AAA/USDT', base: 'AAA' });
    const b = cryptoInstrument({ symbol: 'BBB/USDT', base: 'BBB' });
    const h = new Harness({ instruments: [a, b] });
    h.bar(100, 'AAA/USDT');
    h.bar(50, 'BBB/USDT');
    h.bar(100, 'AAA/USDT');
    // BBB's last bar closed exactly 60 s ago: at the limit, still fresh.
    expectPassed(h.buy(1, { symbol: 'BBB/USDT' }));
    h.bar(100, 'AAA/USDT');
    expectDenied(h, h.buy(1, { symbol: 'BBB/USDT' }), DenialReason.StaleQuote, { value: 2 * MINUTE, limit: MINUTE });
    // A short is a new position: refused the same way.
    expectDenied(h, h.sell(1, { symbol: 'BBB/USDT' }), DenialReason.StaleQuote, { value: 2 * MINUTE, limit: MINUTE });
    expect(counts(h)).toEqual({ STALE_QUOTE: 2 });
  });

  it('lets an order that reduces the position through on a stale price: an exit or a protective stop refused would leave it open', () => {
    const a = cryptoInstrument({ symbol: 'AAA/USDT', base: 'AAA' });
    const b = cryptoInstrument({ symbol: 'BBB/USDT', base: 'BBB' });
    const h = new Harness({ instruments: [a, b] });
    h.bar(100, 'AAA/USDT');
    h.bar(50, 'BBB/USDT');
    expectPassed(h.buy(2, { symbol: 'BBB/USDT' }));
    h.bar(50, 'BBB/USDT');
    expect(h.position('BBB/USDT')).toBe(2);
    const bbbClose = h.kernel.clock.now();
    while (h.kernel.clock.now() - bbbClose < 2 * MINUTE) h.bar(100, 'AAA/USDT');
    // BBB's price is 2 minutes old: more BBB is refused, selling what is held is not.
    expectDenied(h, h.buy(1, { symbol: 'BBB/USDT' }), DenialReason.StaleQuote, { value: 2 * MINUTE, limit: MINUTE });
    expectPassed(h.sell(1, { symbol: 'BBB/USDT', type: OrderType.Stop, stopPrice: 45 }));
    expectPassed(h.sell(1, { symbol: 'BBB/USDT' }));
    expect(counts(h)).toEqual({ STALE_QUOTE: 1 });
  });

  it('allows a bar\'s price one bar interval plus maxBarAgeMs, as its data client tells the interval', () => {
    const h = new Harness();
    h.kernel.barInterval('TEST/USDT', HOUR);
    h.bar({ close: 100, intervalMs: HOUR });
    const close = h.kernel.clock.now();
    // The next hourly bar is due an hour after this close: until then and 60 s more, the price is fresh.
    (h.kernel.clock as SimulatedClock).advanceTo(close + HOUR + MINUTE);
    expectPassed(h.buy(1));
    (h.kernel.clock as SimulatedClock).advanceTo(close + HOUR + MINUTE + 1);
    expectDenied(h, h.buy(1), DenialReason.StaleQuote, { value: HOUR + MINUTE + 1, limit: HOUR + MINUTE, detail: /3600000 ms bar interval \+ 60000 ms/ });
  });
});

describe('A-share market rules', () => {
  it('denies selling shares bought the same day with T_PLUS_ONE (quantity vs sellable) and allows it the next day', () => {
    const h = new Harness({ instruments: [ashareInstrument()], capital: 1_000_000 });
    h.bar({ close: 10, preClose: 10, openTime: ASHARE_OPEN });
    expectPassed(h.buy(200));
    h.bar({ close: 10, preClose: 10 });
    expect(h.position()).toBe(200);
    expectDenied(h, h.sell(200), DenialReason.TPlusOne, { value: 200, limit: 0 });
    expectDenied(h, h.sell(100), DenialReason.TPlusOne, { value: 100, limit: 0 });
    h.bar({ close: 10, preClose: 10, openTime: ASHARE_OPEN + DAY });
    const next = h.sell(200);
    expectPassed(next);
    h.bar({ close: 10, preClose: 10 });
    expect(next.status).toBe(OrderStatus.Filled);
    expect(counts(h)).toEqual({ T_PLUS_ONE: 2 });
  });

  it('denies IOC and FOK orders outside the A-share sessions with MARKET_CLOSED; GTC and in-session IOC pass', () => {
    const h = new Harness({ instruments: [ashareInstrument()], capital: 1_000_000 });
    // 09:30-10:00 Shanghai: in session at its close.
    h.bar({ close: 10, preClose: 10, openTime: ASHARE_OPEN, intervalMs: 30 * MINUTE });
    expectPassed(h.buy(100, { timeInForce: TimeInForce.IOC }));
    // 11:00-11:30: closes at the lunch break.
    h.bar({ close: 10, preClose: 10, openTime: ASHARE_OPEN + 90 * MINUTE, intervalMs: 30 * MINUTE });
    expectDenied(h, h.buy(100, { timeInForce: TimeInForce.IOC }), DenialReason.MarketClosed, { value: undefined, limit: undefined, detail: /IOC/ });
    expectDenied(h, h.buy(100, { timeInForce: TimeInForce.FOK }), DenialReason.MarketClosed, { detail: /FOK/ });
    expectPassed(h.buy(100));
    expect(counts(h)).toEqual({ MARKET_CLOSED: 2 });
  });

  it('denies an IOC decided at the 15:00 close of a daily A-share bar with MARKET_CLOSED', () => {
    const h = new Harness({ instruments: [ashareInstrument()], capital: 1_000_000, start: Date.UTC(2024, 0, 2) });
    h.bar({ close: 10, preClose: 10, openTime: Date.UTC(2024, 0, 2), intervalMs: DAY });
    expect(h.clock.now()).toBe(Date.UTC(2024, 0, 2, 7));
    expectDenied(h, h.buy(100, { timeInForce: TimeInForce.IOC }), DenialReason.MarketClosed);
  });
});

describe('order rate limits', () => {
  it('denies the 11th order within one second with RATE_LIMIT (count vs per-second limit); the window slides', () => {
    const h = new Harness();
    h.bar(100);
    for (let i = 0; i < 10; i++) expectPassed(h.buy(1));
    expectDenied(h, h.buy(1), DenialReason.RateLimit, { value: 11, limit: 10, detail: /last second/ });
    h.bar(100);
    expectPassed(h.buy(1));
    expect(counts(h)).toEqual({ RATE_LIMIT: 1 });
  });

  it('denies orders beyond maxOrdersPerDay with RATE_LIMIT (count vs per-day limit) until the next trading day', () => {
    const start = T0 + 23 * HOUR + 57 * MINUTE;
    const h = new Harness({ start, risk: { preTrade: { maxOrdersPerDay: 3 } } });
    for (let i = 0; i < 3; i++) {
      h.bar(100);
      expectPassed(h.buy(1));
    }
    expect(h.clock.now()).toBe(T0 + DAY);
    // The third bar closed at 00:00, so its order already counts for the new day: 2 more, then the limit.
    h.bar(100);
    expectPassed(h.buy(1));
    h.bar(100);
    expectPassed(h.buy(1));
    expectDenied(h, h.buy(1), DenialReason.RateLimit, { value: 4, limit: 3, detail: /a day/ });
    // Denied orders do not count: a sell is refused with the same numbers.
    expectDenied(h, h.sell(1), DenialReason.RateLimit, { value: 4, limit: 3 });
    expect(counts(h)).toEqual({ RATE_LIMIT: 2 });
  });
});

describe('daily loss and breaker levels', () => {
  it('denies increasing orders once the loss since the start of the day reaches dailyLossLimit with DAILY_LOSS_LIMIT; reducing orders pass', () => {
    const h = new Harness({
      capital: 100_000,
      risk: { preTrade: { dailyLossLimit: 0.02 }, breakers: { paper: { dailyLoss: { threshold: 0.05 } } } },
    });
    h.bar(100);
    expectPassed(h.buy(500));
    h.bar(100);
    h.bar(95);
    expect(h.kernel.equity()).toBe(97_500);
    expectDenied(h, h.buy(1), DenialReason.DailyLossLimit, { value: 0.025, limit: 0.02 });
    expectPassed(h.sell(100));
    expect(h.risk.level).toBe(BreakerLevel.Normal);
    expect(counts(h)).toEqual({ DAILY_LOSS_LIMIT: 1 });
  });

  it('uses the mode daily loss under --risk-mode (LIVE_SCALED step 1: 2%)', () => {
    const h = new Harness({
      capital: 100_000,
      engine: { mode: RiskMode.LiveScaled, scaledStep: 0 },
      risk: { breakers: { live: { dailyLoss: { threshold: 0.05 }, drawdown: { threshold: 0.5 } } } },
    });
    h.bar(100);
    // LIVE_SCALED step 1 caps exposure at 5% (50 units at 100): 40 fits.
    const first = h.buy(40);
    expect(first.quantity).toBe(40);
    h.bar(100);
    h.bar(40);
    const loss = (100_000 - h.kernel.equity()) / 100_000;
    expect(loss).toBeCloseTo(0.024, 9);
    expectDenied(h, h.buy(1), DenialReason.DailyLossLimit, { value: 0.024, limit: 0.02 });
  });

  it('denies increasing orders at HALT_NEW_POSITIONS with REDUCE_ONLY and lets a reducing order through', () => {
    const h = new Harness();
    h.bar(100);
    h.buy(10);
    h.bar(100);
    h.risk.setManualLevel(BreakerLevel.HaltNewPositions, 'alice');
    expectDenied(h, h.buy(1), DenialReason.ReduceOnly, { value: undefined, limit: undefined, detail: /HALT_NEW_POSITIONS/ });
    const reducing = h.sell(4);
    expectPassed(reducing);
    h.bar(100);
    expect(reducing.status).toBe(OrderStatus.Filled);
    expect(h.position()).toBe(6);
    expect(counts(h)).toEqual({ REDUCE_ONLY: 1 });
  });

  it('denies every order at HALT_ALL_TRADING with TRADING_HALTED, reducing ones included', () => {
    const h = new Harness();
    h.bar(100);
    h.buy(10);
    h.bar(100);
    h.risk.killSwitch('alice');
    expectDenied(h, h.buy(1), DenialReason.TradingHalted, { detail: /HALT_ALL_TRADING/ });
    expectDenied(h, h.sell(10), DenialReason.TradingHalted);
    expect(counts(h)).toEqual({ TRADING_HALTED: 2 });
  });
});
