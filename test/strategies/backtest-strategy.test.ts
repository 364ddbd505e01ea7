// backtestStrategy, the library's in-memory backtest for a strategy's own tests: the same run as `traider
// backtest` with its defaults (checked against the backtest use-case on the same data), and bad bars refused with
// the field and the rule.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/app/config/index.ts';
import { runBacktest } from '../../src/app/backtest/index.ts';
import { SmaCross } from '../../src/strategies/index.ts';
import { backtestStrategy, type BarRow } from '../../src/index.ts';
import { ROOT } from '../cli/run-cli.ts';

const FILE = 'data/BTCUSDT-1m-2021-02-19_2021-02-25.csv';

describe('backtestStrategy', () => {
  it('gives the result of the backtest use-case with its defaults on the same bars', async () => {
    const [, ...rows] = readFileSync(join(ROOT, FILE), 'utf8').trim().split('\n');
    const bars = rows.map((row): BarRow => {
      const [time, open, high, low, close, volume] = row.split(',').map(Number) as [number, number, number, number, number, number];
      return { time, open, high, low, close, volume };
    });
    const params = { fast: 10, slow: 40 };
    const run = await backtestStrategy({ strategy: new SmaCross(params), bars, timeframe: '1m' });
    const reference = await runBacktest({ dataFiles: [join(ROOT, FILE)], strategy: 'sma-cross', params, config: defaultConfig(), benchmark: false });
    expect(run.orders.length).toBe(reference.summary.orders);
    expect(run.fills.length).toBe(reference.summary.fills);
    expect(run.equity).toBe(reference.summary.finalEquity);
    expect(run.events.filter((event) => event.kind === 'DENIED').length).toBe(Object.values(reference.summary.denials).reduce((a, b) => a + b, 0));
  });

  it('refuses bars it cannot replay, naming the field and the rule', async () => {
    const bar = { time: 0, open: 1, high: 1, low: 1, close: 1, volume: 1 };
    const strategy = new SmaCross();
    await expect(backtestStrategy({ strategy, bars: [] })).rejects.toThrow('bars: give at least one bar');
    await expect(backtestStrategy({ strategy, bars: [{ ...bar, close: Number.NaN }] })).rejects.toThrow('bars[0].close: expected a finite number (got NaN)');
    await expect(backtestStrategy({ strategy, bars: [{ ...bar, high: 0.5 }] })).rejects.toThrow('bars[0]: low <= open, close <= high does not hold');
    await expect(backtestStrategy({ strategy, bars: [bar, { ...bar, time: 60_000 }] })).rejects.toThrow("bars[1].time: 60000 is less than one interval (3600000 ms) after the previous bar's 0");
    await expect(backtestStrategy({ strategy, bars: [bar], timeframe: '7m' })).rejects.toThrow(/^timeframe: unknown "7m" \(use one of 1m, /);
  });
});
