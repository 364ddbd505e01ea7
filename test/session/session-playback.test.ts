// Paper resume by playback: a kernel that plays a run's journal back (bars, fills, breaker changes,
// submissions) and then carries on must decide exactly like the kernel that never stopped. Checked
// in-process with the deterministic simulated venue, cut at several bars, with a tight daily-loss
// breaker that trips; and a person's kill switch (and a later reset) survives a restart.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SimExecutionClient } from '../../src/adapters/sim/sim-execution-client.ts';
import { instrumentsFor, loadSeries } from '../../src/app/backtest/run-backtest.ts';
import { feeScheduleFor } from '../../src/app/environment/index.ts';
import { loadConfig, type TraiderConfig } from '../../src/app/config/index.ts';
import { toRiskConfig } from '../../src/app/config/risk-schema.ts';
import { playBack } from '../../src/app/session/session-playback.ts';
import { barRecord, breakerRecord, fillRecord, orderEventRecord } from '../../src/audit/index.ts';
import type { Bar } from '../../src/core/bar.ts';
import type { Fill } from '../../src/core/fill.ts';
import { OrderEventKind, OrderSide, OrderType } from '../../src/core/order.ts';
import { BreakerLevel, RiskMode } from '../../src/engines/risk/codes.ts';
import { RiskEngine } from '../../src/engines/risk/risk-engine.ts';
import type { BreakerEvent } from '../../src/engines/risk/breaker-ladder.ts';
import { LiveClock, SimulatedClock, type Clock } from '../../src/common/clock.ts';
import type { OrderEvent } from '../../src/common/events.ts';
import { Kernel } from '../../src/kernel/kernel.ts';
import { Topic } from '../../src/common/message-bus.ts';
import type { RunJournal } from '../../src/common/store.ts';
import { resolveStrategy } from '../../src/strategies/index.ts';
import { barAt } from '../kernel/helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'traider-playback-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const DATA = join(dir, 'BTCUSDT-1m-2021-02-19_2021-02-20.csv');
writeFileSync(DATA, readFileSync('data/BTCUSDT-1m-2021-02-19_2021-02-25.csv', 'utf8').split('\n').slice(0, 1 + 2 * 1440).join('\n') + '\n');
const CONFIG = join(dir, 'risk.yaml');
writeFileSync(CONFIG, 'risk:\n  breakers:\n    paper:\n      dailyLoss: { threshold: 0.004, level: HALT_NEW_POSITIONS, cooldown: 6h }\n');
const config: TraiderConfig = loadConfig({ file: CONFIG, env: {} });
const { series } = await loadSeries({ dataFiles: [DATA], config });
const instruments = instrumentsFor(series, config);
const s0 = series[0]!;
const bars: Bar[] = Array.from({ length: s0.length }, (_, i) => barAt(s0, i));
const factory = await resolveStrategy('sma-cross');

type Journal = Pick<RunJournal, 'bars' | 'fills' | 'orders' | 'orderEvents' | 'breakerEvents'>;

/** A paper kernel on the simulated venue that journals what a session journals (in memory). */
function session(clock: Clock, riskConfig = config) {
  const risk = new RiskEngine({ config: toRiskConfig(riskConfig.risk), mode: RiskMode.Paper, backtest: false });
  const kernel = new Kernel({ clock, execution: new SimExecutionClient(config.fill, feeScheduleFor(config.fees)), instruments, currency: 'USDT', initialCapital: 1_000_000_000_000n, strategy: factory.create({ fast: 5, slow: 20 }), risk });
  kernel.barInterval('BTC/USDT', 60_000);
  const journal: Journal = { bars: [], fills: [], orders: [], orderEvents: [], breakerEvents: [] };
  const orders = new Map<string, Journal['orders'][number]>();
  kernel.setWriteAhead(({ topic, message }) => {
    if (topic === Topic.Fill) journal.fills.push(fillRecord('r', message as Fill));
    else if (topic === Topic.Breaker) journal.breakerEvents.push(breakerRecord('r', message as BreakerEvent));
    else if (topic === Topic.OrderEvent) {
      const record = orderEventRecord('r', message as OrderEvent);
      journal.orderEvents.push(record);
      orders.set(record.orderId, { ...record, createdAt: orders.get(record.orderId)?.createdAt ?? record.time, updatedAt: record.time });
    }
  });
  const snapshot = (): Journal => ({ ...journal, bars: [...journal.bars], fills: [...journal.fills], orderEvents: [...journal.orderEvents], breakerEvents: [...journal.breakerEvents], orders: [...orders.values()] });
  return { kernel, risk, journal, snapshot };
}

function runLive(s: ReturnType<typeof session>, tick: (time: number) => void, from: number, to: number): void {
  for (let i = from; i < to; i++) {
    tick(bars[i]!.closeTime);
    s.journal.bars.push(barRecord('r', bars[i]!));
    s.kernel.onBar(bars[i]!);
  }
}

const view = (f: Journal['fills'][number]) => ({ id: f.fillId, time: f.time, side: f.side, price: f.price, quantity: f.quantity, fee: f.fee });
const levels = (b: Journal['breakerEvents']) => b.map((e) => `${e.time} ${e.previousLevel}->${e.level} ${e.cause}`);

describe('a paper session resumed by playing its journal back', () => {
  const clockA = new SimulatedClock(bars[0]!.openTime);
  const a = session(clockA);
  a.kernel.start();
  const cuts = [317, 1290, 2001];
  const journals = new Map<number, Journal>();
  let last = 0;
  for (const cut of cuts) {
    runLive(a, (t) => clockA.advanceTo(t), last, cut);
    journals.set(cut, a.snapshot());
    last = cut;
  }
  runLive(a, (t) => clockA.advanceTo(t), last, bars.length);

  it('the uninterrupted run trades and trips its daily-loss breaker', () => {
    expect(a.journal.fills.length).toBeGreaterThan(20);
    expect(a.journal.breakerEvents.some((e) => e.cause === 'DAILY_LOSS')).toBe(true);
  });

  for (const cut of cuts) {
    it(`stopped after bar ${cut}: carries on with the same fills, breaker changes and cash`, () => {
      const journal = journals.get(cut)!;
      const clock = new LiveClock();
      const b = session(clock);
      b.kernel.start();
      const played = playBack(b.kernel, clock, b.risk, journal);
      expect(played.bars).toBe(cut);
      runLive(b, (t) => clock.pin(t), cut, bars.length);
      const after = <T extends { time: number }>(list: T[]) => list.filter((x) => x.time >= bars[cut]!.openTime);
      expect(b.journal.fills.map(view)).toEqual(after(a.journal.fills).map(view));
      // (The playback's own level changes repeat journaled ones: a session journals only what follows it.)
      const afterCut = (list: Journal['breakerEvents']) => list.filter((e) => e.time > bars[cut - 1]!.closeTime);
      expect(levels(afterCut(b.journal.breakerEvents))).toEqual(levels(afterCut(a.journal.breakerEvents)));
      expect(b.kernel.cash()).toBe(a.kernel.cash());
      expect(b.kernel.equity()).toBe(a.kernel.equity());
      expect(b.risk.level).toBe(a.risk.level);
    });
  }

  it("keeps a person's kill switch through a restart until the journaled reset", () => {
    const clock = new SimulatedClock(bars[0]!.openTime);
    const s = session(clock);
    s.kernel.start();
    runLive(s, (t) => clock.advanceTo(t), 0, 400);
    s.risk.killSwitch('ops-alice', { reason: 'exchange incident' });
    runLive(s, (t) => clock.advanceTo(t), 400, 500);
    const halted = s.snapshot();

    const live = new LiveClock();
    const b = session(live);
    b.kernel.start();
    playBack(b.kernel, live, b.risk, halted);
    expect(b.risk.level).toBe(BreakerLevel.HaltAllTrading);
    live.pin(bars[500]!.closeTime);
    const order = b.kernel.submitOrder({ symbol: 'BTC/USDT', side: OrderSide.Buy, type: OrderType.Market, quantity: 0.001 });
    expect(order.status).toBe('DENIED');
    expect(b.journal.orderEvents.at(-1)?.kind).toBe(OrderEventKind.Denied);

    clock.advanceTo(bars[500]!.closeTime);
    s.risk.reset('ops-bob');
    const reset = s.snapshot();
    const c = session(new LiveClock());
    c.kernel.start();
    playBack(c.kernel, c.kernel.clock as LiveClock, c.risk, reset);
    expect(c.risk.level).toBe(BreakerLevel.Normal);
  });

  it('counts the orders an earlier process sent today against the daily order limit', () => {
    const file = join(dir, 'rate.yaml');
    writeFileSync(file, 'risk:\n  preTrade:\n    maxOrdersPerDay: 3\n');
    const limited = loadConfig({ file, env: {} });
    const clock = new SimulatedClock(bars[0]!.openTime);
    const s = session(clock, limited);
    s.kernel.start();
    runLive(s, (t) => clock.advanceTo(t), 0, 30);
    for (let i = 0; i < 3; i++) s.kernel.submitOrder({ symbol: 'BTC/USDT', side: OrderSide.Buy, type: OrderType.Limit, quantity: 0.001, price: bars[29]!.close * 0.99 });
    const journal = s.snapshot();
    expect(journal.orderEvents.filter((e) => e.kind === OrderEventKind.Submitted).length).toBeGreaterThanOrEqual(3);

    const live = new LiveClock();
    const b = session(live, limited);
    b.kernel.start();
    playBack(b.kernel, live, b.risk, journal);
    live.pin(bars[30]!.closeTime);
    const order = b.kernel.submitOrder({ symbol: 'BTC/USDT', side: OrderSide.Buy, type: OrderType.Limit, quantity: 0.001, price: bars[29]!.close * 0.99 });
    expect(order.status).toBe('DENIED');
    expect(b.journal.orderEvents.at(-1)?.reason).toBe('RATE_LIMIT');
  });
});
