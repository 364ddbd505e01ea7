// Reading a configuration file (JSON or YAML) into a plain object; failures are ConfigErrors naming file and line.
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parseDocument } from 'yaml';
import { ConfigError } from './errors.ts';
import { isPlainObject } from './merge.ts';
import type { PlainObject } from './merge.ts';

type Format = 'json' | 'yaml';

class ParseFailure {
  constructor(
    readonly format: Format,
    readonly reason: string,
    readonly line?: number,
    readonly column?: number,
  ) {}
}

function fileError(message: string, file: string): ConfigError {
  return new ConfigError([{ path: '', message, source: file }]);
}

/** 1-based line and column of a character offset. */
function lineColumnOf(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * Offset of the first syntax error in `text` as JSON, or -1 if it is valid. JSON.parse's messages do not
 * always carry a position, so the error is located here.
 */
function jsonErrorOffset(text: string): number {
  let i = 0;
  const fail = (): never => {
    throw i;
  };
  const skipSpace = (): void => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };
  const str = (): void => {
    i++; // opening quote
    while (i < text.length) {
      const ch = text[i]!;
      if (ch === '"') {
        i++;
        return;
      }
      if (ch === '\\') {
        const next = text[i + 1];
        if (next !== undefined && '"\\/bfnrt'.includes(next)) i += 2;
        else if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) i += 6;
        else fail();
      } else if (ch < ' ') {
        fail();
      } else {
        i++;
      }
    }
    fail();
  };
  const NUMBER_RE = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
  const value = (): void => {
    skipSpace();
    const ch = text[i];
    if (ch === '{' || ch === '[') {
      const close = ch === '{' ? '}' : ']';
      i++;
      skipSpace();
      if (text[i] === close) {
        i++;
        return;
      }
      for (;;) {
        if (close === '}') {
          skipSpace();
          if (text[i] !== '"') fail();
          str();
          skipSpace();
          if (text[i] !== ':') fail();
          i++;
        }
        value();
        skipSpace();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === close) {
          i++;
          return;
        }
        fail();
      }
    }
    if (ch === '"') return str();
    NUMBER_RE.lastIndex = i;
    if (NUMBER_RE.test(text)) {
      i = NUMBER_RE.lastIndex;
      return;
    }
    for (const literal of ['true', 'false', 'null']) {
      if (text.startsWith(literal, i)) {
        i += literal.length;
        return;
      }
    }
    fail();
  };
  try {
    value();
    skipSpace();
    if (i < text.length) fail();
    return -1;
  } catch (at) {
    if (typeof at === 'number') return at;
    throw at;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    const reason = (err as Error).message.split('\n')[0]!.replace(/ in JSON at position \d+.*$/, '');
    const offset = jsonErrorOffset(text);
    const where = lineColumnOf(text, offset < 0 ? text.length : offset);
    throw new ParseFailure('json', reason, where.line, where.column);
  }
}

function parseYaml(text: string): unknown {
  const doc = parseDocument(text, { prettyErrors: true });
  const first = doc.errors[0];
  if (first !== undefined) {
    const reason = first.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    const pos = first.linePos?.[0];
    throw new ParseFailure('yaml', reason, pos?.line, pos?.col);
  }
  try {
    return doc.toJS({ maxAliasCount: 100 }) as unknown;
  } catch (err) {
    throw new ParseFailure('yaml', (err as Error).message);
  }
}

function formatOf(file: string): Format | undefined {
  const ext = extname(file).toLowerCase();
  if (ext === '.json') return 'json';
  if (ext === '.yaml' || ext === '.yml') return 'yaml';
  return undefined;
}

/**
 * Parses configuration text. The format comes from the file extension (.json, .yaml, .yml); any other
 * extension is tried as JSON, then as YAML. An empty file is an empty object.
 */
export function parseConfigText(text: string, file: string): PlainObject {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const format = formatOf(file);
  let data: unknown;
  try {
    if (body.trim() === '') data = {};
    else if (format === 'json') data = parseJson(body);
    else if (format === 'yaml') data = parseYaml(body);
    else {
      try {
        data = parseJson(body);
      } catch {
        data = parseYaml(body);
      }
    }
  } catch (err) {
    if (!(err instanceof ParseFailure)) throw err;
    const at = err.line === undefined ? '' : `:${err.line}${err.column === undefined ? '' : `:${err.column}`}`;
    const line = err.line === undefined ? '' : ` at line ${err.line}`;
    throw fileError(`${file}${at}: cannot parse config file as ${err.format.toUpperCase()}${line}: ${err.reason}`, file);
  }
  if (data === null || data === undefined) return {};
  if (!isPlainObject(data)) {
    const kind = Array.isArray(data) ? 'a list' : `a ${typeof data}`;
    throw fileError(`${file}: config file must contain a mapping of sections, not ${kind}`, file);
  }
  return data;
}

/** Reads and parses a configuration file; a missing or unreadable file is a ConfigError naming it. */
export function readConfigFile(file: string): PlainObject {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw fileError(`${file}: config file not found`, file);
    if (code === 'EISDIR') throw fileError(`${file}: config file is a directory`, file);
    throw fileError(`${file}: cannot read config file (${code ?? (err as Error).message})`, file);
  }
  return parseConfigText(text, file);
}
