// Real Binance 1h data from the shared data folder (not part of this repository: npm run test:real-data).
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { computePortfolioRisk } from '../../src/analytics/risk/index.ts';
import type { PlainSeries } from '../risk-analytics/reference.ts';
import { at, referenceHistorical, referenceParametric, referencePortfolio, toTyped, valueAt } from '../risk-analytics/reference.ts';

const DIR = fileURLToPath(new URL('../../../shared/data/ohlcv/binance_spot/', import.meta.url));
const BTC = `${DIR}BTCUSDT-1h-2020-12-01_2021-07-17.csv`;
const ETH = `${DIR}ETHUSDT-1h-2020-12-01_2021-07-17.csv`;

function readCsv(symbol: string, path: string): PlainSeries {
  const lines = readFileSync(path, 'utf8').trim().split(/\r?\n/).slice(1);
  const time: number[] = [];
  const close: number[] = [];
  for (const line of lines) {
    const cols = line.split(',');
    time.push(Number(cols[0]));
    close.push(Number(cols[4]));
  }
  return { symbol, time, close };
}

const AVAILABLE = existsSync(BTC) && existsSync(ETH);

describe('BTC/ETH 1h, weights 0.6 / 0.4', () => {
  // The body runs while collecting even when skipped: read only when the files are there.
  const plain = AVAILABLE ? [readCsv('BTCUSDT', BTC), readCsv('ETHUSDT', ETH)] : [];
  const weights = { BTCUSDT: 0.6, ETHUSDT: 0.4 };
  const port = AVAILABLE ? referencePortfolio(plain, weights) : [];

  for (const horizon of [1, 24]) {
    it(`historical and parametric match the reference to 1e-9 (horizon ${horizon})`, () => {
      const report = computePortfolioRisk({ series: plain.map(toTyped), weights, horizonBars: horizon, monteCarlo: { paths: 20_000, seed: 42 } });
      expect(report.observations).toBe(port.length);
      for (const c of [0.95, 0.99]) {
        const key = String(c * 100);
        const h = referenceHistorical(port, horizon, c);
        const p = referenceParametric(port, horizon, c);
        const historicalVar = valueAt(report.var.historical, key);
        expect(Math.abs(historicalVar - h.var)).toBeLessThan(1e-9);
        expect(Math.abs(valueAt(report.es.historical, key) - h.es)).toBeLessThan(1e-9);
        expect(Math.abs(valueAt(report.var.parametric, key) - p.var)).toBeLessThan(1e-9);
        expect(Math.abs(valueAt(report.es.parametric, key) - p.es)).toBeLessThan(1e-9);
        // Sanity: fat-tailed crypto returns, so the 99% historical loss is material and ES exceeds VaR.
        expect(historicalVar).toBeGreaterThan(0);
        expect(report.es.historical[key]).toBeGreaterThan(historicalVar);
      }
      const btcEth = at(at(report.correlation.matrix, 0, 'correlation row'), 1, 'correlation');
      expect(btcEth).toBeGreaterThan(0.7);
      expect(report.correlation.breaches).toEqual([{ a: 'BTCUSDT', b: 'ETHUSDT', value: btcEth }]);
    });
  }

  it('replays 2021-05-19 (covered) and reports 2020-03-12 as not covered', () => {
    const day = 86_400_000;
    const report = computePortfolioRisk({
      series: plain.map(toTyped),
      weights,
      horizonBars: 1,
      monteCarlo: { paths: 1000, seed: 42 },
      stressWindows: [
        { name: '2020-03-12', start: Date.UTC(2020, 2, 12), end: Date.UTC(2020, 2, 12) + day - 1 },
        { name: '2021-05-19', start: Date.UTC(2021, 4, 19), end: Date.UTC(2021, 4, 19) + day - 1 },
      ],
    });
    expect(at(report.stress, 0).covered).toBe(false);
    const may19 = at(report.stress, 1);
    expect(may19.covered).toBe(true);
    // Independent check from the files: closes of 2021-05-18 23:00 and 2021-05-19 23:00 UTC.
    const closeAt = (s: PlainSeries, t: number): number => at(s.close, s.time.indexOf(t), `${s.symbol} close at ${t}`);
    const prev = Date.UTC(2021, 4, 18, 23);
    const last = Date.UTC(2021, 4, 19, 23);
    const btc = at(plain, 0, 'series');
    const eth = at(plain, 1, 'series');
    const expected = -(0.6 * (closeAt(btc, last) / closeAt(btc, prev) - 1) + 0.4 * (closeAt(eth, last) / closeAt(eth, prev) - 1));
    expect(may19.loss).toBeCloseTo(expected, 12);
    expect(may19.maxDrawdown).toBeGreaterThan(may19.loss);
  });
});
