// The test of my-strategy.ts, from `traider new strategy my-strategy`: a backtest on a small synthetic series through the
// traider library. Run it with vitest where 'traider' resolves (a project that installs traider):
//   npx vitest run my-strategy.test.ts
import { backtestStrategy, type BarRow, OrderEventKind, OrderType } from 'traider';
import { describe, expect, it } from 'vitest';
import MyStrategy from './my-strategy.ts';

const HOUR = 3_600_000;

/**
 * Hourly bars: flat at 100, a rise to 110 (the averages cross up: an entry), a fall to 88 (through its 5% stop), a
 * second rise (a new entry) and a slow decline (the averages cross down: the exit, before the stop is reached).
 */
function syntheticBars(): BarRow[] {
  const path: number[] = [];
  const walk = (to: number, bars: number): void => {
    const from = path.at(-1) ?? to;
    for (let i = 1; i <= bars; i++) path.push(from + ((to - from) * i) / bars);
  };
  walk(100, 40);
  walk(110, 20);
  walk(88, 3);
  walk(88, 10);
  walk(104, 30);
  walk(94, 40);
  return path.map((close, i) => {
    const open = path[i - 1] ?? close;
    return { time: Date.UTC(2024, 0, 1) + i * HOUR, open, high: Math.max(open, close) * 1.001, low: Math.min(open, close) * 0.999, close, volume: 10_000 };
  });
}

describe('my-strategy', () => {
  it('refuses parameters its schema does not allow', () => {
    expect(() => new MyStrategy({ fast: 30, slow: 10 })).toThrow(/fast must be smaller than slow/);
  });

  it('enters on the cross up, protects each entry with a stop, is stopped out on the fall and exits on the cross down', async () => {
    const run = await backtestStrategy({ strategy: new MyStrategy({ fast: 5, slow: 20 }), bars: syntheticBars() });
    const tagged = (tag: string) => run.orders.filter((order) => order.tag === tag);
    expect(run.events.filter((event) => event.kind === OrderEventKind.Denied)).toEqual([]);
    expect(tagged('entry').length).toBeGreaterThanOrEqual(2);
    expect(tagged('entry').every((order) => order.status === 'FILLED')).toBe(true);
    // One stop per entry, each a sell for the entry's quantity, 5% under its fill.
    const stops = tagged('stop');
    expect(stops.map((stop) => stop.type)).toEqual(tagged('entry').map(() => OrderType.Stop));
    stops.forEach((stop, i) => {
      const entry = tagged('entry')[i]!;
      expect(stop.quantity).toBe(entry.filledQuantity);
      expect(stop.stopPrice! / entry.averageFillPrice).toBeCloseTo(0.95, 3);
    });
    // The fall hits the first stop; the second position leaves on the cross down, its stop canceled.
    expect(stops.map((stop) => stop.status)).toEqual(['FILLED', 'CANCELED']);
    expect(tagged('exit').map((order) => order.status)).toEqual(['FILLED']);
    expect(run.position.quantity).toBe(0);
    expect(run.log.some((line) => line.includes('stopped out'))).toBe(true);
  });
});
