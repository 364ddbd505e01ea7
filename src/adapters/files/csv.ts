// OHLCV CSV parsing and per-row validation into columns.
import { DataError } from '../../engines/index.ts';

/** The columns every OHLCV file starts with, in this order. */
export const REQUIRED_COLUMNS = ['timestamp', 'open', 'high', 'low', 'close', 'volume'] as const;

export type BadRowMode = 'error' | 'skip';

/** Collects bad rows: throws the first one (mode `error`) or counts them and keeps the first few (mode `skip`). */
export class RowProblems {
  skipped = 0;
  readonly list: DataError[] = [];
  readonly mode: BadRowMode;
  readonly keep: number;

  constructor(mode: BadRowMode, keep: number) {
    this.mode = mode;
    this.keep = keep;
  }

  /** Report a bad row; returns only in skip mode (the caller then drops the row). */
  report(error: DataError): void {
    if (this.mode === 'error') throw error;
    this.skipped++;
    if (this.list.length < this.keep) this.list.push(error);
  }
}

/** Parsed, validated rows of one file (raw prices, nothing inferred yet). */
export interface ParsedCsv {
  /** Header column names (trimmed, lower case). */
  readonly columns: readonly string[];
  /** Number of accepted rows; the arrays below may be longer. */
  readonly length: number;
  readonly openTime: Float64Array;
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
  /** The `pre_close` column when the header has one (NaN where a row leaves it empty). */
  readonly preClose: Float64Array | undefined;
  /** File line of each accepted row (header = line 1). */
  readonly line: Uint32Array;
  /** Data rows read (header and trailing blank lines excluded), accepted or not. */
  readonly rows: number;
}

/** A decimal number, optionally signed, with an optional exponent, surrounding blanks allowed. */
const DECIMAL = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/;

/** The value of a decimal text, NaN for anything else (empty, blank, `NaN`, `Infinity`, `0x1A`, ...). */
function toNumber(text: string): number {
  return DECIMAL.test(text) ? +text : NaN;
}

// Exact powers of ten (1e0 .. 1e22 are all representable doubles; parsing them is exact).
const POW10 = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));

/**
 * Fast path for plain decimals (`61737.63`, `0`, `1700000000000`): digits with at most one `.`, at most 15
 * significant digits and 22 decimals. Then mantissa and 10^k are exact doubles and one division gives the
 * correctly rounded value, identical to `Number(text)`. Returns -1 for anything else (the caller then
 * decodes the text and uses `Number`).
 */
function plainDecimal(bytes: Uint8Array, from: number, to: number): number {
  let mantissa = 0;
  let significant = 0;
  let anyDigit = false;
  let decimals = -1;
  for (let p = from; p < to; p++) {
    const c = bytes[p]!;
    if (c >= 48 && c <= 57) {
      mantissa = mantissa * 10 + (c - 48);
      anyDigit = true;
      if (mantissa !== 0) significant++;
      if (decimals >= 0) decimals++;
    } else if (c === 46 && decimals < 0) {
      decimals = 0;
    } else {
      return -1;
    }
  }
  if (!anyDigit || significant > 15 || decimals > 22) return -1;
  return decimals <= 0 ? mantissa : mantissa / POW10[decimals]!;
}

/** True if nothing but line breaks follows `from`. */
function onlyLineBreaksFrom(bytes: Uint8Array, from: number): boolean {
  for (let i = from; i < bytes.length; i++) {
    const code = bytes[i]!;
    if (code !== 10 && code !== 13) return false;
  }
  return true;
}

/** A field as shown in a message: the text itself, quoted when empty or blank. */
function shown(text: string): string {
  return text.trim() === '' ? `"${text}"` : text;
}

/**
 * Parse CSV bytes (UTF-8) with the OHLCV header. Rules, in order, for each data row: field count; timestamp
 * an integer and strictly increasing; open, high, low, close finite and > 0; volume finite and >= 0;
 * high >= max(open, close); low <= min(open, close); pre_close (if the column exists and the field is
 * not empty) finite and > 0. A skipped row does not count as "previous" for the increasing check.
 * Numbers are read straight from the bytes (plain decimals) or, failing that, with `Number()` on the text.
 */
export function parseOhlcvCsv(bytes: Uint8Array, file: string, problems: RowProblems): ParsedCsv {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = bytes.length;
  const start = length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  let headerEnd = buf.indexOf(10, start);
  if (headerEnd === -1) headerEnd = length;
  let headerStop = headerEnd;
  if (headerStop > start && bytes[headerStop - 1] === 13) headerStop--;
  const headerText = buf.toString('utf8', start, headerStop);
  if (headerText.trim() === '') throw new DataError(file, 1, 'empty file', 'no header');
  const columns = headerText.split(',').map((c) => c.trim().toLowerCase());
  for (let k = 0; k < REQUIRED_COLUMNS.length; k++) {
    const wanted = REQUIRED_COLUMNS[k]!;
    if (columns[k] === wanted) continue;
    const at = columns.indexOf(wanted);
    if (at === -1) throw new DataError(file, 1, `missing column "${wanted}"`, `header: ${headerText}`);
    throw new DataError(file, 1, `column "${wanted}" must be column ${k + 1}, found at ${at + 1}`, `header: ${headerText}`);
  }
  const ncols = columns.length;
  const preCloseAt = columns.indexOf('pre_close');

  // Capacity: estimated from the first lines' length, grown when short.
  let capacity = 16;
  {
    let p = headerEnd + 1;
    let sampled = 0;
    while (sampled < 64 && p < length) {
      const nl = buf.indexOf(10, p);
      if (nl === -1) break;
      p = nl + 1;
      sampled++;
    }
    const perLine = sampled > 0 ? Math.max(1, (p - headerEnd - 1) / sampled) : 1;
    capacity = Math.ceil(((length - headerEnd) / perLine) * 1.05) + 16;
  }

  let openTime = new Float64Array(capacity);
  let open = new Float64Array(capacity);
  let high = new Float64Array(capacity);
  let low = new Float64Array(capacity);
  let close = new Float64Array(capacity);
  let volume = new Float64Array(capacity);
  let preClose = preCloseAt === -1 ? undefined : new Float64Array(capacity);
  let lineOf = new Uint32Array(capacity);
  const grown = <T extends Float64Array | Uint32Array>(a: T, size: number): T => {
    const b = new (a.constructor as new (n: number) => T)(size);
    b.set(a);
    return b;
  };
  const grow = (): void => {
    capacity = Math.ceil(capacity * 1.5) + 16;
    openTime = grown(openTime, capacity);
    open = grown(open, capacity);
    high = grown(high, capacity);
    low = grown(low, capacity);
    close = grown(close, capacity);
    volume = grown(volume, capacity);
    if (preClose) preClose = grown(preClose, capacity);
    lineOf = grown(lineOf, capacity);
  };
  // starts[k] = first byte of field k; starts[k + 1] - 1 = its end (the comma or the line end).
  const starts = new Int32Array(ncols + 1);

  const text = (k: number): string => buf.toString('utf8', starts[k]!, starts[k + 1]! - 1);
  const number = (k: number): number => {
    const value = plainDecimal(bytes, starts[k]!, starts[k + 1]! - 1);
    return value >= 0 ? value : toNumber(text(k));
  };

  let n = 0;
  let rows = 0;
  let prevTime = -Infinity;
  let line = 1;
  let pos = headerEnd + 1;

  while (pos < length) {
    line++;
    // One pass over the line: field starts and the line end.
    const lineStart = pos;
    let fields = 1;
    starts[0] = lineStart;
    let p = lineStart;
    for (; p < length; p++) {
      const byte = bytes[p];
      if (byte === 10) break;
      if (byte === 44) {
        if (fields < ncols) starts[fields] = p + 1;
        fields++;
      }
    }
    let end = p;
    if (end > lineStart && bytes[end - 1] === 13) end--;
    pos = p + 1;

    if (end === lineStart) {
      // Blank line: harmless at the very end of the file, a bad row anywhere else.
      if (onlyLineBreaksFrom(bytes, lineStart)) break;
      rows++;
      problems.report(new DataError(file, line, 'wrong number of fields', `empty line, expected ${ncols}`));
      continue;
    }
    rows++;
    if (fields !== ncols) {
      problems.report(new DataError(file, line, 'wrong number of fields', `fields=${fields}, expected ${ncols}`));
      continue;
    }
    starts[ncols] = end + 1;

    const t = number(0);
    if (!Number.isSafeInteger(t)) {
      problems.report(new DataError(file, line, 'timestamp is not an integer', `timestamp=${shown(text(0))}`));
      continue;
    }
    if (!(t > prevTime)) {
      problems.report(new DataError(file, line, 'timestamp not increasing', `timestamp=${text(0)} after ${prevTime}`));
      continue;
    }
    const o = number(1);
    if (!(o > 0 && o < Infinity)) {
      problems.report(new DataError(file, line, 'open is not a finite positive number', `open=${shown(text(1))}`));
      continue;
    }
    const h = number(2);
    if (!(h > 0 && h < Infinity)) {
      problems.report(new DataError(file, line, 'high is not a finite positive number', `high=${shown(text(2))}`));
      continue;
    }
    const l = number(3);
    if (!(l > 0 && l < Infinity)) {
      problems.report(new DataError(file, line, 'low is not a finite positive number', `low=${shown(text(3))}`));
      continue;
    }
    const c = number(4);
    if (!(c > 0 && c < Infinity)) {
      problems.report(new DataError(file, line, 'close is not a finite positive number', `close=${shown(text(4))}`));
      continue;
    }
    const v = number(5);
    if (!(v >= 0 && v < Infinity)) {
      problems.report(new DataError(file, line, 'volume is not a finite non-negative number', `volume=${shown(text(5))}`));
      continue;
    }
    if (h < o || h < c) {
      problems.report(new DataError(file, line, 'high below max(open, close)', `high=${text(2)}, open=${text(1)}, close=${text(4)}`));
      continue;
    }
    if (l > o || l > c) {
      problems.report(new DataError(file, line, 'low above min(open, close)', `low=${text(3)}, open=${text(1)}, close=${text(4)}`));
      continue;
    }
    let pc = NaN;
    if (preClose !== undefined) {
      pc = plainDecimal(bytes, starts[preCloseAt]!, starts[preCloseAt + 1]! - 1);
      if (pc < 0) {
        // Not a plain decimal: empty (no reference price given) or something to check with Number().
        const pText = text(preCloseAt);
        pc = pText.trim() === '' ? NaN : toNumber(pText);
        if (pText.trim() !== '' && !(pc > 0 && pc < Infinity)) {
          problems.report(new DataError(file, line, 'pre_close is not a finite positive number', `pre_close=${pText}`));
          continue;
        }
      } else if (pc === 0) {
        problems.report(new DataError(file, line, 'pre_close is not a finite positive number', `pre_close=${text(preCloseAt)}`));
        continue;
      }
    }

    if (n === capacity) grow();
    openTime[n] = t;
    open[n] = o;
    high[n] = h;
    low[n] = l;
    close[n] = c;
    volume[n] = v;
    if (preClose !== undefined) preClose[n] = pc;
    lineOf[n] = line;
    n++;
    prevTime = t;
  }

  return { columns, length: n, openTime, open, high, low, close, volume, preClose, line: lineOf, rows };
}
