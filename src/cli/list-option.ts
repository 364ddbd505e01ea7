// The one list syntax of the command line: a flag that takes several values accepts a comma list, the flag
// repeated, or both (`--data a.csv,b.csv`, `--data a.csv --data b.csv`, `--data a.csv,b.csv --data c.csv`).
import { Option } from 'commander';

/** Splits one use of a list flag on commas; blanks around and between commas are dropped. */
export function splitList(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/** Commander's parser for a list flag: each use adds its comma-separated values to the earlier ones. */
export function collectList(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), ...splitList(value)];
}

/**
 * A flag taking several values, e.g. listOption('--data <files>', 'CSV file(s)'). The parsed value is a
 * string[] (undefined when the flag is absent); the help text says how to give several.
 */
export function listOption(flags: string, description: string): Option {
  return new Option(flags, `${description} (several: comma-separated or repeat the flag)`).argParser(collectList);
}
