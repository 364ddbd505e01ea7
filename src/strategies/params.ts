// Parameter parsing for strategies, built-in and user alike: unknown keys rejected, every problem listed with
// its name, the value given and the rule it broke.
import { z } from 'zod';

export class StrategyParameterError extends Error {
  /** Each problem as `<parameter>: <rule>`. */
  readonly problems: readonly string[];
  constructor(strategy: string, problems: string[]) {
    super(`invalid parameters for ${strategy} (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n  ${problems.join('\n  ')}`);
    this.name = 'StrategyParameterError';
    this.problems = problems;
  }
}

/** What a strategy's `static params` must offer: zod's `safeParse` (any zod schema has it). */
export interface ParameterSchema {
  safeParse(value: unknown): { success: true; data: unknown } | { success: false; error: { issues: readonly z.core.$ZodIssue[] } };
}

export function isParameterSchema(value: unknown): value is ParameterSchema {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as ParameterSchema).safeParse === 'function';
}

/**
 * The parameter names of an object schema that drops keys it does not name (zod's `z.object`, whose default is to
 * strip them silently): those keys are reported here as unknown. Undefined for any other schema: `z.strictObject`
 * reports them itself, `z.looseObject` accepts them on purpose, and other schemas have no names to compare.
 */
function strippingObjectKeys(schema: unknown): readonly string[] | undefined {
  const def = (schema as { def?: { type?: unknown; catchall?: unknown } }).def;
  const shape = (schema as { shape?: unknown }).shape;
  if (def?.type !== 'object' || def.catchall !== undefined || typeof shape !== 'object' || shape === null) return undefined;
  return Object.keys(shape);
}

/** The names an object schema knows, for the hint after an unknown parameter. */
function knownKeys(schema: unknown): readonly string[] {
  const shape = (schema as { shape?: unknown }).shape;
  return typeof shape === 'object' && shape !== null ? Object.keys(shape) : [];
}

const shown = (value: unknown): string => (value === undefined ? '(missing)' : `(got ${JSON.stringify(value)})`);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Validates `raw` against `schema`: the parsed parameters (defaults applied), or a StrategyParameterError listing every problem. */
export function parseParameters<S extends z.ZodType>(strategy: string, schema: S, raw: unknown): z.infer<S>;
export function parseParameters(strategy: string, schema: ParameterSchema, raw: unknown): unknown;
export function parseParameters(strategy: string, schema: ParameterSchema, raw: unknown): unknown {
  const given = raw ?? {};
  const result = schema.safeParse(given);
  const known = knownKeys(schema);
  const hint = known.length > 0 ? `; known: ${known.join(', ')}` : '';
  const unknown = (key: string): string => `${key}: unknown parameter ${shown(isPlainObject(given) ? given[key] : undefined)}${hint}`;
  const problems: string[] = [];
  const stripping = strippingObjectKeys(schema);
  if (stripping !== undefined && isPlainObject(given)) {
    for (const key of Object.keys(given)) if (!stripping.includes(key)) problems.push(unknown(key));
  }
  if (!result.success) {
    for (const issue of result.error.issues) {
      if (issue.code === 'unrecognized_keys' && issue.path.length === 0) {
        problems.push(...issue.keys.map(unknown));
        continue;
      }
      const path = issue.path.join('.') || '(params)';
      const got = issue.path.reduce<unknown>((value, key) => (value as Record<PropertyKey, unknown> | undefined)?.[key as PropertyKey], given);
      problems.push(`${path}: ${issue.message} ${shown(got)}`);
    }
  }
  if (problems.length > 0) throw new StrategyParameterError(strategy, problems);
  return (result as { data: unknown }).data;
}

export const fraction = z.number().gt(0).lte(1);
export const period = z.number().int().gte(1);
