// Parameter parsing for strategies: strict (unknown keys rejected), every problem listed with its name.
import { z } from 'zod';

export class StrategyParameterError extends Error {
  constructor(strategy: string, problems: string[]) {
    super(`invalid parameters for ${strategy} (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n  ${problems.join('\n  ')}`);
    this.name = 'StrategyParameterError';
  }
}

export function parseParameters<S extends z.ZodType>(strategy: string, schema: S, raw: unknown): z.infer<S> {
  const result = schema.safeParse(raw ?? {});
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const path = issue.path.join('.') || '(params)';
    if (issue.code === 'unrecognized_keys') return `${issue.keys.join(', ')}: unknown parameter`;
    const got = issue.path.reduce<unknown>((value, key) => (value as Record<PropertyKey, unknown> | undefined)?.[key as PropertyKey], raw);
    return `${path}: ${issue.message}${got === undefined ? '' : ` (got ${JSON.stringify(got)})`}`;
  });
  throw new StrategyParameterError(strategy, problems);
}

export const fraction = z.number().gt(0).lte(1);
export const period = z.number().int().gte(1);
