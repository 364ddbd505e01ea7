// runRisk: files + weights -> the risk report, checked against an independent coding of the definitions.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { RiskInputError } from '../../../src/analytics/risk/index.ts';
import { runRisk, STRESS_WINDOWS } from '../../../src/app/risk/run-risk.ts';
import { assetReturns, dayLoss, pearson, portfolio, readCloses } from './reference.ts';
import { expectMatchesReference } from './expect-reference.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BTC_1H = `${ROOT}data/BTCUSDT-1h-2017-08-17_2024-04-21.csv.gz`;
const BTC_1M = `${ROOT}data/BTCUSDT-1m-2021-02-19_2021-02-25.csv`;
const AAA = `${ROOT}test/fixtures/risk/AAAUSDT-1h-x.csv`;
const BBB = `${ROOT}test/fixtures/risk/BBBUSDT-1h-x.csv`;

const FEW_PATHS = 2_000;

describe('runRisk on the bundled BTC/USDT hourly bars (2017-2024)', async () => {
  const closes = readCloses(BTC_1H);
  const returns = portfolio([closes], [1]);
  const report = await runRisk({ dataFiles: [BTC_1H], weights: { 'BTC/USDT': 1 }, paths: FEW_PATHS });

  it('matches the independent historical and parametric VaR/ES to 1e-9 (one bar)', () => {
    expect(report.observations).toBe(returns.length);
    expectMatchesReference(report, returns, 1);
  });

  it('matches them over a 24-bar horizon too (compounded overlapping windows; mean x N, sd x sqrt N)', async () => {
    const daily = await runRisk({ dataFiles: [BTC_1H], weights: { 'BTC/USDT': 1 }, horizonBars: 24, paths: FEW_PATHS });
    expect(daily.horizonBars).toBe(24);
    expectMatchesReference(daily, returns, 24);
  });

  it('replays 2020-03-12 and 2021-05-19 (covered) and reports 2024-08-05 as not covered', () => {
    const byName = new Map(report.stress.map((s) => [s.name, s]));
    const march = byName.get('2020-03-12')!;
    expect(march.covered).toBe(true);
    expect(Math.abs(march.loss - dayLoss([closes], [1], '2020-03-12'))).toBeLessThan(1e-12);
    expect(march.loss).toBeGreaterThan(0.35); // the COVID crash day
    expect(byName.get('2021-05-19')!.covered).toBe(true);
    expect(byName.get('2024-08-05')).toMatchObject({ covered: false, loss: NaN, maxDrawdown: NaN });
  });

  it('describes what it computed: weights, cash, timeframe, period, levels, Monte Carlo settings', () => {
    expect(report).toMatchObject({ weights: { 'BTC/USDT': 1 }, cash: 0, market: 'crypto', timeframe: '1h', confidence: [0.95, 0.99], monteCarlo: { paths: FEW_PATHS, seed: 42 } });
    expect(report.start).toBe(Math.min(...closes.keys()));
    expect(report.end).toBe(Math.max(...closes.keys()));
    expect(report.correlation).toEqual({ symbols: ['BTC/USDT'], matrix: [[1]], limit: 0.7, breaches: [] });
  });
});

describe('runRisk on the bundled BTC/USDT minute bars (2021-02-19 to 02-25)', () => {
  it('matches the independent historical and parametric VaR/ES to 1e-9 and covers none of the stress days', async () => {
    const returns = portfolio([readCloses(BTC_1M)], [1]);
    const report = await runRisk({ dataFiles: [BTC_1M], weights: { 'BTC/USDT': 1 }, paths: FEW_PATHS });
    expect(report.timeframe).toBe('1m');
    expectMatchesReference(report, returns, 1);
    expect(report.stress.filter((s) => s.kind === 'historical').map((s) => s.covered)).toEqual([false, false, false]);
  });
});

describe('runRisk on the two-asset fixture (seeded random walk, gaps in both files)', async () => {
  const series = [readCloses(AAA), readCloses(BBB)];
  const weights = [0.7, 0.5]; // 1.2 invested: 20% borrowed
  const returns = portfolio(series, weights);
  const report = await runRisk({ dataFiles: [AAA, BBB], weights: { 'AAA/USDT': 0.7, 'BBB/USDT': 0.5 }, paths: 20_000 });

  it('aligns by timestamp (inner join) and matches the independent VaR/ES to 1e-9', () => {
    expect(report.observations).toBe(returns.length);
    expect(returns.length).toBeLessThan(series[0]!.size - 1);
    expectMatchesReference(report, returns, 1);
    expect(report.cash).toBeCloseTo(-0.2, 12);
  });

  it('reports the Pearson correlation of the aligned asset returns', () => {
    const [a, b] = assetReturns(series);
    expect(report.correlation.symbols).toEqual(['AAA/USDT', 'BBB/USDT']);
    expect(Math.abs(report.correlation.matrix[0]![1]! - pearson(a!, b!))).toBeLessThan(1e-12);
    expect(report.correlation.breaches).toEqual([]);
  });

  it('lists the pair when the correlation limit is below it', async () => {
    const strict = await runRisk({ dataFiles: [AAA, BBB], weights: { 'AAA/USDT': 0.7 }, correlationLimit: 0.3, paths: FEW_PATHS });
    expect(strict.correlation.breaches).toEqual([{ a: 'AAA/USDT', b: 'BBB/USDT', value: strict.correlation.matrix[0]![1] }]);
    expect(strict.weights).toEqual({ 'AAA/USDT': 0.7, 'BBB/USDT': 0 });
  });

  it('replays 2021-05-19 with buy-and-hold weights and shocks every asset together', () => {
    const may19 = report.stress.find((s) => s.name === '2021-05-19')!;
    expect(may19.covered).toBe(true);
    expect(Math.abs(may19.loss - dayLoss(series, weights, '2021-05-19'))).toBeLessThan(1e-12);
    expect(may19.maxDrawdown).toBeGreaterThanOrEqual(may19.loss);
    const shocks = Object.fromEntries(report.stress.filter((s) => s.kind === 'hypothetical').map((s) => [s.name, s.loss]));
    expect(Object.keys(shocks)).toEqual([
      'shock -10%', 'shock -10% AAA/USDT', 'shock -10% BBB/USDT',
      'shock -20%', 'shock -20% AAA/USDT', 'shock -20% BBB/USDT',
      'shock -30%', 'shock -30% AAA/USDT', 'shock -30% BBB/USDT',
    ]);
    expect(shocks['shock -10%']).toBeCloseTo(0.12, 12);
    expect(shocks['shock -30% BBB/USDT']).toBeCloseTo(0.15, 12);
  });

  it('puts Monte Carlo within 3% of the parametric figures and repeats it exactly for the same seed', async () => {
    for (const key of ['95', '99']) {
      expect(Math.abs(report.var.monteCarlo[key]! / report.var.parametric[key]! - 1)).toBeLessThan(0.03);
      expect(Math.abs(report.es.monteCarlo[key]! / report.es.parametric[key]! - 1)).toBeLessThan(0.03);
    }
    const again = await runRisk({ dataFiles: [AAA, BBB], weights: { 'AAA/USDT': 0.7, 'BBB/USDT': 0.5 }, paths: 20_000 });
    expect(JSON.stringify(again)).toBe(JSON.stringify(report));
  });

  it('reports the levels asked for, keyed in percent', async () => {
    const custom = await runRisk({ dataFiles: [AAA, BBB], weights: { 'AAA/USDT': 1 }, confidence: [0.9, 0.975], paths: FEW_PATHS });
    expect(Object.keys(custom.var.historical)).toEqual(['90', '97.5']);
    expect(Object.keys(custom.es.monteCarlo)).toEqual(['90', '97.5']);
  });
});

describe('runRisk rejects bad requests naming the field', () => {
  const field = async (request: Parameters<typeof runRisk>[0]): Promise<string> => {
    try {
      await runRisk(request);
    } catch (error) {
      expect(error).toBeInstanceOf(RiskInputError);
      // The message starts with the field: `weights.XRP/USDT: ... (got "XRP/USDT")`.
      expect((error as Error).message.startsWith(`${(error as RiskInputError).field}: `)).toBe(true);
      return (error as Error).message;
    }
    throw new Error('expected runRisk to throw');
  };

  it('a symbol that no data file has', async () => {
    expect(await field({ dataFiles: [AAA, BBB], weights: { 'CCC/USDT': 0.5 } })).toMatch(/^weights\.CCC\/USDT: .*AAA\/USDT, BBB\/USDT.*"CCC\/USDT"/);
  });

  it('no weights at all, a non-finite weight, horizon 0 or beyond the data', async () => {
    expect(await field({ dataFiles: [AAA], weights: {} })).toMatch(/^weights:/);
    expect(await field({ dataFiles: [AAA], weights: { 'AAA/USDT': Number.NaN } })).toMatch(/^weights\.AAA\/USDT: .*NaN/);
    expect(await field({ dataFiles: [AAA], weights: { 'AAA/USDT': 1 }, horizonBars: 0 })).toMatch(/^horizonBars: .*got 0/);
    expect(await field({ dataFiles: [AAA], weights: { 'AAA/USDT': 1 }, horizonBars: 10_000 })).toMatch(/^horizonBars: exceeds/);
  });
});

describe('the default stress windows', () => {
  it('are the whole UTC days named', () => {
    for (const w of STRESS_WINDOWS) {
      expect(new Date(w.start).toISOString()).toBe(`${w.name}T00:00:00.000Z`);
      expect(w.end - w.start).toBe(86_400_000 - 1);
    }
  });
});
