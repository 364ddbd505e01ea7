// The kernel end to end: no look-ahead, denials as events, indicators and timers, one shared account.
import { describe, expect, it } from 'vitest';
import { notionalOf } from '../../src/core/account.ts';
import type { Bar } from '../../src/core/bar.ts';
import { MONEY_SCALE, numberToMoney, parseScaled } from '../../src/core/decimal.ts';
import { type Fill, Liquidity } from '../../src/core/fill.ts';
import { Instrument } from '../../src/core/instrument.ts';
import { resolveInstrument } from '../../src/core/instrument-table.ts';
import { Market, MS_PER_DAY } from '../../src/core/market.ts';
import { type Order, OrderEventKind, OrderSide, OrderStatus, OrderType } from '../../src/core/order.ts';
import { SimulatedClock } from '../../src/common/clock.ts';
import type { OrderEvent } from '../../src/common/events.ts';
import { Kernel, KernelDenial } from '../../src/kernel/kernel.ts';
import { MessageBus, Topic } from '../../src/common/message-bus.ts';
import type { ExecutionClient, ExecutionContext, OrderDenial, RiskGate } from '../../src/common/ports.ts';
import type { BarIndicator, StrategyContext } from '../../src/common/strategy.ts';
import { ASHARE_FEES, barAt, MINUTE, type Row, runBacktest, ScriptStrategy, series, T0 } from './helpers.ts';

// ---- data ------------------------------------------------------------------------------------

/** A coin on the default 1e-8 tick and lot, priced near 42,982 so a price has ~4e12 ticks. */
const ABC = resolveInstrument('ABC/USDT', Market.Crypto);
const XRP = resolveInstrument('XRP/USDT', Market.Crypto); // tick 0.0001, lot 0.1
const BTC = resolveInstrument('BTC/USDT', Market.Crypto); // tick 0.01, lot 0.00001

/** Rows whose every price is distinct (within and across symbols), so a leaked value can be recognised. */
function rowsAbc(n: number): Row[] {
  // Integer units of 1e-8, divided once: each price is the double nearest an 8-decimal number, as a CSV gives it.
  return Array.from({ length: n }, (_, i) => {
    const open = 4_298_208_006_543 + i * 111_111_117;
    return { open: open / 1e8, high: (open + 5_050_000_001) / 1e8, low: (open - 4_025_000_003) / 1e8, close: (open + 333_333_331) / 1e8, volume: 10.125 + i };
  });
}

function rowsXrp(n: number): Row[] {
  return Array.from({ length: n }, (_, i) => {
    const open = 5_000 + i * 37; // units of 0.0001
    return { open: open / 1e4, high: (open + 11) / 1e4, low: (open - 13) / 1e4, close: (open + 7) / 1e4, volume: 1_000_000.5 + 3 * i };
  });
}

const ABC_SERIES = series('ABC/USDT', Market.Crypto, MINUTE, T0, rowsAbc(30));
const XRP_SERIES = series('XRP/USDT', Market.Crypto, MINUTE, T0, rowsXrp(30));

/** Every numeric value of a bar, for look-ahead checks. */
function barValues(bar: Bar): number[] {
  return [bar.openTime, bar.closeTime, bar.open, bar.high, bar.low, bar.close, bar.volume];
}

// ---- a venue double for the tests that need no matching -----------------------------------

/** Accepts everything and fills only when the test says so. */
class ManualVenue implements ExecutionClient {
  readonly name = 'manual';
  readonly submitted: Order[] = [];
  readonly cancelRequests: Order[] = [];
  /** False: cancels are confirmed later by `confirmCancel`, as an exchange does. */
  confirmCancelsAtOnce = true;
  private context!: ExecutionContext;
  private fills = 0;

  /** Called with each bar before the kernel marks it, as a simulated venue matches. */
  onBar: ((bar: Bar) => void) | undefined;

  connect(context: ExecutionContext): void {
    this.context = context;
    context.onBar((bar) => this.onBar?.(bar));
  }

  submitOrder(order: Order): void {
    this.submitted.push(order);
    this.context.events.orderAccepted(order, this.context.clock.now());
  }

  cancelOrder(order: Order): void {
    this.cancelRequests.push(order);
    if (this.confirmCancelsAtOnce) this.confirmCancel(order);
  }

  confirmCancel(order: Order): void {
    this.context.events.orderCanceled(order, this.context.clock.now());
  }

  fill(order: Order, price: number, quantity: number): void {
    const instrument = this.context.instrument(order.symbol);
    const fill: Fill = {
      id: `M-${++this.fills}`,
      orderId: order.id,
      symbol: order.symbol,
      side: order.side,
      time: this.context.clock.now(),
      price,
      quantity,
      notional: notionalOf(instrument, price, quantity),
      fee: 0n,
      tax: 0n,
      liquidity: Liquidity.Taker,
      referencePrice: price,
      impactBps: 0,
      slippageBps: 0,
      reducedForCash: false,
    };
    this.context.events.orderFilled(order, fill);
  }

  describe(): string[] {
    return ['manual test venue'];
  }
}

function manualKernel(strategy: ScriptStrategy, options: { risk?: RiskGate; instruments?: Instrument[]; bus?: MessageBus } = {}) {
  const clock = new SimulatedClock(T0);
  const venue = new ManualVenue();
  const kernel = new Kernel({
    clock,
    execution: venue,
    instruments: options.instruments ?? [BTC, XRP],
    currency: 'USDT',
    initialCapital: 100_000n * MONEY_SCALE,
    strategy,
    risk: options.risk,
    bus: options.bus,
  });
  kernel.start();
  /** Deliver a bar the way a replay does: the clock first moves to its close. */
  const deliver = (bar: Bar): void => {
    clock.advanceTo(bar.closeTime);
    kernel.onBar(bar);
  };
  return { kernel, clock, venue, deliver };
}

function btcBar(i: number, close = 40_000 + i): Bar {
  return { symbol: 'BTC/USDT', openTime: T0 + i * MINUTE, closeTime: T0 + (i + 1) * MINUTE, open: close - 1, high: close + 5, low: close - 5, close, volume: 100 };
}

// ---- (a) no look-ahead ---------------------------------------------------------------------

describe('no look-ahead', () => {
  it('delivers every bar at or after its close: closeTime <= now, in time order', () => {
    const seen: { now: number; closeTime: number }[] = [];
    const strategy = new ScriptStrategy({ bar: (ctx, bar) => seen.push({ now: ctx.now(), closeTime: bar.closeTime }) });
    runBacktest({ instruments: [ABC, XRP], series: [ABC_SERIES, XRP_SERIES], strategy });
    expect(seen).toHaveLength(60);
    for (let k = 0; k < seen.length; k++) {
      expect(seen[k]!.closeTime, `bar ${k}`).toBeLessThanOrEqual(seen[k]!.now);
      expect(seen[k]!.now, `bar ${k}: delivered at its close, not later`).toBe(seen[k]!.closeTime);
      if (k > 0) expect(seen[k]!.now).toBeGreaterThanOrEqual(seen[k - 1]!.now);
    }
  });

  it('shows a cheating strategy nothing newer than the bars already delivered, wherever it looks', () => {
    const all = [ABC_SERIES, XRP_SERIES];
    const delivered = new Set<string>();
    const key = (symbol: string, openTime: number): string => `${symbol}@${openTime}`;
    const deliveredCloses = new Map<string, number>();
    let checks = 0;

    /** Values only the future holds: numbers of undelivered bars that no delivered bar shares. */
    const futureOnly = (): Set<number> => {
      const past = new Set<number>();
      const future = new Set<number>();
      for (const s of all) {
        for (let i = 0; i < s.length; i++) {
          const bar = barAt(s, i);
          (delivered.has(key(s.symbol, bar.openTime)) ? past : future).add(bar.open).add(bar.high).add(bar.low).add(bar.close).add(bar.volume).add(bar.openTime).add(bar.closeTime);
        }
      }
      for (const value of past) future.delete(value);
      return future;
    };

    /** Every number a strategy can reach through its context, its bar and its events. */
    const reachable = (ctx: StrategyContext, bar: Bar, events: readonly OrderEvent[]): number[] => {
      const values: number[] = [ctx.now(), ctx.cash(), ctx.equity(), ...barValues(bar)];
      for (const value of Object.values(bar)) if (typeof value === 'number') values.push(value);
      for (const symbol of ctx.symbols) {
        values.push(ctx.lastPrice(symbol));
        values.push(...(Object.values(ctx.position(symbol)).filter((v) => typeof v === 'number') as number[]));
        values.push(ctx.quantityForFraction(symbol, 0.5, ctx.lastPrice(symbol)));
      }
      for (const order of ctx.openOrders()) {
        for (const value of Object.values(order)) if (typeof value === 'number') values.push(value);
        values.push(order.averageFillPrice, order.remainingQuantity);
      }
      for (const event of events) {
        values.push(event.time, event.order.updatedAt);
        if (event.fill) values.push(event.fill.time, event.fill.price, event.fill.referencePrice);
      }
      return values;
    };

    const strategy = new ScriptStrategy({
      bar: (ctx, bar) => {
        delivered.add(key(bar.symbol, bar.openTime));
        deliveredCloses.set(bar.symbol, bar.close);
        const now = ctx.now();
        // The bar is exactly the data's bar: no extra fields.
        const index = (bar.openTime - T0) / MINUTE;
        expect(bar).toEqual(barAt(bar.symbol === 'ABC/USDT' ? ABC_SERIES : XRP_SERIES, index));
        expect(Object.keys(bar).sort()).toEqual(['adjustmentFactor', 'close', 'closeTime', 'high', 'low', 'open', 'openTime', 'preClose', 'symbol', 'volume']);
        // The last price of every symbol is the close of its latest delivered bar (NaN before it has one).
        for (const symbol of ctx.symbols) {
          const expected = deliveredCloses.get(symbol) ?? Number.NaN;
          expect(Object.is(ctx.lastPrice(symbol), expected), `${symbol} last price at ${now}`).toBe(true);
        }
        const future = futureOnly();
        for (const value of reachable(ctx, bar, strategy.events)) {
          if (future.has(value)) throw new Error(`look-ahead: ${value} belongs to a bar not delivered yet (now ${now})`);
        }
        for (const event of strategy.events) {
          expect(event.time).toBeLessThanOrEqual(now);
          if (event.fill) expect(event.fill.time).toBeLessThanOrEqual(now);
        }
        checks++;
        // Trade, so positions, fills and open orders have something to leak.
        if (bar.symbol === 'ABC/USDT' && index === 3) ctx.submitOrder({ symbol: 'ABC/USDT', side: OrderSide.Buy, type: OrderType.Market, quantity: 2 });
        if (bar.symbol === 'XRP/USDT' && index === 4) ctx.submitOrder({ symbol: 'XRP/USDT', side: OrderSide.Buy, type: OrderType.Market, quantity: 1000 });
        if (bar.symbol === 'XRP/USDT' && index === 6) ctx.submitOrder({ symbol: 'XRP/USDT', side: OrderSide.Buy, type: OrderType.Limit, quantity: 10, price: 0.1 });
        if (bar.symbol === 'ABC/USDT' && index === 12) ctx.submitOrder({ symbol: 'ABC/USDT', side: OrderSide.Sell, type: OrderType.Market, quantity: 1 });
      },
    });
    runBacktest({ instruments: [ABC, XRP], series: all, strategy });
    expect(checks).toBe(60);
    expect(strategy.events.filter((e) => e.kind === OrderEventKind.Filled)).toHaveLength(3);
  });

  it('sees, on one symbol\'s bar, the other symbol only up to its previous close', () => {
    const observed: number[] = [];
    const strategy = new ScriptStrategy({
      bar: (ctx, bar) => {
        if (bar.symbol === 'ABC/USDT') observed.push(ctx.lastPrice('XRP/USDT'));
      },
    });
    runBacktest({ instruments: [ABC, XRP], series: [ABC_SERIES, XRP_SERIES], strategy });
    // ABC comes first at each close time, so XRP's bar of the same close has not arrived yet.
    expect(Number.isNaN(observed[0])).toBe(true);
    for (let i = 1; i < 30; i++) expect(observed[i]).toBe(XRP_SERIES.close[i - 1]);
  });

  it('fills a market order decided on bar k at bar k+1\'s open exactly, never bar k\'s', () => {
    const decidedOn = [2, 5, 9, 14, 20];
    const sellOn = [7, 17];
    const strategy = new ScriptStrategy({
      bar: (ctx, bar) => {
        const k = (bar.openTime - T0) / MINUTE;
        if (decidedOn.includes(k)) ctx.submitOrder({ symbol: bar.symbol, side: OrderSide.Buy, type: OrderType.Market, quantity: 0.25, tag: `k=${k}` });
        if (sellOn.includes(k)) ctx.submitOrder({ symbol: bar.symbol, side: OrderSide.Sell, type: OrderType.Market, quantity: 0.25, tag: `k=${k}` });
      },
    });
    runBacktest({ instruments: [ABC], series: [ABC_SERIES], strategy });
    const fills = strategy.events.filter((e) => e.kind === OrderEventKind.Filled);
    expect(fills).toHaveLength(decidedOn.length + sellOn.length);
    for (const event of fills) {
      const k = Number(event.order.tag!.slice(2));
      expect(event.order.createdAt).toBe(ABC_SERIES.closeTime[k]);
      const fill = event.fill!;
      // Zero fees, no spread, no impact: the price is the next open itself, to the last of its 8 decimals.
      expect(fill.price, `${event.order.side} decided on bar ${k}`).toBe(ABC_SERIES.open[k + 1]);
      expect(fill.price).not.toBe(ABC_SERIES.open[k]);
      expect(fill.time).toBe(ABC_SERIES.openTime[k + 1]);
      expect(fill.referencePrice).toBe(ABC_SERIES.open[k + 1]);
      expect(fill.fee).toBe(0n);
      expect(fill.notional).toBe(notionalOf(ABC, ABC_SERIES.open[k + 1]!, 0.25));
    }
  });
});

// ---- (b) risk denials -------------------------------------------------------------------------

/** A pre-trade gate that refuses any order above one unit. */
class MaxQuantityGate implements RiskGate {
  checks = 0;
  checkSubmit(order: Order): OrderDenial | undefined {
    this.checks++;
    return order.quantity > 1 ? { reason: 'MAX_QUANTITY', detail: `quantity ${order.quantity} > 1` } : undefined;
  }
}

describe('risk denials', () => {
  it('marks an order denied by the risk gate DENIED, tells the strategy why and counts it', () => {
    const gate = new MaxQuantityGate();
    const results: Order[] = [];
    const strategy = new ScriptStrategy({
      bar: (ctx) => {
        results.push(ctx.submitOrder({ symbol: 'BTC/USDT', side: OrderSide.Buy, type: OrderType.Market, quantity: 2 }));
        results.push(ctx.submitOrder({ symbol: 'BTC/USDT', side: OrderSide.Buy, type: OrderType.Market, quantity: 5 }));
        results.push(ctx.submitOrder({ symbol: 'BTC/USDT', side: OrderSide.Buy, type: OrderType.Market, quantity: 0.5 }));
      },
    });
    const { kernel, venue, deliver } = manualKernel(strategy, { risk: gate });
    expect(() => deliver(btcBar(0))).not.toThrow();
    expect(results.map((o) => o.status)).toEqual([OrderStatus.Denied, OrderStatus.Denied, OrderStatus.Accepted]);
    const denied = strategy.events.filter((e) => e.kind === OrderEventKind.Denied);
    expect(denied).toHaveLength(2);
    expect(denied[0]).toMatchObject({ reason: 'MAX_QUANTITY', detail: 'quantity 2 > 1', order: results[0] });
    expect(denied[0]!.time).toBe(btcBar(0).closeTime);
    expect(kernel.deniedCounts.get('MAX_QUANTITY')).toBe(2);
    expect(gate.checks).toBe(3);
    // Denied orders never reach the venue and are not open.
    expect(venue.submitted).toEqual([results[2]]);
    expect(strategy.context.openOrders()).toEqual([results[2]]);
    expect(kernel.cache.orders.get(results[0]!.id)?.status).toBe(OrderStatus.Denied);
  });

  it('publishes the denial on the bus too, and uses a gate installed later', () => {
    const bus = new MessageBus();
    const published: OrderEvent[] = [];
    bus.subscribe<OrderEvent>(Topic.OrderEvent, (event) => published.push(event));
    const strategy = new ScriptStrategy({ bar: (ctx) => ctx.submitOrder({ symbol: 'BTC/USDT', side: OrderSide.Buy, type: OrderType.Market, quantity: 3 }) });
    const { kernel, deliver } = manualKernel(strategy, { bus });
    deliver(btcBar(0)); // pass-through gate: accepted
    kernel.setRiskGate(new MaxQuantityGate());
    deliver(btcBar(1));
    expect(published.map((e) => e.kind)).toEqual([OrderEventKind.Submitted, OrderEventKind.Accepted, OrderEventKind.Denied]);
    expect(published[2]!.reason).toBe('MAX_QUANTITY');
    expect(kernel.deniedCounts.get('MAX_QUANTITY')).toBe(1);
  });
});

// ---- (c) malformed orders ---------------------------------------------------------------------

describe('malformed orders', () => {
  it('denies a quantity that rounds to zero on the lot as INVALID_QUANTITY, before the risk gate', () => {
    const gate = new MaxQuantityGate();
    const results: Order[] = [];
    const strategy = new ScriptStrategy({
      bar: (ctx) => {
        results.push(ctx.submitOrder({ symbol: 'BTC/USDT', side: OrderSide.Buy, type: OrderType.Market, quantity: 0.000004 })); // lot 0.00001
        results.push(ctx.submitOrder({ symbol: 'XRP/USDT', side: OrderSide.Buy, type: OrderType.Market, quantity: 0.09 })); // lot 0.1
        results.push(ctx.submitOrder({ symbol: 'BTC/USDT', side: OrderSide.Buy, type: OrderType.Market, quantity: -1 }));
        results.push(ctx.submitOrder({ symbol: 'BTC/USDT', side: OrderSide.Buy, type: OrderType.Market, quantity: Number.NaN }));
      },
    });
    const { kernel, venue, deliver } = manualKernel(strategy, { risk: gate });
    deliver(btcBar(0));
    expect(results.map((o) => o.status)).toEqual(Array(4).fill(OrderStatus.Denied));
    expect(strategy.events.map((e) => e.reason)).toEqual(Array(4).fill(KernelDenial.InvalidQuantity));
    expect(strategy.events[0]!.detail).toContain('0.00001');
    expect(kernel.deniedCounts.get(KernelDenial.InvalidQuantity)).toBe(4);
    expect(gate.checks).toBe(0);
    expect(venue.submitted).toHaveLength(0);
  });

  it('denies 99 shares of an A-share (100-share lots)', () => {
    const moutai = resolveInstrument('600519.SH', Market.AShare);
    let order: Order | undefined;
    const strategy = new ScriptStrategy({ bar: (ctx) => (order = ctx.submitOrder({ symbol: '600519.SH', side: OrderSide.Buy, type: OrderType.Market, quantity: 99 })) });
    const { kernel, deliver } = manualKernel(strategy, { instruments: [moutai] });
    deliver({ ...btcBar(0), symbol: '600519.SH' });
    expect(order!.status).toBe(OrderStatus.Denied);
    expect(order!.quantity).toBe(0);
    expect(kernel.deniedCounts.get(KernelDenial.InvalidQuantity)).toBe(1);
  });

  it('denies a limit without a price, a stop without a stop price and an unknown symbol', () => {
    const strategy = new ScriptStrategy({
      bar: (ctx) => {
        ctx.submitOrder({ symbol: 'BTC/USDT', side: OrderSide.Buy, type: OrderType.Limit, quantity: 1 });
        ctx.submitOrder({ symbol: 'BTC/USDT', side: OrderSide.Sell, type: OrderType.Stop, quantity: 1 });
        ctx.submitOrder({ symbol: 'BTC/USDT', side: OrderSide.Buy, type: OrderType.Limit, quantity: 1, price: 0.001 }); // rounds to 0 on a 0.01 tick
        ctx.submitOrder({ symbol: 'DOGE/USDT', side: OrderSide.Buy, type: OrderType.Market, quantity: 1 });
      },
    });
    const { kernel, deliver } = manualKernel(strategy);
    deliver(btcBar(0));
    expect(strategy.events.map((e) => [e.kind, e.reason])).toEqual([
      [OrderEventKind.Denied, KernelDenial.InvalidPrice],
      [OrderEventKind.Denied, KernelDenial.InvalidPrice],
      [OrderEventKind.Denied, KernelDenial.InvalidPrice],
      [OrderEventKind.Denied, KernelDenial.UnknownSymbol],
    ]);
    expect(kernel.deniedCounts.get(KernelDenial.InvalidPrice)).toBe(3);
    expect(kernel.deniedCounts.get(KernelDenial.UnknownSymbol)).toBe(1);
  });

  it('puts a limit price on the tick and the quantity on the lot before the venue sees them', () => {
    let order: Order | undefined;
    const strategy = new ScriptStrategy({
      bar: (ctx) => (order = ctx.submitOrder({ symbol: 'BTC/USDT', side: OrderSide.Buy, type: OrderType.Limit, quantity: 0.123456, price: 39_999.996 })),
    });
    const { venue, deliver } = manualKernel(strategy);
    deliver(btcBar(0));
    expect(venue.submitted).toEqual([order]);
    expect(order!.quantity).toBe(0.12345);
    expect(order!.price).toBe(40_000);
  });
});

// ---- (d) indicators -----------------------------------------------------------------------------

/** Records what it is fed. */
class RecordingIndicator implements BarIndicator {
  readonly inputs: number[][] = [];
  update(...values: number[]): number {
    this.inputs.push(values);
    return values.at(-1)!;
  }
}

describe('registerIndicator', () => {
  it('feeds the indicator each bar of its symbol before onBar', () => {
    const closes = new RecordingIndicator();
    const hlc = new RecordingIndicator();
    let abcBars = 0;
    const strategy = new ScriptStrategy({
      start: (ctx) => {
        ctx.registerIndicator('ABC/USDT', closes);
        ctx.registerIndicator('ABC/USDT', hlc, 'hlc');
      },
      bar: (_ctx, bar) => {
        if (bar.symbol !== 'ABC/USDT') {
          expect(closes.inputs).toHaveLength(abcBars); // XRP bars do not feed ABC's indicators
          return;
        }
        abcBars++;
        expect(closes.inputs).toHaveLength(abcBars);
        expect(closes.inputs.at(-1)).toEqual([bar.close]);
        expect(hlc.inputs.at(-1)).toEqual([bar.high, bar.low, bar.close]);
      },
    });
    runBacktest({ instruments: [ABC, XRP], series: [ABC_SERIES, XRP_SERIES], strategy });
    expect(abcBars).toBe(30);
    expect(closes.inputs.map((v) => v[0])).toEqual([...ABC_SERIES.close]);
  });

  it('runs venue, risk observation, indicators, bus and strategy in that order on each bar', () => {
    const log: string[] = [];
    const risk: RiskGate = { checkSubmit: () => undefined, onBar: () => log.push('risk') };
    const indicator: BarIndicator = { update: () => log.push('indicator') };
    const bus = new MessageBus();
    bus.subscribe(Topic.Bar, () => log.push('bus'));
    let order: Order | undefined;
    const strategy = new ScriptStrategy({
      start: (ctx) => ctx.registerIndicator('BTC/USDT', indicator),
      bar: (ctx) => {
        log.push('strategy');
        order ??= ctx.submitOrder({ symbol: 'BTC/USDT', side: OrderSide.Buy, type: OrderType.Market, quantity: 1 });
      },
      orderEvent: (_ctx, event) => {
        if (event.kind === OrderEventKind.Filled) log.push('fill');
      },
    });
    const { venue, deliver } = manualKernel(strategy, { risk, bus });
    venue.onBar = () => {
      log.push('venue');
      if (order && order.isOpen) venue.fill(order, 40_000, 1);
    };
    deliver(btcBar(0));
    deliver(btcBar(1));
    expect(log).toEqual(['venue', 'risk', 'indicator', 'bus', 'strategy', 'venue', 'fill', 'risk', 'indicator', 'bus', 'strategy']);
  });
});

// ---- (e) timers -------------------------------------------------------------------------------

describe('timers during a replay', () => {
  it('reach onTimer at their own times, between the bars around them', () => {
    const timeline: string[] = [];
    let timerOrder: Order | undefined;
    const strategy = new ScriptStrategy({
      start: (ctx) => {
        ctx.setInterval('every-5m', T0 + 2.5 * MINUTE, 5 * MINUTE);
        ctx.setTimer('at-close', T0 + 10 * MINUTE);
        ctx.setTimer('after-the-data', T0 + 60 * MINUTE);
      },
      bar: (ctx, bar) => {
        timeline.push(`bar@${(bar.closeTime - T0) / MINUTE}`);
        if (bar.closeTime === T0 + 3 * MINUTE) ctx.setTimer('from-onBar', ctx.now() + 90_000);
      },
      timer: (ctx, name, time) => {
        timeline.push(`${name}@${(time - T0) / MINUTE}`);
        // Inside a timer the strategy still sees only bars closed by then.
        const last = ctx.lastPrice('ABC/USDT');
        const closedBefore = Math.floor((time - T0) / MINUTE);
        expect([ABC_SERIES.close[closedBefore - 1], ABC_SERIES.close[closedBefore - 2]]).toContain(last);
        if (name === 'every-5m' && time === T0 + 7.5 * MINUTE) {
          timerOrder = ctx.submitOrder({ symbol: 'ABC/USDT', side: OrderSide.Buy, type: OrderType.Market, quantity: 1 });
        }
      },
    });
    runBacktest({ instruments: [ABC], series: [ABC_SERIES], strategy });
    expect(strategy.timers.map((t) => [t.name, (t.time - T0) / MINUTE])).toEqual([
      ['every-5m', 2.5],
      ['from-onBar', 4.5],
      ['every-5m', 7.5],
      ['at-close', 10],
      ['every-5m', 12.5],
      ['every-5m', 17.5],
      ['every-5m', 22.5],
      ['every-5m', 27.5],
    ]);
    for (const t of strategy.timers) expect(t.now, t.name).toBe(t.time);
    // Bars and timers interleave in time order.
    const minutes = timeline.map((entry) => Number(entry.split('@')[1]));
    for (let k = 1; k < minutes.length; k++) expect(minutes[k]!, timeline.slice(k - 1, k + 1).join(' then ')).toBeGreaterThanOrEqual(minutes[k - 1]!);
    expect(timeline.indexOf('every-5m@7.5')).toBe(timeline.indexOf('bar@7') + 1);
    // An order decided at 7.5 min skips the bar that opened at 7 min and fills at the open of the 8-min bar.
    const fill = strategy.events.find((e) => e.kind === OrderEventKind.Filled && e.order === timerOrder)?.fill;
    expect(fill?.time).toBe(T0 + 8 * MINUTE);
    expect(fill?.price).toBe(ABC_SERIES.open[8]);
  });

  it('stops calling a canceled interval', () => {
    const strategy = new ScriptStrategy({
      start: (ctx) => ctx.setInterval('tick', T0 + MINUTE, 2 * MINUTE),
      timer: (ctx, _name, time) => {
        if (time >= T0 + 5 * MINUTE) ctx.cancelTimer('tick');
      },
    });
    runBacktest({ instruments: [ABC], series: [ABC_SERIES], strategy });
    expect(strategy.timers.map((t) => (t.time - T0) / MINUTE)).toEqual([1, 3, 5]);
  });
});

// ---- (f) one account ---------------------------------------------------------------------------

describe('several symbols in one account', () => {
  it('share the cash, and equity = cash + sum of quantity x last close', () => {
    let equityChecks = 0;
    const strategy = new ScriptStrategy({
      bar: (ctx, bar) => {
        const k = (bar.openTime - T0) / MINUTE;
        const expected = ctx.symbols.reduce((sum, s) => sum + (ctx.position(s).quantity === 0 ? 0 : ctx.position(s).quantity * ctx.lastPrice(s)), ctx.cash());
        expect(ctx.equity()).toBeCloseTo(expected, 6);
        equityChecks++;
        if (bar.symbol === 'ABC/USDT' && k === 1) ctx.submitOrder({ symbol: 'ABC/USDT', side: OrderSide.Buy, type: OrderType.Market, quantity: 1 });
        // With ~7,000 left after ABC, XRP for ~30,000 is only affordable with the proceeds of the ABC sale on the same bar.
        if (bar.symbol === 'ABC/USDT' && k === 5) ctx.submitOrder({ symbol: 'ABC/USDT', side: OrderSide.Sell, type: OrderType.Market, quantity: 1 });
        if (bar.symbol === 'XRP/USDT' && k === 5) ctx.submitOrder({ symbol: 'XRP/USDT', side: OrderSide.Buy, type: OrderType.Market, quantity: 60_000 });
        if (bar.symbol === 'ABC/USDT' && k === 8) ctx.submitOrder({ symbol: 'ABC/USDT', side: OrderSide.Buy, type: OrderType.Market, quantity: 0.3 });
      },
    });
    const { kernel } = runBacktest({ instruments: [ABC, XRP], series: [ABC_SERIES, XRP_SERIES], strategy, capital: 50_000 });
    expect(equityChecks).toBe(60);
    const fills = kernel.fills;
    expect(fills.map((f) => [f.symbol, f.side, f.quantity, f.reducedForCash])).toEqual([
      ['ABC/USDT', OrderSide.Buy, 1, false],
      ['ABC/USDT', OrderSide.Sell, 1, false],
      ['XRP/USDT', OrderSide.Buy, 60_000, false],
      ['ABC/USDT', OrderSide.Buy, 0.3, false],
    ]);
    // Zero fees: cash is the capital minus buys plus sells, exactly.
    const spent = fills.reduce((sum, f) => sum + (f.side === OrderSide.Buy ? -f.notional : f.notional), 0n);
    expect(kernel.account.cash).toBe(50_000n * MONEY_SCALE + spent);
    expect(kernel.account.positions.size).toBe(2);

    const lastAbc = ABC_SERIES.close[29]!;
    const lastXrp = XRP_SERIES.close[29]!;
    const exact = kernel.account.cash + notionalOf(ABC, lastAbc, 0.3) + notionalOf(XRP, lastXrp, 60_000);
    expect(kernel.account.cash + kernel.markedPositionsValue()).toBe(exact);
    expect(kernel.equity()).toBeCloseTo(Number(kernel.account.cash) / 1e8 + 0.3 * lastAbc + 60_000 * lastXrp, 6);
    expect(numberToMoney(kernel.equity()) - exact).toBeLessThanOrEqual(2n);
    expect(exact - numberToMoney(kernel.equity())).toBeLessThanOrEqual(2n);
  });
});

// ---- T+1 through the whole chain ------------------------------------------------------------

describe('A-shares end to end', () => {
  it('holds back a sell of shares bought the same day, fills it the next day and charges hand-computed costs', () => {
    const moutai = resolveInstrument('600519.SH', Market.AShare);
    const day0 = Date.UTC(2024, 0, 2);
    const daily = series('600519.SH', Market.AShare, MS_PER_DAY, day0, [
      { open: 1780, high: 1795, low: 1770, close: 1790, volume: 30_000 },
      { open: 1800, high: 1860, low: 1795, close: 1850, volume: 30_000 },
      { open: 1900, high: 1910, low: 1880, close: 1890, volume: 30_000 },
      { open: 1880, high: 1900, low: 1870, close: 1875, volume: 30_000 },
    ]);
    const sellable: number[] = [];
    const strategy = new ScriptStrategy({
      bar: (ctx, bar) => {
        sellable.push(ctx.position('600519.SH').sellableQuantity);
        if (bar.openTime === day0) {
          ctx.submitOrder({ symbol: '600519.SH', side: OrderSide.Buy, type: OrderType.Market, quantity: 100 });
          ctx.submitOrder({ symbol: '600519.SH', side: OrderSide.Sell, type: OrderType.Market, quantity: 100 });
        }
      },
    });
    const { kernel } = runBacktest({ instruments: [moutai], series: [daily], strategy, fees: ASHARE_FEES, capital: 1_000_000 });
    const [buy, sell] = kernel.fills;
    // Day 1: the buy fills at the open (1800.00); the sell waits, the shares were bought today.
    expect(buy).toMatchObject({ side: OrderSide.Buy, price: 1800, quantity: 100, time: daily.openTime[1] });
    expect(sellable).toEqual([0, 0, 0, 0]);
    // Day 2: the sell fills at that day's open (1900.00).
    expect(sell).toMatchObject({ side: OrderSide.Sell, price: 1900, quantity: 100, time: daily.openTime[2] });
    const money = (text: string): bigint => parseScaled(text, 8);
    expect(buy!.fee).toBe(money('57.37')); // 45.00 + 3.60 + 8.77
    expect(buy!.tax).toBe(0n);
    expect(sell!.fee).toBe(money('60.55')); // 47.50 + 3.80 + 9.25
    expect(sell!.tax).toBe(money('190'));
    // 1,000,000 - 180,000 - 57.37 + 190,000 - 60.55 - 190.00
    expect(kernel.account.cash).toBe(money('1009692.08'));
    expect(kernel.account.trades).toHaveLength(1);
    expect(kernel.account.trades[0]!.pnl).toBeCloseTo(10_000 - 57.37 - 60.55 - 190, 8);
  });

  it('reports today\'s buys as not sellable and yesterday\'s as sellable', () => {
    const moutai = resolveInstrument('600519.SH', Market.AShare);
    const day0 = Date.UTC(2024, 0, 2);
    const daily = series('600519.SH', Market.AShare, MS_PER_DAY, day0, [
      { open: 1780, high: 1795, low: 1770, close: 1790, volume: 30_000 },
      { open: 1800, high: 1860, low: 1795, close: 1850, volume: 30_000 },
      { open: 1900, high: 1910, low: 1880, close: 1890, volume: 30_000 },
    ]);
    const views: [number, number][] = [];
    const strategy = new ScriptStrategy({
      bar: (ctx, bar) => {
        const p = ctx.position('600519.SH');
        views.push([p.quantity, p.sellableQuantity]);
        if (bar.openTime === day0) ctx.submitOrder({ symbol: '600519.SH', side: OrderSide.Buy, type: OrderType.Market, quantity: 100 });
      },
    });
    runBacktest({ instruments: [moutai], series: [daily], strategy, fees: ASHARE_FEES });
    expect(views).toEqual([
      [0, 0],
      [100, 0],
      [100, 100],
    ]);
  });
});

describe('kernel lifecycle', () => {
  it('calls onStart once before any bar and onStop at the end, and delivers no events before start', () => {
    const calls: string[] = [];
    class Lifecycle extends ScriptStrategy {
      override onStart(): void {
        calls.push('start');
      }
      override onStop(): void {
        calls.push('stop');
      }
      override onBar(bar: Bar): void {
        if (calls.at(-1) !== 'bar') calls.push('bar');
        super.onBar(bar);
      }
    }
    const strategy = new Lifecycle();
    runBacktest({ instruments: [ABC], series: [ABC_SERIES], strategy });
    expect(calls).toEqual(['start', 'bar', 'stop']);
    expect(strategy.bars).toHaveLength(30);
  });

  it('cancels an open order through the venue and drops it from the open orders', () => {
    let order: Order | undefined;
    const strategy = new ScriptStrategy({
      bar: (ctx, bar) => {
        if (bar.openTime === T0) order = ctx.submitOrder({ symbol: 'BTC/USDT', side: OrderSide.Buy, type: OrderType.Limit, quantity: 1, price: 30_000 });
        else if (order?.isOpen) ctx.cancelOrder(order.id);
      },
    });
    const { deliver } = manualKernel(strategy);
    deliver(btcBar(0));
    expect(strategy.context.openOrders('BTC/USDT')).toEqual([order]);
    deliver(btcBar(1));
    expect(order!.status).toBe(OrderStatus.Canceled);
    expect(strategy.context.openOrders()).toEqual([]);
    expect(strategy.events.map((e) => e.kind)).toEqual([OrderEventKind.Submitted, OrderEventKind.Accepted, OrderEventKind.Canceled]);
  });
});

describe('cancels with a venue that answers later', () => {
  it('asks the venue once when the strategy cancels again while the cancel is pending', () => {
    let order: Order | undefined;
    const strategy = new ScriptStrategy({
      bar: (ctx, bar) => {
        if (bar.openTime === T0) order = ctx.submitOrder({ symbol: 'BTC/USDT', side: OrderSide.Buy, type: OrderType.Limit, quantity: 1, price: 30_000 });
        else for (const open of ctx.openOrders()) ctx.cancelOrder(open.id); // "cancel everything" on every bar
      },
    });
    const { venue, deliver } = manualKernel(strategy);
    venue.confirmCancelsAtOnce = false;
    deliver(btcBar(0));
    deliver(btcBar(1));
    expect(order!.status).toBe(OrderStatus.PendingCancel);
    expect(() => deliver(btcBar(2))).not.toThrow();
    expect(venue.cancelRequests).toEqual([order]);
    venue.confirmCancel(order!);
    expect(order!.status).toBe(OrderStatus.Canceled);
    expect(strategy.context.openOrders()).toEqual([]);
  });

  it('books a fill that arrives while the cancel is pending', () => {
    let order: Order | undefined;
    const strategy = new ScriptStrategy({
      bar: (ctx, bar) => {
        if (bar.openTime === T0) order = ctx.submitOrder({ symbol: 'BTC/USDT', side: OrderSide.Buy, type: OrderType.Limit, quantity: 1, price: 40_000 });
      },
    });
    const { kernel, venue, deliver } = manualKernel(strategy);
    venue.confirmCancelsAtOnce = false;
    deliver(btcBar(0));
    kernel.cancelOrder(order!.id);
    venue.fill(order!, 40_000, 0.4);
    expect(order!.status).toBe(OrderStatus.PendingCancel);
    expect(order!.filledQuantity).toBe(0.4);
    expect(kernel.account.position(BTC).quantity).toBe(0.4);
    venue.confirmCancel(order!);
    expect(order!.status).toBe(OrderStatus.Canceled);
    expect(strategy.events.map((e) => e.kind)).toEqual([OrderEventKind.Submitted, OrderEventKind.Accepted, OrderEventKind.PartiallyFilled, OrderEventKind.Canceled]);
  });
});

