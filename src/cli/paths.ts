// Checks of path-taking flags before a command does anything else: a missing file or directory is reported as
// `--flag: no such file: PATH`, before any inference from the name (a misspelt data file must not read as
// "cannot infer the market of NOPE") and before any connection or work.
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** A path-taking flag names a file or directory that is not there (exit code 1, like any refused input value). */
export class PathError extends Error {
  override name = 'PathError';
}

function kindOf(path: string): 'file' | 'directory' | 'missing' {
  if (!existsSync(path)) return 'missing';
  return statSync(path).isDirectory() ? 'directory' : 'file';
}

/** An existing file (not a directory) that the command reads. */
export function requireFile(flag: string, path: string): void {
  const kind = kindOf(path);
  if (kind === 'missing') throw new PathError(`${flag}: no such file: ${path}`);
  if (kind === 'directory') throw new PathError(`${flag}: ${path} is a directory, not a file`);
}

/** Every file of a list flag (`--data a.csv,b.csv`). */
export function requireFiles(flag: string, paths: readonly string[]): void {
  for (const path of paths) requireFile(flag, path);
}

/**
 * A file the command creates (a new database): its directory must exist, so that a typo does not silently put
 * the journal in a new tree of directories where a later `runs list` will not look.
 */
export function requireParentDirectory(flag: string, path: string): void {
  const parent = dirname(resolve(path));
  const kind = kindOf(parent);
  if (kind === 'missing') throw new PathError(`${flag}: no such directory: ${dirname(path)} (the directory that would hold ${path}; create it first)`);
  if (kind === 'file') throw new PathError(`${flag}: ${dirname(path)} is a file, not a directory (the directory that would hold ${path})`);
}

/**
 * An output directory the command creates with its parents (`--out out/btc-sma` in a fresh checkout): refused
 * before the run when it cannot be created (a file in the way, a read-only ancestor), not after it.
 */
export function requireCreatableDirectory(flag: string, path: string): void {
  const kind = kindOf(path);
  if (kind === 'file') throw new PathError(`${flag}: ${path} is a file, not a directory`);
  if (kind === 'directory') return;
  let ancestor = dirname(resolve(path));
  while (kindOf(ancestor) === 'missing' && dirname(ancestor) !== ancestor) ancestor = dirname(ancestor);
  if (kindOf(ancestor) === 'file') throw new PathError(`${flag}: cannot create ${path}: ${ancestor} is a file, not a directory`);
  try {
    accessSync(ancestor, constants.W_OK | constants.X_OK);
  } catch {
    throw new PathError(`${flag}: cannot create ${path}: directory ${ancestor} is not writable`);
  }
}

/** Mirrors the strategy loader: a name with a slash or a script extension is a file, anything else a built-in name. */
function looksLikeStrategyFile(spec: string): boolean {
  return spec.includes('/') || spec.includes('\\') || /\.(ts|mts|js|mjs)$/.test(spec);
}

/** `--strategy NAME|FILE`: a file that must exist; built-in names are the strategy loader's business. */
export function requireStrategyFile(flag: string, spec: string): void {
  if (looksLikeStrategyFile(spec)) requireFile(flag, spec);
}

/** A SQLite path as the store reads it (postgres:// URLs and in-memory databases have no file). */
function sqlitePath(target: string): string | undefined {
  const text = target.trim();
  if (text === '' || text === ':memory:' || /^postgres(ql)?:/i.test(text) || /^file:/i.test(text)) return undefined;
  if (/^sqlite:/i.test(text)) return text.replace(/^sqlite:(\/\/)?/i, '');
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? undefined : text;
}

/**
 * `--db` (or TRAIDER_DB) for a command that writes the journal: a SQLite file's directory must exist. The default
 * database (./traider-data/traider.db, used when neither is given) is the one path whose directory is created.
 */
export function requireWritableDb(flag: string, target: string | undefined): void {
  if (target === undefined) return;
  const path = sqlitePath(target);
  if (path !== undefined && path !== '') requireParentDirectory(flag, path);
}

/** `--db` for a command that only reads the journal: a SQLite file must exist. */
export function requireExistingDb(flag: string, target: string): void {
  const path = sqlitePath(target);
  if (path !== undefined && path !== '' && kindOf(path) === 'missing') throw new PathError(`${flag}: no such file: ${path} (no journal database there)`);
}

/** The help text of every command's --db flag. */
export const DB_HELP = 'SQLite file or postgres:// URL (default: $TRAIDER_DB, else ./traider-data/traider.db)';
