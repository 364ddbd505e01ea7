// ConfigError: every configuration problem at once, each with its path, the offending value and the rule.
import type { z } from 'zod';

export interface ConfigIssue {
  /** Dotted path of the offending key ("fill.participationCap"); empty for whole-file problems. */
  path: string;
  /** What is wrong, including the value where there is one. */
  message: string;
  /** Where the value came from: the config file, an environment variable name, a flag ("--capital") or FLAGS_SOURCE. */
  source?: string;
}

export class ConfigError extends Error {
  readonly issues: ConfigIssue[];

  constructor(issues: ConfigIssue[]) {
    super(formatIssues(issues));
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

function formatIssues(issues: readonly ConfigIssue[]): string {
  // Each line is a text, or (for a value a named command-line flag set) the keys that flag's problem concerns.
  const lines: Array<string | { problem: string; paths: string[] }> = [];
  const byFlag = new Map<string, { problem: string; paths: string[] }>();
  for (const issue of issues) {
    if (issue.path === '') lines.push(`  ${issue.message}`);
    else if (issue.source?.startsWith('--')) {
      // The flag first, as the user typed it; one flag setting several keys (--fee-bps: the maker and the taker
      // fee) with the same problem is one line naming them all.
      const problem = `${issue.source}: ${issue.message}`;
      const known = byFlag.get(problem);
      if (known) known.paths.push(issue.path);
      else {
        const line = { problem, paths: [issue.path] };
        byFlag.set(problem, line);
        lines.push(line);
      }
    } else lines.push(`  ${issue.path}: ${issue.message}${issue.source === undefined ? '' : ` [from ${issue.source}]`}`);
  }
  const n = lines.length;
  const text = lines.map((line) => (typeof line === 'string' ? line : `  ${line.problem} (sets ${line.paths.join(', ')})`));
  return [`invalid configuration (${n} problem${n === 1 ? '' : 's'}):`, ...text].join('\n');
}

const IDENTIFIER_RE = /^[A-Za-z_$][\w$]*$/;

/** Path segments as text: fees.crypto.takerBps, instruments["BTC/USDT"].tickSize, list[0]. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (typeof seg === 'string' && IDENTIFIER_RE.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(String(seg))}]`;
  }
  return out;
}

/** A value as shown in a message: strings quoted, everything else as JSON (shortened). */
export function showValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'bigint') return `${value}n`;
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number' && Number.isNaN(value)) return 'NaN';
  return typeof value;
}

type ZodIssue = z.core.$ZodIssue;

function got(issue: { input?: unknown }): string {
  return 'input' in issue && issue.input !== undefined ? ` (got ${showValue(issue.input)})` : '';
}

function bound(value: unknown): string {
  return typeof value === 'number' || typeof value === 'bigint' ? String(value) : showValue(value);
}

/** One zod issue as our own message(s); unknown keys become one issue each. */
export function fromZodIssue(issue: ZodIssue, sourceOf: (path: PropertyKey[]) => string | undefined): ConfigIssue[] {
  const at = (path: PropertyKey[], message: string): ConfigIssue => {
    const out: ConfigIssue = { path: formatPath(path), message };
    const source = sourceOf(path);
    if (source !== undefined) out.source = source;
    return out;
  };
  const path = issue.path;
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => at([...path, key], 'unknown key'));
    case 'invalid_type': {
      if (issue.input === undefined) return [at(path, `is required (expected ${issue.expected})`)];
      if (issue.expected === 'int') return [at(path, `must be an integer${got(issue)}`)];
      const kind = kindOf(issue.input);
      const shown = issue.input === null ? '' : ` (${showValue(issue.input)})`;
      return [at(path, `expected ${issue.expected}, received ${kind}${shown}`)];
    }
    case 'too_small':
      if (issue.origin === 'number' || issue.origin === 'bigint' || issue.origin === 'date')
        return [at(path, `must be ${issue.inclusive ? '>=' : '>'} ${bound(issue.minimum)}${got(issue)}`)];
      return [at(path, `must have at least ${bound(issue.minimum)} ${issue.origin === 'string' ? 'characters' : 'items'}${got(issue)}`)];
    case 'too_big':
      if (issue.origin === 'number' || issue.origin === 'bigint' || issue.origin === 'date')
        return [at(path, `must be ${issue.inclusive ? '<=' : '<'} ${bound(issue.maximum)}${got(issue)}`)];
      return [at(path, `must have at most ${bound(issue.maximum)} ${issue.origin === 'string' ? 'characters' : 'items'}${got(issue)}`)];
    case 'invalid_value':
      return [at(path, `must be one of ${issue.values.map((v) => showValue(v)).join(', ')}${got(issue)}`)];
    case 'not_multiple_of':
      return [at(path, `must be a multiple of ${bound(issue.divisor)}${got(issue)}`)];
    case 'invalid_key': {
      const inner = issue.issues[0];
      const why = inner === undefined ? 'invalid key' : `invalid key: ${inner.message}`;
      return [at(path, `${why}${got(issue)}`)];
    }
    default:
      return [at(path, `${issue.message}${got(issue)}`)];
  }
}

/** Zod issues as a request's problems (path under `prefix`, the value found, the rule): see InvalidRequestError. */
export function problemsOf(issues: readonly ZodIssue[], prefix: string): Array<{ path: string; value?: unknown; rule: string }> {
  return issues.flatMap((issue) =>
    fromZodIssue(issue, () => undefined).map((found) => {
      const path = found.path === '' || prefix === '' || found.path.startsWith('[') ? `${prefix}${found.path}` : `${prefix}.${found.path}`;
      return 'input' in issue && issue.input !== undefined && issue.code !== 'unrecognized_keys' ? { path, value: issue.input, rule: found.message } : { path, rule: found.message };
    }),
  );
}
