// OHLCV CSV parsing and per-row validation into columns.
import { DataError } from './errors.ts';

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

/** `Number(text)`, except that empty or blank text is NaN rather than 0. */
function toNumber(text: string): number {
  const value = +text;
  if (value === 0 && !/\d/.test(text)) return NaN;
  return value;
}

/** True if nothing but line breaks follows `from`. */
function onlyLineBreaksFrom(text: string, from: number): boolean {
  for (let i = from; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code !== 10 && code !== 13) return false;
  }
  return true;
}

/** A field as shown in a message: the text itself, quoted when empty or blank. */
function shown(text: string): string {
  return text.trim() === '' ? `"${text}"` : text;
}

/**
 * Parse CSV text with the OHLCV header. Rules, in order, for each data row: field count; timestamp an
 * integer and strictly increasing; open, high, low, close finite and > 0; volume finite and >= 0;
 * high >= max(open, close); low <= min(open, close); pre_close (if the column exists and the field is
 * not empty) finite and > 0. A skipped row does not count as "previous" for the increasing check.
 */
export function parseOhlcvCsv(text: string, file: string, problems: RowProblems): ParsedCsv {
  const length = text.length;
  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let headerEnd = text.indexOf('\n', start);
  if (headerEnd === -1) headerEnd = length;
  let headerStop = headerEnd;
  if (headerStop > start && text.charCodeAt(headerStop - 1) === 13) headerStop--;
  const headerText = text.slice(start, headerStop);
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

  // Capacity: one row per remaining newline (+1 for a last line without one).
  let capacity = 1;
  for (let p = text.indexOf('\n', headerEnd + 1); p !== -1; p = text.indexOf('\n', p + 1)) capacity++;

  const openTime = new Float64Array(capacity);
  const open = new Float64Array(capacity);
  const high = new Float64Array(capacity);
  const low = new Float64Array(capacity);
  const close = new Float64Array(capacity);
  const volume = new Float64Array(capacity);
  const preClose = preCloseAt === -1 ? undefined : new Float64Array(capacity);
  const lineOf = new Uint32Array(capacity);
  const starts = new Int32Array(ncols + 1);

  let n = 0;
  let rows = 0;
  let prevTime = -Infinity;
  let prevTimeText = '';
  let line = 1;
  let pos = headerEnd + 1;

  while (pos < length) {
    line++;
    let eol = text.indexOf('\n', pos);
    if (eol === -1) eol = length;
    let end = eol;
    if (end > pos && text.charCodeAt(end - 1) === 13) end--;
    const lineStart = pos;
    pos = eol + 1;

    if (end === lineStart) {
      // Blank line: harmless at the very end of the file, a bad row anywhere else.
      if (onlyLineBreaksFrom(text, lineStart)) break;
      rows++;
      problems.report(new DataError(file, line, 'wrong number of fields', `empty line, expected ${ncols}`));
      continue;
    }
    rows++;

    // Field boundaries.
    let fields = 1;
    starts[0] = lineStart;
    for (let s = lineStart; ; ) {
      const comma = text.indexOf(',', s);
      if (comma === -1 || comma >= end) break;
      if (fields < ncols) starts[fields] = comma + 1;
      fields++;
      s = comma + 1;
    }
    if (fields !== ncols) {
      problems.report(new DataError(file, line, 'wrong number of fields', `fields=${fields}, expected ${ncols}`));
      continue;
    }
    starts[ncols] = end + 1;

    const tText = text.slice(starts[0]!, starts[1]! - 1);
    const t = toNumber(tText);
    if (!Number.isSafeInteger(t)) {
      problems.report(new DataError(file, line, 'timestamp is not an integer', `timestamp=${shown(tText)}`));
      continue;
    }
    if (!(t > prevTime)) {
      problems.report(new DataError(file, line, 'timestamp not increasing', `timestamp=${tText} after ${prevTimeText}`));
      continue;
    }

    const oText = text.slice(starts[1]!, starts[2]! - 1);
    const o = toNumber(oText);
    if (!(o > 0 && o < Infinity)) {
      problems.report(new DataError(file, line, 'open is not a finite positive number', `open=${shown(oText)}`));
      continue;
    }
    const hText = text.slice(starts[2]!, starts[3]! - 1);
    const h = toNumber(hText);
    if (!(h > 0 && h < Infinity)) {
      problems.report(new DataError(file, line, 'high is not a finite positive number', `high=${shown(hText)}`));
      continue;
    }
    const lText = text.slice(starts[3]!, starts[4]! - 1);
    const l = toNumber(lText);
    if (!(l > 0 && l < Infinity)) {
      problems.report(new DataError(file, line, 'low is not a finite positive number', `low=${shown(lText)}`));
      continue;
    }
    const cText = text.slice(starts[4]!, starts[5]! - 1);
    const c = toNumber(cText);
    if (!(c > 0 && c < Infinity)) {
      problems.report(new DataError(file, line, 'close is not a finite positive number', `close=${shown(cText)}`));
      continue;
    }
    const vText = text.slice(starts[5]!, starts[6]! - 1);
    const v = toNumber(vText);
    if (!(v >= 0 && v < Infinity)) {
      problems.report(new DataError(file, line, 'volume is not a finite non-negative number', `volume=${shown(vText)}`));
      continue;
    }
    if (h < o || h < c) {
      problems.report(new DataError(file, line, 'high below max(open, close)', `high=${hText}, open=${oText}, close=${cText}`));
      continue;
    }
    if (l > o || l > c) {
      problems.report(new DataError(file, line, 'low above min(open, close)', `low=${lText}, open=${oText}, close=${cText}`));
      continue;
    }
    let pc = NaN;
    if (preClose !== undefined) {
      const pText = text.slice(starts[preCloseAt]!, starts[preCloseAt + 1]! - 1);
      if (pText.trim() !== '') {
        pc = toNumber(pText);
        if (!(pc > 0 && pc < Infinity)) {
          problems.report(new DataError(file, line, 'pre_close is not a finite positive number', `pre_close=${pText}`));
          continue;
        }
      }
    }

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
    prevTimeText = tText;
  }

  return { columns, length: n, openTime, open, high, low, close, volume, preClose, line: lineOf, rows };
}
