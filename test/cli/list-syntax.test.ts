// One list syntax everywhere: a flag that takes several values accepts a comma list, the flag repeated, or both,
// and each form gives the same run (backtest --data, exchange-sim --data, risk --confidence).
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { collectList, splitList } from '../../src/cli/list-option.ts';
import { runInProcess } from './in-process.ts';
import { ROOT } from './run-cli.ts';

const AAA = 'test/fixtures/risk/AAAUSDT-1h-x.csv';
const BBB = 'test/fixtures/risk/BBBUSDT-1h-x.csv';

describe('the list parser', () => {
  it('splits on commas, drops blanks, and adds each use of the flag to the earlier ones', () => {
    expect(splitList(' a.csv, b.csv ,,')).toEqual(['a.csv', 'b.csv']);
    expect(collectList('c.csv', collectList('a.csv,b.csv', undefined))).toEqual(['a.csv', 'b.csv', 'c.csv']);
  });
});

describe('backtest --data', () => {
  it('a comma list, the flag repeated, and a mix run the same two-symbol backtest', async () => {
    const strategy = ['--strategy', 'sma-cross', '--params', '{"fast":5,"slow":20}', '--json'];
    const comma = await runInProcess(['backtest', '--data', `${AAA},${BBB}`, ...strategy]);
    const repeated = await runInProcess(['backtest', '--data', AAA, '--data', BBB, ...strategy]);
    const mixed = await runInProcess(['backtest', '--data', `${AAA},`, '--data', ` ${BBB}`, ...strategy]);
    for (const run of [comma, repeated, mixed]) expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(comma.stdout) as { symbols: string[]; bars: number };
    expect(summary.symbols).toEqual(['AAA/USDT', 'BBB/USDT']);
    expect(summary.bars, 'every bar of both files (239 + 236)').toBe(475);
    expect(repeated.stdout).toBe(comma.stdout);
    expect(mixed.stdout).toBe(comma.stdout);
  }, 60_000);
});

describe('risk --confidence', () => {
  it('--confidence 90,97.5 and --confidence 90 --confidence 97.5 compute the same levels', async () => {
    const base = ['risk', '--data', AAA, '--data', BBB, '--weights', '{"AAA/USDT":0.6,"BBB/USDT":0.4}', '--paths', '2000', '--json'];
    const comma = await runInProcess([...base, '--confidence', '90,97.5']);
    const repeated = await runInProcess([...base, '--confidence', '90', '--confidence', '97.5']);
    expect(comma.code, comma.stderr).toBe(0);
    expect(repeated.stdout).toBe(comma.stdout);
    expect(comma.stdout).toContain('0.975');
  }, 60_000);
});

/** Starts `traider exchange-sim` with `dataArgs` on a free port and returns the symbols its exchangeInfo lists. */
async function simSymbols(dataArgs: string[]): Promise<string[]> {
  const child = spawn(process.execPath, ['bin/traider.js', 'exchange-sim', '--port', '0', ...dataArgs], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  try {
    let stderr = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
        stderr += chunk;
        const match = /listening on (http:\/\/\S+)/.exec(stderr);
        if (match) resolve(match[1]!);
      });
      child.on('exit', (code) => reject(new Error(`exchange-sim exited ${code}: ${stderr}`)));
    });
    const info = (await (await fetch(`${url}/api/v3/exchangeInfo`)).json()) as { symbols: Array<{ symbol: string }> };
    return info.symbols.map((s) => s.symbol).sort();
  } finally {
    child.kill('SIGTERM');
  }
}

describe('exchange-sim --data', () => {
  it('a comma list and the flag repeated serve the same markets', async () => {
    const [comma, repeated] = await Promise.all([simSymbols(['--data', `${AAA},${BBB}`]), simSymbols(['--data', AAA, '--data', BBB])]);
    expect(comma).toEqual(['AAAUSDT', 'BBBUSDT']);
    expect(repeated).toEqual(comma);
  }, 60_000);
});
