// Same seed, same exchange: book sizes and fault decisions come from the seed, not from chance.
import { describe, expect, it } from 'vitest';
import { raw, startSim } from './helpers.ts';

async function sample(seed: number): Promise<{ depth: unknown; statuses: number[] }> {
  const sim = await startSim({ speed: 0, seed, faults: '5xx=0.3,429=0.1' });
  try {
    sim.admin.setFaults({});
    const depth = (await raw(sim, 'GET', '/api/v3/depth?symbol=BTCUSDT&limit=50')).json;
    sim.admin.setFaults('5xx=0.3,429=0.1');
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) statuses.push((await raw(sim, 'GET', '/api/v3/ping')).status);
    return { depth, statuses };
  } finally {
    await sim.close();
  }
}

describe('exchange-sim determinism', () => {
  it('the same seed gives the same book and the same faults; another seed differs', async () => {
    const a = await sample(11);
    const b = await sample(11);
    const c = await sample(12);
    expect(b.depth).toEqual(a.depth);
    expect(b.statuses).toEqual(a.statuses);
    expect(a.statuses.filter((s) => s !== 200).length).toBeGreaterThan(3);
    expect(a.statuses.filter((s) => s === 200).length).toBeGreaterThan(10);
    expect(c.depth).not.toEqual(a.depth);
    expect(c.statuses).not.toEqual(a.statuses);
    const book = a.depth as { bids: Array<[string, string]>; asks: Array<[string, string]> };
    expect(book.bids.length).toBe(50);
    expect(book.asks.length).toBe(50);
  });
});
