// Row validation: every rule with its exact `file:line: rule (value)` message, skip mode, gz, hash.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { loadBarSeries, loadBarSeriesSync, parseBarSeries } from '../../src/adapters/files/index.ts';
import { DataError } from '../../src/engines/data/index.ts';
import { BTC_1M, BTC_1M_GZ, FIXTURES, MOUTAI_1D, fixtureLines, setField, tempDir, withRow } from './helpers.ts';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const NAME = 'BTCUSDT-1m-2024-01-01_2024-01-01.csv';
const rows = fixtureLines(BTC_1M);
const row = (dataLine: number): string[] => rows[dataLine]!.split(',');

/** The DataError thrown when loading `text` written under NAME, or undefined. */
async function errorOf(text: string, name = NAME): Promise<DataError> {
  const path = tmp.write(name, text);
  try {
    await loadBarSeries(path);
  } catch (error) {
    if (error instanceof DataError) return error;
    throw error;
  }
  throw new Error(`expected a DataError loading ${path}`);
}

describe('header', () => {
  it('names the missing column and the file at line 1', async () => {
    const file = `${FIXTURES}bad/BTCUSDT-1h-missing-close.csv`;
    await expect(loadBarSeries(file)).rejects.toThrow(
      `${file}:1: missing column "close" (header: timestamp,open,high,low,volume)`,
    );
  });

  it('rejects required columns out of order and accepts extra columns after them', async () => {
    const text = 'timestamp,open,high,low,volume,close\n1704067200000,1,1,1,1,1\n';
    const e = await errorOf(text);
    expect(e.message).toBe(`${e.file}:1: column "close" must be column 5, found at 6 (header: timestamp,open,high,low,volume,close)`);
    const ok = await loadBarSeries(tmp.write('BTCUSDT-1m-extra.csv', 'timestamp,open,high,low,close,volume,note,adj_close\n1704067200000,1,2,1,1.5,3,x,1.4\n'));
    expect(ok.series.length).toBe(1);
    expect(ok.series.close[0]).toBe(1.5);
  });

  it('an empty file, a header-only file and an all-bad file are errors', async () => {
    let e = await errorOf('');
    expect(e.message).toBe(`${e.file}:1: empty file (no header)`);
    e = await errorOf('timestamp,open,high,low,close,volume\n');
    expect(e.message).toBe(`${e.file}:2: no data rows (header only)`);
    const path = tmp.write('BTCUSDT-1m-allbad.csv', 'timestamp,open,high,low,close,volume\n1,NaN,1,1,1,1\n2,1,1,1,1\n');
    await expect(loadBarSeries(path, { onBadRow: 'skip' })).rejects.toThrow(`${path}:2: no data rows (all 2 rows skipped)`);
  });
});

describe('row rules, each with the exact file:line', () => {
  it('a NaN close on data line 31 is reported at line 32 (committed fixture)', async () => {
    const file = `${FIXTURES}bad/BTCUSDT-1m-nan-close.csv`;
    const error = await loadBarSeries(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataError);
    const e = error as DataError;
    expect(e.message).toBe(`${file}:32: close is not a finite positive number (close=NaN)`);
    expect([e.file, e.line, e.rule, e.value]).toEqual([file, 32, 'close is not a finite positive number', 'close=NaN']);
  });

  const cases: Array<[string, number, (f: string[]) => string[], (line: number) => string]> = [
    ['field count (too few)', 10, (f) => f.slice(0, 5), () => 'wrong number of fields (fields=5, expected 6)'],
    ['field count (too many)', 11, (f) => [...f, '7'], () => 'wrong number of fields (fields=7, expected 6)'],
    ['timestamp not an integer', 12, setField(0, '1704067860000.5'), () => 'timestamp is not an integer (timestamp=1704067860000.5)'],
    ['timestamp empty', 13, setField(0, ''), () => 'timestamp is not an integer (timestamp="")'],
    ['timestamp text', 14, setField(0, 'abc'), () => 'timestamp is not an integer (timestamp=abc)'],
    ['timestamp equal to previous', 20, setField(0, row(19)[0]!), () => `timestamp not increasing (timestamp=${row(19)[0]} after ${row(19)[0]})`],
    ['timestamp going back', 21, setField(0, '1600000000000'), () => `timestamp not increasing (timestamp=1600000000000 after ${row(20)[0]})`],
    ['open NaN', 22, setField(1, 'NaN'), () => 'open is not a finite positive number (open=NaN)'],
    ['high zero', 23, setField(2, '0'), () => 'high is not a finite positive number (high=0)'],
    ['low negative', 24, setField(3, '-1'), () => 'low is not a finite positive number (low=-1)'],
    ['close empty', 25, setField(4, ''), () => 'close is not a finite positive number (close="")'],
    ['close blank', 25, setField(4, '  '), () => 'close is not a finite positive number (close="  ")'],
    ['close Infinity', 26, setField(4, 'Infinity'), () => 'close is not a finite positive number (close=Infinity)'],
    ['volume negative', 27, setField(5, '-0.5'), () => 'volume is not a finite non-negative number (volume=-0.5)'],
    ['volume text', 28, setField(5, 'n/a'), () => 'volume is not a finite non-negative number (volume=n/a)'],
    ['high below max(open, close)', 29, (f) => [f[0]!, '100', '98', '97', '100.5', f[5]!], () => 'high below max(open, close) (high=98, open=100, close=100.5)'],
    ['low above min(open, close)', 30, (f) => [f[0]!, '100', '101', '99.5', '99.4', f[5]!], () => 'low above min(open, close) (low=99.5, open=100, close=99.4)'],
  ];
  for (const [name, dataLine, edit, message] of cases) {
    it(name, async () => {
      const e = await errorOf(withRow(BTC_1M, dataLine, edit));
      expect(e.message).toBe(`${e.file}:${dataLine + 1}: ${message(dataLine + 1)}`);
      expect(e.line).toBe(dataLine + 1);
    });
  }

  it('volume 0 is valid; high == low == open == close is valid', async () => {
    const path = tmp.write(NAME, withRow(withRowFile(BTC_1M, 5, setField(5, '0')), 6, (f) => [f[0]!, '7', '7', '7', '7', '1']));
    const { series } = await loadBarSeries(path);
    expect(series.volume[4]).toBe(0);
    expect(series.high[5]).toBe(7);
  });

  it('applies the rules in order: field count, timestamp, prices, volume, high, low', async () => {
    const cases: Array<[(f: string[]) => string[], string]> = [
      [(f) => ['x', 'NaN', '1', '1', '1'], 'wrong number of fields'],
      [(f) => [row(39)[0]!, 'NaN', f[2]!, f[3]!, f[4]!, '-1'], 'timestamp not increasing'],
      [(f) => [f[0]!, f[1]!, '-1', f[3]!, 'NaN', '-1'], 'high is not a finite positive number'],
      [(f) => [f[0]!, f[1]!, f[2]!, f[3]!, 'NaN', '-1'], 'close is not a finite positive number'],
      [(f) => [f[0]!, '10', '1', '20', '10', '-1'], 'volume is not a finite non-negative number'],
      [(f) => [f[0]!, '10', '1', '20', '10', '1'], 'high below max(open, close)'],
    ];
    for (const [edit, rule] of cases) {
      const e = await errorOf(withRow(BTC_1M, 40, edit));
      expect(e.rule).toBe(rule);
      expect(e.line).toBe(41);
    }
  });

  it('pre_close, when the column exists and the field is not empty, must be finite and positive', async () => {
    const name = '600519.SH-1d-2024-01-02_2024-01-19.csv';
    const e = await errorOf(withRow(MOUTAI_1D, 3, (f) => f.map((x, k) => (k === 7 ? 'abc' : x))), name);
    expect(e.message).toBe(`${e.file}:4: pre_close is not a finite positive number (pre_close=abc)`);
  });

  it('a blank line inside the data is a bad row; trailing blank lines and CRLF are fine', async () => {
    const lines = fixtureLines(BTC_1M);
    const crlf = tmp.write('BTCUSDT-1m-crlf.csv', lines.join('\r\n') + '\r\n\r\n\n');
    expect((await loadBarSeries(crlf)).series.length).toBe(60);
    const blank = [...lines.slice(0, 8), '', ...lines.slice(8)].join('\n');
    const e = await errorOf(blank);
    expect(e.message).toBe(`${e.file}:9: wrong number of fields (empty line, expected 6)`);
  });
});

describe('file-level checks once the interval is known', () => {
  it('bars closer than one interval overlap and are rejected', async () => {
    const t = Number(row(9)[0]) + 30_000;
    const e = await errorOf(withRow(BTC_1M, 10, setField(0, String(t))));
    expect(e.message).toBe(`${e.file}:11: timestamp less than one interval (1m) after the previous bar (timestamp=${t} after ${row(9)[0]})`);
  });

  it('A-share daily timestamps must be 00:00 UTC date labels', async () => {
    const t = Number(fixtureLines(MOUTAI_1D)[2]!.split(',')[0]) + 3_600_000;
    const e = await errorOf(withRow(MOUTAI_1D, 2, setField(0, String(t))), '600519.SH-1d-x.csv');
    expect(e.message).toBe(`${e.file}:3: daily timestamp not at 00:00 UTC (timestamp=${t})`);
  });

  it('a bar that would end after its aggregation bucket closes is rejected (no look-ahead)', async () => {
    const shifted = fixtureLines(BTC_1M).map((l, k) => (k === 0 ? l : l.replace(/^\d+/, (t) => String(Number(t) + 30_000))));
    const path = tmp.write('BTCUSDT-1m-shifted.csv', shifted.join('\n') + '\n');
    expect((await loadBarSeries(path)).series.length).toBe(60);
    const t = Number(row(5)[0]) + 30_000;
    await expect(loadBarSeries(path, { timeframe: '5m' })).rejects.toThrow(
      `${path}:6: bar ends after its 5m bucket closes (timestamp=${t}, bar closes ${t + 60_000}, bucket closes ${t + 30_000})`,
    );
  });
});

describe('skip mode', () => {
  it('drops bad rows, counts them and returns the first problems', async () => {
    let text = withRow(BTC_1M, 3, setField(4, 'NaN'));
    text = withRow(tmp.write(NAME, text), 7, (f) => f.slice(0, 4));
    text = withRow(tmp.write(NAME, text), 8, setField(0, row(6)[0]!)); // not increasing vs row 6 (row 7 skipped)
    text = withRow(tmp.write(NAME, text), 50, setField(5, '-3'));
    const path = tmp.write(NAME, text);
    await expect(loadBarSeries(path)).rejects.toThrow(`${path}:4: close is not a finite positive number (close=NaN)`);

    const result = await loadBarSeries(path, { onBadRow: 'skip' });
    expect(result.series.source.rows).toBe(60);
    expect(result.series.source.skipped).toBe(4);
    expect(result.series.length).toBe(56);
    expect(result.problems.map((p) => p.line)).toEqual([4, 8, 9, 51]);
    expect(result.problems[2]!.message).toBe(`${path}:9: timestamp not increasing (timestamp=${row(6)[0]} after ${row(6)[0]})`);

    const few = await loadBarSeries(path, { onBadRow: 'skip', maxProblems: 2 });
    expect(few.problems.length).toBe(2);
    expect(few.series.source.skipped).toBe(4);
  });

  it('the calendar checks skip too', async () => {
    const t = Number(row(9)[0]) + 30_000;
    const path = tmp.write(NAME, withRow(BTC_1M, 10, setField(0, String(t))));
    const result = await loadBarSeries(path, { onBadRow: 'skip' });
    expect(result.series.length).toBe(59);
    expect(result.series.source.skipped).toBe(1);
    expect(result.problems[0]!.line).toBe(11);
  });
});

describe('reading', () => {
  it('reads .csv.gz like .csv and hashes the stored bytes', async () => {
    const plain = await loadBarSeries(BTC_1M);
    const gz = await loadBarSeries(BTC_1M_GZ);
    const sync = loadBarSeriesSync(BTC_1M_GZ);
    for (const s of [gz.series, sync.series]) {
      expect(Array.from(s.close)).toEqual(Array.from(plain.series.close));
      expect(Array.from(s.openTime)).toEqual(Array.from(plain.series.openTime));
      expect(Array.from(s.volume)).toEqual(Array.from(plain.series.volume));
    }
    const sha = (p: string): string => createHash('sha256').update(readFileSync(p)).digest('hex');
    expect(plain.series.source.sha256).toBe(sha(BTC_1M));
    expect(gz.series.source.sha256).toBe(sha(BTC_1M_GZ));
    expect(gz.series.source.sha256).not.toBe(plain.series.source.sha256);
    expect(gz.series.source).toMatchObject({ file: BTC_1M_GZ, rows: 60, skipped: 0 });
  });

  it('reports a damaged gzip file', async () => {
    const gz = readFileSync(BTC_1M_GZ);
    const path = tmp.write('BTCUSDT-1m-cut.csv.gz', gz.subarray(0, gz.length >> 1));
    await expect(loadBarSeries(path)).rejects.toThrow(`${path}: cannot decompress gzip data`);
  });

  it('reports bad rows in gzip files with the same line numbers', async () => {
    const path = tmp.write('BTCUSDT-1m-bad.csv.gz', gzipSync(withRow(BTC_1M, 31, setField(4, 'NaN'))));
    await expect(loadBarSeries(path)).rejects.toThrow(`${path}:32: close is not a finite positive number (close=NaN)`);
  });

  it('fills the columns: prices, volume and closeTime = open + interval', async () => {
    const { series } = await loadBarSeries(BTC_1M);
    const first = row(1).map(Number);
    expect(series.length).toBe(60);
    expect([series.openTime[0], series.open[0], series.high[0], series.low[0], series.close[0], series.volume[0]]).toEqual(first);
    expect(series.closeTime[0]).toBe(first[0]! + 60_000);
    expect(series.timeframe).toBe('1m');
    expect(series.intervalMs).toBe(60_000);
    expect(series.preClose).toBeUndefined();
    expect(series.adjustmentFactor).toBeUndefined();
  });
});

describe('number parsing', () => {
  it('reads every decimal exactly as Number() does (fast path and fallback)', () => {
    const decimal = fc.oneof(
      fc.tuple(fc.double({ min: 1e-9, max: 1e12, noNaN: true }), fc.integer({ min: 0, max: 12 })).map(([x, k]) => x.toFixed(k)),
      fc.double({ min: 1e-12, max: 1e21, noNaN: true }).map(String),
      fc.tuple(fc.bigInt({ min: 1n, max: 10n ** 20n }), fc.integer({ min: 0, max: 25 })).map(([m, k]) => {
        const digits = m.toString().padStart(k + 1, '0');
        return k === 0 ? digits : `${digits.slice(0, -k)}.${digits.slice(-k)}`;
      }),
    ).filter((text) => Number(text) > 0);
    fc.assert(
      fc.property(fc.array(decimal, { minLength: 1, maxLength: 20 }), (values) => {
        const lines = ['timestamp,open,high,low,close,volume'];
        values.forEach((v, k) => lines.push(`${k * 60_000},${v},${v},${v},${v},${v}`));
        const { series } = parseBarSeries(NAME, Buffer.from(lines.join('\n')));
        values.forEach((v, k) => {
          expect(series.close[k]).toBe(Number(v));
          expect(series.volume[k]).toBe(Number(v));
        });
      }),
      { numRuns: 300 },
    );
  });

  it('accepts decimals with exponents or a leading +, rejects hex', async () => {
    const path = tmp.write(NAME, 'timestamp,open,high,low,close,volume\n0,1e2,+101,99.5,1E2, 0\n');
    const { series } = await loadBarSeries(path);
    expect([series.open[0], series.high[0], series.low[0], series.close[0], series.volume[0]]).toEqual([100, 101, 99.5, 100, 0]);
    const e = await errorOf(withRow(BTC_1M, 2, setField(5, '0x10')));
    expect(e.message).toBe(`${e.file}:3: volume is not a finite non-negative number (volume=0x10)`);
  });
});

/** Write `withRow(path, ...)` to a temp file and return its path (for chaining edits). */
function withRowFile(path: string, dataLine: number, edit: (f: string[]) => string[]): string {
  return tmp.write(`chain-${dataLine}-${NAME}`, withRow(path, dataLine, edit));
}
