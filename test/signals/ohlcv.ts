// Reads the shipped BTCUSDT 1m fixture (data/BTCUSDT-1m-2021-02-19_2021-02-25.csv) into columns.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const BTC_FILE = 'data/BTCUSDT-1m-2021-02-19_2021-02-25.csv';

export interface Ohlcv {
  timestamp: number[];
  open: number[];
  high: number[];
  low: number[];
  close: number[];
  volume: number[];
}

/** All rows of the BTC fixture, or the first `rows` of them. */
export function readBtc(rows = Infinity): Ohlcv {
  const path = fileURLToPath(new URL(`../../${BTC_FILE}`, import.meta.url));
  const lines = readFileSync(path, 'utf8').trim().split('\n');
  const header = lines[0]?.trim();
  if (header !== 'timestamp,open,high,low,close,volume') throw new Error(`unexpected header in ${BTC_FILE}: ${header}`);
  const out: Ohlcv = { timestamp: [], open: [], high: [], low: [], close: [], volume: [] };
  for (const line of lines.slice(1, rows === Infinity ? undefined : rows + 1)) {
    const fields = line.trim().split(',').map(Number);
    if (fields.length !== 6) throw new Error(`expected 6 fields in ${BTC_FILE}, got: ${line}`);
    const [ts, o, h, l, c, v] = fields as [number, number, number, number, number, number];
    out.timestamp.push(ts);
    out.open.push(o);
    out.high.push(h);
    out.low.push(l);
    out.close.push(c);
    out.volume.push(v);
  }
  return out;
}
