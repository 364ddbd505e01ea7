// Properties of the breaker ladder under random sequences: the level is never below an active cause's
// level (it is the worst of them), causes at HALT_ALL_TRADING or above never clear without a reset,
// and the published events chain (each previousLevel is the level before).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BreakerLadder } from '../../src/engines/risk/breaker-ladder.ts';
import { BreakerCause, BreakerLevel, LEVEL_ORDER, levelRank, RiskMode } from '../../src/engines/risk/codes.ts';
import { RiskEngine } from '../../src/engines/risk/risk-engine.ts';
import { SimulatedClock } from '../../src/common/clock.ts';
import type { RiskContext } from '../../src/common/ports.ts';
import { cryptoInstrument } from '../sim/helpers.ts';
import { MINUTE, T0 } from './helpers.ts';

const HALT_ALL = levelRank(BreakerLevel.HaltAllTrading);

/** An account the test marks directly: equity is whatever the step says, no positions, no orders. */
function markedEngine(mode: RiskMode): { engine: RiskEngine; clock: SimulatedClock; mark(equity: number): void } {
  const clock = new SimulatedClock(T0);
  let equity = 100_000;
  const context: RiskContext = {
    clock,
    instruments: [cryptoInstrument()],
    symbolIndex: () => 0,
    lastPrice: () => 100,
    lastBarTime: () => clock.now(),
    priceIntervalMs: () => 0,
    equity: () => equity,
    // Equity may move on every mark: the engine must not skip its checks.
    openPositions: () => 1,
    ledgerVersion: () => 0,
    cash: () => equity,
    heldQuantity: () => 0,
    sellableQuantity: () => 0,
    openOrders: () => [],
    cancelOrder: () => {},
    submitEmergencyOrder: () => {
      throw new Error('nothing to flatten');
    },
    publish: () => {},
  };
  const engine = new RiskEngine({ mode, backtest: false });
  engine.attach(context);
  return {
    engine,
    clock,
    mark: (value) => {
      equity = value;
      engine.evaluateBreakers(clock.now());
    },
  };
}

const worstActive = (ladder: BreakerLadder): number => Math.max(0, ...ladder.activeCauses().map((c) => levelRank(c.level)));

type Step =
  | { kind: 'mark'; minutes: number; change: number }
  | { kind: 'latency'; ms: number }
  | { kind: 'data'; failed: boolean; times: number }
  | { kind: 'stale'; ms: number }
  | { kind: 'manual'; level: BreakerLevel }
  | { kind: 'reset' };

const markStep = fc.record({
  kind: fc.constant('mark' as const),
  minutes: fc.oneof(fc.integer({ min: 1, max: 120 }), fc.integer({ min: 1, max: 4 * 1440 })),
  change: fc.double({ min: -0.06, max: 0.06, noNaN: true }),
});
const otherSteps = [
  fc.record({ kind: fc.constant('latency' as const), ms: fc.integer({ min: 0, max: 5_000 }) }),
  fc.record({ kind: fc.constant('data' as const), failed: fc.boolean(), times: fc.integer({ min: 1, max: 6 }) }),
  fc.record({ kind: fc.constant('stale' as const), ms: fc.integer({ min: 0, max: 10_000 }) }),
  fc.record({ kind: fc.constant('manual' as const), level: fc.constantFrom(...LEVEL_ORDER) }),
];
const withResets = fc.array(fc.oneof({ arbitrary: markStep, weight: 6 }, ...otherSteps, fc.record({ kind: fc.constant('reset' as const) })), { maxLength: 80 });
const withoutResets = fc.array(fc.oneof({ arbitrary: markStep, weight: 6 }, ...otherSteps.slice(0, 3)), { maxLength: 80 });

function apply(run: ReturnType<typeof markedEngine>, step: Step, equity: { value: number }): void {
  const { engine, clock } = run;
  switch (step.kind) {
    case 'mark':
      clock.advanceTo(clock.now() + step.minutes * MINUTE);
      equity.value *= 1 + step.change;
      run.mark(equity.value);
      return;
    case 'latency':
      engine.reportApiLatency(step.ms);
      return;
    case 'data':
      for (let i = 0; i < step.times; i++) engine.reportDataResult(step.failed);
      return;
    case 'stale':
      engine.reportDataAge(step.ms);
      return;
    case 'manual':
      engine.setManualLevel(step.level, 'prop');
      return;
    case 'reset':
      engine.reset('prop');
      return;
  }
}

describe('the engine under random equity marks and reports', () => {
  for (const mode of [RiskMode.Backtest, RiskMode.LiveMinimal]) {
    it(`(${mode}) never leaves the level below an active cause's level, and events chain`, () => {
      fc.assert(
        fc.property(withResets, (steps) => {
          const run = markedEngine(mode);
          const equity = { value: 100_000 };
          run.mark(equity.value);
          for (const step of steps) {
            apply(run, step, equity);
            const ladder = run.engine.ladder;
            expect(levelRank(run.engine.level)).toBe(worstActive(ladder));
          }
          const events = run.engine.events;
          for (let i = 0; i < events.length; i++) {
            expect(events[i]!.previousLevel).toBe(i === 0 ? BreakerLevel.Normal : events[i - 1]!.level);
            expect(events[i]!.level).not.toBe(events[i]!.previousLevel);
            if (i > 0) expect(events[i]!.time).toBeGreaterThanOrEqual(events[i - 1]!.time);
          }
          expect(events.at(-1)?.level ?? BreakerLevel.Normal).toBe(run.engine.level);
        }),
        { numRuns: 300 },
      );
    });
  }

  it('(LIVE_MINIMAL) a cause at HALT_ALL_TRADING or above never clears without a reset', () => {
    fc.assert(
      fc.property(withoutResets, (steps) => {
        const run = markedEngine(RiskMode.LiveMinimal);
        const equity = { value: 100_000 };
        run.mark(equity.value);
        const stuck = new Set<BreakerCause>();
        for (const step of steps) {
          apply(run, step, equity);
          const active = run.engine.ladder.activeCauses();
          for (const cause of stuck) expect(active.some((c) => c.cause === cause && levelRank(c.level) >= HALT_ALL), `${cause} cleared without a reset`).toBe(true);
          for (const c of active) if (levelRank(c.level) >= HALT_ALL) stuck.add(c.cause);
          if (stuck.size > 0) expect(levelRank(run.engine.level)).toBeGreaterThanOrEqual(HALT_ALL);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('the ladder itself under random operations', () => {
  const causes = Object.values(BreakerCause).filter((c) => c !== BreakerCause.Manual);
  const op = fc.oneof(
    fc.record({ kind: fc.constant('trip' as const), cause: fc.constantFrom(...causes), level: fc.constantFrom(...LEVEL_ORDER.slice(1)), cooldown: fc.integer({ min: 0, max: 600 }) }),
    fc.record({ kind: fc.constant('release' as const), cause: fc.constantFrom(...causes) }),
    fc.record({ kind: fc.constant('advance' as const), minutes: fc.integer({ min: 0, max: 600 }) }),
    fc.record({ kind: fc.constant('manual' as const), level: fc.constantFrom(...LEVEL_ORDER) }),
    fc.record({ kind: fc.constant('reset' as const) }),
  );

  it('keeps the level at the worst active cause; reset-bound causes leave only after a reset', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 120 }), (ops) => {
        const published: unknown[] = [];
        const ladder = new BreakerLadder((e) => published.push(e));
        let now = 0;
        /** Causes at HALT_ALL_TRADING or above (and manual levels) tripped since the last reset. */
        const bound = new Set<BreakerCause>();
        /** Active causes a reset has already released from waiting (until they trip anew). */
        const released = new Set<BreakerCause>();
        for (const o of ops) {
          const before = new Map(ladder.activeCauses().map((c) => [c.cause, levelRank(c.level)]));
          if (o.kind === 'trip') ladder.trip(o.cause, o.level, 1, 1, now, now + o.cooldown * MINUTE);
          else if (o.kind === 'release') ladder.release(o.cause, 0);
          else if (o.kind === 'advance') {
            now += o.minutes * MINUTE;
            ladder.expire(now);
          } else if (o.kind === 'manual') ladder.setManual(o.level, now, 'prop');
          else ladder.reset('prop', now);
          const active = ladder.activeCauses();
          if (o.kind === 'reset') {
            bound.clear();
            for (const c of active) released.add(c.cause);
          }
          for (const cause of bound) expect(ladder.isActive(cause), `${cause} left without a reset`).toBe(true);
          for (const cause of released) if (!ladder.isActive(cause)) released.delete(cause);
          for (const c of active) {
            const rank = levelRank(c.level);
            const tripped = !before.has(c.cause) || rank > before.get(c.cause)! || (o.kind === 'manual' && c.cause === BreakerCause.Manual);
            if (tripped) released.delete(c.cause);
            if ((rank >= HALT_ALL || c.cause === BreakerCause.Manual) && !released.has(c.cause)) bound.add(c.cause);
          }
          expect(levelRank(ladder.level)).toBe(Math.max(0, ...active.map((c) => levelRank(c.level))));
        }
        expect(published).toEqual(ladder.events);
      }),
      { numRuns: 500 },
    );
  });
});
