// Every path-taking flag: a file that is not there is `error: --flag: no such file: PATH` (exit 1), said before
// anything is inferred from the name, before any connection and before anything is created; a new SQLite --db
// needs its directory to exist; --out (created with its parents) must be creatable, checked before the run.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataFileNotFoundError, loadBarSeries } from '../../src/adapters/files/index.ts';
import { runInProcess } from './in-process.ts';
import { ROOT, runCliAsync } from './run-cli.ts';

const DATA = 'data/BTCUSDT-1m-2021-02-19_2021-02-25.csv';
const dir = mkdtempSync(join(tmpdir(), 'traider-missing-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const nowhere = join(dir, 'nowhere');

// [what, arguments, the expected first line on stderr]. Nothing listens on port 9 (discard): a session that got
// past its path checks would fail to connect instead.
const NO_EXCHANGE = 'http://127.0.0.1:9';
const CASES: Array<[string, string[], string]> = [
  ['backtest --data (a name nothing can be inferred from)', ['backtest', '--data', 'data/nope.csv', '--strategy', 'sma-cross'], '--data: no such file: data/nope.csv'],
  ['backtest --data, the second of a list', ['backtest', '--data', `${DATA},data/BTCUSDT-1h-nope.csv`, '--strategy', 'sma-cross'], '--data: no such file: data/BTCUSDT-1h-nope.csv'],
  ['backtest --strategy FILE', ['backtest', '--data', DATA, '--strategy', './no-such-strategy.ts'], '--strategy: no such file: ./no-such-strategy.ts'],
  ['backtest --config', ['backtest', '--data', DATA, '--strategy', 'sma-cross', '--config', 'nope.yaml'], '--config: no such file: nope.yaml'],
  ['backtest --out under a file', ['backtest', '--data', DATA, '--strategy', 'sma-cross', '--out', 'data/SOURCES.md/out/run'], `--out: cannot create data/SOURCES.md/out/run: ${join(ROOT, 'data/SOURCES.md')} is a file, not a directory`],
  ['backtest --out that is a file', ['backtest', '--data', DATA, '--strategy', 'sma-cross', '--out', 'data/SOURCES.md'], '--out: data/SOURCES.md is a file, not a directory'],
  ['backtest --db in a missing directory', ['backtest', '--data', DATA, '--strategy', 'sma-cross', '--db', join(nowhere, 'x.db')], `--db: no such directory: ${nowhere}`],
  ['replay --data', ['replay', '--data', 'data/nope.csv', '--strategy', 'sma-cross', '--db', join(dir, 'r.db')], '--data: no such file: data/nope.csv'],
  ['replay --strategy FILE', ['replay', '--data', DATA, '--strategy', 'nope.js', '--db', join(dir, 'r.db')], '--strategy: no such file: nope.js'],
  ['risk --data', ['risk', '--data', 'data/nope.csv', '--weights', '{"NOPE/USDT":1}'], '--data: no such file: data/nope.csv'],
  ['exchange-sim --data', ['exchange-sim', '--port', '0', '--data', 'data/nope.csv'], '--data: no such file: data/nope.csv'],
  ['exchange-sim --accounts', ['exchange-sim', '--port', '0', '--data', DATA, '--accounts', 'nope.json'], '--accounts: no such file: nope.json'],
  ['book replay --snapshot', ['book', 'replay', '--snapshot', 'nope-snapshot.csv', '--diffs', 'nope-diffs.csv'], '--snapshot: no such file: nope-snapshot.csv'],
  ['book replay --diffs', ['book', 'replay', '--snapshot', 'data/l2/SOURCES.md', '--diffs', 'nope-diffs.csv'], '--diffs: no such file: nope-diffs.csv'],
  ['book replay --bookticker', ['book', 'replay', '--snapshot', 'data/l2/SOURCES.md', '--diffs', 'data/l2/SOURCES.md', '--bookticker', 'nope.csv'], '--bookticker: no such file: nope.csv'],
  ['book replay --kraken', ['book', 'replay', '--kraken', 'nope.csv'], '--kraken: no such file: nope.csv'],
  ['config show --config', ['config', 'show', '--config', 'nope.yaml'], '--config: no such file: nope.yaml'],
  ['runs list --db', ['runs', 'list', '--db', join(dir, 'none.db')], `--db: no such file: ${join(dir, 'none.db')}`],
  ['runs show --db', ['runs', 'show', 'x', '--db', join(dir, 'none.db')], `--db: no such file: ${join(dir, 'none.db')}`],
  ['audit verify --db', ['audit', 'verify', '--db', join(dir, 'none.db')], `--db: no such file: ${join(dir, 'none.db')}`],
  ['audit export --db', ['audit', 'export', '--format', 'csv', '--db', join(dir, 'none.db')], `--db: no such file: ${join(dir, 'none.db')}`],
  ['paper --strategy FILE, before connecting', ['paper', '--url', NO_EXCHANGE, '--symbols', 'BTC/USDT', '--strategy', 'nope.ts'], '--strategy: no such file: nope.ts'],
  ['paper --config', ['paper', '--url', NO_EXCHANGE, '--symbols', 'BTC/USDT', '--strategy', 'sma-cross', '--config', 'nope.yaml'], '--config: no such file: nope.yaml'],
  ['paper --db in a missing directory', ['paper', '--url', NO_EXCHANGE, '--symbols', 'BTC/USDT', '--strategy', 'sma-cross', '--db', join(nowhere, 'p.db')], `--db: no such directory: ${nowhere}`],
  ['live --strategy FILE', ['live', '--url', NO_EXCHANGE, '--symbols', 'BTC/USDT', '--strategy', 'nope.ts', '--confirm-live'], '--strategy: no such file: nope.ts'],
  ['demo --db in a missing directory', ['demo', '--db', join(nowhere, 'd.db')], `--db: no such directory: ${nowhere}`],
  ['demo --config', ['demo', '--config', 'nope.yaml'], '--config: no such file: nope.yaml'],
];

describe('a missing path names its flag', () => {
  // The first cases through the real command in a child process, as a user runs it; the rest in this process.
  const SPAWNED = 2;
  const spawned = CASES.slice(0, SPAWNED).map(([, args]) => runCliAsync(args, { env: { ...process.env, TRAIDER_DB: '' } }));
  CASES.forEach(([what, args, message], i) => {
    it(what, async () => {
      const result = i < SPAWNED ? await spawned[i]! : await runInProcess(args);
      // The message, and at most a parenthesis after it: "(no journal database there)", "(the directory that would hold ...)".
      const first = result.stderr.split('\n')[0]!;
      expect(first.slice(0, `error: ${message}`.length), result.stderr).toBe(`error: ${message}`);
      expect(first.slice(`error: ${message}`.length)).toMatch(/^( \(.*\))?$/);
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr, 'nothing inferred from the name').not.toMatch(/infer/);
    }, 30_000);
  });

  it('creates nothing where a directory was missing', async () => {
    await Promise.all(spawned);
    expect(existsSync(nowhere)).toBe(false);
  });

  it('TRAIDER_DB in a missing directory is named as TRAIDER_DB', async () => {
    const result = await runCliAsync(['backtest', '--data', DATA, '--strategy', 'sma-cross'], { env: { ...process.env, TRAIDER_DB: join(nowhere, 'env.db') } });
    expect(result.stderr).toMatch(new RegExp(`^error: TRAIDER_DB: no such directory: ${nowhere}`));
    expect(result.code).toBe(1);
  }, 30_000);
});

describe('the data loader', () => {
  it('says a file is missing before inferring anything from its name', async () => {
    const error = await loadBarSeries('data/nope.csv').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataFileNotFoundError);
    expect(error).toMatchObject({ file: 'data/nope.csv', message: 'no such file: data/nope.csv' });
  });
});
