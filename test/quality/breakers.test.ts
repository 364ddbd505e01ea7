// Stale and invalid data drive a real RiskEngine's data breakers through RiskDataBridge and the hub.
import { describe, expect, it } from 'vitest';
import { type DataRiskSink, DataQualityHub, RiskDataBridge } from '../../src/engines/data/quality/index.ts';
import { BreakerCause, BreakerLevel } from '../../src/engines/risk/codes.ts';
import { bar, MINUTE, quote, riskEngine, T0 } from './helpers.ts';

describe('DATA_STALE', () => {
  it('a stale quote halts new positions and a fresh one lets the level fall back', () => {
    const { engine, clock } = riskEngine(T0);
    const hub = new DataQualityHub({ providers: ['A'], risk: engine });
    clock.advanceTo(T0 + 50);
    hub.onQuote(quote('A', 100, T0));
    expect(engine.level).toBe(BreakerLevel.Normal);

    clock.advanceTo(T0 + 10_000);
    const lagging = hub.onQuote(quote('A', 100, T0 + 2_000, 8_000)); // 8 s old on arrival
    expect(lagging.assessment.level).toBe('STALE');
    expect(engine.level).toBe(BreakerLevel.HaltNewPositions);
    expect(engine.events.at(-1)).toMatchObject({ cause: BreakerCause.DataStale, level: BreakerLevel.HaltNewPositions, value: 8_000, threshold: 5_000 });

    clock.advanceTo(T0 + 11_000);
    hub.onQuote(quote('A', 100, T0 + 10_950));
    expect(engine.level).toBe(BreakerLevel.Normal);
    expect(engine.events.at(-1)).toMatchObject({ cause: BreakerCause.DataStale, level: BreakerLevel.Normal });
  });

  it('a feed that goes silent trips on the periodic tick and recovers with the next quote', () => {
    const { engine, clock } = riskEngine(T0);
    const hub = new DataQualityHub({ providers: ['A'], risk: engine });
    clock.advanceTo(T0 + 50);
    hub.onQuote(quote('A', 100, T0));
    for (const t of [1_000, 3_000, 5_000]) {
      clock.advanceTo(T0 + t);
      hub.tick(T0 + t);
      expect(engine.level).toBe(BreakerLevel.Normal);
    }
    clock.advanceTo(T0 + 6_000);
    hub.tick(T0 + 6_000);
    expect(engine.level).toBe(BreakerLevel.HaltNewPositions);
    expect(engine.ladder.activeCauses().map((c) => c.cause)).toEqual([BreakerCause.DataStale]);

    clock.advanceTo(T0 + 6_100);
    hub.onQuote(quote('A', 100, T0 + 6_050));
    expect(engine.level).toBe(BreakerLevel.Normal);
  });

  it('bars count as fresh within 60 s of their close and stale after', () => {
    const { engine, clock } = riskEngine(T0);
    const bridge = new RiskDataBridge(engine);
    const hub = new DataQualityHub({ providers: ['A'], risk: engine });
    const b = bar();
    clock.advanceTo(b.closeTime + 30_000);
    hub.onBar({ source: 'A', bar: b, receivedTime: b.closeTime + 30_000 }); // POOR but not stale
    expect(engine.level).toBe(BreakerLevel.Normal);
    clock.advanceTo(b.closeTime + 60_000);
    hub.tick(b.closeTime + 60_000);
    expect(engine.level).toBe(BreakerLevel.Normal);
    clock.advanceTo(b.closeTime + 61_000);
    hub.tick(b.closeTime + 61_000);
    expect(engine.level).toBe(BreakerLevel.HaltNewPositions);
    expect(engine.events.at(-1)).toMatchObject({ cause: BreakerCause.DataStale, value: 61_000 });
    const next = bar({ openTime: T0 + MINUTE });
    clock.advanceTo(next.closeTime + 2_000);
    hub.onBar({ source: 'A', bar: next, receivedTime: next.closeTime + 2_000 });
    expect(engine.level).toBe(BreakerLevel.Normal);
    expect(bridge.freshestAge(T0)).toBeUndefined();
  });

  it('reports the freshest symbol: one quiet symbol does not halt the account', () => {
    const ages: number[] = [];
    const sink: DataRiskSink = { reportDataAge: (age) => ages.push(age), reportDataResult: () => {}, reportApiLatency: () => {} };
    const bridge = new RiskDataBridge(sink);
    const hub = new DataQualityHub({ providers: ['A'] });
    bridge.onAssessment(hub.onQuote({ ...quote('A', 100, T0), symbol: 'ETHUSDT' }).assessment);
    bridge.onAssessment(hub.onQuote(quote('A', 100, T0 + 9_000)).assessment);
    bridge.onTick(T0 + 9_500);
    expect(ages).toEqual([50, 50, 500]);
  });
});

describe('DATA_FAILURES', () => {
  it('five failed requests in a row halt all trading; four do not', () => {
    const { engine, clock } = riskEngine(T0);
    const hub = new DataQualityHub({ providers: ['A'], risk: engine });
    for (let i = 1; i <= 4; i++) {
      clock.advanceTo(T0 + i * 1_000);
      hub.onRequestResult('A', T0 + i * 1_000, { ok: false, error: 'HTTP 503' });
    }
    expect(engine.level).toBe(BreakerLevel.Normal);
    clock.advanceTo(T0 + 4_500);
    hub.onRequestResult('A', T0 + 4_500, { ok: true, latencyMs: 120 }); // the streak resets
    for (let i = 5; i <= 9; i++) {
      clock.advanceTo(T0 + i * 1_000);
      hub.onRequestResult('A', T0 + i * 1_000, { ok: false, error: 'HTTP 503' });
      expect(engine.level).toBe(i < 9 ? BreakerLevel.Normal : BreakerLevel.HaltAllTrading);
    }
    expect(engine.events.at(-1)).toMatchObject({ cause: BreakerCause.DataFailures, level: BreakerLevel.HaltAllTrading, value: 5, threshold: 5 });
  });

  it('five INVALID updates in a row from the only provider count as failures', () => {
    const { engine, clock } = riskEngine(T0);
    const hub = new DataQualityHub({ providers: ['A'], risk: engine });
    clock.advanceTo(T0 + 50);
    hub.onQuote(quote('A', 100, T0));
    for (let i = 1; i <= 5; i++) {
      clock.advanceTo(T0 + i * 1_000 + 50);
      hub.onQuote(quote('A', 100, T0 + i * 1_000, 50, { bid: 101, ask: 100 })); // crossed
    }
    expect(engine.level).toBe(BreakerLevel.HaltAllTrading);
    expect(engine.events.at(-1)).toMatchObject({ cause: BreakerCause.DataFailures });
  });

  it('a slow request trips API_LATENCY', () => {
    const { engine, clock } = riskEngine(T0);
    const bridge = new RiskDataBridge(engine);
    clock.advanceTo(T0 + 1);
    bridge.onRequestSuccess(2_500);
    expect(engine.events.at(-1)).toMatchObject({ cause: BreakerCause.ApiLatency, level: BreakerLevel.HaltNewPositions, value: 2_500 });
  });
});

describe('only the provider in use reaches the breakers', () => {
  it('failures and silence of a backup provider neither halt nor count', () => {
    const { engine, clock } = riskEngine(T0);
    const hub = new DataQualityHub({ providers: ['A', 'B'], risk: engine });
    for (let i = 0; i < 10; i++) {
      const t = T0 + i * 1_000;
      clock.advanceTo(t + 50);
      hub.onQuote(quote('A', 100, t));
      hub.onRequestResult('B', t + 50, { ok: false, error: 'HTTP 500' });
      hub.tick(t + 50);
    }
    expect(engine.level).toBe(BreakerLevel.Normal);
    expect(hub.selector.active('BTCUSDT')).toBe('A');
  });

  it('after a failover the new provider keeps the account out of DATA_STALE', () => {
    const { engine, clock } = riskEngine(T0);
    const hub = new DataQualityHub({ providers: ['A', 'B'], risk: engine });
    clock.advanceTo(T0 + 50);
    hub.onQuote(quote('A', 100, T0));
    hub.onQuote(quote('B', 100, T0));
    for (let t = 1_000; t <= 8_000; t += 1_000) {
      clock.advanceTo(T0 + t + 50);
      hub.onQuote(quote('B', 100, T0 + t)); // A has gone silent
      hub.tick(T0 + t + 50);
    }
    expect(hub.selector.events.map((e) => [e.from, e.to, e.reason])).toEqual([['A', 'B', 'STALE']]);
    expect(engine.level).toBe(BreakerLevel.Normal);
  });
});
