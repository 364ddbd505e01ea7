// The golden backtests: ten fixed configurations, each a `traider backtest` command line over fixed inputs.
// Inputs are the bundled files in data/ (used as they are, or a fixed slice of them) and synthetic series
// written from seeded generators: no wall clock, no network, the same bytes on every run and every machine.
// Each input's SHA-256 is part of the fixture, so a change of the inputs shows as such, not as a result change.
//
// Only the CLI's documented surface is used (flags, --json, --out's fills.csv and run.json), so the goldens
// survive any rearrangement of src/ that keeps results the same.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { mulberry32 } from '../support/random.ts';
import { EX_RIGHTS_YEAR, syntheticAShare } from '../support/synthetic-ashare.ts';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Bundled files, relative to the repository root (the CLI runs there). */
export const BUNDLED = {
  btc1h: 'data/BTCUSDT-1h-2017-08-17_2024-04-21.csv.gz',
  btc1m: 'data/BTCUSDT-1m-2021-02-19_2021-02-25.csv',
  index1d: 'data/000001.SH-1d-2006-11-06_2020-07-16.csv',
  index1m: 'data/000001.SH-1m-2015-01-05_2015-02-28.csv',
} as const;

/** Paths of every input a configuration may use: bundled files as they are, and files written by prepareInputs. */
export interface GoldenInputs {
  readonly btc1m: string;
  readonly index1d: string;
  readonly index1m: string;
  /** 3,000 hourly BTC/USDT bars from 2023-01-01 00:00 UTC, the bundled file's lines as they are. */
  readonly btc1hSlice: string;
  /** ETH/USDT hourly bars on the same times: the BTC slice times a seeded random walk (synthetic). */
  readonly eth1hSynthetic: string;
  /** 600519.SH daily bars from test/support/synthetic-ashare.ts, with four ex-rights days (dividends, bonus issues). */
  readonly ashareSyntheticExRights: string;
}

export interface GoldenConfiguration {
  /** Also the fixture's file name: test/golden/fixtures/<name>.json. */
  readonly name: string;
  /** What the configuration is there to cover. */
  readonly covers: string;
  /** The `traider backtest` arguments (without --json, --out, --no-progress, which the runner adds). */
  readonly args: (inputs: GoldenInputs) => string[];
}

const BTC_SLICE_START = Date.UTC(2023, 0, 1);
const BTC_SLICE_BARS = 3000;
const ETH_SEED = 20230101;

const SMA_1H = JSON.stringify({ fast: 10, slow: 30, fraction: 0.95 });

/** fill-realistic and fill-next-open: one run, only the fill model differs. */
const fillModelPair = (i: GoldenInputs, model: 'realistic' | 'next-open'): string[] => [
  '--data', i.btc1m, '--timeframe', '5m', '--strategy', 'bollinger-reversion', '--params', JSON.stringify({ period: 14, k: 1.8, fraction: 0.25 }),
  '--capital', '50000', '--fill-model', model, '--fee-bps', '7.5',
];

export const CONFIGURATIONS: readonly GoldenConfiguration[] = [
  {
    name: 'crypto-1h-sma',
    covers: 'crypto 1h (slice of the bundled BTC/USDT file), sma-cross, realistic fills, default risk mode (BACKTEST), explicit fee',
    args: (i) => ['--data', i.btc1hSlice, '--strategy', 'sma-cross', '--params', SMA_1H, '--capital', '10000', '--fill-model', 'realistic', '--fee-bps', '10'],
  },
  {
    name: 'crypto-1m-bollinger-next-open',
    covers: 'crypto 1m (the whole bundled BTC/USDT 1m week), bollinger-reversion, next-open fills',
    args: (i) => [
      '--data', i.btc1m, '--strategy', 'bollinger-reversion', '--params', JSON.stringify({ period: 30, k: 2.5, fraction: 0.9 }),
      '--capital', '10000', '--fill-model', 'next-open', '--fee-bps', '5',
    ],
  },
  {
    name: 'crypto-two-symbols',
    covers: 'two crypto symbols in one account (BTC/USDT slice + synthetic ETH/USDT), merged replay, sma-cross, realistic fills',
    args: (i) => [
      '--data', `${i.btc1hSlice},${i.eth1hSynthetic}`, '--strategy', 'sma-cross', '--params', JSON.stringify({ fast: 12, slow: 48, fraction: 0.9 }),
      '--capital', '20000', '--fill-model', 'realistic', '--fee-bps', '10',
    ],
  },
  {
    name: 'ashare-daily-index',
    covers: 'A-share daily (the whole bundled SSE Composite 000001.SH file, 2006-2020), A-share fees and taxes, T+1, lot 100, sma-cross, realistic fills',
    args: (i) => [
      '--data', i.index1d, '--strategy', 'sma-cross', '--params', JSON.stringify({ fast: 5, slow: 20, fraction: 0.95 }),
      '--capital', '2000000', '--fill-model', 'realistic',
    ],
  },
  {
    name: 'ashare-1m-index',
    covers: 'A-share 1m (the bundled 000001.SH minute bars, Jan-Feb 2015), sessions, lunch break and T+1 intraday, bollinger-reversion, next-open fills',
    args: (i) => [
      '--data', i.index1m, '--strategy', 'bollinger-reversion', '--params', JSON.stringify({ period: 60, k: 2.5, fraction: 0.95 }),
      '--capital', '2000000', '--fill-model', 'next-open',
    ],
  },
  {
    name: 'ashare-synthetic-exrights',
    covers: 'A-share daily synthetic 600519.SH with ex-rights days (2 cash dividends, 2 bonus issues), point-in-time adjusted signals on raw trading prices, sma-cross, realistic fills',
    args: (i) => [
      '--data', i.ashareSyntheticExRights, '--strategy', 'sma-cross', '--params', JSON.stringify({ fast: 3, slow: 10, fraction: 0.95 }),
      '--capital', '100000', '--fill-model', 'realistic', '--adjust', 'pit',
    ],
  },
  {
    name: 'risk-mode-paper',
    covers: '--risk-mode PAPER (mode sizing and exposure limits, paper breaker profile) on the crypto-1h-sma run',
    args: (i) => [
      '--data', i.btc1hSlice, '--strategy', 'sma-cross', '--params', SMA_1H, '--capital', '10000', '--fill-model', 'realistic', '--fee-bps', '10',
      '--risk-mode', 'PAPER',
    ],
  },
  {
    name: 'risk-mode-live-minimal',
    covers: '--risk-mode LIVE_MINIMAL (0.1% risk per trade, 2% exposure, live breaker profile) on the crypto-1h-sma run',
    args: (i) => [
      '--data', i.btc1hSlice, '--strategy', 'sma-cross', '--params', SMA_1H, '--capital', '10000', '--fill-model', 'realistic', '--fee-bps', '10',
      '--risk-mode', 'LIVE_MINIMAL',
    ],
  },
  {
    name: 'fill-realistic',
    covers: 'fill model realistic (spread, impact, participation cap) on BTC/USDT 1m aggregated to 5m (--timeframe), bollinger-reversion; pair of fill-next-open',
    args: (i) => fillModelPair(i, 'realistic'),
  },
  {
    name: 'fill-next-open',
    covers: 'fill model next-open on exactly the fill-realistic run',
    args: (i) => fillModelPair(i, 'next-open'),
  },
];

const day = (t: number): string => new Date(t).toISOString().slice(0, 10);

/** Writes the derived inputs into `dir` (a fresh temporary folder); the same bytes every time. */
export function prepareInputs(dir: string): GoldenInputs {
  // BTC/USDT 1h: a fixed window of the bundled file, its lines copied byte for byte.
  const lines = gunzipSync(readFileSync(join(ROOT, BUNDLED.btc1h))).toString('utf8').split('\n');
  const header = lines[0]!.trim();
  const first = lines.findIndex((line, k) => k > 0 && Number(line.split(',')[0]) >= BTC_SLICE_START);
  const slice = lines.slice(first, first + BTC_SLICE_BARS).map((line) => line.trim());
  if (first < 1 || slice.length !== BTC_SLICE_BARS) throw new Error(`golden inputs: cannot take ${BTC_SLICE_BARS} bars from ${BUNDLED.btc1h}`);
  const rows = slice.map((line) => line.split(',').map(Number));
  const period = `${day(rows[0]![0]!)}_${day(rows[rows.length - 1]![0]!)}`;
  const btc1hSlice = join(dir, `BTCUSDT-1h-${period}.csv`);
  writeFileSync(btc1hSlice, `${[header, ...slice].join('\n')}\n`);

  // ETH/USDT 1h: each BTC bar times one factor that follows a seeded multiplicative random walk (only + - * /,
  // so exact on every machine). One factor per bar keeps high >= open, close >= low after rounding to the tick.
  const random = mulberry32(ETH_SEED);
  let factor = 0.07;
  const cents = (x: number): number => Math.round(x * 100) / 100;
  const eth = rows.map(([t, o, h, l, c, v]) => {
    factor *= 1 + (random() - 0.5) * 0.006;
    const volume = Math.round(v! * 14 * (0.5 + random()) * 10_000) / 10_000;
    return [t, cents(o! * factor), cents(h! * factor), cents(l! * factor), cents(c! * factor), volume].join(',');
  });
  const eth1hSynthetic = join(dir, `ETHUSDT-1h-${period}.csv`);
  writeFileSync(eth1hSynthetic, `${[header, ...eth].join('\n')}\n`);

  // A-share daily with ex-rights days: the shared synthetic generator (pre_close column carries the actions).
  const ashare = syntheticAShare(EX_RIGHTS_YEAR);
  const ashareSyntheticExRights = join(dir, '600519.SH-1d-synthetic-exrights.csv');
  writeFileSync(ashareSyntheticExRights, ashare.csv);

  return { btc1m: BUNDLED.btc1m, index1d: BUNDLED.index1d, index1m: BUNDLED.index1m, btc1hSlice, eth1hSynthetic, ashareSyntheticExRights };
}
