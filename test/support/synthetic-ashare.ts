// Synthetic A-share daily bars as CSV text, with ex-rights days planted where a test wants them.
// The file format is the loader's (timestamp,open,high,low,close,volume,pre_close; daily bars at 00:00 UTC).
import { mulberry32 } from './random.ts';

/** A corporate action on a trading day: a cash dividend per share, or a bonus issue of `shares` per share held. */
export type PlantedAction = { readonly day: number; readonly dividend: number } | { readonly day: number; readonly bonus: number };

export interface SyntheticAShareOptions {
  readonly days: number;
  readonly seed: number;
  readonly start?: number;
  readonly firstClose?: number;
  /** Largest daily move as a fraction (default 0.03, well inside a 10% limit). */
  readonly maxMove?: number;
  readonly actions?: readonly PlantedAction[];
}

export interface SyntheticAShare {
  readonly csv: string;
  /** Parsed rows: [timestamp, open, high, low, close, volume, preClose]. */
  readonly rows: number[][];
}

/** A year of a 30-yuan stock with four ex-rights days (two cash dividends, two bonus issues): the golden backtest's and the daily-limit agreement's data. */
export const EX_RIGHTS_YEAR: SyntheticAShareOptions = {
  days: 250,
  seed: 600519,
  maxMove: 0.04,
  firstClose: 30,
  actions: [
    { day: 40, dividend: 0.8 },
    { day: 95, bonus: 0.5 },
    { day: 150, dividend: 0.45 },
    { day: 205, bonus: 1 },
  ],
};

const cents = (x: number): number => Math.round(x * 100) / 100;

/** Weekdays from `start` (a Monday 00:00 UTC by default), one bar each. */
export function syntheticAShare(options: SyntheticAShareOptions): SyntheticAShare {
  const random = mulberry32(options.seed);
  const maxMove = options.maxMove ?? 0.03;
  const actions = new Map((options.actions ?? []).map((a) => [a.day, a]));
  const rows: number[][] = [];
  let time = options.start ?? Date.UTC(2020, 0, 6);
  let previousClose = options.firstClose ?? 20;
  for (let day = 0; day < options.days; day++) {
    while ([0, 6].includes(new Date(time).getUTCDay())) time += 86_400_000;
    const action = actions.get(day);
    let preClose = previousClose;
    if (action !== undefined && 'dividend' in action) preClose = cents(previousClose - action.dividend);
    if (action !== undefined && 'bonus' in action) preClose = cents(previousClose / (1 + action.bonus));
    const open = cents(preClose * (1 + (random() - 0.5) * maxMove));
    const close = cents(preClose * (1 + (random() * 2 - 1) * maxMove));
    const high = cents(Math.max(open, close) * (1 + random() * maxMove * 0.3));
    const low = cents(Math.min(open, close) * (1 - random() * maxMove * 0.3));
    const volume = Math.round(1_000_000 + random() * 2_000_000);
    rows.push([time, open, high, low, close, volume, preClose]);
    previousClose = close;
    time += 86_400_000;
  }
  const csv = ['timestamp,open,high,low,close,volume,pre_close', ...rows.map((r) => r.join(','))].join('\n') + '\n';
  return { csv, rows };
}
