// runRisk: files + weights -> the risk report, checked against an independent coding of the definitions.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runRisk } from '../../src/app/risk/run-risk.ts';
import { dayLoss, portfolio, readCloses } from '../app/risk/reference.ts';
import { expectMatchesReference } from '../app/risk/expect-reference.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SHARED = `${ROOT}../shared/data/ohlcv/binance_spot/`;
const BTC_PAIR = `${SHARED}BTCUSDT-1h-2020-12-01_2021-07-17.csv`;
const ETH_PAIR = `${SHARED}ETHUSDT-1h-2020-12-01_2021-07-17.csv`;
const BTC_AUG_2024 = `${SHARED}BTCUSDT-1m-2024-07-26_2024-08-25.csv.gz`;

const FEW_PATHS = 2_000;

describe('runRisk on real BTC/ETH hourly bars, weights 0.6 / 0.4', () => {
  it('matches the independent VaR/ES to 1e-9 at 1 and 24 bars and replays 2021-05-19', async () => {
    const series = [readCloses(BTC_PAIR), readCloses(ETH_PAIR)];
    const returns = portfolio(series, [0.6, 0.4]);
    const request = { dataFiles: [BTC_PAIR, ETH_PAIR], weights: { 'BTC/USDT': 0.6, 'ETH/USDT': 0.4 }, paths: FEW_PATHS };
    const report = await runRisk(request);
    expectMatchesReference(report, returns, 1);
    expectMatchesReference(await runRisk({ ...request, horizonBars: 24 }), returns, 24);
    const may19 = report.stress.find((s) => s.name === '2021-05-19')!;
    expect(may19.covered).toBe(true);
    expect(Math.abs(may19.loss - dayLoss(series, [0.6, 0.4], '2021-05-19'))).toBeLessThan(1e-12);
    expect(report.correlation.breaches.map((b) => [b.a, b.b])).toEqual([['BTC/USDT', 'ETH/USDT']]);
  });
});

describe('runRisk on real BTC/USDT minute bars around 2024-08-05', () => {
  it('covers the 2024-08-05 window', async () => {
    const report = await runRisk({ dataFiles: [BTC_AUG_2024], weights: { 'BTC/USDT': 1 }, paths: FEW_PATHS });
    const aug5 = report.stress.find((s) => s.name === '2024-08-05')!;
    expect(aug5.covered).toBe(true);
    expect(Math.abs(aug5.loss - dayLoss([readCloses(BTC_AUG_2024)], [1], '2024-08-05'))).toBeLessThan(1e-12);
  });
});
