// The deployment read routes over a journal written by hand: each shows what its numbers say (positions from the
// fills, P&L from the equity curve, exposure from the positions at the last bar's close over the last equity, the
// breaker level from its changes), reading only the journal tables it needs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Deployments } from '../../src/app/deployments/index.ts';
import { LiveClock, RunKind, type JournalPart, type RunJournal } from '../../src/common/index.ts';
import { bar, fill } from '../store/contract.ts';
import { type ApiHarness, startApi } from './harness.ts';

const T0 = Date.UTC(2024, 0, 2);
const MINUTE = 60_000;

let api: ApiHarness;
/** The journal parts each request read, in order. */
const reads: (readonly JournalPart[] | undefined)[] = [];

beforeAll(async () => {
  api = await startApi();
  const created = await api.call('POST', '/api/v1/deployments', {
    as: 'operator',
    body: { name: 'btc', strategy: 'sma-cross', symbols: ['BTC/USDT'], exchange: 'binance', url: 'http://127.0.0.1:9', capital: 5000, confirm: 'btc' },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const runId = await api.journal.createRun({ kind: RunKind.Paper, strategy: 'sma-cross', symbols: ['BTC/USDT'] });
  // Bought 0.01 BTC at 50,000 (fee 0.5); the last bar closes at 51,000; equity 5000 -> 5009.5.
  await api.journal.appendFills([fill(runId, 1, { time: T0 + MINUTE, side: 'BUY', quantity: 0.01, price: 50_000, notional: 50_000_000_000n, fee: 50_000_000n, tax: 0n })]);
  await api.journal.appendBars([bar(runId, 1, { close: 50_000 }), bar(runId, 2, { close: 51_000 })]);
  await api.journal.appendEquity([
    { runId, time: T0, equity: 5000, cash: 5000 },
    { runId, time: T0 + MINUTE, equity: 5009.5, cash: 4499.5 },
  ]);
  await api.journal.appendBreakerEvents([{ runId, time: T0 + MINUTE, level: 'HALT_NEW_POSITIONS', previousLevel: 'NORMAL', cause: 'DAILY_LOSS', value: 0.031, threshold: 0.03, actor: null, detail: null }]);
  await new Deployments(api.store, api.journal, new LiveClock()).attachRun('btc', runId, 'test');
  // Count what the routes read from the store.
  const read = api.store.readRunJournal.bind(api.store);
  api.store.readRunJournal = (id: string, parts?: readonly JournalPart[]): Promise<RunJournal> => {
    reads.push(parts);
    return read(id, parts);
  };
});
afterAll(() => api.close());

const get = async (path: string) => {
  reads.length = 0;
  const response = await api.call('GET', `/api/v1/deployments/btc${path}`, { as: 'viewer' });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body;
};

describe('the read routes of a deployment', () => {
  it('positions: what the fills hold, at their average price', async () => {
    expect(await get('/positions')).toEqual([{ symbol: 'BTC/USDT', quantity: 0.01, averagePrice: 50_000, lastFillTime: T0 + MINUTE }]);
    expect(reads).toEqual([['fills']]);
  });

  it('pnl: the last equity point less the capital, with the curve', async () => {
    const pnl = await get('/pnl');
    expect(pnl).toMatchObject({ initialCapital: 5000, equity: 5009.5, pnl: 9.5 });
    expect(pnl.curve).toHaveLength(2);
    expect(reads).toEqual([['equity']]);
  });

  it('risk: exposure is the position at the last close over the last equity', async () => {
    const risk = await get('/risk');
    expect(risk.equity).toBe(5009.5);
    expect(risk.exposure).toBeCloseTo((0.01 * 51_000) / 5009.5, 12);
    expect(reads).toEqual([['fills', 'bars', 'equity']]);
  });

  it('status: the breaker level from its last change, reading nothing else', async () => {
    const status = await get('/status');
    expect(status.breaker).toMatchObject({ level: 'HALT_NEW_POSITIONS', since: T0 + MINUTE });
    expect(reads).toEqual([['breakerEvents']]);
  });

  it('orders and fills: each from its own table', async () => {
    expect(await get('/orders')).toEqual([]);
    expect(reads).toEqual([['orders']]);
    const fills = await get('/fills');
    expect(fills.map((f: { fillId: string; quantity: number }) => [f.fillId, f.quantity])).toEqual([['F-1', 0.01]]);
    expect(reads).toEqual([['fills']]);
  });
});
