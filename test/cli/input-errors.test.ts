// Use-cases refuse a request naming a field of it (InputError); the CLI spells the field as its flag, so
// the user reads the same text as always: `--data: give at least one CSV file`.
import { describe, expect, it } from 'vitest';
import { loadSeries } from '../../src/app/backtest/index.ts';
import { defaultConfig } from '../../src/app/config/index.ts';
import { fieldMention, InputError, inputText } from '../../src/app/errors/index.ts';
import { runToResume } from '../../src/app/session/session-resume.ts';
import type { SessionRequest } from '../../src/app/session/session-types.ts';
import { parseStoreTarget } from '../../src/app/store/index.ts';
import { RunKind, type RunRecord, RunStatus, type Store } from '../../src/common/index.ts';
import { ExitCode, flagOf, reportError } from '../../src/cli/errors.ts';

function report(error: unknown): { code: number; text: string } {
  let text = '';
  const code = reportError(error, (line) => (text += line));
  return { code, text };
}

async function refusal(work: () => unknown): Promise<InputError> {
  try {
    await work();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }
  throw new Error('not refused');
}

describe('InputError', () => {
  it('names the field, keeps the value, and spells fields as the request does', () => {
    const error = new InputError('dataFiles', 'give at least one CSV file', { value: [] });
    expect(error).toMatchObject({ name: 'InputError', field: 'dataFiles', value: [], message: 'dataFiles: give at least one CSV file' });
    const mentions = new InputError('dataFiles', inputText`${fieldMention('dataFiles')}: give ${fieldMention('timeframe')} to align {"a":1}`);
    expect(mentions.message).toBe('dataFiles: give timeframe to align {"a":1}');
    expect(mentions.describe((field) => `/${field}`)).toBe('/dataFiles: give /timeframe to align {"a":1}');
  });

  it('the CLI turns fields into flags and exits 1, as for any refused input', () => {
    expect(flagOf('dataFiles')).toBe('--data');
    expect(flagOf('runId')).toBe('--run-id');
    expect(flagOf('db')).toBe('--db');
    expect(report(new InputError('dataFiles', 'give at least one CSV file'))).toEqual({ code: ExitCode.Failure, text: 'error: --data: give at least one CSV file\n' });
  });
});

describe('the texts users read, unchanged', () => {
  const config = defaultConfig();

  it('backtest and replay data', async () => {
    expect(report(await refusal(() => loadSeries({ dataFiles: [], config }))).text).toBe('error: --data: give at least one CSV file\n');
    const error = await refusal(() => loadSeries({ dataFiles: ['a.csv', 'b.csv'], symbol: 'BTC/USDT', config }));
    expect(error.field).toBe('symbol');
    expect(report(error).text).toBe('error: --symbol: only with a single --data file (names give each file its symbol)\n');
  });

  it('the journal database', async () => {
    const empty = await refusal(() => parseStoreTarget(' '));
    expect(empty).toMatchObject({ name: 'StoreError', code: 'BAD_URL', field: 'db' });
    expect(report(empty).text).toBe('error: --db is empty: use a file path, sqlite:PATH or postgres://user:password@host:port/database\n');
    const scheme = await refusal(() => parseStoreTarget('mysql://root:hunter2@localhost/traider'));
    expect(scheme.value, 'never the password').toBe('mysql://root:***@localhost/traider');
    expect(report(scheme).text).toMatch(/^error: --db mysql:\/\/root:\*\*\*@localhost\/traider: unsupported scheme mysql:/);
  });

  it('a paper session resumed with other settings', async () => {
    const run = { id: 'r1', kind: RunKind.Paper, status: RunStatus.Running, strategy: 'sma-cross', symbols: ['BTC/USDT'], timeframe: '1m', parameters: { params: { fast: 5 } } } as unknown as RunRecord;
    const store = { location: 'x.db', getRun: async (id: string) => (id === 'r1' ? run : undefined) } as unknown as Store;
    const request = { mode: 'paper', strategy: 'sma-cross', params: { fast: 6 }, symbols: ['BTC/USDT'], timeframe: '5m', resume: 'r1' } as unknown as SessionRequest;
    expect(report(await refusal(() => runToResume(request, store))).text).toBe(
      'error: --resume: run r1 stopped without finishing and continues only as it started: --params {"fast":5} (got {"fast":6}); --timeframe 1m (got 5m)\n',
    );
    expect(report(await refusal(() => runToResume(request, undefined))).text).toBe('error: --resume: needs the journal database (--db)\n');
    expect(report(await refusal(() => runToResume({ ...request, resume: 'r2' }, store))).text).toBe('error: --resume: no run r2 in x.db\n');
    expect(report(await refusal(() => runToResume({ ...request, mode: 'live' }, store))).text).toBe('error: --resume: only paper sessions resume; a live session reconciles with the exchange instead\n');
  });
});
