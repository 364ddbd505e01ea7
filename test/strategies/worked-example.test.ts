// The worked example of docs/strategies.md cannot rot: the page's copy is the file, and the file runs (through
// `backtestStrategy`, as a user's test would) on a week of real BTC/USDT minutes, doing what the page says: entries
// on a low RSI, a protective stop after each filled entry, exits that cancel it, denials and fills logged, a daily
// timer line and a last line from onStop.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import RsiDip from '../../examples/rsi-dip.ts';
import { backtestStrategy, type BarRow, OrderEventKind, OrderType } from '../../src/index.ts';
import { ROOT } from '../cli/run-cli.ts';

const DAY = 86_400_000;
const MINUTE = 60_000;

function minuteBars(file: string): BarRow[] {
  const [, ...rows] = readFileSync(join(ROOT, file), 'utf8').trim().split('\n');
  return rows.map((row) => {
    const [time, open, high, low, close, volume] = row.split(',').map(Number) as [number, number, number, number, number, number];
    return { time, open, high, low, close, volume };
  });
}

describe('docs/strategies.md, "A worked example"', () => {
  it('shows examples/rsi-dip.ts as it is', () => {
    const page = readFileSync(join(ROOT, 'docs/strategies.md'), 'utf8');
    const marker = '<!-- worked-example: examples/rsi-dip.ts -->\n```ts\n';
    const start = page.indexOf(marker);
    expect(start, 'the marker before the code block').toBeGreaterThanOrEqual(0);
    const end = page.indexOf('```\n', start + marker.length);
    expect(page.slice(start + marker.length, end)).toBe(readFileSync(join(ROOT, 'examples/rsi-dip.ts'), 'utf8'));
  });

  it('refuses parameters its schema forbids', () => {
    expect(() => new RsiDip({ buyBelow: 60, sellAbove: 50 })).toThrow(/buyBelow must be smaller than sellAbove/);
  });

  it('runs on a week of BTC/USDT minutes: entries, one stop per filled entry, exits that cancel it, daily lines, a last line', async () => {
    const bars = minuteBars('data/BTCUSDT-1m-2021-02-19_2021-02-25.csv');
    const run = await backtestStrategy({ strategy: new RsiDip({ fraction: 0.3 }), bars, timeframe: '1m' });
    const byTag = (tag: string) => run.orders.filter((order) => order.tag === tag);
    const entries = byTag('entry').filter((order) => order.status === 'FILLED');
    const stops = byTag('stop');
    expect(entries.length).toBeGreaterThan(5);
    // Each stop follows a filled entry: a sell stop for the position, 8% under the entry's average price.
    expect(stops.length).toBe(entries.length);
    stops.forEach((stop, i) => {
      expect(stop.type).toBe(OrderType.Stop);
      expect(stop.side).toBe('SELL');
      expect(stop.quantity).toBe(entries[i]!.filledQuantity);
      expect(stop.stopPrice! / entries[i]!.averageFillPrice).toBeCloseTo(0.92, 3);
    });
    // A stop ends filled (hit) or canceled by an exit, except one still resting at the end.
    const exits = byTag('exit');
    expect(stops.filter((stop) => stop.status === 'CANCELED').length).toBe(exits.length);
    expect(stops.filter((stop) => stop.isOpen).length).toBeLessThanOrEqual(1);
    const hit = stops.filter((stop) => stop.status === 'FILLED').length;
    expect(run.log.at(-1)).toMatch(new RegExp(`\\[rsi-dip\\] done: ${hit} stop\\(s\\) hit, equity \\d+\\.\\d{2}$`));
    // The daily timer: one line per midnight UTC from the first bar to the last close.
    const first = bars[0]!.time;
    const lastClose = bars.at(-1)!.time + MINUTE;
    const midnights: string[] = [];
    for (let day = Math.ceil(first / DAY) * DAY; day <= lastClose; day += DAY) midnights.push(new Date(day).toISOString().slice(0, 10));
    const daily = run.log.filter((line) => / equity \d+\.\d{2}, holding BTC\/USDT /.test(line)).map((line) => /\] (\d{4}-\d{2}-\d{2}):/.exec(line)?.[1]);
    expect(daily).toEqual(midnights);
    // Every fill and every denial (with its reason) was logged.
    expect(run.log.filter((line) => / filled at /.test(line)).length).toBe(run.orders.filter((order) => order.status === 'FILLED').length);
    const denials = run.events.filter((event) => event.kind === OrderEventKind.Denied).map((event) => event.reason);
    expect(run.log.map((line) => / DENIED: (\S+) /.exec(line)?.[1]).filter((reason) => reason !== undefined)).toEqual(denials);
  });
});
