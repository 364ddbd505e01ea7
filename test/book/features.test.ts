// Book features on a tiny hand-computed book:
//   bids 100 x 2, 99 x 3, 98 x 5      asks 101 x 1, 102 x 4, 104 x 10      (mid 100.5, spread 1)
import { describe, expect, it } from 'vitest';
import {
  OfiTracker,
  OrderBook,
  depthWithinBps,
  imbalance,
  midPrice,
  orderFlowImbalance,
  priceImpact,
  spread,
  spreadBps,
} from '../../src/engines/data/book/index.ts';
import type { TopOfBook } from '../../src/engines/data/book/index.ts';

function tinyBook(): OrderBook {
  const book = new OrderBook();
  book.load({ prices: [100, 99, 98], qtys: [2, 3, 5] }, { prices: [101, 102, 104], qtys: [1, 4, 10] });
  return book;
}

const top = (bidPrice: number, bidQty: number, askPrice: number, askQty: number): TopOfBook => ({ bidPrice, bidQty, askPrice, askQty });

describe('book features', () => {
  it('spread, mid and spread in bps', () => {
    const book = tinyBook();
    expect(spread(book)).toBe(1);
    expect(midPrice(book)).toBe(100.5);
    expect(spreadBps(book)).toBeCloseTo(1e4 / 100.5, 10); // 99.5025 bps
    expect(spread(new OrderBook())).toBeNaN();
  });

  it('imbalance at N levels = (bid qty - ask qty) / (bid qty + ask qty)', () => {
    const book = tinyBook();
    expect(imbalance(book, 1)).toBeCloseTo((2 - 1) / (2 + 1), 12); // 1/3
    expect(imbalance(book, 2)).toBe(0); // (5 - 5) / 10
    expect(imbalance(book, 3)).toBeCloseTo((10 - 15) / 25, 12); // -0.2
    expect(imbalance(book, 50)).toBeCloseTo(-0.2, 12); // fewer levels than asked: all of them
    expect(imbalance(new OrderBook(), 5)).toBeNaN();
  });

  it('order-flow imbalance between consecutive top-of-book states', () => {
    const before = top(100, 2, 101, 1);
    expect(orderFlowImbalance(before, top(100, 3, 101, 1))).toBe(1); // bid size +1 at the same price
    expect(orderFlowImbalance(before, top(100.5, 1, 101, 1))).toBe(1); // better bid of size 1
    expect(orderFlowImbalance(before, top(99, 3, 101, 1))).toBe(-2); // best bid (2) removed
    expect(orderFlowImbalance(before, top(100, 2, 100.8, 2))).toBe(-2); // better ask of size 2
    expect(orderFlowImbalance(before, top(100, 2, 102, 4))).toBe(1); // best ask (1) lifted
    expect(orderFlowImbalance(before, top(100, 2, 101, 0.25))).toBe(0.75); // ask size -0.75 at the same price
    expect(orderFlowImbalance(before, before)).toBe(0);
  });

  it('OfiTracker sums OFI over successive book states', () => {
    const book = tinyBook();
    const ofi = new OfiTracker();
    expect(ofi.update(book)).toBe(0); // first state: nothing to compare with
    book.apply(0, 100, 3);
    expect(ofi.update(book)).toBe(1);
    book.apply(1, 101, 0); // best ask lifted: +1
    expect(ofi.update(book)).toBe(1);
    book.apply(0, 100, 0); // best bid (3) removed: -3
    expect(ofi.update(book)).toBe(-3);
    expect(ofi.total).toBe(-1);
    expect(ofi.steps).toBe(3);
  });

  it('depth within X bps of the mid', () => {
    const book = tinyBook();
    // 100 bps: bids >= 99.495 (100 x 2), asks <= 101.505 (101 x 1)
    expect(depthWithinBps(book, 'bid', 100)).toBe(2);
    expect(depthWithinBps(book, 'ask', 100)).toBe(1);
    // 200 bps: bids >= 98.49 (2 + 3), asks <= 102.51 (1 + 4)
    expect(depthWithinBps(book, 'bid', 200)).toBe(5);
    expect(depthWithinBps(book, 'ask', 200)).toBe(5);
    expect(depthWithinBps(book, 'ask', 10_000)).toBe(15);
    expect(depthWithinBps(new OrderBook(), 'bid', 10)).toBeNaN();
  });

  it('price impact: VWAP of a market order walking the book, slippage vs best and vs mid', () => {
    const book = tinyBook();
    const buy = priceImpact(book, 'buy', 3); // 1 @ 101 + 2 @ 102 = 305
    expect(buy).toMatchObject({ size: 3, filled: 3, notional: 305, worstPrice: 102, levels: 2 });
    expect(buy.averagePrice).toBeCloseTo(305 / 3, 12);
    expect(buy.slippageBps).toBeCloseTo((1e4 * (305 / 3 - 101)) / 101, 9); // 66.0066
    expect(buy.impactBps).toBeCloseTo((1e4 * (305 / 3 - 100.5)) / 100.5, 9); // 116.086
    const sell = priceImpact(book, 'sell', 6); // 2 @ 100 + 3 @ 99 + 1 @ 98 = 595
    expect(sell).toMatchObject({ filled: 6, notional: 595, worstPrice: 98, levels: 3 });
    expect(sell.slippageBps).toBeCloseTo((1e4 * (100 - 595 / 6)) / 100, 9); // 83.33: a cost is positive
    expect(sell.impactBps).toBeCloseTo((1e4 * (100.5 - 595 / 6)) / 100.5, 9);
    const tooBig = priceImpact(book, 'buy', 20); // only 15 on the ask side
    expect(tooBig).toMatchObject({ size: 20, filled: 15, notional: 101 + 408 + 1040, worstPrice: 104, levels: 3 });
    const inside = priceImpact(book, 'buy', 0.5);
    expect(inside).toMatchObject({ filled: 0.5, averagePrice: 101, slippageBps: 0, levels: 1 });
  });
});
