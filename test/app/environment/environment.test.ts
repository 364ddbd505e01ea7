// The environment factory builds every kernel (venue, risk engine, journal) and the one mapping from
// kernel events to journal records: what a backtest, a replay and a session journal.
import { describe, expect, it } from 'vitest';
import { BookExecutionClient, SimExecutionClient } from '../../../src/adapters/sim/index.ts';
import { simulate } from '../../../src/app/backtest/index.ts';
import { defaultConfig } from '../../../src/app/config/index.ts';
import { buildKernel, type JournaledRecords, KernelJournal } from '../../../src/app/environment/index.ts';
import type { Journal } from '../../../src/audit/index.ts';
import { Market, OrderSide, OrderType, resolveInstrument } from '../../../src/core/index.ts';
import { RiskEngine, RiskMode } from '../../../src/engines/index.ts';
import { type BarRecord, type BreakerRecord, type DenialRecord, type ExecutionClient, type FillRecord, type OrderEvent, type OrderEventInput, SimulatedClock, Topic } from '../../../src/common/index.ts';
import { MINUTE, ScriptStrategy, series, T0 } from '../../kernel/helpers.ts';

const config = defaultConfig();
const BTC = resolveInstrument('BTC/USDT', Market.Crypto);
const rows = Array.from({ length: 30 }, (_, i) => ({ open: 100 + i, high: 101 + i, low: 99 + i, close: 100.5 + i, volume: 1_000 }));
const data = series('BTC/USDT', Market.Crypto, MINUTE, T0, rows);

/** A journal that keeps what is appended, and commits when the test says so. */
function memoryJournal() {
  const appended = { orderEvents: [] as OrderEventInput[], denials: [] as DenialRecord[], fills: [] as FillRecord[], breakers: [] as BreakerRecord[], bars: [] as BarRecord[], audit: [] as unknown[] };
  const commits: Array<() => void> = [];
  const journal = {
    appendOrderEvents: async (records: OrderEventInput[]) => void appended.orderEvents.push(...records),
    appendDenials: async (records: DenialRecord[]) => void appended.denials.push(...records),
    appendFills: async (records: FillRecord[]) => void appended.fills.push(...records),
    appendBreakerEvents: async (records: BreakerRecord[]) => void appended.breakers.push(...records),
    appendBars: async (records: BarRecord[]) => void appended.bars.push(...records),
    audit: { append: async (entry: unknown) => void appended.audit.push(entry) },
    flush: () => new Promise<void>((resolve) => commits.push(resolve)),
  };
  return { journal: journal as unknown as Journal, appended, commit: () => commits.splice(0).forEach((done) => done()) };
}

/** Buys on the 3rd bar, sells on the 10th, and sends one order the kernel refuses (quantity rounds to 0). */
function trader(): ScriptStrategy {
  let n = 0;
  return new ScriptStrategy({
    bar: (ctx, bar) => {
      n++;
      if (n === 3) ctx.submitOrder({ symbol: bar.symbol, side: OrderSide.Buy, type: OrderType.Market, quantity: 1 });
      if (n === 5) ctx.submitOrder({ symbol: bar.symbol, side: OrderSide.Buy, type: OrderType.Market, quantity: 1e-12 });
      if (n === 10) ctx.submitOrder({ symbol: bar.symbol, side: OrderSide.Sell, type: OrderType.Market, quantity: 1 });
    },
  });
}

const base = { series: [data], instruments: [BTC], capital: 100_000, fill: config.fill, fees: config.fees };

describe('buildKernel', () => {
  const environment = { clock: new SimulatedClock(T0), instruments: [BTC], strategy: new ScriptStrategy(), capital: 1_000 };

  it('builds the venue the environment names', () => {
    expect(buildKernel({ ...environment, venue: { kind: 'bars', fill: config.fill, fees: config.fees } }).execution).toBeInstanceOf(SimExecutionClient);
    expect(buildKernel({ ...environment, venue: { kind: 'book', fees: config.fees } }).execution).toBeInstanceOf(BookExecutionClient);
    const client: ExecutionClient = { name: 'mine', connect: () => {}, submitOrder: () => {}, cancelOrder: () => {} } as unknown as ExecutionClient;
    expect(buildKernel({ ...environment, venue: { kind: 'client', client } }).execution).toBe(client);
  });

  it('builds a risk engine from settings, takes a gate as it is, or runs without checks', () => {
    const venue = { kind: 'book', fees: config.fees } as const;
    const engine = buildKernel({ ...environment, venue, risk: { mode: RiskMode.Paper, backtest: false } }).risk;
    expect(engine).toBeInstanceOf(RiskEngine);
    expect(engine!.mode).toBe(RiskMode.Paper);
    const gate = { checkSubmit: () => ({ reason: 'NOT_TODAY', detail: 'the gate says no' }) };
    const gated = buildKernel({ ...environment, venue, risk: gate });
    expect(gated.risk).toBeUndefined();
    gated.kernel.start();
    const order = gated.kernel.submitOrder({ symbol: 'BTC/USDT', side: OrderSide.Buy, type: OrderType.Market, quantity: 1 });
    expect(order.status).toBe('DENIED');
    expect(gated.kernel.deniedCounts.get('NOT_TODAY')).toBe(1);
    expect(buildKernel({ ...environment, venue }).risk).toBeUndefined();
  });

  it('keeps one account: one quote currency', () => {
    const eth = resolveInstrument('ETH/BTC', Market.Crypto);
    expect(() => buildKernel({ ...environment, instruments: [BTC, eth], venue: { kind: 'book', fees: config.fees } })).toThrow(/one quote currency \(got USDT, BTC\)/);
    expect(buildKernel({ ...environment, venue: { kind: 'book', fees: config.fees } }).currency).toBe('USDT');
  });

  it('holds events from everyone but the journal until their commit is durable (sessions)', async () => {
    const memory = memoryJournal();
    const built = buildKernel({ ...environment, venue: { kind: 'book', fees: config.fees }, journal: { journal: memory.journal, runId: 'run', deliverWhenDurable: true } });
    const seen: OrderEvent[] = [];
    built.kernel.bus.subscribe<OrderEvent>(Topic.OrderEvent, (event) => seen.push(event));
    built.kernel.start();
    built.kernel.submitOrder({ symbol: 'BTC/USDT', side: OrderSide.Buy, type: OrderType.Limit, quantity: 1, price: 50 });
    await Promise.resolve();
    expect(memory.appended.orderEvents.map((e) => e.kind)).toEqual(['SUBMITTED', 'ACCEPTED']);
    expect(seen, 'not delivered before the commit').toEqual([]);
    memory.commit();
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen.map((e) => e.kind)).toEqual(['SUBMITTED', 'ACCEPTED']);
  });
});

describe('KernelJournal: kernel events to journal records', () => {
  it('journals every order event, the denial of a DENIED one, every fill and nothing twice', async () => {
    const memory = memoryJournal();
    const newFills: string[] = [];
    const { kernel } = simulate({ ...base, strategy: trader(), journal: { journal: memory.journal, runId: 'bt', onNewFill: (fill) => newFills.push(fill.id) } });
    await Promise.resolve();
    const { orderEvents, denials, fills } = memory.appended;
    expect(kernel.fills.length).toBe(2);
    expect(fills.map((f) => f.fillId)).toEqual(kernel.fills.map((f) => f.id));
    expect(newFills).toEqual(kernel.fills.map((f) => f.id));
    expect(orderEvents.filter((e) => e.kind === 'DENIED')).toHaveLength(1);
    expect(denials).toEqual([expect.objectContaining({ runId: 'bt', reason: 'INVALID_QUANTITY', orderId: orderEvents.find((e) => e.kind === 'DENIED')!.orderId })]);
    expect(new Set(orderEvents.map((e) => e.runId))).toEqual(new Set(['bt']));
    expect(orderEvents.filter((e) => e.kind === 'FILLED').map((e) => e.fillId)).toEqual(kernel.fills.map((f) => f.id));
  });

  it('changes nothing in the run it journals', () => {
    const plain = simulate({ ...base, strategy: trader() });
    const journaled = simulate({ ...base, strategy: trader(), journal: { journal: memoryJournal().journal, runId: 'bt' } });
    expect(journaled.equity).toEqual(plain.equity);
    expect(journaled.kernel.fills).toEqual(plain.kernel.fills);
  });

  it('checks records a resumed run has already instead of writing them again', async () => {
    const memory = memoryJournal();
    const checked: string[] = [];
    const everything: JournaledRecords = {
      orderEvent: (record) => {
        checked.push(`order ${record.kind}`);
        return true;
      },
      fill: () => {
        checked.push('fill');
        return true;
      },
      breaker: () => true,
      bar: () => true,
    };
    const newFills: unknown[] = [];
    simulate({ ...base, strategy: trader(), journal: { journal: memory.journal, runId: 'bt', journaled: everything, onNewFill: (fill) => newFills.push(fill) } });
    await Promise.resolve();
    expect(memory.appended.orderEvents).toEqual([]);
    expect(memory.appended.denials, 'a denial goes with its order event').toEqual([]);
    expect(memory.appended.fills).toEqual([]);
    expect(newFills).toEqual([]);
    expect(checked).toContain('fill');
    expect(checked).toContain('order DENIED');
  });

  it('journals a bar before the kernel acts on it, once', async () => {
    const memory = memoryJournal();
    const built = buildKernel({ clock: new SimulatedClock(T0), venue: { kind: 'book', fees: config.fees }, instruments: [BTC], strategy: new ScriptStrategy(), capital: 1_000 });
    const recorder = new KernelJournal(memory.journal, 'run');
    const sink = recorder.sinkFor(built.kernel);
    built.kernel.start();
    const bar = { symbol: 'BTC/USDT', openTime: T0, closeTime: T0 + MINUTE, open: 1, high: 2, low: 0.5, close: 1.5, volume: 3 };
    sink.onBar(bar);
    await Promise.resolve();
    expect(memory.appended.bars).toEqual([{ runId: 'run', symbol: 'BTC/USDT', openTime: T0, closeTime: T0 + MINUTE, open: 1, high: 2, low: 0.5, close: 1.5, volume: 3, adjustmentFactor: null, preClose: null }]);
    expect(built.kernel.cache.lastClose[0]).toBe(1.5);
    const again = new KernelJournal(memory.journal, 'run', { journaled: { orderEvent: () => false, fill: () => false, breaker: () => false, bar: () => true } });
    expect(again.bar(bar), 'a journaled bar is not new').toBe(false);
    recorder.audit('reconciler', 'reconciliation.test', { value: Number.NaN });
    await Promise.resolve();
    expect(memory.appended.audit).toEqual([{ actor: 'reconciler', kind: 'reconciliation.test', payload: { value: null } }]);
  });
});
