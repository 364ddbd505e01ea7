// `traider risk` as a user runs it: the JSON shape, the figures against an independent computation,
// stress coverage, the readable table, and clear errors with a non-zero exit.
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runRisk } from '../../src/app/risk/run-risk.ts';
import { dayLoss, historical, parametric, portfolio, readCloses } from '../app/risk/reference.ts';
import { ROOT, runCli } from '../cli/run-cli.ts';

const AAA = 'test/fixtures/risk/AAAUSDT-1h-x.csv';
const BBB = 'test/fixtures/risk/BBBUSDT-1h-x.csv';
const PAIR = ['--data', `${AAA},${BBB}`, '--weights', '{"AAA/USDT":0.6,"BBB/USDT":0.4}'];
const BTC_1H = 'data/BTCUSDT-1h-2017-08-17_2024-04-21.csv.gz';
const BTC_1M = 'data/BTCUSDT-1m-2021-02-19_2021-02-25.csv';
const SHARED = join(ROOT, '../shared/data/ohlcv/binance_spot/');
const BTC_PAIR = join(SHARED, 'BTCUSDT-1h-2020-12-01_2021-07-17.csv');
const ETH_PAIR = join(SHARED, 'ETHUSDT-1h-2020-12-01_2021-07-17.csv');
const METHODS = ['historical', 'parametric', 'cornishFisher', 'monteCarlo'];

type Json = Record<string, any>;

function expectReferenceFigures(report: Json, returns: number[], horizon = 1): void {
  for (const c of [0.95, 0.99]) {
    const key = String(c * 100);
    const h = historical(returns, c, horizon);
    const p = parametric(returns, c, horizon);
    expect(Math.abs(report.var.historical[key] - h.var), `historical VaR ${key}`).toBeLessThan(1e-9);
    expect(Math.abs(report.es.historical[key] - h.es), `historical ES ${key}`).toBeLessThan(1e-9);
    expect(Math.abs(report.var.parametric[key] - p.var), `parametric VaR ${key}`).toBeLessThan(1e-9);
    expect(Math.abs(report.es.parametric[key] - p.es), `parametric ES ${key}`).toBeLessThan(1e-9);
  }
}

describe('traider risk on real BTC/ETH hourly bars, weights 0.6 / 0.4', () => {
  it('matches the independent computation to 1e-9 and covers 2021-05-19', () => {
    const result = runCli(['risk', '--data', `${BTC_PAIR},${ETH_PAIR}`, '--weights', '{"BTC/USDT":0.6,"ETH/USDT":0.4}', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as Json;
    const series = [readCloses(BTC_PAIR), readCloses(ETH_PAIR)];
    expectReferenceFigures(report, portfolio(series, [0.6, 0.4]));
    const may19 = report.stress.find((s: Json) => s.name === '2021-05-19');
    expect(may19.covered).toBe(true);
    expect(Math.abs(may19.loss - dayLoss(series, [0.6, 0.4], '2021-05-19'))).toBeLessThan(1e-12);
    expect(report.stress.find((s: Json) => s.name === '2020-03-12')).toMatchObject({ covered: false, loss: null });
  });
});
