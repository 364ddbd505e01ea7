// Built-in strategies by name, and loading a user's strategy class from a file.
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { Strategy } from '../common/index.ts';
import { BollingerReversion } from './bollinger-reversion.ts';
import { BuyAndHold } from './buy-and-hold.ts';
import { SmaCross } from './sma-cross.ts';
import { instantiate, type StrategyClass } from './instantiate.ts';

export { BollingerReversion, BuyAndHold, SmaCross };
export { StrategyParameterError } from './params.ts';

export const BUILT_IN_STRATEGIES: Readonly<Record<string, StrategyClass>> = {
  'sma-cross': SmaCross,
  'bollinger-reversion': BollingerReversion,
  'buy-and-hold': BuyAndHold,
};

export class StrategyLoadError extends Error {
  override name = 'StrategyLoadError';
}

function isStrategyClass(value: unknown): value is StrategyClass {
  return typeof value === 'function' && value.prototype instanceof Strategy;
}

/** A class whose ancestry has a `Strategy` that is not this package's: it imported another copy of traider. */
function extendsForeignStrategy(value: unknown): boolean {
  if (typeof value !== 'function' || isStrategyClass(value)) return false;
  for (let proto = Object.getPrototypeOf(value.prototype); proto; proto = Object.getPrototypeOf(proto)) {
    if (proto.constructor?.name === 'Strategy') return true;
  }
  return false;
}

function looksLikePath(spec: string): boolean {
  return spec.includes('/') || spec.includes('\\') || /\.(ts|mts|js|mjs)$/.test(spec);
}

/** Where a JavaScript file's syntax error is: Node's ESM loader does not say, `node --check` does. */
function javaScriptSyntaxError(file: string): string | undefined {
  if (!/\.(m?js|jsx)$/.test(file)) return undefined;
  const check = spawnSync(process.execPath, ['--input-type=module', '--check'], { input: readFileSync(file), encoding: 'utf8', timeout: 10_000 });
  const line = /^\[stdin\]:(\d+)/m.exec(check.stderr ?? '')?.[1];
  const message = /^SyntaxError: (.*)$/m.exec(check.stderr ?? '')?.[1];
  return line === undefined || message === undefined ? undefined : `${line}: ${message}`;
}

/** Why a strategy file did not load, in one line where possible: esbuild's syntax errors without their banner. */
function describeLoadFailure(error: unknown, file: string, spec: string): string {
  if (!(error instanceof Error)) return String(error);
  const message = error.message.replace(/^Transform failed with \d+ errors?:\n/, '').replace(/: ERROR: /g, ': ');
  // A JavaScript syntax error surfaces as Node's SyntaxError without a place, or as tsx's lexer "Parse error".
  if (error.name === 'SyntaxError' || message.startsWith('Parse error')) {
    const located = javaScriptSyntaxError(file);
    if (located !== undefined) return `SyntaxError at ${spec}:${located}`;
    return message.startsWith('SyntaxError') ? message : `SyntaxError: ${message}`;
  }
  return message;
}

export interface ResolveStrategyOptions {
  /** Where warnings about parameters go, one line each; default: stderr. */
  readonly warn?: (line: string) => void;
}

/**
 * A built-in name, or a path to a .ts/.mts/.js/.mjs file exporting a class that extends Strategy (default
 * export or the only exported one). The file may live in any folder: bin/module-hooks.js makes it an ES module
 * and resolves its `import ... from 'traider'` to this package. Returns a factory so every run gets a fresh
 * instance; the factory validates the parameters against the class's `static params` schema (instantiate.ts).
 */
export async function resolveStrategy(spec: string, options: ResolveStrategyOptions = {}): Promise<{ name: string; create: (params?: unknown) => Strategy }> {
  // Warnings are for the person at the terminal; stdout stays the command's output (one JSON object with --json).
  const warn = options.warn ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const builtIn = BUILT_IN_STRATEGIES[spec];
  if (builtIn) return { name: spec, create: (params) => instantiate(builtIn, params, { label: spec, warn, userFile: false }) };
  if (!looksLikePath(spec)) {
    throw new StrategyLoadError(`unknown strategy "${spec}": use one of ${Object.keys(BUILT_IN_STRATEGIES).join(', ')} or a path to a .ts/.js file`);
  }
  const file = resolve(spec);
  if (!existsSync(file)) throw new StrategyLoadError(`strategy file not found: ${spec}${file === spec ? '' : ` (${file})`}`);
  if (statSync(file).isDirectory()) throw new StrategyLoadError(`strategy file ${spec} is a directory: give the path of a .ts or .js file`);
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (error) {
    throw new StrategyLoadError(`cannot load strategy file ${spec}: ${describeLoadFailure(error, file, spec)}`, { cause: error });
  }
  const candidates = Object.entries(module).filter(([, value]) => isStrategyClass(value));
  const chosen = isStrategyClass(module.default) ? module.default : candidates.length === 1 ? candidates[0]![1] : undefined;
  if (isStrategyClass(chosen)) {
    const cls = chosen;
    return { name: spec, create: (params) => instantiate(cls, params, { label: spec, warn, userFile: true }) };
  }
  if (candidates.length > 1) {
    const names = candidates.map(([name]) => name).join(', ');
    throw new StrategyLoadError(`${spec} exports several Strategy classes (${names}): make the one to run the default export`);
  }
  if (Object.values(module).some(extendsForeignStrategy)) {
    throw new StrategyLoadError(`${spec} exports a class extending a Strategy from another copy of traider: import { Strategy } from 'traider' so it is the running one`);
  }
  throw new StrategyLoadError(`${spec} must export a class extending Strategy (import { Strategy } from 'traider'), as default or as its only export`);
}
