// Rate limits (@fastify/rate-limit's counters, one-minute windows): per API token for authenticated requests, and
// per client address for everything without valid credentials (none, wrong or revoked ones, login, the public
// routes). The auth hook drives them, because which budget a request spends depends on who it turns out to be:
//   - before a presented credential is checked, the address budget is read (not spent): an address that used it up
//     gets 429 without the cost of verifying (scrypt for a token whose secret is not known yet), so a flood of
//     wrong credentials is stopped by its address;
//   - a credential that fails spends from the address budget; one that holds spends from its token's budget.
import fastifyRateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DEFAULT_RATE_LIMIT_ADDRESS, DEFAULT_RATE_LIMIT_TOKEN, type EdgeSettings } from './settings.ts';

const WINDOW_MS = 60_000;

type Limiter = ReturnType<FastifyInstance['createRateLimit']>;

export interface RateLimits {
  /** Spends one request from the client address's budget; true when it answered 429 (over the budget). */
  spendAddress(request: FastifyRequest, reply: FastifyReply): Promise<boolean>;
  /** Reads the address's budget without spending; true when it answered 429 (nothing left this minute). */
  checkAddress(request: FastifyRequest, reply: FastifyReply): Promise<boolean>;
  /** Spends one request from the budget of request.principal's token; true when it answered 429. */
  spendToken(request: FastifyRequest, reply: FastifyReply): Promise<boolean>;
}

/** Registers the plugin's counters (no route hook of its own: global false) and answers the auth hook's questions. */
export function registerRateLimits(app: FastifyInstance, settings: EdgeSettings): RateLimits {
  const perToken = settings.rateLimitToken ?? DEFAULT_RATE_LIMIT_TOKEN;
  const perAddress = settings.rateLimitAddress ?? DEFAULT_RATE_LIMIT_ADDRESS;
  void app.register(fastifyRateLimit, { global: false });
  // The plugin's decorators exist once it has loaded; requests come only after that.
  let address: Limiter | undefined;
  let token: Limiter | undefined;
  const addressLimiter = (): Limiter => (address ??= app.createRateLimit({ max: perAddress, timeWindow: WINDOW_MS }));
  const tokenLimiter = (): Limiter => (token ??= app.createRateLimit({ max: perToken, timeWindow: WINDOW_MS, keyGenerator: (request) => `token:${request.principal!.tokenId}` }));

  const refuse = (reply: FastifyReply, limit: 'token' | 'address', max: number, retryAfter: number, who: string): true => {
    const seconds = Math.max(1, retryAfter);
    void reply
      .code(429)
      .header('retry-after', String(seconds))
      .send({ error: `rate limit: at most ${max} requests a minute per ${limit === 'token' ? `API token (${who})` : `client address without valid credentials (${who})`}; retry in ${seconds} s`, limit, max, retryAfterSeconds: seconds });
    return true;
  };

  return {
    async spendAddress(request, reply) {
      const result = await addressLimiter()(request);
      return !result.isAllowed && result.isExceeded ? refuse(reply, 'address', perAddress, result.ttlInSeconds, request.ip) : false;
    },
    async checkAddress(request, reply) {
      const result = await addressLimiter()(request, { increment: false });
      return !result.isAllowed && result.remaining <= 0 && result.ttl > 0 ? refuse(reply, 'address', perAddress, result.ttlInSeconds, request.ip) : false;
    },
    async spendToken(request, reply) {
      const result = await tokenLimiter()(request);
      return !result.isAllowed && result.isExceeded ? refuse(reply, 'token', perToken, result.ttlInSeconds, request.principal!.name) : false;
    },
  };
}
