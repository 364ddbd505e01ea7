// withRetry: one retry loop driven by the error class (RETRY_POLICIES), fed by ccxt's error table.
import ccxt from 'ccxt';
import { describe, expect, it } from 'vitest';
import { toVenueError } from '../../src/adapters/ccxt/error-map.ts';
import { RETRY_POLICIES, type RetryRunner, VenueError, VenueErrorAction, withRetry } from '../../src/common/venue-errors.ts';

interface Subject {
  readonly name: string;
  retried: VenueError[];
}

function runner(delays: number[]): RetryRunner<Subject> {
  return {
    toError: toVenueError,
    random: () => 1,
    sleep: async (ms) => {
      delays.push(ms);
    },
    onRetry: (error, subject) => subject.retried.push(error),
  };
}

/** An action that throws the given errors in turn, then answers with the attempt it succeeded on. */
function failing(...errors: unknown[]): { action: (subject: Subject, attempt: number) => Promise<string>; attempts: number[]; subjects: Subject[] } {
  const attempts: number[] = [];
  const subjects: Subject[] = [];
  return {
    attempts,
    subjects,
    action: async (subject, attempt) => {
      attempts.push(attempt);
      subjects.push(subject);
      const error = errors.shift();
      if (error !== undefined) throw error;
      return `${subject.name} on attempt ${attempt}`;
    },
  };
}

describe('withRetry', () => {
  it('retries transient errors with the RETRY policy, passing the subject and the attempt number', async () => {
    const delays: number[] = [];
    const subject: Subject = { name: 'order', retried: [] };
    const { action, attempts, subjects } = failing(new ccxt.RequestTimeout('timed out'), new ccxt.ExchangeNotAvailable('503'));
    expect(await withRetry(action, subject, runner(delays))).toBe('order on attempt 3');
    expect(attempts).toEqual([1, 2, 3]);
    expect(subjects.every((s) => s === subject), 'the same subject every time').toBe(true);
    expect(delays, 'RETRY: 100 then 200 ms with the jitter at its top').toEqual([100, 200]);
    expect(subject.retried.map((e) => e.action), 'onRetry sees each retried failure as a VenueError').toEqual([VenueErrorAction.Retry, VenueErrorAction.Retry]);
  });

  it('backs off longer on rate limits', async () => {
    const delays: number[] = [];
    const { action } = failing(new ccxt.RateLimitExceeded('429'), new ccxt.DDoSProtection('418'));
    await withRetry(action, { name: 'q', retried: [] }, runner(delays));
    expect(delays, 'BACK_OFF: 1 s then 2 s').toEqual([1000, 2000]);
  });

  it('gives up after the attempts of the policy and throws the last failure as a VenueError', async () => {
    const delays: number[] = [];
    const subject: Subject = { name: 'q', retried: [] };
    const errors = Array.from({ length: 10 }, (_, i) => new ccxt.NetworkError(`socket hang up ${i}`));
    const { action, attempts } = failing(...errors);
    const thrown = await withRetry(action, subject, runner(delays)).catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(VenueError);
    expect((thrown as VenueError).message).toBe(`socket hang up ${RETRY_POLICIES.RETRY.maxAttempts - 1}`);
    expect(attempts.length, 'exactly maxAttempts tries').toBe(RETRY_POLICIES.RETRY.maxAttempts);
    expect(delays.length, 'a wait between tries, none after the last').toBe(RETRY_POLICIES.RETRY.maxAttempts - 1);
    expect(subject.retried.length).toBe(RETRY_POLICIES.RETRY.maxAttempts - 1);
  });

  it.each([
    ['InvalidOrder', new ccxt.InvalidOrder('bad price'), VenueErrorAction.InvalidOrder],
    ['AuthenticationError', new ccxt.AuthenticationError('bad key'), VenueErrorAction.FixConfig],
    ['InsufficientFunds', new ccxt.InsufficientFunds('no money'), VenueErrorAction.InsufficientFunds],
    ['OrderNotFound', new ccxt.OrderNotFound('unknown order'), VenueErrorAction.NotFound],
    ['a programming error', new TypeError('x is not a function'), VenueErrorAction.Fatal],
  ])('does not retry %s', async (_name, error, action) => {
    const delays: number[] = [];
    const subject: Subject = { name: 'q', retried: [] };
    const { action: call, attempts } = failing(error);
    const thrown = await withRetry(call, subject, runner(delays)).catch((e: unknown) => e);
    expect((thrown as VenueError).action).toBe(action);
    expect(attempts).toEqual([1]);
    expect(delays).toEqual([]);
    expect(subject.retried).toEqual([]);
  });

  it('waits at least what the venue asked (Retry-After)', async () => {
    const delays: number[] = [];
    const { action } = failing(new VenueError(VenueErrorAction.Retry, 'slow down', 'custom', 1500));
    await withRetry(action, { name: 'q', retried: [] }, runner(delays));
    expect(delays).toEqual([1500]);
  });

  it('works without an onRetry hook', async () => {
    const { action } = failing(new ccxt.RequestTimeout('timed out'));
    const plain: RetryRunner<Subject> = { toError: toVenueError, random: () => 0, sleep: async () => undefined };
    expect(await withRetry(action, { name: 'q', retried: [] }, plain)).toBe('q on attempt 2');
  });
});
