// Request parameter parsing with Binance's error codes.
import { Errors } from './errors.ts';
import { parseUnits } from './units.ts';

export type Params = Record<string, string>;

export function optionalInt(params: Params, name: string): number | undefined {
  const text = params[name];
  if (text === undefined || text === '') return undefined;
  if (!/^-?\d{1,20}$/.test(text)) throw Errors.illegalParam(name);
  return Number(text);
}

export function requiredString(params: Params, name: string): string {
  const text = params[name];
  if (text === undefined || text === '') throw Errors.mandatory(name);
  return text;
}

/** A limit parameter clamped to [1, max], `fallback` when absent. */
export function limitParam(params: Params, fallback: number, max: number): number {
  const limit = optionalInt(params, 'limit') ?? fallback;
  return Math.max(1, Math.min(max, limit));
}

/** A decimal amount in 10^-8 units. */
export function optionalUnits(params: Params, name: string): bigint | undefined {
  const text = params[name];
  if (text === undefined || text === '') return undefined;
  const units = parseUnits(text);
  if (units === undefined) throw /^\d+(\.\d*)?$/.test(text.trim()) ? Errors.badPrecision(name) : Errors.illegalParam(name);
  return units;
}

/** `symbols=["BTCUSDT","ETHUSDT"]` (JSON array) or undefined. */
export function symbolList(params: Params): string[] | undefined {
  const text = params.symbols;
  if (text === undefined || text === '') return undefined;
  try {
    const list = JSON.parse(text) as unknown;
    if (Array.isArray(list) && list.every((s) => typeof s === 'string')) return list as string[];
  } catch {
    // fall through
  }
  throw Errors.malformed("Parameter 'symbols' was not a valid JSON array of strings.");
}

/** Parse a URL-encoded parameter string into a flat record (the last value wins). */
export function parseForm(text: string, into: Params = {}): Params {
  for (const [key, value] of new URLSearchParams(text)) into[key] = value;
  return into;
}
