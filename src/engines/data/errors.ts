// Errors in data files (a located row problem) and in how a file is to be loaded: raised by the file loader and capture parsers.

/**
 * A problem in a data file, located at a line. The message is always `FILE:LINE: RULE (VALUE)`:
 * FILE is the path as the user gave it, LINE counts the header as line 1, RULE is a short phrase
 * (`close is not a finite positive number`) and VALUE shows the offending value(s) (`close=NaN`).
 */
export class DataError extends Error {
  override readonly name = 'DataError';
  readonly file: string;
  readonly line: number;
  readonly rule: string;
  readonly value: string;

  constructor(file: string, line: number, rule: string, value: string) {
    super(`${file}:${line}: ${rule} (${value})`);
    this.file = file;
    this.line = line;
    this.rule = rule;
    this.value = value;
  }
}

/**
 * A problem with how a file is to be loaded rather than with its rows: symbol or market that cannot be
 * inferred, an unknown or impossible timeframe, an unreadable interval. The message says which flag fixes it.
 */
export class DataOptionError extends Error {
  override readonly name = 'DataOptionError';
}
