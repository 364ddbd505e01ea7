// The CLI's side of the API: `traider deploy` and `traider status` send their requests to a running
// `traider serve` (--server and --token, or TRAIDER_SERVER and TRAIDER_TOKEN) and print its answers.
import type { Command } from 'commander';
import { UsageError } from './errors.ts';

export interface ApiFlags {
  server?: string;
  token?: string;
}

export function addApiFlags(command: Command): Command {
  return command
    .option('--server <url>', 'the traider server (default: $TRAIDER_SERVER, else http://127.0.0.1:8080)')
    .option('--token <token>', 'an API token (default: $TRAIDER_TOKEN); `traider tokens create` issues one');
}

/** An answer the server refused: the message has every problem it listed, one per line. */
export class ApiRequestError extends Error {
  override name = 'ApiRequestError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function refusal(status: number, body: unknown, what: string): ApiRequestError {
  const answer = (body ?? {}) as { error?: string; problems?: { path: string; value?: unknown; rule: string }[] };
  const problems = answer.problems ?? [];
  const lines = problems.map((p) => `  ${p.path === '' ? '' : `${p.path}: `}${p.rule}${p.value === undefined || p.rule.includes('(got') ? '' : ` (got ${JSON.stringify(p.value)})`}`);
  const head = `${what}: ${status} ${answer.error ?? ''}`.trim();
  return new ApiRequestError(status, [problems.length > 0 ? `${head} (${problems.length} problem${problems.length === 1 ? '' : 's'}):` : head, ...lines].join('\n'));
}

/** Sends one request and returns the parsed JSON answer; refusals and unreachable servers throw with a clear message. */
export async function callApi(flags: ApiFlags, method: string, path: string, body?: unknown): Promise<unknown> {
  const server = (flags.server ?? (process.env.TRAIDER_SERVER || 'http://127.0.0.1:8080')).replace(/\/+$/, '');
  const token = flags.token ?? process.env.TRAIDER_TOKEN;
  if (!/^https?:\/\/[^/]+$/.test(server)) throw new UsageError(`--server: expected http(s)://host:port (got "${server}")`);
  if (token === undefined || token === '') throw new UsageError('--token: needed (or TRAIDER_TOKEN): `traider tokens create --name NAME --role operator` issues one');
  const what = `${method} ${path}`;
  let response: Response;
  try {
    response = await fetch(`${server}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const why = cause?.code ?? cause?.message ?? (error as Error).message;
    throw new ApiRequestError(0, `cannot reach the traider server at ${server} (${why}): is \`traider serve\` running there?`);
  }
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = { error: text.slice(0, 200) };
  }
  if (!response.ok) throw refusal(response.status, parsed, what);
  return parsed;
}
