import { mkdtempSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.ts';

const BTC_1H = 'data/BTCUSDT-1h-2017-08-17_2024-04-21.csv.gz';
const SMA = ['--strategy', 'sma-cross', '--params', '{"fast":10,"slow":30}'];
const KEYS = ['bars', 'orders', 'fills', 'trades', 'initialCapital', 'finalEquity', 'realizedPnl', 'unrealizedPnl', 'totalReturn', 'cagr', 'sharpe', 'sortino', 'calmar', 'maxDrawdown', 'winRate', 'profitFactor', 'exposure', 'feesPaid', 'taxesPaid'];

describe('traider backtest on real BTC/USDT hourly bars', () => {
  const first = runCli(['backtest', '--data', BTC_1H, ...SMA, '--json']);
  const summary = JSON.parse(first.stdout) as Record<string, number>;

  it('prints exactly one JSON object with every promised key', () => {
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout.trim().split('\n')).toHaveLength(1);
    for (const key of KEYS) expect(summary, `missing ${key}`).toHaveProperty(key);
    expect(summary.bars).toBe(58_419);
    expect(summary.fills).toBeGreaterThan(0);
    expect(summary.trades).toBeGreaterThan(0);
  });

  it('reconciles: final equity = capital + realized + unrealized - fees - taxes, to the cent', () => {
    const rebuilt = summary.initialCapital! + summary.realizedPnl! + summary.unrealizedPnl! - summary.feesPaid! - summary.taxesPaid!;
    expect(Math.abs(rebuilt - summary.finalEquity!)).toBeLessThan(0.01);
  });

  it('prints byte-identical JSON on a second identical run', () => {
    const second = runCli(['backtest', '--data', BTC_1H, ...SMA, '--json']);
    expect(second.stdout).toBe(first.stdout);
  });

  it('gives the same signals with the next-open model and costs less than realistic', () => {
    // Breakers react to each model's own equity path, so they are switched off to compare the fill models alone.
    const dir = mkdtempSync(join(tmpdir(), 'traider-models-'));
    const noBreakers = join(dir, 'no-breakers.yaml');
    const triggers = ['dailyLoss', 'weeklyLoss', 'drawdown', 'dataStale', 'dataFailures', 'apiLatency', 'correlation', 'varLimit'];
    writeFileSync(noBreakers, `risk:\n  breakers:\n    paper:\n${triggers.map((t) => `      ${t}: { enabled: false }`).join('\n')}\n`);
    const run = (model: string): Record<string, number> =>
      JSON.parse(runCli(['backtest', '--data', BTC_1H, ...SMA, '--fill-model', model, '--fee-bps', '10', '--config', noBreakers, '--json']).stdout) as Record<string, number>;
    const realistic = run('realistic');
    const nextOpen = run('next-open');
    expect(nextOpen.orders).toBe(realistic.orders);
    expect(nextOpen.trades).toBe(realistic.trades);
    expect(nextOpen.fills).toBeLessThanOrEqual(realistic.fills!);
    expect(nextOpen.finalEquity).toBeGreaterThan(realistic.finalEquity!);
  });
});

describe('traider backtest --out', () => {
  it('writes report.html, trades.csv, fills.csv, equity.csv and run.json', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'traider-out-')), 'run');
    const result = runCli(['backtest', '--data', 'data/BTCUSDT-1m-2021-02-19_2021-02-25.csv', ...SMA, '--out', dir]);
    expect(result.code, result.stderr).toBe(0);
    for (const file of ['report.html', 'trades.csv', 'fills.csv', 'equity.csv', 'run.json']) expect(existsSync(join(dir, file)), file).toBe(true);
    const header = readFileSync(join(dir, 'fills.csv'), 'utf8').split('\n')[0]!.split(',');
    for (const column of ['time', 'orderId', 'symbol', 'side', 'quantity', 'price', 'fee', 'tax', 'impactBps', 'slippageBps']) expect(header).toContain(column);
    const run = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as { data: Array<{ sha256: string }>; parameters: unknown; results: { fills: number } };
    expect(run.data[0]!.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(run.parameters).toEqual({ fast: 10, slow: 30, fraction: 0.95 });
    const fills = readFileSync(join(dir, 'fills.csv'), 'utf8').trim().split('\n').length - 1;
    expect(fills).toBe(run.results.fills);
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).not.toMatch(/<script[^>]+src=["']?https?:/);
  });
});

describe('bad data stops the run naming file, line and rule', () => {
  const dir = mkdtempSync(join(tmpdir(), 'traider-bad-'));
  const header = 'timestamp,open,high,low,close,volume';
  const rows = Array.from({ length: 60 }, (_, i) => `${1_700_000_000_000 + i * 60_000},100,101,99,100.5,10`);
  const write = (name: string, lines: string[]): string => {
    const file = join(dir, name);
    writeFileSync(file, `${lines.join('\n')}\n`);
    return file;
  };
  const cases: Array<[string, string[], RegExp]> = [
    ['BTCUSDT-1m-nan.csv', [header, ...rows.map((r, i) => (i === 30 ? r.replace(',100.5,', ',NaN,') : r))], /BTCUSDT-1m-nan\.csv:32: .*close/],
    ['BTCUSDT-1m-highlow.csv', [header, ...rows.map((r, i) => (i === 20 ? r.replace(',101,99,', ',98,99,') : r))], /BTCUSDT-1m-highlow\.csv:22: /],
    ['BTCUSDT-1m-backwards.csv', [header, ...rows.map((r, i) => (i === 40 ? r.replace(/^\d+/, '1600000000000') : r))], /BTCUSDT-1m-backwards\.csv:42: .*timestamp/],
    ['BTCUSDT-1m-nocolumn.csv', ['timestamp,open,high,low,volume', ...rows.map((r) => r.split(',').filter((_, k) => k !== 4).join(','))], /missing column "close"/],
  ];
  for (const [name, lines, message] of cases) {
    it(`rejects ${name} with a non-zero exit`, () => {
      const result = runCli(['backtest', '--data', write(name, lines), '--strategy', 'sma-cross', '--json']);
      expect(result.code).not.toBe(0);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(message);
    });
  }

  it('skips and counts bad rows with --on-bad-row skip', () => {
    const result = runCli(['backtest', '--data', write('BTCUSDT-1m-skip.csv', cases[0]![1]), '--strategy', 'buy-and-hold', '--on-bad-row', 'skip', '--json']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/skipped 1 bad row/);
    expect(JSON.parse(result.stdout).bars).toBe(59);
  });
});

describe('bad configuration', () => {
  it('lists every problem with its path in one error and exits non-zero', () => {
    const dir = mkdtempSync(join(tmpdir(), 'traider-cfg-'));
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'fees:\n  crypto:\n    takerBps: -5\nfill:\n  participationCap: "lots"\n  spredBps: 3\n');
    const result = runCli(['backtest', '--data', BTC_1H, '--strategy', 'sma-cross', '--config', file, '--json']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/3 problems/);
    expect(result.stderr).toMatch(/fees\.crypto\.takerBps/);
    expect(result.stderr).toMatch(/fill\.participationCap/);
    expect(result.stderr).toMatch(/fill\.spredBps: unknown key/);
  });

  it('config show prints the effective configuration with file and environment layers', () => {
    const dir = mkdtempSync(join(tmpdir(), 'traider-cfg-'));
    const file = join(dir, 'c.json');
    writeFileSync(file, JSON.stringify({ fill: { participationCap: 0.1 }, backtest: { capital: 5000 } }));
    const result = runCli(['config', 'show', '--config', file, '--format', 'json'], { TRAIDER_BACKTEST__CAPITAL: '7000' });
    expect(result.code, result.stderr).toBe(0);
    const config = JSON.parse(result.stdout);
    expect(config.fill.participationCap).toBe(0.1);
    expect(config.backtest.capital).toBe(7000);
    expect(config.fees.crypto.takerBps).toBe(10);
  });
});

describe('strategies from the command line', () => {
  it('runs a user strategy file that extends Strategy', () => {
    const result = runCli(['backtest', '--data', 'data/BTCUSDT-1m-2021-02-19_2021-02-25.csv', '--strategy', 'examples/rsi-dip.ts', '--params', '{"fraction":0.3}', '--json']);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).orders).toBeGreaterThan(0);
  });

  it('names the known strategies when given an unknown one', () => {
    const result = runCli(['backtest', '--data', BTC_1H, '--strategy', 'smacross']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/unknown strategy "smacross".*sma-cross/);
  });

  it('rejects unknown strategy parameters by name', () => {
    const result = runCli(['backtest', '--data', BTC_1H, '--strategy', 'sma-cross', '--params', '{"fats":5}']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/fats: unknown parameter/);
  });
});

describe('A-share rules in a backtest on the SSE index 1-minute bars', () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'traider-ashare-')), 'run');
  const result = runCli([
    'backtest', '--data', 'data/000001.SH-1m-2015-01-05_2015-02-28.csv', '--market', 'ashare',
    '--strategy', 'bollinger-reversion', '--params', '{"period":20,"k":2,"fraction":0.95}', '--capital', '10000000', '--out', dir, '--json',
  ]);
  const rows = existsSync(join(dir, 'fills.csv')) ? readFileSync(join(dir, 'fills.csv'), 'utf8').trim().split('\n') : [];
  const header = rows[0]?.split(',') ?? [];
  const fills = rows.slice(1).map((line) => {
    const v = line.split(',');
    const get = (name: string): string => v[header.indexOf(name)]!;
    return { time: Number(get('time')), orderId: get('orderId'), side: get('side'), quantity: Number(get('quantity')), fee: Number(get('fee')), tax: Number(get('tax')) };
  });
  const shanghaiDate = (t: number): string => new Date(t + 8 * 3_600_000).toISOString().slice(0, 10);

  it('trades (buys and sells)', () => {
    expect(result.code, result.stderr).toBe(0);
    expect(fills.some((f) => f.side === 'BUY')).toBe(true);
    expect(fills.some((f) => f.side === 'SELL')).toBe(true);
  });

  it('never sells shares on the Shanghai date it bought them (T+1)', () => {
    // The strategy is flat before each buy, so a sell after a buy on the same date would sell today's shares.
    const boughtOn = new Set<string>();
    const sameDay = [];
    for (const f of fills) {
      if (f.side === 'BUY') boughtOn.add(shanghaiDate(f.time));
      else if (boughtOn.has(shanghaiDate(f.time))) sameDay.push(f);
    }
    expect(fills.filter((f) => f.side === 'SELL').length).toBeGreaterThan(10);
    expect(sameDay).toEqual([]);
  });

  it('buys whole 100-share lots, charges at least 5 CNY commission per order and stamp duty on every sell', () => {
    expect(fills.filter((f) => f.side === 'BUY' && f.quantity % 100 !== 0)).toEqual([]);
    const feeByOrder = new Map<string, number>();
    for (const f of fills) feeByOrder.set(f.orderId, (feeByOrder.get(f.orderId) ?? 0) + f.fee);
    expect([...feeByOrder.values()].filter((fee) => fee < 5)).toEqual([]);
    expect(fills.filter((f) => f.side === 'SELL' && !(f.tax > 0))).toEqual([]);
  });
});
