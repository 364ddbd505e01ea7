// Regenerates the indicator test vectors in test/fixtures/indicators/*.json from the first ROWS
// bars of data/BTCUSDT-1m-2021-02-19_2021-02-25.csv, using the slow reference implementations in
// test/signals/reference.ts. Run: npx tsx scripts/generate-indicator-vectors.ts
// Outputs are null where the indicator is not defined yet (NaN in the streaming classes).
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { BTC_FILE, readBtc } from '../test/signals/ohlcv.ts';
import { refAtr, refBollinger, refEma, refMacd, refRsi, refSma } from '../test/signals/reference.ts';

const ROWS = 300;

type Series = Record<string, number[]>;
interface Case {
  params: Record<string, number>;
  expected: Series;
}
interface Vectors {
  indicator: string;
  definition: string;
  source: string;
  rows: number;
  generatedBy: string;
  input: Series;
  cases: Case[];
}

/** JSON with 2-space indent, but each number array on one line; NaN becomes null. */
function format(value: unknown, indent = ''): string {
  if (Array.isArray(value) && value.every((x) => typeof x === 'number')) {
    return `[${value.map((x: number) => (Number.isFinite(x) ? JSON.stringify(x) : 'null')).join(', ')}]`;
  }
  if (Array.isArray(value)) {
    const inner = `${indent}  `;
    return `[\n${value.map((v) => `${inner}${format(v, inner)}`).join(',\n')}\n${indent}]`;
  }
  if (value !== null && typeof value === 'object') {
    const inner = `${indent}  `;
    const entries = Object.entries(value).map(([k, v]) => `${inner}${JSON.stringify(k)}: ${format(v, inner)}`);
    return `{\n${entries.join(',\n')}\n${indent}}`;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) return 'null';
  return JSON.stringify(value);
}

function main(): void {
  const bars = readBtc(ROWS);
  if (bars.close.length !== ROWS) throw new Error(`expected ${ROWS} rows, got ${bars.close.length}`);
  const { high, low, close } = bars;
  const common = { source: BTC_FILE, rows: ROWS, generatedBy: 'scripts/generate-indicator-vectors.ts' };

  const all: Vectors[] = [
    {
      indicator: 'sma',
      definition: 'mean of the last period closes',
      ...common,
      input: { close },
      cases: [5, 20].map((period) => ({ params: { period }, expected: { value: refSma(close, period) } })),
    },
    {
      indicator: 'ema',
      definition: 'alpha = 2/(period+1), seeded by the SMA of the first period closes',
      ...common,
      input: { close },
      cases: [9, 20].map((period) => ({ params: { period }, expected: { value: refEma(close, period) } })),
    },
    {
      indicator: 'rsi',
      definition: 'Wilder RSI; averages seeded by the mean of the first period changes; avgLoss 0 -> 100, both 0 -> 50',
      ...common,
      input: { close },
      cases: [14, 6].map((period) => ({ params: { period }, expected: { value: refRsi(close, period) } })),
    },
    {
      indicator: 'macd',
      definition:
        'macd = EMA(fast) - EMA(slow), signal = EMA(signal) of macd, histogram = macd - signal; all EMAs SMA-seeded; reported from slow + signal - 1 bars',
      ...common,
      input: { close },
      cases: [
        { fastPeriod: 12, slowPeriod: 26, signalPeriod: 9 },
        { fastPeriod: 5, slowPeriod: 13, signalPeriod: 4 },
      ].map((params) => ({
        params,
        expected: { ...refMacd(close, params.fastPeriod, params.slowPeriod, params.signalPeriod) },
      })),
    },
    {
      indicator: 'bollinger',
      definition: 'middle = SMA(period), upper/lower = middle +/- k * population standard deviation (divide by period)',
      ...common,
      input: { close },
      cases: [
        { period: 20, k: 2 },
        { period: 10, k: 1.5 },
      ].map((params) => ({ params, expected: { ...refBollinger(close, params.period, params.k) } })),
    },
    {
      indicator: 'atr',
      definition:
        'true range (first bar: high - low), Wilder smoothing seeded by the mean of the first period true ranges',
      ...common,
      input: { high, low, close },
      cases: [14, 5].map((period) => ({ params: { period }, expected: { value: refAtr(high, low, close, period) } })),
    },
  ];

  const dir = fileURLToPath(new URL('../test/fixtures/indicators/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  for (const v of all) {
    writeFileSync(`${dir}${v.indicator}.json`, `${format(v)}\n`);
    process.stderr.write(`wrote test/fixtures/indicators/${v.indicator}.json\n`);
  }
}

main();
