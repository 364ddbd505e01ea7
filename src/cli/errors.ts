// Turning errors into one clear line (or block) on stderr and an exit code.
import { InputError } from '../app/errors/index.ts';

/** A problem with what the user typed: the message says which flag and why. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export const ExitCode = { Ok: 0, Failure: 1, Usage: 2 } as const;

const KNOWN_INPUT_ERRORS = new Set([
  'UsageError',
  'ConfigError',
  'DataError',
  'DataOptionError',
  'StrategyParameterError',
  'StrategyLoadError',
  'RangeError',
  'DataFileNotFoundError',
  'PathError',
  'InvalidRequestError',
  'ApiRequestError',
]);

/** Request fields whose flag is not the field in kebab case. */
const FLAG_OF_FIELD: Readonly<Record<string, string>> = {
  dataFiles: 'data',
  referenceUrls: 'reference-url',
};

/** The flag that sets a field of a use-case's request: `dataFiles` is --data, `runId` is --run-id. */
export function flagOf(field: string): string {
  return `--${FLAG_OF_FIELD[field] ?? field.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
}

export function reportError(error: unknown, write: (text: string) => void): number {
  if (error instanceof InputError) {
    write(`error: ${error.describe(flagOf)}\n`);
    return ExitCode.Failure;
  }
  // The loader's "no such file" (commands check their paths first; this is the net): bar files come from --data.
  if (error instanceof Error && error.name === 'DataFileNotFoundError') {
    write(`error: --data: ${error.message}\n`);
    return ExitCode.Failure;
  }
  if (error instanceof Error) {
    const known = KNOWN_INPUT_ERRORS.has(error.name) || KNOWN_INPUT_ERRORS.has(error.constructor.name);
    write(`error: ${error.message}\n`);
    if (!known && process.env.TRAIDER_DEBUG) write(`${error.stack}\n`);
    return error.name === 'UsageError' ? ExitCode.Usage : ExitCode.Failure;
  }
  write(`error: ${String(error)}\n`);
  return ExitCode.Failure;
}
