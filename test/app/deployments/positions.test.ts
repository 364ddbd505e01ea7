// A deployment's positions from its fills: the net quantity, and the average entry price of what is held (average
// cost; reset when the position crosses zero), against hand-worked examples.
import { describe, expect, it } from 'vitest';
import { positionsOf } from '../../../src/app/deployments/index.ts';
import type { FillRecord, RunJournal } from '../../../src/common/index.ts';

function journal(fills: [string, 'BUY' | 'SELL', number, number][]): RunJournal {
  return {
    orders: [], orderEvents: [], positions: [], balances: [], equity: [], bars: [], denials: [], breakerEvents: [], modeChanges: [],
    fills: fills.map(([symbol, side, quantity, price], i) => ({ runId: 'r', fillId: `P-${i + 1}`, time: 1000 + i, symbol, side, quantity, price }) as unknown as FillRecord),
  };
}

describe('positionsOf', () => {
  it('averages the cost of buys, keeps it on a partial sell, drops a closed position', () => {
    const held = positionsOf(journal([['BTC/USDT', 'BUY', 1, 100], ['BTC/USDT', 'BUY', 1, 110], ['BTC/USDT', 'SELL', 0.5, 130], ['ETH/USDT', 'BUY', 2, 10], ['ETH/USDT', 'SELL', 2, 12]]));
    expect(held).toEqual([{ symbol: 'BTC/USDT', quantity: 1.5, averagePrice: 105, lastFillTime: 1002 }]);
  });

  it('a sell through zero leaves a short at the price of that fill', () => {
    expect(positionsOf(journal([['BTC/USDT', 'BUY', 1, 100], ['BTC/USDT', 'SELL', 3, 120]]))).toEqual([{ symbol: 'BTC/USDT', quantity: -2, averagePrice: 120, lastFillTime: 1001 }]);
  });

  it('lot-sized quantities that sum to zero in binary leave nothing held', () => {
    expect(positionsOf(journal([['BTC/USDT', 'BUY', 0.1, 100], ['BTC/USDT', 'BUY', 0.2, 100], ['BTC/USDT', 'SELL', 0.3, 100]]))).toEqual([]);
  });
});
