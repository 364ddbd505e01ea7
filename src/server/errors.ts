// How the API answers what goes wrong: 400 with every problem listed for bad input, 404, 409, 403, and 500 without
// internals. Problems name where (body.capital, params.name, query.limit), the value found and the rule.
import type { FastifyError, FastifyReply } from 'fastify';
import { InputError, InvalidRequestError, type Problem } from '../app/errors/index.ts';
import { DeploymentStateError, ForbiddenError } from '../app/deployments/index.ts';
import { StoreError } from '../common/index.ts';

export const BODY_LIMIT_BYTES = 1_048_576;

export function badRequest(reply: FastifyReply, problems: readonly Problem[]): FastifyReply {
  return reply.code(400).send({ error: 'invalid request', problems });
}

/** Fastify's own refusals of a body (too large, not JSON, wrong content type) as problems. */
function bodyProblem(error: FastifyError): Problem | undefined {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { path: 'body', rule: `must be at most ${BODY_LIMIT_BYTES} bytes (1 MiB)` };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { path: 'body', rule: 'must be application/json' };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { path: 'body', rule: 'is empty: send a JSON object' };
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return { path: 'body', rule: 'is not valid JSON (or sets __proto__ or constructor.prototype)' };
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return { path: 'body', rule: 'content-length does not match the body' };
    default:
      return undefined;
  }
}

export function answerError(error: unknown, reply: FastifyReply, log: (line: string) => void): FastifyReply {
  if (error instanceof InvalidRequestError) return badRequest(reply, error.problems);
  if (error instanceof InputError) {
    if (error.name === 'NotFoundError') return reply.code(404).send({ error: error.message });
    return badRequest(reply, [{ path: `body.${error.field}`, ...(error.value === undefined ? {} : { value: error.value }), rule: error.message }]);
  }
  if (error instanceof ForbiddenError) return reply.code(403).send({ error: error.message });
  if (error instanceof DeploymentStateError) return reply.code(409).send({ error: error.message });
  if (error instanceof StoreError && error.code === 'CONFLICT') return reply.code(409).send({ error: `${error.message}: read it again and retry` });
  const fastifyError = error as FastifyError;
  const problem = typeof fastifyError?.code === 'string' ? bodyProblem(fastifyError) : undefined;
  if (problem !== undefined) return badRequest(reply, [problem]);
  if (typeof fastifyError?.statusCode === 'number' && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) return badRequest(reply, [{ path: '', rule: fastifyError.message }]);
  log(`internal error: ${(error as Error)?.stack ?? String(error)}`);
  return reply.code(500).send({ error: 'internal error (logged by the server)' });
}
