// The starter files `traider new strategy NAME` writes are examples/my-strategy.ts and examples/my-strategy.test.ts
// with the example's name swapped for NAME: one copy of the starter, kept as real files (not text in a string) so
// that tsc and `npm run lint` check the code a user gets. examples/ ships in the package (package.json "files").
import { readFileSync } from 'node:fs';

export interface StarterNames {
  /** The strategy's name, and its files' (my-first). */
  readonly name: string;
  /** Its class (MyFirst). */
  readonly className: string;
}

/** The names the example files are written with; every occurrence of either is replaced. */
const EXAMPLE_NAMES: StarterNames = { name: 'my-strategy', className: 'MyStrategy' };
const EXAMPLES = new URL('../../../examples/', import.meta.url);
const EXAMPLE_NAME_OR_CLASS = new RegExp(`${EXAMPLE_NAMES.name}|${EXAMPLE_NAMES.className}`, 'g');

/**
 * The example file `file` for `names`, renamed in one pass: a new name that holds the example's class name
 * (copy-of-MyStrategy) is not renamed again.
 */
function fromExample(file: string, names: StarterNames): string {
  const text = readFileSync(new URL(file, EXAMPLES), 'utf8');
  return text.replace(EXAMPLE_NAME_OR_CLASS, (found) => (found === EXAMPLE_NAMES.name ? names.name : names.className));
}

export function starterStrategy(names: StarterNames): string {
  return fromExample(`${EXAMPLE_NAMES.name}.ts`, names);
}

export function starterTest(names: StarterNames): string {
  return fromExample(`${EXAMPLE_NAMES.name}.test.ts`, names);
}
