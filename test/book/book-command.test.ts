// `traider book replay` as a user runs it: the --json shapes, the readable summaries, and bad input
// (missing file, wrong file, wrong flags) giving a non-zero exit with the file named.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../cli/run-cli.ts';

const SNAPSHOT = 'data/l2/BTCUSDT-depth-snapshot.csv';
const DIFFS = 'data/l2/BTCUSDT-depth-diff.csv.gz';
const TICKER = 'data/l2/BTCUSDT-bookticker.csv.gz';
const KRAKEN = 'data/l2/kraken_book1000_ws_2021-04-17.txt.gz';

describe('traider book replay', () => {
  it('--json prints one object {updates, checked, matches, gaps, resyncs, updatesPerSecond}', () => {
    const r = runCli(['book', 'replay', '--snapshot', SNAPSHOT, '--diffs', DIFFS, '--bookticker', TICKER, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    const out = JSON.parse(r.stdout) as { updates: number; checked: number; matches: number; gaps: number; resyncs: number; updatesPerSecond: number };
    expect(Object.keys(out)).toEqual(['updates', 'checked', 'matches', 'gaps', 'resyncs', 'updatesPerSecond']);
    expect(out).toMatchObject({ updates: 298094, checked: 1072, matches: 1072, gaps: 0, resyncs: 0 });
    expect(Number.isInteger(out.updatesPerSecond) && out.updatesPerSecond > 0).toBe(true);
  });

  it('without --bookticker nothing is checked', () => {
    const r = runCli(['book', 'replay', '--snapshot', SNAPSHOT, '--diffs', DIFFS, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ updates: 298094, checked: 0, matches: 0, gaps: 0 });
  });

  it('prints a readable summary without --json', () => {
    const r = runCli(['book', 'replay', '--snapshot', SNAPSHOT, '--diffs', DIFFS, '--bookticker', TICKER]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('lastUpdateId 50093239218');
    expect(r.stdout).toContain('298,094 applied');
    expect(r.stdout).toContain('1,072 of 1,072 checked updates');
    expect(r.stdout).toMatch(/0 gap\(s\), 0 crossed book\(s\), 0 resync request\(s\)/);
  });

  it('--kraken --json prints {pairs, updates, checksums, checksumMatches}; the summary says it too', () => {
    const json = runCli(['book', 'replay', '--kraken', KRAKEN, '--json']);
    expect(json.code, json.stderr).toBe(0);
    const out = JSON.parse(json.stdout) as Record<string, number>;
    expect(Object.keys(out)).toEqual(['pairs', 'updates', 'checksums', 'checksumMatches']);
    expect(out).toEqual({ pairs: 10, updates: 4272, checksums: 4269, checksumMatches: 4269 });
    const text = runCli(['book', 'replay', '--kraken', KRAKEN]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('4,269 of 4,269 CRC32 checksums match');
  });

  it('a missing file: exit 1, the file named on stderr, nothing on stdout', () => {
    const r = runCli(['book', 'replay', '--snapshot', 'data/l2/no-such-snapshot.csv', '--diffs', DIFFS, '--json']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('--snapshot: no such file: data/l2/no-such-snapshot.csv');
  });

  it('a file of the wrong kind or a bad row: exit 1 with file and line', () => {
    const wrong = runCli(['book', 'replay', '--snapshot', DIFFS, '--diffs', DIFFS]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain(`${DIFFS}:1: unexpected header`);
    const dir = mkdtempSync(join(tmpdir(), 'traider-book-'));
    const bad = join(dir, 'diffs.csv');
    writeFileSync(bad, 'local_ts_ns,event_time_ms,first_update_id,last_update_id,side,price,qty\n1723161253937085768,1,2,3,bid,abc,1\n');
    const row = runCli(['book', 'replay', '--snapshot', SNAPSHOT, '--diffs', bad]);
    expect(row.code).toBe(1);
    expect(row.stderr).toContain(`${bad}:2: price is not a finite positive number (price=abc)`);
    const kraken = runCli(['book', 'replay', '--kraken', SNAPSHOT]);
    expect(kraken.code).toBe(1);
    expect(kraken.stderr).toContain(`${SNAPSHOT}:1:`);
  });

  it('wrong flags: usage error (exit 2)', () => {
    const none = runCli(['book', 'replay']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('give --snapshot FILE and --diffs FILE');
    const both = runCli(['book', 'replay', '--kraken', KRAKEN, '--snapshot', SNAPSHOT]);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--kraken');
  });
});
