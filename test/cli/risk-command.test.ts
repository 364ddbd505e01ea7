// `traider risk` as a user runs it: the JSON shape, the figures against an independent computation,
// stress coverage, the readable table, and clear errors with a non-zero exit.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runRisk } from '../../src/app/risk/run-risk.ts';
import { dayLoss, portfolio, readCloses } from '../app/risk/reference.ts';
import { expectMatchesReference } from '../app/risk/expect-reference.ts';
import { ROOT, runCli } from './run-cli.ts';

const AAA = 'test/fixtures/risk/AAAUSDT-1h-x.csv';
const BBB = 'test/fixtures/risk/BBBUSDT-1h-x.csv';
const PAIR = ['--data', `${AAA},${BBB}`, '--weights', '{"AAA/USDT":0.6,"BBB/USDT":0.4}'];
const BTC_1H = 'data/BTCUSDT-1h-2017-08-17_2024-04-21.csv.gz';
const BTC_1M = 'data/BTCUSDT-1m-2021-02-19_2021-02-25.csv';
const METHODS = ['historical', 'parametric', 'cornishFisher', 'monteCarlo'];

type Json = Record<string, any>;

describe('traider risk --json on the two-asset fixture', () => {
  const first = runCli(['risk', ...PAIR, '--json']);
  const report = JSON.parse(first.stdout) as Json;

  it('prints exactly one JSON object shaped {var, es, correlation, stress, ...}', () => {
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout.trim().split('\n')).toHaveLength(1);
    expect(Object.keys(report).slice(0, 4)).toEqual(['var', 'es', 'correlation', 'stress']);
    for (const measure of ['var', 'es']) {
      expect(Object.keys(report[measure])).toEqual(METHODS);
      for (const method of METHODS) {
        expect(Object.keys(report[measure][method])).toEqual(['95', '99']);
        for (const value of Object.values(report[measure][method])) expect(typeof value).toBe('number');
      }
    }
    expect(report.correlation).toMatchObject({ symbols: ['AAA/USDT', 'BBB/USDT'], limit: 0.7 });
    expect(report.correlation.matrix[0][0]).toBe(1);
    expect(report).toMatchObject({ horizonBars: 1, weights: { 'AAA/USDT': 0.6, 'BBB/USDT': 0.4 }, timeframe: '1h', monteCarlo: { paths: 100000, seed: 42 } });
  });

  it('gives VaR and ES as positive fractions of portfolio value, ES beyond VaR', () => {
    for (const method of METHODS) {
      for (const key of ['95', '99']) {
        expect(report.var[method][key]).toBeGreaterThan(0);
        expect(report.var[method][key]).toBeLessThan(1);
        expect(report.es[method][key]).toBeGreaterThanOrEqual(report.var[method][key]);
      }
    }
  });

  it('matches the independent historical and parametric computation to 1e-9', () => {
    expectMatchesReference(report, portfolio([readCloses(join(ROOT, AAA)), readCloses(join(ROOT, BBB))], [0.6, 0.4]));
  });

  it('writes uncovered stress windows as covered: false with null losses, then the shocks', () => {
    expect(report.stress.map((s: Json) => s.name)).toEqual([
      '2020-03-12', '2021-05-19', '2024-08-05',
      'shock -10%', 'shock -10% AAA/USDT', 'shock -10% BBB/USDT',
      'shock -20%', 'shock -20% AAA/USDT', 'shock -20% BBB/USDT',
      'shock -30%', 'shock -30% AAA/USDT', 'shock -30% BBB/USDT',
    ]);
    expect(report.stress[0]).toEqual({ name: '2020-03-12', kind: 'historical', loss: null, covered: false, maxDrawdown: null });
    expect(report.stress[1]).toMatchObject({ kind: 'historical', covered: true });
    expect(report.stress[3]).toEqual({ name: 'shock -10%', kind: 'hypothetical', loss: 0.1 });
  });

  it('prints byte-identical JSON on a second run, equal to the use-case report', async () => {
    const second = runCli(['risk', ...PAIR, '--json']);
    expect(second.stdout).toBe(first.stdout);
    const direct = await runRisk({ dataFiles: [join(ROOT, AAA), join(ROOT, BBB)], weights: { 'AAA/USDT': 0.6, 'BBB/USDT': 0.4 } });
    expect(`${JSON.stringify(direct)}\n`).toBe(first.stdout);
  });

  it('passes --horizon-bars, --confidence, --paths, --seed and --correlation-limit through', () => {
    const result = runCli(['risk', ...PAIR, '--horizon-bars', '4', '--confidence', '90,97.5', '--paths', '5000', '--seed', '7', '--correlation-limit', '0.2', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const custom = JSON.parse(result.stdout) as Json;
    expect(custom.horizonBars).toBe(4);
    expect(Object.keys(custom.var.monteCarlo)).toEqual(['90', '97.5']);
    expect(custom.monteCarlo).toEqual({ paths: 5000, seed: 7 });
    expect(custom.correlation.breaches).toHaveLength(1);
  });
});

describe('traider risk without --json', () => {
  it('prints VaR and ES by method in percent, the correlation matrix and the stress rows', () => {
    const result = runCli(['risk', ...PAIR]);
    expect(result.code, result.stderr).toBe(0);
    const out = result.stdout;
    expect(out).toMatch(/^VaR \(loss, % of portfolio value\)$/m);
    expect(out).toMatch(/^ES /m);
    expect(out).toMatch(/^\s+95%\s+99%$/m);
    for (const label of ['historical', 'parametric normal', 'Cornish-Fisher', 'Monte Carlo']) expect(out).toMatch(new RegExp(`^${label}\\s+\\d+\\.\\d\\d%\\s+\\d+\\.\\d\\d%$`, 'm'));
    expect(out).toMatch(/^AAA\/USDT\s+1\.000\s+0\.\d{3}$/m);
    expect(out).toMatch(/^2020-03-12\s+n\/a\s+n\/a\s+\(not covered by the data\)$/m);
    expect(out).toMatch(/^2021-05-19\s+\d+\.\d\d%\s+\d+\.\d\d%$/m);
    expect(out).toMatch(/^shock -30%\s+30\.00%$/m);
  });
});

describe('traider risk on the bundled BTC/USDT files', () => {
  it('hourly 2017-2024: matches the reference and covers 2020-03-12 and 2021-05-19', () => {
    const result = runCli(['risk', '--data', BTC_1H, '--weights', '{"BTC/USDT":1}', '--paths', '10000', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as Json;
    const closes = readCloses(join(ROOT, BTC_1H));
    expectMatchesReference(report, portfolio([closes], [1]));
    const march = report.stress.find((s: Json) => s.name === '2020-03-12');
    expect(march.covered).toBe(true);
    expect(Math.abs(march.loss - dayLoss([closes], [1], '2020-03-12'))).toBeLessThan(1e-12);
    expect(report.stress.find((s: Json) => s.name === '2021-05-19').covered).toBe(true);
  });

  it('minute bars: matches the reference', () => {
    const result = runCli(['risk', '--data', BTC_1M, '--weights', '{"BTC/USDT":1}', '--paths', '10000', '--json']);
    expect(result.code, result.stderr).toBe(0);
    expectMatchesReference(JSON.parse(result.stdout) as Json, portfolio([readCloses(join(ROOT, BTC_1M))], [1]));
  });
});

describe('traider risk rejects bad input with a non-zero exit, naming the field and value', () => {
  const cases: Array<[string, string[], RegExp]> = [
    ['weights that are not JSON', ['--data', AAA, '--weights', '{"AAA/USDT":'], /--weights: not valid JSON/],
    ['a weight that is not a number', ['--data', AAA, '--weights', '{"AAA/USDT":"0.6"}'], /--weights: weight of "AAA\/USDT" must be a number \(got "0\.6"\)/],
    ['weights that are not an object', ['--data', AAA, '--weights', '[0.6]'], /--weights: expected a JSON object/],
    ['a symbol not among the data files', [...PAIR.slice(0, 2), '--weights', '{"XRP/USDT":0.5}'], /--weights: weights\.XRP\/USDT: no --data file has this symbol \(the files give AAA\/USDT, BBB\/USDT\) \(got "XRP\/USDT"\)/],
    ['horizon 0', [...PAIR, '--horizon-bars', '0'], /--horizon-bars: expected an integer >= 1 \(got "0"\)/],
    ['a fractional horizon', [...PAIR, '--horizon-bars', '1.5'], /--horizon-bars: expected an integer >= 1 \(got "1\.5"\)/],
    ['a horizon longer than the data', [...PAIR, '--horizon-bars', '5000'], /--horizon-bars: .*exceeds the 234 aligned returns \(got 5000\)/],
    ['a confidence given as a fraction', [...PAIR, '--confidence', '0.95'], /--confidence: .*\(got "0\.95"/],
    ['zero Monte Carlo paths', [...PAIR, '--paths', '0'], /--paths: expected an integer from 1 to 10000000 \(got "0"\)/],
    ['a correlation limit above 1', [...PAIR, '--correlation-limit', '2'], /--correlation-limit: expected a number from -1 to 1 \(got "2"\)/],
    ['a missing file', ['--data', 'test/fixtures/risk/NOPEUSDT-1h-x.csv', '--weights', '{"NOPE/USDT":1}'], /NOPEUSDT-1h-x\.csv/],
  ];
  for (const [name, args, message] of cases) {
    it(`rejects ${name}`, () => {
      const result = runCli(['risk', ...args, '--json']);
      expect(result.code).not.toBe(0);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(message);
    });
  }

  it('stops at a bad CSV row with file:line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'traider-risk-'));
    const file = join(dir, 'BTCUSDT-1m-bad.csv');
    const rows = Array.from({ length: 60 }, (_, i) => `${1_700_000_000_000 + i * 60_000},100,101,99,${i === 30 ? 'NaN' : '100.5'},10`);
    writeFileSync(file, `timestamp,open,high,low,close,volume\n${rows.join('\n')}\n`);
    const result = runCli(['risk', '--data', file, '--weights', '{"BTC/USDT":1}', '--json']);
    expect(result.code).not.toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/BTCUSDT-1m-bad\.csv:32: .*close/);
  });
});
