// TRAIDER_* environment variables as a configuration layer.
// TRAIDER_FILL__PARTICIPATION_CAP=0.1 -> { fill: { participationCap: 0.1 } }
import type { ConfigIssue } from './errors.ts';
import { setOwn } from './merge.ts';
import type { PlainObject } from './merge.ts';

export const ENV_PREFIX = 'TRAIDER_';
const SEGMENT_RE = /^[A-Za-z0-9]+(_[A-Za-z0-9]+)*$/;

/** UPPER_SNAKE -> camelCase: PARTICIPATION_CAP -> participationCap. */
export function camelCaseOf(segment: string): string {
  return segment
    .toLowerCase()
    .split('_')
    .map((word, i) => (i === 0 ? word : word.charAt(0).toUpperCase() + word.slice(1)))
    .join('');
}

/** JSON when it parses (numbers, booleans, objects, quoted strings), otherwise the raw string. */
export function parseEnvValue(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}

export interface EnvVariable {
  name: string;
  path: string[];
  value: unknown;
}

/**
 * The configuration variables among `env`: those named TRAIDER_<SECTION>[__<KEY>...] with a known section.
 * Other TRAIDER_* variables belong to other parts of the program and are skipped. Variables with a known
 * section but a malformed name are returned as issues. Sorted shallow paths first, so a more specific
 * variable wins over a whole-object one.
 */
export function configVariables(
  env: Readonly<Record<string, string | undefined>>,
  sections: readonly string[],
): { variables: EnvVariable[]; issues: ConfigIssue[] } {
  const variables: EnvVariable[] = [];
  const issues: ConfigIssue[] = [];
  for (const [name, raw] of Object.entries(env)) {
    if (raw === undefined || !name.startsWith(ENV_PREFIX)) continue;
    const segments = name.slice(ENV_PREFIX.length).split('__');
    const first = segments[0]!;
    if (!SEGMENT_RE.test(first) || !sections.includes(camelCaseOf(first))) continue;
    if (!segments.every((s) => SEGMENT_RE.test(s))) {
      issues.push({
        path: '',
        message: `${name}: malformed variable name (expected TRAIDER_SECTION__KEY with keys in UPPER_SNAKE joined by "__")`,
        source: name,
      });
      continue;
    }
    variables.push({ name, path: segments.map(camelCaseOf), value: parseEnvValue(raw) });
  }
  variables.sort((a, b) => a.path.length - b.path.length || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { variables, issues };
}

/** One variable as a nested partial object: ['fill', 'participationCap'], 0.1 -> { fill: { participationCap: 0.1 } }. */
export function objectAt(path: readonly string[], value: unknown): PlainObject {
  const root: PlainObject = {};
  let node = root;
  path.forEach((key, i) => {
    if (i === path.length - 1) {
      setOwn(node, key, value);
    } else {
      const child: PlainObject = {};
      setOwn(node, key, child);
      node = child;
    }
  });
  return root;
}
