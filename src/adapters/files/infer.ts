// What a data file is, from its name (symbol, market, interval) or, for the interval, from its timestamps.
import { Market, TIMEFRAME_MS, timeframeOfMs } from '../../core/index.ts';

/** Quote assets recognised at the end of a crypto pair name such as `BTCUSDT`; the longest match wins. */
export const CRYPTO_QUOTES: readonly string[] = ['USDT', 'USDC', 'BUSD', 'FDUSD', 'BTC', 'ETH', 'BNB', 'USD', 'EUR'];

const QUOTES_LONGEST_FIRST = [...CRYPTO_QUOTES].sort((a, b) => b.length - a.length);

export interface SymbolInference {
  /** Symbol in the platform's spelling (`BTC/USDT`, `600519.SH`, `SPY`); undefined if the name gives none. */
  readonly symbol: string | undefined;
  /** Market, when the name pins it down (crypto pair with a known quote, A-share code); else undefined. */
  readonly market: Market | undefined;
}

/** File name without directories and without the `.gz` / `.csv` extensions. */
export function baseNameOf(fileName: string): string {
  const slash = Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\'));
  let name = fileName.slice(slash + 1);
  if (/\.gz$/i.test(name)) name = name.slice(0, -3);
  if (/\.csv$/i.test(name)) name = name.slice(0, -4);
  return name;
}

/** The leading part of a file name that names the instrument: everything before the first `-`. */
function symbolTokenOf(fileName: string): string {
  const name = baseNameOf(fileName);
  const dash = name.indexOf('-');
  return dash === -1 ? name : name.slice(0, dash);
}

/**
 * Symbol and market from a file name such as `BTCUSDT-1h-2017-08-17_2024-04-21.csv.gz` (crypto `BTC/USDT`),
 * `600519.SH-1d-....csv` (A-share `600519.SH`) or `SPY-1d-....csv` (symbol `SPY`, market unknown).
 * Also accepted: `BTC_USDT-...` (freqtrade style) and `sh600519-...` (exchange prefix).
 */
export function inferSymbolAndMarket(fileName: string): SymbolInference {
  const token = symbolTokenOf(fileName);
  if (token === '') return { symbol: undefined, market: undefined };

  const code = /^(\d{6})\.(SH|SZ)$/i.exec(token);
  if (code) return { symbol: `${code[1]}.${code[2]!.toUpperCase()}`, market: Market.AShare };
  const prefixed = /^(SH|SZ)(\d{6})$/i.exec(token);
  if (prefixed) return { symbol: `${prefixed[2]}.${prefixed[1]!.toUpperCase()}`, market: Market.AShare };

  const pair = /^([A-Za-z0-9]+)[_/]([A-Za-z0-9]+)$/.exec(token);
  if (pair) {
    const base = pair[1]!.toUpperCase();
    const quote = pair[2]!.toUpperCase();
    if (CRYPTO_QUOTES.includes(quote)) return { symbol: `${base}/${quote}`, market: Market.Crypto };
    return { symbol: undefined, market: undefined };
  }

  if (/^[A-Za-z0-9]+$/.test(token)) {
    const upper = token.toUpperCase();
    for (const quote of QUOTES_LONGEST_FIRST) {
      if (upper.length > quote.length && upper.endsWith(quote)) {
        return { symbol: `${upper.slice(0, -quote.length)}/${quote}`, market: Market.Crypto };
      }
    }
    return { symbol: upper, market: undefined };
  }
  if (/^[A-Za-z0-9.^]+$/.test(token)) return { symbol: token.toUpperCase(), market: undefined };
  return { symbol: undefined, market: undefined };
}

/** Timeframe name written in a file name (`BTCUSDT-1h-...` -> `1h`), if any. */
export function timeframeFromFileName(fileName: string): string | undefined {
  const parts = baseNameOf(fileName).split(/[-_]/);
  for (let i = 1; i < parts.length; i++) {
    const part = parts[i]!;
    if (Object.hasOwn(TIMEFRAME_MS, part)) return part;
  }
  return undefined;
}

/**
 * The most common positive difference between consecutive timestamps (ties: the smaller one), or
 * undefined with fewer than two timestamps. Daily A-share data gives 1 day (weekends are the exception).
 */
export function mostCommonGap(openTime: ArrayLike<number>, length = openTime.length): number | undefined {
  const counts = new Map<number, number>();
  let last = NaN;
  let lastCount = 0;
  // Runs of equal gaps are the norm; count a run once per change to keep the map traffic low.
  for (let i = 1; i < length; i++) {
    const gap = openTime[i]! - openTime[i - 1]!;
    if (!(gap > 0)) continue;
    if (gap === last) {
      lastCount++;
      continue;
    }
    if (lastCount > 0) counts.set(last, (counts.get(last) ?? 0) + lastCount);
    last = gap;
    lastCount = 1;
  }
  if (lastCount > 0) counts.set(last, (counts.get(last) ?? 0) + lastCount);
  let best: number | undefined;
  let bestCount = 0;
  for (const [gap, count] of counts) {
    if (count > bestCount || (count === bestCount && best !== undefined && gap < best)) {
      best = gap;
      bestCount = count;
    }
  }
  return best;
}

/** A timeframe name from the most common gap, if that gap is a known timeframe. */
export function timeframeFromGaps(openTime: ArrayLike<number>, length = openTime.length): string | undefined {
  const gap = mostCommonGap(openTime, length);
  return gap === undefined ? undefined : timeframeOfMs(gap);
}
