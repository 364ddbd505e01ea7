// Shared helpers for the data-loader tests: fixture paths, temporary files, row mutation.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIXTURES = fileURLToPath(new URL('../fixtures/data/', import.meta.url));
export const SHARED_DATA = fileURLToPath(new URL('../../../shared/data/', import.meta.url));

export const BTC_1M = join(FIXTURES, 'BTCUSDT-1m-2024-01-01_2024-01-01.csv');
export const BTC_1M_GZ = join(FIXTURES, 'BTCUSDT-1m-2024-01-01_2024-01-01.csv.gz');
export const ETH_5M = join(FIXTURES, 'ETHUSDT-5m-2024-01-01_2024-01-01.csv');
export const MOUTAI_1D = join(FIXTURES, '600519.SH-1d-2024-01-02_2024-01-19.csv');
export const SSE_1M = join(FIXTURES, '000001.SH-1m-2024-01-04_2024-01-05.csv');

/** A temporary directory for one test file; call `cleanup` in afterAll. */
export function tempDir(): { dir: string; write: (name: string, content: string | Uint8Array) => string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'traider-data-'));
  return {
    dir,
    write: (name, content) => {
      const path = join(dir, name);
      writeFileSync(path, content);
      return path;
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Lines of a fixture file (without the final empty string). */
export function fixtureLines(path: string): string[] {
  const lines = readFileSync(path, 'utf8').split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/**
 * The text of `path` with data row `dataLine` (1 = first row after the header, i.e. file line 2) changed:
 * `edit` gets the row's fields and returns the new ones.
 */
export function withRow(path: string, dataLine: number, edit: (fields: string[]) => string[]): string {
  const lines = fixtureLines(path);
  lines[dataLine] = edit(lines[dataLine]!.split(',')).join(',');
  return lines.join('\n') + '\n';
}

/** Replace field `index` (0 = timestamp ... 5 = volume) of a row. */
export function setField(index: number, value: string): (fields: string[]) => string[] {
  return (fields) => fields.map((f, k) => (k === index ? value : f));
}
