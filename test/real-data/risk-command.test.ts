// `traider risk` as a user runs it: the JSON shape, the figures against an independent computation,
// stress coverage, the readable table, and clear errors with a non-zero exit.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dayLoss, portfolio, readCloses } from '../app/risk/reference.ts';
import { expectMatchesReference } from '../app/risk/expect-reference.ts';
import { ROOT, runCli } from '../cli/run-cli.ts';

const SHARED = join(ROOT, '../shared/data/ohlcv/binance_spot/');
const BTC_PAIR = join(SHARED, 'BTCUSDT-1h-2020-12-01_2021-07-17.csv');
const ETH_PAIR = join(SHARED, 'ETHUSDT-1h-2020-12-01_2021-07-17.csv');

type Json = Record<string, any>;

describe('traider risk on real BTC/ETH hourly bars, weights 0.6 / 0.4', () => {
  it('matches the independent computation to 1e-9 and covers 2021-05-19', () => {
    const result = runCli(['risk', '--data', `${BTC_PAIR},${ETH_PAIR}`, '--weights', '{"BTC/USDT":0.6,"ETH/USDT":0.4}', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as Json;
    const series = [readCloses(BTC_PAIR), readCloses(ETH_PAIR)];
    expectMatchesReference(report, portfolio(series, [0.6, 0.4]));
    const may19 = report.stress.find((s: Json) => s.name === '2021-05-19');
    expect(may19.covered).toBe(true);
    expect(Math.abs(may19.loss - dayLoss(series, [0.6, 0.4], '2021-05-19'))).toBeLessThan(1e-12);
    expect(report.stress.find((s: Json) => s.name === '2020-03-12')).toMatchObject({ covered: false, loss: null });
  });
});
