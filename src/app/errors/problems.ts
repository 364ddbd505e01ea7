// A request refused for several reasons at once: each problem names where (a path in the request), the value found
// there and the rule it breaks. The server answers 400 with the list; the CLI prints one line per problem.
export interface Problem {
  /** Where in the request: `body.capital`, `params.name`, `body.params.fast`; '' for the request as a whole. */
  readonly path: string;
  /** The value found there, when there is one. */
  readonly value?: unknown;
  readonly rule: string;
}

export class InvalidRequestError extends Error {
  override name = 'InvalidRequestError';
  constructor(readonly problems: readonly Problem[]) {
    super(`invalid request (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map((p) => `  ${p.path === '' ? '' : `${p.path}: `}${p.rule}`).join('\n')}`);
  }
}
