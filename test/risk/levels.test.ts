// What each breaker level does to orders, and the kill switch: REDUCE_RISK halves new sizes,
// HALT_NEW_POSITIONS lets only reducing orders through, HALT_ALL_TRADING cancels and refuses,
// EMERGENCY_CLOSE cancels and flattens (participation cap waived, T+1 and limit-down kept and reported).
import { describe, expect, it } from 'vitest';
import { DEFAULT_FILL_MODEL } from '../../src/adapters/sim/fill-model-config.ts';
import { OrderStatus, OrderType } from '../../src/core/order.ts';
import { BreakerCause, BreakerLevel, DenialReason, RiskMode } from '../../src/engines/risk/codes.ts';
import { EMERGENCY_TOPIC, type HeldBack } from '../../src/engines/risk/emergency-close.ts';
import { ashareInstrument, cryptoInstrument } from '../sim/helpers.ts';
import { DAY, Harness, HOUR, MINUTE, T0 } from './helpers.ts';

const L = BreakerLevel;

function withPosition(quantity = 100, options: ConstructorParameters<typeof Harness>[0] = {}): Harness {
  const h = new Harness(options);
  h.bar(100);
  h.buy(quantity);
  h.bar(100);
  expect(h.position()).toBe(quantity);
  return h;
}

describe('REDUCE_RISK', () => {
  it('halves the size of increasing orders (rounded down to the lot) and leaves reducing orders alone', () => {
    const h = withPosition(100);
    h.risk.setManualLevel(L.ReduceRisk, 'alice');
    expect(h.buy(10).quantity).toBe(5);
    expect(h.buy(0.003).quantity).toBe(0.001);
    expect(h.buy(7, { type: OrderType.Limit, price: 99 }).quantity).toBe(3.5);
    expect(h.sell(40).quantity).toBe(40);
    expect(h.sell(100).quantity).toBe(100);
    const fills = h.kernel.fills.length;
    h.bar(100);
    // 5 + 0.001 bought at the open; the limit rests; 40 + 100 sold (the whole position held when the sells were decided).
    expect(h.kernel.fills.length - fills).toBe(4);
  });

  it('uses reduceRiskFactor from the config', () => {
    const h = withPosition(100, { risk: { reduceRiskFactor: 0.25 } });
    h.risk.setManualLevel(L.ReduceRisk, 'alice');
    expect(h.buy(10).quantity).toBe(2.5);
  });
});

describe('HALT_NEW_POSITIONS', () => {
  it('lets a reducing order through and denies an increasing one with REDUCE_ONLY', () => {
    const h = withPosition(100);
    h.risk.setManualLevel(L.HaltNewPositions, 'alice');
    const reducing = h.sell(30);
    const increasing = h.buy(1);
    expect(increasing.status).toBe(OrderStatus.Denied);
    expect(h.lastDenial().reason).toBe(DenialReason.ReduceOnly);
    h.bar(100);
    expect(reducing.status).toBe(OrderStatus.Filled);
    expect(h.position()).toBe(70);
  });
});

describe('HALT_ALL_TRADING and the kill switch', () => {
  it('one call halts all trading and cancels every open order in that same call; every new order is denied', () => {
    const h = withPosition(100);
    const buy = h.buy(10, { type: OrderType.Limit, price: 98 });
    const sell = h.sell(10, { type: OrderType.Limit, price: 102 });
    expect(h.openOrders()).toHaveLength(2);
    h.risk.killSwitch('alice', { reason: 'exchange incident' });
    expect(h.risk.level).toBe(L.HaltAllTrading);
    expect(buy.status).toBe(OrderStatus.Canceled);
    expect(sell.status).toBe(OrderStatus.Canceled);
    expect(h.openOrders()).toHaveLength(0);
    expect(h.breakerEvents).toEqual([
      { time: h.clock.now(), level: L.HaltAllTrading, previousLevel: L.Normal, cause: BreakerCause.Manual, value: 4, threshold: 4, actor: 'alice', detail: 'exchange incident' },
    ]);
    expect(h.sell(100).status).toBe(OrderStatus.Denied);
    expect(h.lastDenial().reason).toBe(DenialReason.TradingHalted);
    // The position is kept (no flatten was asked for), and nothing clears by itself.
    h.bar(100);
    h.at(h.clock.now() + 7 * DAY, 100);
    expect(h.position()).toBe(100);
    expect(h.risk.level).toBe(L.HaltAllTrading);
    h.risk.reset('bob');
    expect(h.risk.level).toBe(L.Normal);
    expect(h.breakerEvents.at(-1)).toMatchObject({ level: L.Normal, previousLevel: L.HaltAllTrading, actor: 'bob', detail: 'reset' });
  });

  it('needs the name of the person using it', () => {
    const h = withPosition(100);
    const resting = h.buy(10, { type: OrderType.Limit, price: 98 });
    expect(() => h.risk.killSwitch('')).toThrow(/name/);
    expect(() => h.risk.killSwitch('   ', { flatten: true })).toThrow(/name/);
    expect(h.risk.level).toBe(L.Normal);
    expect(resting.isOpen).toBe(true);
  });

  it('with flatten goes to EMERGENCY_CLOSE: cancels, then sells every position at the next bar', () => {
    const h = withPosition(100);
    h.buy(10, { type: OrderType.Limit, price: 98 });
    h.risk.killSwitch('alice', { flatten: true });
    expect(h.risk.level).toBe(L.EmergencyClose);
    expect(h.breakerEvents[0]).toMatchObject({ level: L.EmergencyClose, cause: BreakerCause.Manual, actor: 'alice', detail: 'kill switch' });
    h.bar(100);
    expect(h.position()).toBe(0);
    expect(h.openOrders()).toHaveLength(0);
  });
});

describe('EMERGENCY_CLOSE', () => {
  it('in a crypto backtest: no strategy order stays open, only one closing order per position; zero positions after the next bar', () => {
    const a = cryptoInstrument({ symbol: 'AAA/USDT', base: 'AAA' });
    const b = cryptoInstrument({ symbol: 'BBB/USDT', base: 'BBB' });
    const h = new Harness({ instruments: [a, b] });
    h.bar(100, 'AAA/USDT');
    h.bar(50, 'BBB/USDT');
    h.buy(10, { symbol: 'AAA/USDT' });
    h.buy(20, { symbol: 'BBB/USDT' });
    h.bar(100, 'AAA/USDT');
    h.bar(50, 'BBB/USDT');
    const strategyOrders = [h.buy(1, { symbol: 'AAA/USDT', type: OrderType.Limit, price: 99 }), h.sell(5, { symbol: 'BBB/USDT', type: OrderType.Limit, price: 51 })];
    h.risk.setManualLevel(L.EmergencyClose, 'alice');
    for (const o of strategyOrders) expect(o.status).toBe(OrderStatus.Canceled);
    expect(h.openOrders().filter((o) => !o.emergency)).toHaveLength(0);
    expect(h.openOrders().map((o) => [o.symbol, o.side, o.type, o.quantity, o.emergency])).toEqual([
      ['AAA/USDT', 'SELL', 'MARKET', 10, true],
      ['BBB/USDT', 'SELL', 'MARKET', 20, true],
    ]);
    // The strategy cannot add anything meanwhile.
    expect(h.buy(1, { symbol: 'AAA/USDT' }).status).toBe(OrderStatus.Denied);
    expect(h.lastDenial().reason).toBe(DenialReason.TradingHalted);
    h.bar(100, 'AAA/USDT');
    h.bar(50, 'BBB/USDT');
    expect(h.position('AAA/USDT')).toBe(0);
    expect(h.position('BBB/USDT')).toBe(0);
    expect(h.openOrders()).toHaveLength(0);
    expect(h.risk.heldBack).toEqual([]);
  });

  it('ignores the participation cap: the whole position goes on the next bar, whatever its volume', () => {
    const h = new Harness({ fill: DEFAULT_FILL_MODEL, capital: 1_000_000 });
    h.bar({ close: 100, volume: 1e6 });
    h.buy(1000);
    h.bar({ close: 100, volume: 1e6 });
    expect(h.position()).toBe(1000);
    // A normal sell is capped at 5% of a 100-unit bar: 5 units.
    const normal = h.sell(1000);
    h.bar({ close: 100, volume: 100 });
    expect(normal.filledQuantity).toBe(5);
    h.risk.killSwitch('alice', { flatten: true });
    expect(normal.status).toBe(OrderStatus.Canceled);
    h.bar({ close: 100, volume: 100 });
    expect(h.position()).toBe(0);
  });

  it('on A-shares keeps T+1 and limit-down: what cannot be sold today is reported and sold when the market allows', () => {
    const session = (day: number, hh: number, mm: number): number => Date.UTC(2024, 0, 2 + day, hh - 8, mm);
    const x = ashareInstrument({ symbol: '600000.SH', base: '600000.SH' });
    const y = ashareInstrument({ symbol: '600001.SH', base: '600001.SH' });
    const h = new Harness({ instruments: [x, y], capital: 1_000_000, start: session(0, 9, 0) });
    const reports: HeldBack[] = [];
    h.kernel.bus.subscribe<HeldBack>(EMERGENCY_TOPIC, (r) => reports.push(r));
    // Day 0: buy both.
    h.at(session(0, 9, 31), { close: 10, preClose: 10 }, '600000.SH');
    h.at(session(0, 9, 31), { close: 20, preClose: 20 }, '600001.SH');
    h.buy(1000, { symbol: '600000.SH' });
    h.buy(500, { symbol: '600001.SH' });
    h.at(session(0, 9, 32), { close: 10, preClose: 10 }, '600000.SH');
    h.at(session(0, 9, 32), { close: 20, preClose: 20 }, '600001.SH');
    // Day 1: buy 600 more of X; Y falls to limit-down (18.00).
    h.at(session(1, 9, 31), { close: 10, preClose: 10 }, '600000.SH');
    h.at(session(1, 9, 31), { open: 18, close: 18, preClose: 20 }, '600001.SH');
    h.buy(600, { symbol: '600000.SH' });
    h.at(session(1, 9, 32), { close: 10, preClose: 10 }, '600000.SH');
    h.at(session(1, 9, 32), { open: 18, close: 18, preClose: 20 }, '600001.SH');
    expect(h.position('600000.SH')).toBe(1600);
    h.risk.killSwitch('alice', { flatten: true });
    const now = session(1, 9, 32);
    expect(h.risk.heldBack).toEqual([
      { time: now, symbol: '600000.SH', quantity: 600, reason: 'T_PLUS_ONE' },
      { time: now, symbol: '600001.SH', quantity: 500, reason: 'LIMIT_DOWN' },
    ]);
    expect(reports).toEqual(h.risk.heldBack);
    // The next bar: X sells what T+1 allows; Y does not trade at limit-down.
    h.at(session(1, 9, 33), { close: 10, preClose: 10 }, '600000.SH');
    h.at(session(1, 9, 33), { open: 18, close: 18, preClose: 20 }, '600001.SH');
    expect(h.position('600000.SH')).toBe(600);
    expect(h.position('600001.SH')).toBe(500);
    expect(h.openOrders().every((o) => o.emergency)).toBe(true);
    // Y comes off the limit later that day; X's rest goes the next day.
    h.at(session(1, 10, 0), { open: 18.2, close: 18.3, preClose: 20 }, '600001.SH');
    expect(h.position('600001.SH')).toBe(0);
    h.at(session(2, 9, 31), { close: 10, preClose: 10 }, '600000.SH');
    expect(h.position('600000.SH')).toBe(0);
    expect(h.openOrders()).toHaveLength(0);
  });

  it('DRAWDOWN (live): 3% below peak flattens everything and needs a reset; after the reset the drawdown starts from the equity then', () => {
    const t = (day: number, hours: number, minutes = 0): number => T0 + day * DAY + hours * HOUR + minutes * MINUTE;
    const h = new Harness({
      capital: 100_000,
      engine: { mode: RiskMode.LiveMinimal },
      risk: { modes: { LIVE_MINIMAL: { totalExposure: 1, dailyLoss: 1 } }, breakers: { live: { dailyLoss: { enabled: false } } } },
    });
    h.at(t(0, 0, 1), 100);
    h.buy(1000);
    h.at(t(0, 0, 2), 100);
    h.at(t(0, 1), 102);
    h.at(t(0, 2), 99.01);
    expect(h.risk.level).toBe(L.Normal);
    h.at(t(0, 2, 1), 98.9);
    expect(h.risk.level).toBe(L.EmergencyClose);
    expect(h.breakerEvents).toMatchObject([{ time: t(0, 2, 1), level: L.EmergencyClose, previousLevel: L.Normal, cause: BreakerCause.Drawdown, threshold: 0.03 }]);
    expect(h.breakerEvents[0]!.value).toBeCloseTo(3.1 / 102, 12);
    expect(h.openOrders()).toMatchObject([{ emergency: true, quantity: 1000 }]);
    h.at(t(0, 3), 99);
    expect(h.position()).toBe(0);
    // 24 h later, flat and without a reset: still closed. The drawdown against the old peak still holds,
    // so the first check after the 24 h (01:03 next day) restarts the cooldown, until t(2, 3).
    h.at(t(1, 2), 99);
    h.at(t(1, 3), 99);
    expect(h.risk.level).toBe(L.EmergencyClose);
    expect(h.buy(1).status).toBe(OrderStatus.Denied);
    h.risk.reset('bob');
    // The reset measures the drawdown from now (no loss), but the running cooldown still has to end.
    expect(h.risk.level).toBe(L.EmergencyClose);
    h.at(t(2, 2, 59), 99);
    expect(h.risk.level).toBe(L.EmergencyClose);
    h.at(t(2, 3), 99);
    expect(h.risk.level).toBe(L.Normal);
    expect(h.breakerEvents.at(-1)).toMatchObject({ time: t(2, 3), level: L.Normal, previousLevel: L.EmergencyClose, cause: BreakerCause.Drawdown, value: 0 });
    // Measured from the equity at the reset (98,900), not the old peak (102,000).
    h.buy(900);
    h.at(t(2, 4), 99);
    h.at(t(2, 5), 96.5);
    expect(h.risk.level).toBe(L.Normal);
    h.at(t(2, 6), 95.6);
    expect(h.risk.level).toBe(L.EmergencyClose);
    expect(h.breakerEvents.at(-1)!.value).toBeCloseTo(3_060 / 98_900, 12);
  });

  it('DRAWDOWN (live): a reset after the cooldown ran out (and before another check) clears it at once, naming the person', () => {
    const t = (hours: number): number => T0 + hours * HOUR;
    const h = new Harness({
      capital: 100_000,
      engine: { mode: RiskMode.LiveMinimal },
      risk: { modes: { LIVE_MINIMAL: { totalExposure: 1, dailyLoss: 1 } }, breakers: { live: { dailyLoss: { enabled: false } } } },
    });
    h.at(t(0) + MINUTE, 100);
    h.buy(1000);
    h.at(t(0) + 2 * MINUTE, 100);
    h.at(t(2), 96);
    h.at(t(3), 96);
    // A live clock moves on between bars; the person resets 28 h after the trip.
    h.clock.advanceTo(t(30));
    expect(h.risk.level).toBe(L.EmergencyClose);
    h.risk.reset('bob');
    expect(h.risk.level).toBe(L.Normal);
    expect(h.breakerEvents.at(-1)).toMatchObject({ time: t(30), level: L.Normal, previousLevel: L.EmergencyClose, cause: BreakerCause.Drawdown, actor: 'bob', detail: 'reset' });
  });

  it('DRAWDOWN (live): a reset within the 24 h lets it clear only when the 24 h are over', () => {
    const t = (hours: number): number => T0 + hours * HOUR;
    const h = new Harness({
      capital: 100_000,
      engine: { mode: RiskMode.LiveMinimal },
      risk: { modes: { LIVE_MINIMAL: { totalExposure: 1, dailyLoss: 1 } }, breakers: { live: { dailyLoss: { enabled: false } } } },
    });
    h.at(t(0) + MINUTE, 100);
    h.buy(1000);
    h.at(t(0) + 2 * MINUTE, 100);
    h.at(t(2), 96);
    h.at(t(3), 96);
    h.risk.reset('bob');
    expect(h.risk.level).toBe(L.EmergencyClose);
    h.at(t(25) + MINUTE, 96);
    expect(h.risk.level).toBe(L.EmergencyClose);
    h.at(t(26), 96);
    expect(h.risk.level).toBe(L.Normal);
  });
});
