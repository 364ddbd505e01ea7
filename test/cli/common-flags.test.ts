// The flags every strategy-running command shares are one definition: the same help text on each command that
// takes them, the same checks (a bad value names the flag), and each one reaches the run (the capital is the
// account's, the fee is charged, the symbol and market name the data, --no-progress silences the status line).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { statusEveryMs } from '../../src/cli/common-flags.ts';
import { runInProcess } from './in-process.ts';

const dir = mkdtempSync(join(tmpdir(), 'traider-common-flags-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Hourly bars in a file whose name says nothing: the replay needs --symbol and --market.
const BARS = join(dir, 'bars.csv');
writeFileSync(BARS, readFileSync('test/fixtures/risk/AAAUSDT-1h-x.csv'));

/** The help line of `flag` in `traider <command> --help`, whitespace collapsed. */
async function helpLine(command: string, flag: string): Promise<string | undefined> {
  const help = (await runInProcess([command, '--help'])).stdout.replace(/\n\s{20,}/g, ' ');
  return help.split('\n').map((line) => line.trim().replace(/\s+/g, ' ')).find((line) => line.startsWith(`${flag} `));
}

describe('one definition, the same help everywhere', () => {
  // Which command takes which common flag (docs/config.md says why the others do not).
  const TAKES: Record<string, string[]> = {
    '--capital': ['backtest', 'replay', 'paper', 'demo'],
    '--fee-bps': ['backtest', 'replay', 'paper', 'demo'],
    '--symbol': ['backtest', 'replay'],
    '--market': ['backtest', 'replay'],
    '--config': ['backtest', 'replay', 'paper', 'live', 'demo'],
    '--no-progress': ['backtest', 'replay', 'paper', 'live', 'demo'],
    '--json': ['backtest', 'replay', 'paper', 'live', 'demo'],
  };
  for (const [flag, commands] of Object.entries(TAKES)) {
    it(`${flag}: ${commands.join(', ')}`, async () => {
      const lines = await Promise.all(commands.map((command) => helpLine(command, flag)));
      expect(lines[0], `backtest documents ${flag}`).toBeDefined();
      for (const [i, line] of lines.entries()) expect(line, `${commands[i]} ${flag}`).toBe(lines[0]);
    });
  }
  it('live leaves out --capital and --fee-bps (the exchange account has both), sessions --symbol and --market', async () => {
    expect(await helpLine('live', '--capital')).toBeUndefined();
    expect(await helpLine('live', '--fee-bps')).toBeUndefined();
    expect(await helpLine('paper', '--market')).toBeUndefined();
  });
});

describe('bad values are refused, naming the flag', () => {
  const cases: Array<[string, string[], string]> = [
    ['replay --capital -5', ['replay', '--data', BARS, '--symbol', 'ABC/USDT', '--market', 'crypto', '--strategy', 'buy-and-hold', '--capital', '-5', '--db', join(dir, 'bad.db')], '  --capital: must be > 0 (got -5) (sets backtest.capital)'],
    ['replay --capital lots', ['replay', '--data', BARS, '--symbol', 'ABC/USDT', '--market', 'crypto', '--strategy', 'buy-and-hold', '--capital', 'lots', '--db', join(dir, 'bad.db')], 'error: --capital: expected a number (got "lots")'],
    ['paper --fee-bps abc', ['paper', '--url', 'http://127.0.0.1:9', '--symbols', 'BTC/USDT', '--strategy', 'sma-cross', '--fee-bps', 'abc'], 'error: --fee-bps: expected a number (got "abc")'],
    ['paper --fee-bps -1', ['paper', '--url', 'http://127.0.0.1:9', '--symbols', 'BTC/USDT', '--strategy', 'sma-cross', '--fee-bps', '-1'], '  --fee-bps: must be >= 0 (got -1) (sets fees.crypto.makerBps, fees.crypto.takerBps)'],
    ['backtest --fee-bps 2000', ['backtest', '--data', BARS, '--symbol', 'ABC/USDT', '--market', 'crypto', '--strategy', 'sma-cross', '--fee-bps', '2000'], '  --fee-bps: must be <= 1000 (got 2000) (sets fees.crypto.makerBps, fees.crypto.takerBps)'],
    ['demo --capital 0', ['demo', '--capital', '0', '--duration', '1'], '  --capital: must be > 0 (got 0) (sets backtest.capital)'],
    ['live --status-every -1', ['live', '--url', 'http://127.0.0.1:9', '--symbols', 'BTC/USDT', '--strategy', 'sma-cross', '--confirm-live', '--status-every', '-1'], 'error: --status-every: expected seconds >= 0, 0 for none (got "-1")'],
  ];
  for (const [name, args, line] of cases) {
    it(name, async () => {
      const result = await runInProcess(args);
      expect(result.code).not.toBe(0);
      expect(result.stderr.split('\n'), result.stderr).toContain(line);
      expect(result.stdout).toBe('');
    });
  }
  it('replay --market takes only the known markets', async () => {
    const result = await runInProcess(['replay', '--data', BARS, '--strategy', 'sma-cross', '--market', 'forex']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--market <market>' argument 'forex' is invalid. Allowed choices are crypto, ashare/);
  });
});

interface ReplayJson {
  initialCapital: number;
  cash: string;
  positions: Record<string, string>;
}

/** A replay of BARS as ABC/USDT (buy-and-hold: one buy, filled in parts under the participation cap): the result and the acknowledged fills. */
async function replay(name: string, extra: string[]): Promise<{ result: ReplayJson; fills: Array<{ side: string; quantity: number; price: number }>; stderr: string }> {
  const run = await runInProcess(['replay', '--data', BARS, '--strategy', 'buy-and-hold', '--symbol', 'ABC/USDT', '--market', 'crypto', '--db', join(dir, `${name}.db`), '--json', ...extra]);
  expect(run.code, run.stderr).toBe(0);
  const lines = run.stdout.trim().split('\n');
  // ack <fill id> <side> <quantity> <symbol> @ <price>
  const fills = lines.filter((l) => l.startsWith('ack ')).map((l) => l.split(' ')).map(([, , side, quantity, , , price]) => ({ side: side!, quantity: Number(quantity), price: Number(price) }));
  expect(fills.length, 'buy-and-hold bought').toBeGreaterThan(0);
  return { result: JSON.parse(lines.at(-1)!) as ReplayJson, fills, stderr: run.stderr };
}

describe('replay: the common flags reach the run', () => {
  it('--capital is the starting cash, --fee-bps the fee charged, --symbol and --market name the data', async () => {
    const { result, fills } = await replay('fees', ['--capital', '5000', '--fee-bps', '25']);
    expect(result.initialCapital).toBe(5000);
    expect(Object.keys(result.positions)).toEqual(['ABC/USDT']);
    expect(fills.every((f) => f.side === 'BUY')).toBe(true);
    const notional = fills.reduce((sum, f) => sum + f.quantity * f.price, 0);
    // Cash after the buys: capital - notional - 25 bps of it.
    expect(Number(result.cash)).toBeCloseTo(5000 - notional - notional * 0.0025, 5);
  }, 60_000);

  it('--no-progress silences the status line that --status-every asks for', async () => {
    const [talking, quiet] = [await replay('talking', ['--status-every', '0.001']), await replay('quiet', ['--status-every', '0.001', '--no-progress'])];
    expect(talking.stderr, 'a status line every millisecond: at most one per bar').toMatch(/^status: \d+ bars \| ABC\/USDT last [\d.]+, position [\d.]+ \| equity [\d.]+ USDT \| breaker \w+ \| data age \d+ ms$/m);
    expect(quiet.stderr).not.toMatch(/^status:/m);
    expect(quiet.result.cash, 'the same run otherwise').toBe(talking.result.cash);
  }, 60_000);
});

describe('--status-every and --no-progress for sessions', () => {
  it('default 10 s; 0 is none; --no-progress is none', () => {
    expect(statusEveryMs({})).toBe(10_000);
    expect(statusEveryMs({ statusEvery: '2.5' })).toBe(2500);
    expect(statusEveryMs({ statusEvery: '0' })).toBe(0);
    expect(statusEveryMs({ statusEvery: '5', progress: false })).toBe(0);
  });
});
