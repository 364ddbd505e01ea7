// The simulated clock: time moves only forward, and timers fire in time order during an advance.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SimulatedClock } from '../../src/common/clock.ts';

type Firing = { name: string; time: number; now: number };

function recorder(clock: SimulatedClock): { firings: Firing[]; callback: (name: string, time: number) => void } {
  const firings: Firing[] = [];
  return { firings, callback: (name, time) => firings.push({ name, time, now: clock.now() }) };
}

describe('SimulatedClock', () => {
  it('starts where it is told and reports that time until advanced', () => {
    const clock = new SimulatedClock(1_000);
    expect(clock.now()).toBe(1_000);
    clock.advanceTo(5_000);
    expect(clock.now()).toBe(5_000);
  });

  it('fires due timers in time order with now() equal to each timer time', () => {
    const clock = new SimulatedClock(0);
    const { firings, callback } = recorder(clock);
    clock.setTimer('c', 300, callback);
    clock.setTimer('a', 100, callback);
    clock.setTimer('late', 1_000, callback);
    clock.setTimer('b', 200, callback);
    clock.advanceTo(500);
    expect(firings).toEqual([
      { name: 'a', time: 100, now: 100 },
      { name: 'b', time: 200, now: 200 },
      { name: 'c', time: 300, now: 300 },
    ]);
    expect(clock.now()).toBe(500);
    clock.advanceTo(1_000);
    expect(firings.at(-1)).toEqual({ name: 'late', time: 1_000, now: 1_000 });
  });

  it('fires a timer due exactly at the target time, once', () => {
    const clock = new SimulatedClock(0);
    const { firings, callback } = recorder(clock);
    clock.setTimer('t', 100, callback);
    clock.advanceTo(99);
    expect(firings).toHaveLength(0);
    clock.advanceTo(100);
    clock.advanceTo(100);
    clock.advanceTo(200);
    expect(firings).toEqual([{ name: 't', time: 100, now: 100 }]);
  });

  it('fires same-time timers in the order they were set', () => {
    const clock = new SimulatedClock(0);
    const { firings, callback } = recorder(clock);
    const names = ['n0', 'n1', 'n2', 'n3', 'n4', 'n5', 'n6', 'n7', 'n8', 'n9'];
    for (const name of names) clock.setTimer(name, 50, callback);
    clock.advanceTo(50);
    expect(firings.map((f) => f.name)).toEqual(names);
  });

  it('repeats intervals at every multiple of the interval', () => {
    const clock = new SimulatedClock(0);
    const { firings, callback } = recorder(clock);
    clock.setInterval('every-10', 10, 10, callback);
    clock.advanceTo(35);
    expect(firings.map((f) => [f.time, f.now])).toEqual([
      [10, 10],
      [20, 20],
      [30, 30],
    ]);
    clock.advanceTo(60);
    expect(firings.map((f) => f.time)).toEqual([10, 20, 30, 40, 50, 60]);
  });

  it('interleaves intervals and one-shot timers in time order', () => {
    const clock = new SimulatedClock(0);
    const { firings, callback } = recorder(clock);
    clock.setInterval('i', 0, 25, callback);
    clock.setTimer('once', 30, callback);
    clock.advanceTo(60);
    expect(firings.map((f) => `${f.name}@${f.time}`)).toEqual(['i@0', 'i@25', 'once@30', 'i@50']);
  });

  it('cancels a timer and an interval', () => {
    const clock = new SimulatedClock(0);
    const { firings, callback } = recorder(clock);
    clock.setTimer('gone', 10, callback);
    clock.setTimer('kept', 20, callback);
    clock.setInterval('tick', 5, 5, callback);
    clock.cancelTimer('gone');
    clock.advanceTo(12);
    clock.cancelTimer('tick');
    clock.advanceTo(100);
    expect(firings.map((f) => `${f.name}@${f.time}`)).toEqual(['tick@5', 'tick@10', 'kept@20']);
  });

  it('lets a callback cancel its own interval and set a new timer that fires in the same advance', () => {
    const clock = new SimulatedClock(0);
    const seen: string[] = [];
    clock.setInterval('tick', 10, 10, (name, time) => {
      seen.push(`${name}@${time}`);
      if (time === 20) {
        clock.cancelTimer('tick');
        clock.setTimer('follow-up', time + 5, (n, t) => seen.push(`${n}@${t}@${clock.now()}`));
      }
    });
    clock.advanceTo(100);
    expect(seen).toEqual(['tick@10', 'tick@20', 'follow-up@25@25']);
  });

  it('replaces a timer set again under the same name', () => {
    const clock = new SimulatedClock(0);
    const { firings, callback } = recorder(clock);
    clock.setTimer('t', 10, callback);
    clock.setTimer('t', 30, callback);
    clock.advanceTo(50);
    expect(firings.map((f) => f.time)).toEqual([30]);
  });

  it('never goes back in time', () => {
    const clock = new SimulatedClock(1_000);
    expect(() => clock.advanceTo(999)).toThrow(RangeError);
    expect(clock.now()).toBe(1_000);
    clock.advanceTo(1_000);
    expect(clock.now()).toBe(1_000);
  });

  it('refuses a timer in the past, and an interval that is not positive', () => {
    const clock = new SimulatedClock(1_000);
    expect(() => clock.setTimer('old', 999, () => {})).toThrow(/in the past/);
    expect(() => clock.setInterval('old', 500, 10, () => {})).toThrow(/in the past/);
    expect(() => clock.setInterval('zero', 2_000, 0, () => {})).toThrow(RangeError);
    expect(() => clock.setInterval('nan', 2_000, Number.NaN, () => {})).toThrow(RangeError);
    // A timer at the current time is fine and fires on the next advance.
    const { firings, callback } = recorder(clock);
    clock.setTimer('now', 1_000, callback);
    clock.advanceTo(1_000);
    expect(firings).toEqual([{ name: 'now', time: 1_000, now: 1_000 }]);
  });

  it('fires any random set of timers in (time, insertion) order, each exactly once, with monotonic now() (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 1_000 }), { minLength: 1, maxLength: 60 }),
        fc.array(fc.integer({ min: 0, max: 1_100 }), { minLength: 1, maxLength: 20 }),
        (times, stops) => {
          const clock = new SimulatedClock(0);
          const fired: { index: number; time: number; now: number }[] = [];
          times.forEach((time, index) => clock.setTimer(`t${index}`, time, (_n, t) => fired.push({ index, time: t, now: clock.now() })));
          for (const stop of [...stops].sort((a, b) => a - b)) clock.advanceTo(stop);
          clock.advanceTo(1_100);
          const expected = times.map((time, index) => ({ index, time, now: time })).sort((a, b) => a.time - b.time || a.index - b.index);
          expect(fired).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });
});
