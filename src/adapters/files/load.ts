// The OHLCV loader: file (.csv or .csv.gz) -> validated, optionally aggregated BarSeries of raw prices.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { gunzip, gunzipSync } from 'node:zlib';
import { barCloseTime, type BarSeries, barSeriesOf, Market, MS_PER_DAY, TIMEFRAME_MS } from '../../core/index.ts';
import {
  ADJUST_BACKWARD_REFUSAL,
  ADJUST_MODES,
  type AdjustMode,
  aggregateSeries,
  bucketCloseOf,
  computeAShareAdjustment,
  DataError,
  DataOptionError,
  formatDuration,
  targetTimeframeMs,
} from '../../engines/index.ts';
import { RowProblems, parseOhlcvCsv } from './csv.ts';
import type { BadRowMode, ParsedCsv } from './csv.ts';
import { inferSymbolAndMarket, timeframeFromFileName, timeframeFromGaps, mostCommonGap } from './infer.ts';

const gunzipAsync = promisify(gunzip);

export interface LoadOptions {
  /** Symbol; overrides the one inferred from the file name. */
  readonly symbol?: string;
  /** Market; overrides the one inferred from the file name. */
  readonly market?: Market;
  /** The data's own bar interval ('1m', '1h', '1d', ...); default: from the file name, else from the timestamps. */
  readonly interval?: string;
  /** Aggregate to this timeframe (a multiple of the data's interval); default: keep the data's. */
  readonly timeframe?: string;
  /**
   * A-shares only: what strategies see. 'pit' (default) point-in-time adjusted prices, 'none' raw prices.
   * The series always holds raw prices; its factors say how to adjust them.
   */
  readonly adjust?: AdjustMode;
  /** 'error' (default) throws the first bad row as a DataError; 'skip' drops bad rows and counts them. */
  readonly onBadRow?: BadRowMode;
  /** How many skipped-row problems to keep in the result (default 20). */
  readonly maxProblems?: number;
}

export interface LoadResult {
  readonly series: BarSeries;
  /** The first `maxProblems` skipped rows (skip mode); the full count is `series.source.skipped`. */
  readonly problems: readonly DataError[];
  /** The file's own interval (before aggregation) and where it came from. */
  readonly dataTimeframe: string;
  readonly dataIntervalMs: number;
  readonly intervalFrom: 'option' | 'file name' | 'timestamps';
  /** A-shares: trading dates whose pre_close differs from the previous raw close (empty otherwise). */
  readonly exRightsDates: readonly string[];
}

const KNOWN_MARKETS: readonly string[] = Object.values(Market);

/** A data file that is not there (or is a directory): said before anything is inferred from its name. */
export class DataFileNotFoundError extends Error {
  override readonly name = 'DataFileNotFoundError';

  constructor(readonly file: string, readonly reason: 'no such file' | 'is a directory' = 'no such file') {
    super(reason === 'no such file' ? `no such file: ${file}` : `${file} is a directory, not a data file`);
  }
}

/** The file must exist before its name says anything: a misspelt name is "no such file", not "cannot infer the market". */
function checkExists(file: string): void {
  if (!existsSync(file)) throw new DataFileNotFoundError(file);
  if (statSync(file).isDirectory()) throw new DataFileNotFoundError(file, 'is a directory');
}

/** Symbol and market for a file: options first, then the file name; throws naming the flag to give. */
export function resolveSymbolAndMarket(file: string, options: Pick<LoadOptions, 'symbol' | 'market'>): { symbol: string; market: Market } {
  if (options.market !== undefined && !KNOWN_MARKETS.includes(options.market)) {
    throw new DataOptionError(`unknown market "${options.market}" (known: ${KNOWN_MARKETS.join(', ')})`);
  }
  const inferred = inferSymbolAndMarket(file);
  const symbol = options.symbol ?? inferred.symbol;
  const market = options.market ?? inferred.market;
  if (symbol === undefined && market === undefined) {
    throw new DataOptionError(`cannot infer the symbol or the market from the file name ${file}: give --symbol and --market (${KNOWN_MARKETS.join(' | ')})`);
  }
  if (symbol === undefined) throw new DataOptionError(`cannot infer the symbol from the file name ${file}: give --symbol`);
  if (market === undefined) {
    throw new DataOptionError(`cannot infer the market of ${symbol} from the file name ${file}: give --market (${KNOWN_MARKETS.join(' | ')})`);
  }
  return { symbol, market };
}

function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

function decompressError(file: string, error: unknown): Error {
  return new Error(`${file}: cannot decompress gzip data: ${(error as Error).message}`);
}

/** Load an OHLCV CSV (.csv or .csv.gz). The file is read and decompressed asynchronously; parsing is synchronous. */
export async function loadBarSeries(file: string, options: LoadOptions = {}): Promise<LoadResult> {
  checkExists(file);
  checkOptions(file, options);
  const bytes = await readFile(file);
  let text: Buffer = bytes;
  if (isGzip(bytes)) {
    try {
      text = await gunzipAsync(bytes);
    } catch (error) {
      throw decompressError(file, error);
    }
  }
  return buildSeries(file, bytes, text, options);
}

/** Synchronous variant of loadBarSeries. */
export function loadBarSeriesSync(file: string, options: LoadOptions = {}): LoadResult {
  checkExists(file);
  checkOptions(file, options);
  return parseBarSeries(file, readFileSync(file), options);
}

/** Parse file bytes already in memory (`file` names it in messages and drives the inference). */
export function parseBarSeries(file: string, bytes: Uint8Array, options: LoadOptions = {}): LoadResult {
  checkOptions(file, options);
  let text: Uint8Array = bytes;
  if (isGzip(bytes)) {
    try {
      text = gunzipSync(bytes);
    } catch (error) {
      throw decompressError(file, error);
    }
  }
  return buildSeries(file, bytes, text, options);
}

/** Option checks that need no data (done before reading the file). */
function checkOptions(file: string, options: LoadOptions): void {
  resolveSymbolAndMarket(file, options);
  const known = Object.keys(TIMEFRAME_MS).join(', ');
  if (options.interval !== undefined && !Object.hasOwn(TIMEFRAME_MS, options.interval)) {
    throw new DataOptionError(`unknown interval "${options.interval}" (known: ${known})`);
  }
  if (options.timeframe !== undefined && !Object.hasOwn(TIMEFRAME_MS, options.timeframe)) {
    throw new DataOptionError(`unknown timeframe "${options.timeframe}" (known: ${known})`);
  }
  const adjust: string = options.adjust ?? 'pit';
  if (adjust === 'backward') throw new DataOptionError(`adjust mode "backward": ${ADJUST_BACKWARD_REFUSAL}`);
  if (!ADJUST_MODES.includes(adjust as AdjustMode)) throw new DataOptionError(`unknown adjust mode "${adjust}" (known: ${ADJUST_MODES.join(', ')})`);
  const onBadRow = options.onBadRow ?? 'error';
  if (onBadRow !== 'error' && onBadRow !== 'skip') throw new DataOptionError(`unknown bad-row mode "${onBadRow as string}" (known: error, skip)`);
}

function buildSeries(file: string, bytes: Uint8Array, textBytes: Uint8Array, options: LoadOptions): LoadResult {
  const { symbol, market } = resolveSymbolAndMarket(file, options);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const problems = new RowProblems(options.onBadRow ?? 'error', options.maxProblems ?? 20);
  const adjust = options.adjust ?? 'pit';

  let parsed = parseOhlcvCsv(textBytes, file, problems);
  if (parsed.length === 0) {
    throw new DataError(file, 2, 'no data rows', parsed.rows === 0 ? 'header only' : `all ${parsed.rows} rows skipped`);
  }

  // The data's own interval.
  let dataTimeframe: string | undefined;
  let intervalFrom: LoadResult['intervalFrom'];
  if (options.interval !== undefined) {
    dataTimeframe = options.interval;
    intervalFrom = 'option';
  } else if ((dataTimeframe = timeframeFromFileName(file)) !== undefined) {
    intervalFrom = 'file name';
  } else {
    dataTimeframe = timeframeFromGaps(parsed.openTime, parsed.length);
    intervalFrom = 'timestamps';
    if (dataTimeframe === undefined) {
      const gap = mostCommonGap(parsed.openTime, parsed.length);
      throw new DataOptionError(
        gap === undefined
          ? `cannot infer the bar interval of ${file} from a single bar: put it in the file name (e.g. -1m-) or give --interval`
          : `cannot infer the bar interval of ${file}: the most common gap ${formatDuration(gap)} is not a known timeframe; give --interval`,
      );
    }
  }
  const intervalMs = TIMEFRAME_MS[dataTimeframe]!;
  const targetMs = options.timeframe === undefined ? intervalMs : targetTimeframeMs(options.timeframe, intervalMs);

  parsed = checkCalendar(parsed, file, market, intervalMs, targetMs, problems);
  if (parsed.length === 0) {
    throw new DataError(file, 2, 'no data rows', `all ${parsed.rows} rows skipped`);
  }

  const n = parsed.length;
  const trim = (a: Float64Array): Float64Array => (a.length === n ? a : a.slice(0, n));
  const openTime = trim(parsed.openTime);
  const open = trim(parsed.open);
  const high = trim(parsed.high);
  const low = trim(parsed.low);
  const close = trim(parsed.close);
  const volume = trim(parsed.volume);
  let ashare: Pick<BarSeries, 'preClose' | 'adjustmentFactor' | 'adjust'> | undefined;
  let exRightsDates: string[] = [];
  if (market === Market.AShare) {
    const adj = computeAShareAdjustment(openTime, close, parsed.preClose, n);
    ashare = { preClose: adj.preClose, adjustmentFactor: adj.factor, adjust };
    exRightsDates = adj.exRightsDates;
  }

  let series = barSeriesOf({
    symbol,
    market,
    timeframe: dataTimeframe,
    intervalMs,
    openTime,
    open,
    high,
    low,
    close,
    volume,
    ...ashare,
    source: { file, sha256, rows: parsed.rows, skipped: problems.skipped },
  });
  if (options.timeframe !== undefined && targetMs !== intervalMs) series = aggregateSeries(series, options.timeframe);

  return {
    series,
    problems: problems.list,
    dataTimeframe,
    dataIntervalMs: intervalMs,
    intervalFrom,
    exRightsDates,
  };
}

/**
 * File-level checks once the interval is known, each tied to a row (same skip/error handling as row rules):
 * bars at least one interval apart (overlapping bars would be visible before their close), A-share daily
 * timestamps at 00:00 UTC (date labels), and, when aggregating, no bar ending after its bucket closes.
 */
function checkCalendar(
  parsed: ParsedCsv,
  file: string,
  market: Market,
  intervalMs: number,
  targetMs: number,
  problems: RowProblems,
): ParsedCsv {
  const n = parsed.length;
  const { openTime, line } = parsed;
  const aggregating = targetMs !== intervalMs;
  const dailyLabels = market === Market.AShare && intervalMs >= MS_PER_DAY;
  let keep: Uint8Array | undefined;
  let previous = Number.NaN;
  const drop = (i: number, error: DataError): void => {
    problems.report(error);
    keep ??= new Uint8Array(n).fill(1);
    keep[i] = 0;
  };
  for (let i = 0; i < n; i++) {
    const t = openTime[i]!;
    if (t - previous < intervalMs) {
      drop(i, new DataError(file, line[i]!, `timestamp less than one interval (${formatDuration(intervalMs)}) after the previous bar`, `timestamp=${t} after ${previous}`));
      continue;
    }
    if (dailyLabels && t % MS_PER_DAY !== 0) {
      drop(i, new DataError(file, line[i]!, 'daily timestamp not at 00:00 UTC', `timestamp=${t}`));
      continue;
    }
    if (aggregating) {
      const bucketClose = bucketCloseOf(market, targetMs, t);
      const barClose = barCloseTime(market, intervalMs, t);
      if (barClose > bucketClose) {
        drop(i, new DataError(file, line[i]!, `bar ends after its ${formatDuration(targetMs)} bucket closes`, `timestamp=${t}, bar closes ${barClose}, bucket closes ${bucketClose}`));
        continue;
      }
    }
    previous = t;
  }
  if (keep === undefined) return parsed;

  const cols = ['openTime', 'open', 'high', 'low', 'close', 'volume'] as const;
  const out = {} as Record<(typeof cols)[number], Float64Array>;
  for (const c of cols) out[c] = new Float64Array(n);
  const preClose = parsed.preClose ? new Float64Array(n) : undefined;
  const lines = new Uint32Array(n);
  let m = 0;
  for (let i = 0; i < n; i++) {
    if (!keep[i]) continue;
    for (const c of cols) out[c][m] = parsed[c][i]!;
    if (preClose) preClose[m] = parsed.preClose![i]!;
    lines[m] = line[i]!;
    m++;
  }
  return { ...parsed, ...out, preClose, line: lines, length: m };
}
