// A paper session on the local exchange (loopback): the exchange's candles and book reach a kernel on
// the paper venue through the CCXT data client, as in `traider paper`. A sell stop below the market
// rests until a replayed trade goes through it, then TRIGGERED and FILLED near the stop.
import { afterEach, describe, expect, it } from 'vitest';
import { CcxtDataClient, type CcxtMarketApi } from '../../src/adapters/ccxt/ccxt-data-client.ts';
import type { Bar } from '../../src/core/bar.ts';
import type { BookSnapshot } from '../../src/core/book.ts';
import { OrderSide, OrderType } from '../../src/core/order.ts';
import type { ExchangeSimHandle } from '../../src/exchange-sim/index.ts';
import type { OrderEvent } from '../../src/common/events.ts';
import { Topic } from '../../src/common/message-bus.ts';
import { type Exchange, illegalTransitions, paperOnLocalExchange, SYMBOL, waitUntil } from '../ccxt/helpers.ts';

describe('a paper session on the local exchange', () => {
  let sim: ExchangeSimHandle | undefined;
  let exchange: Exchange | undefined;

  afterEach(async () => {
    await exchange?.close();
    await sim?.close();
    exchange = undefined;
    sim = undefined;
  });

  it('a sell stop below the market rests until a replayed trade goes through it, then TRIGGERED and FILLED near the stop', async () => {
    // 2021-02-22 12:00 UTC, 120x: one-minute bars close every half wall second and the price falls
    // about 0.8% within the first 4 minutes (54,525 at 11:59 to 54,110 at 12:04).
    const parts = await paperOnLocalExchange(120);
    ({ sim, exchange } = parts);
    const { instrument, clock, kernel } = parts;
    const bars: Bar[] = [];
    let book: BookSnapshot | undefined;
    // Every last trade the books carried, and what the session had seen when each order event happened.
    const trades: number[] = [];
    const seen: Array<{ event: OrderEvent; lastTrade: number | undefined; tradesSeen: number }> = [];
    kernel.bus.subscribe<OrderEvent>(Topic.OrderEvent, (event) => seen.push({ event, lastTrade: book?.lastTradePrice, tradesSeen: trades.length }));
    const data = new CcxtDataClient(exchange as unknown as CcxtMarketApi, clock, {
      symbols: [SYMBOL],
      timeframe: '1m',
      warmupBars: 3,
      onWarmup: (active) => {
        kernel.warmingUp = active;
      },
    });
    kernel.adoptPosition(SYMBOL, 0.05, 54_500);
    kernel.start();
    await data.start({
      onBar: (bar) => {
        bars.push(bar);
        kernel.onBar(bar);
      },
      onBook: (snapshot) => {
        if (snapshot.lastTradePrice !== undefined && snapshot.lastTradePrice !== book?.lastTradePrice) trades.push(snapshot.lastTradePrice);
        book = snapshot;
        kernel.onBook(snapshot);
      },
    });
    try {
      await waitUntil(() => book?.lastTradePrice !== undefined && bars.length > 0 && !kernel.warmingUp, 'a book with a last trade, and a bar after the warm-up', 10_000);
      const last = Math.min(book!.lastTradePrice!, bars.at(-1)!.close);
      const stopPrice = instrument.roundPrice(Math.min(last, book!.bids[0]![0]) * 0.9965);
      const tradesBefore = trades.length;
      const order = kernel.submitOrder({ symbol: SYMBOL, side: OrderSide.Sell, type: OrderType.Stop, quantity: 0.05, stopPrice });
      expect(order.status, `accepted and resting: last trade ${last} is above the stop ${stopPrice}`).toBe('ACCEPTED');
      await waitUntil(() => order.status === 'FILLED', `the stop at ${stopPrice} to trigger and fill (trades since: ${trades.slice(tradesBefore).join(', ')})`, 12_000);

      const events = seen.filter((s) => s.event.order === order);
      const kinds = events.map((s) => s.event.kind);
      const triggered = events.find((s) => s.event.kind === 'TRIGGERED')!;
      const fills = kernel.fills.filter((f) => f.orderId === order.id);
      const restedOn = trades.slice(tradesBefore, triggered.tradesSeen - 1);
      const line =
        `paper session stop: stop ${stopPrice}, rested through ${restedOn.length} trades (lowest ${Math.min(...restedOn)}), ` +
        `triggered by the trade at ${triggered.lastTrade}, ` +
        `filled ${fills.length} part(s) at avg ${order.averageFillPrice.toFixed(2)} (${(((stopPrice - order.averageFillPrice) / stopPrice) * 1e4).toFixed(1)} bps below the stop)`;
      console.log(line);

      expect(kinds.slice(0, 3), line).toEqual(['SUBMITTED', 'ACCEPTED', 'TRIGGERED']);
      expect(kinds.at(-1), line).toBe('FILLED');
      expect(kinds.slice(3).every((k) => k === 'PARTIALLY_FILLED' || k === 'FILLED'), `only fills after the trigger: ${kinds.join(' ')}`).toBe(true);
      expect(triggered.tradesSeen, `triggered by a trade after the order was placed (${line})`).toBeGreaterThan(tradesBefore);
      expect(restedOn.every((price) => price > stopPrice), `every trade it rested through was above the stop (${line})`).toBe(true);
      expect(triggered.lastTrade, `the trade that triggered it was at or below the stop (${line})`).toBeLessThanOrEqual(stopPrice);
      expect(triggered.event.time, 'triggered after it was accepted, not in the same step').toBeGreaterThan(order.createdAt);
      expect(Math.min(...fills.map((f) => f.time)), 'no fill before the trigger').toBeGreaterThanOrEqual(triggered.event.time);
      // The fill is on the book of the trigger's moment: near the stop.
      expect(Math.abs(order.averageFillPrice - stopPrice) / stopPrice, `filled near the stop, within 0.5% (${line})`).toBeLessThan(0.005);
      expect(illegalTransitions(seen.map((s) => s.event)), 'legal order events').toEqual([]);
    } finally {
      await data.stop();
      kernel.stop();
      clock.cancelAll();
    }
  });
});
