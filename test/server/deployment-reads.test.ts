// The deployment read routes over a journal written by hand: each shows what its numbers say (positions from the
// fills, P&L from the equity curve, exposure from the positions at the last bar's close over the last equity, the
// breaker level from its changes), reading only the journal tables it needs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Deployments, journalOf, RISK_WINDOW_BARS } from '../../src/app/deployments/index.ts';
import { LiveClock, RunKind, type JournalPart, type RunJournal } from '../../src/common/index.ts';
import { bar, fill } from '../store/contract.ts';
import { type ApiHarness, startApi } from './harness.ts';

const T0 = Date.UTC(2024, 0, 2);
const MINUTE = 60_000;

let api: ApiHarness;
/** The journal parts each request read, in order (a tail read as `part:last N`). */
const reads: (readonly JournalPart[] | string | undefined)[] = [];

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
  const tail = api.store.readRunTail.bind(api.store);
  api.store.readRunTail = ((id: string, part: JournalPart, limit: number) => {
    reads.push(`${part}:last ${limit}`);
    return tail(id, part, limit);
  }) as typeof api.store.readRunTail;
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
    expect(reads, 'every fill, but only the window of bars and the last equity point').toEqual([['fills'], 'bars:last 10000', 'equity:last 1']);
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

describe('a long run: the risk view reads a window of recent bars, not the run', () => {
  const HOUR = 3_600_000;
  // 10,200 hourly closes: the first 200 swing 10% a bar, the window of the last 10,000 moves 0.01% a bar.
  const closes = Array.from({ length: RISK_WINDOW_BARS + 200 }, (_, i) => (i < 200 ? (i % 2 === 0 ? 50_000 : 55_000) : i % 2 === 0 ? 50_000 : 50_005));
  const barOf = (runId: string, i: number) => bar(runId, i, { openTime: T0 + i * HOUR, closeTime: T0 + (i + 1) * HOUR, open: closes[i]!, high: closes[i]!, low: closes[i]!, close: closes[i]! });

  it('VaR, ES and correlation come from the last 10,000 bars, across the runs the deployment resumed', async () => {
    const created = await api.call('POST', '/api/v1/deployments', {
      as: 'operator',
      body: { name: 'long', strategy: 'sma-cross', symbols: ['BTC/USDT'], exchange: 'binance', url: 'http://127.0.0.1:9', capital: 10_000, confirm: 'long' },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    // The ledger continues over two runs: the window's first 300 bars are in the first one.
    const first = await api.journal.createRun({ kind: RunKind.Paper, strategy: 'sma-cross', symbols: ['BTC/USDT'] });
    const second = await api.journal.createRun({ kind: RunKind.Paper, strategy: 'sma-cross', symbols: ['BTC/USDT'], parameters: { resumedFrom: first } });
    await api.journal.appendFills([fill(first, 1, { time: T0, side: 'BUY', quantity: 0.1, price: 50_000, notional: 5_000_000_000_000n, fee: 0n, tax: 0n })]);
    const split = 500;
    await api.journal.appendBars(Array.from({ length: split }, (_, i) => barOf(first, i)));
    await api.journal.appendBars(Array.from({ length: closes.length - split }, (_, i) => barOf(second, split + i)));
    await api.journal.appendEquity([{ runId: second, time: T0 + closes.length * HOUR, equity: 10_000, cash: 5_000 }]);
    await new Deployments(api.store, api.journal, new LiveClock()).attachRun('long', second, 'test');

    const whole = await journalOf(api.store, await api.store.getDeployment('long').then((d) => d!), ['bars']);
    expect(whole.bars.map((b) => b.close), 'the journal holds every bar, over both runs').toEqual(closes);

    reads.length = 0;
    const response = await api.call('GET', '/api/v1/deployments/long/risk', { as: 'viewer' });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    const risk = response.body;
    expect(risk.observations, '10,000 closes give 9,999 returns').toBe(RISK_WINDOW_BARS - 1);
    // The window's returns are +-0.01%: with the early 10% swings (2% of the run) the 99% VaR would be about 10%.
    const held = (0.1 * 50_000) / 10_000;
    expect(risk.var.historical['99']).toBeGreaterThan(0);
    expect(risk.var.historical['99']).toBeLessThan(held * 0.0002);
    expect(reads, 'the fills of both runs; the bars from the newest run back until there are 10,000').toEqual([['fills'], ['fills'], 'bars:last 10000', 'bars:last 300', 'equity:last 1']);
  });
});
