// `traider new strategy NAME`: writes NAME.ts (a typed starter strategy) and NAME.test.ts (its vitest test) into a
// folder, never over an existing file.
import { closeSync, existsSync, mkdirSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fieldMention, InputError, inputText } from '../errors/index.ts';
import { type StarterNames, starterStrategy, starterTest } from './templates.ts';

export interface NewStrategyRequest {
  /** Letters, digits and dashes, starting with a letter: the file name and the strategy's `name`. */
  readonly name: string;
  /** Folder to write in (created if missing). */
  readonly dir: string;
}

export interface NewStrategyResult {
  readonly strategyFile: string;
  readonly testFile: string;
}

const NAME_RULE = /^[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*$/;
/** Identifiers the templates import or declare: a class of the same name would clash with them. */
const TEMPLATE_IDENTIFIERS = new Set(['Bar', 'OrderEvent', 'OrderEventKind', 'OrderSide', 'OrderType', 'Sma', 'Strategy', 'Params', 'HOUR', 'BarRow']);

/** my-first -> MyFirst (Strategy appended where the plain form would clash with an import of the templates). */
export function classNameOf(name: string): string {
  const pascal = name
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
  return TEMPLATE_IDENTIFIERS.has(pascal) ? `${pascal}Strategy` : pascal;
}

export function starterNames(name: string): StarterNames {
  if (!NAME_RULE.test(name)) {
    throw new InputError('name', [`strategy name ${JSON.stringify(name)}: use letters, digits and single dashes, starting with a letter (e.g. my-first)`], { value: name });
  }
  return { name, className: classNameOf(name) };
}

export function newStrategy(request: NewStrategyRequest): NewStrategyResult {
  const names = starterNames(request.name);
  const dir = resolve(request.dir);
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw new InputError('dir', inputText`${fieldMention('dir')}: ${request.dir} is not a directory`, { value: request.dir });
  const strategyFile = join(dir, `${names.name}.ts`);
  const testFile = join(dir, `${names.name}.test.ts`);
  for (const file of [strategyFile, testFile]) {
    if (existsSync(file)) throw new InputError('name', [`${file} exists: not overwriting it (choose another name, or remove the file)`], { value: request.name });
  }
  mkdirSync(dir, { recursive: true });
  writeNew(strategyFile, starterStrategy(names));
  try {
    writeNew(testFile, starterTest(names));
  } catch (error) {
    rmSync(strategyFile, { force: true }); // both or neither
    throw error;
  }
  return { strategyFile, testFile };
}

/** Creates `file` with `text`; fails if it exists (even when it appeared since the check above). */
function writeNew(file: string, text: string): void {
  const fd = openSync(file, 'wx');
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
}
