// ccxt's error classes mapped into our VenueError tree by what the caller should do, and the retry
// policy that depends on that class only.
import ccxt from 'ccxt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toVenueError } from '../../src/adapters/ccxt/error-map.ts';
import { retryDelay, RETRY_POLICIES, VenueError, VenueErrorAction } from '../../src/common/venue-errors.ts';
import type { ExchangeSimHandle } from '../../src/exchange-sim/index.ts';
import { exchangeFor, type Exchange, startSim, SYMBOL } from './helpers.ts';

const A = VenueErrorAction;

/** Every class of ccxt's error hierarchy (4.5) and what the caller should do about it. */
const EXPECTED: Record<string, VenueErrorAction> = {
  BaseError: A.Fatal,
  ExchangeError: A.Fatal,
  ExchangeClosedByUser: A.Fatal,
  UnsubscribeError: A.Fatal,
  AuthenticationError: A.FixConfig,
  PermissionDenied: A.FixConfig,
  AccountNotEnabled: A.FixConfig,
  AccountSuspended: A.FixConfig,
  ArgumentsRequired: A.FixConfig,
  NotSupported: A.FixConfig,
  InvalidProxySettings: A.FixConfig,
  InvalidAddress: A.FixConfig,
  AddressPending: A.FixConfig,
  ManualInteractionNeeded: A.FixConfig,
  RestrictedLocation: A.FixConfig,
  BadRequest: A.InvalidOrder,
  BadSymbol: A.InvalidOrder,
  OperationRejected: A.InvalidOrder,
  NoChange: A.InvalidOrder,
  MarginModeAlreadySet: A.InvalidOrder,
  InvalidOrder: A.InvalidOrder,
  OrderImmediatelyFillable: A.InvalidOrder,
  OrderNotFillable: A.InvalidOrder,
  DuplicateOrderId: A.InvalidOrder,
  ContractUnavailable: A.InvalidOrder,
  InsufficientFunds: A.InsufficientFunds,
  OrderNotFound: A.NotFound,
  OrderNotCached: A.NotFound,
  MarketClosed: A.BackOff,
  DDoSProtection: A.BackOff,
  RateLimitExceeded: A.BackOff,
  OnMaintenance: A.BackOff,
  OperationFailed: A.Retry,
  NetworkError: A.Retry,
  ExchangeNotAvailable: A.Retry,
  InvalidNonce: A.Retry,
  ChecksumError: A.Retry,
  RequestTimeout: A.Retry,
  BadResponse: A.Retry,
  NullResponse: A.Retry,
  CancelPending: A.Retry,
};

const classes = ccxt as unknown as Record<string, new (message: string) => Error>;

describe('ccxt errors map to what the caller should do', () => {
  it('covers every error class the installed ccxt exports', () => {
    const BaseError = classes.BaseError!;
    const names = Object.entries(classes)
      .filter(([, value]) => typeof value === 'function' && (value === BaseError || value.prototype instanceof BaseError))
      .map(([name]) => name);
    expect(names.length, 'ccxt should export its error classes').toBeGreaterThan(30);
    const missing = names.filter((name) => !(name in EXPECTED));
    expect(missing, 'a ccxt error class without an expected action: decide what the caller should do and add it to the table').toEqual([]);
  });

  for (const [name, action] of Object.entries(EXPECTED)) {
    it(`${name} -> ${action}`, () => {
      const ErrorClass = classes[name];
      expect(ErrorClass, `ccxt should export ${name}`).toBeTypeOf('function');
      const error = toVenueError(new ErrorClass!(`binance something about ${name}`));
      expect(error, 'the result is always a VenueError').toBeInstanceOf(VenueError);
      expect(error.action, `${name} should map to ${action}: it decides whether the caller retries, backs off or stops`).toBe(action);
      expect(error.venueCode, 'the venue code keeps the ccxt class name for logs and audit').toBe(name);
      expect(error.retryable, `${name}: retryable exactly when the action is RETRY or BACK_OFF`).toBe(action === A.Retry || action === A.BackOff);
    });
  }

  it('network failures below ccxt are transient; anything else is fatal', () => {
    expect(toVenueError(new Error('socket hang up')).action, 'a dropped connection should be retried').toBe(A.Retry);
    expect(toVenueError(new Error('connect ECONNREFUSED 127.0.0.1:1')).action, 'a refused connection should be retried').toBe(A.Retry);
    expect(toVenueError(new TypeError('x is not a function')).action, 'a programming error must not be retried').toBe(A.Fatal);
    expect(toVenueError('a string').action, 'a thrown non-error is fatal').toBe(A.Fatal);
    const already = new VenueError(A.BackOff, 'slow down', 'custom', 1500);
    expect(toVenueError(already), 'a VenueError passes through unchanged').toBe(already);
  });
});

describe('retry policy by class', () => {
  const error = (action: VenueErrorAction, retryAfterMs?: number): VenueError => new VenueError(action, 'x', 'test', retryAfterMs);

  it('transient errors retry fast with exponential back-off and jitter in [0.5, 1] of the step', () => {
    const policy = RETRY_POLICIES.RETRY;
    for (let attempt = 1; attempt <= 6; attempt++) {
      const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
      expect(retryDelay(error(A.Retry), attempt, () => 0), `attempt ${attempt}: the shortest delay is half the step`).toBe(step / 2);
      expect(retryDelay(error(A.Retry), attempt, () => 1), `attempt ${attempt}: the longest delay is the step`).toBe(step);
    }
    expect(retryDelay(error(A.Retry), 1, () => 1), 'the first retry of a transient error comes within 100 ms').toBe(100);
    expect(retryDelay(error(A.Retry), 20, () => 1), 'delays are capped').toBe(policy.maxDelayMs);
  });

  it('rate limits back off longer, and never less than the venue asked (Retry-After)', () => {
    expect(retryDelay(error(A.BackOff), 1, () => 1), 'a back-off starts at a second').toBe(1000);
    expect(retryDelay(error(A.BackOff), 3, () => 1), 'and doubles').toBe(4000);
    expect(retryDelay(error(A.BackOff, 120_000), 1, () => 0), 'a ban of two minutes is waited out').toBe(120_000);
    expect(retryDelay(error(A.Retry, 1000), 1, () => 0), 'Retry-After applies to any class').toBe(1000);
  });

  it('only RETRY and BACK_OFF get more than one attempt', () => {
    for (const action of Object.values(A)) {
      const retryable = action === A.Retry || action === A.BackOff;
      expect(RETRY_POLICIES[action].maxAttempts > 1, `${action}: more than one attempt exactly when retryable`).toBe(retryable);
    }
  });
});

describe('errors as the local exchange produces them, through the real ccxt client', () => {
  let sim: ExchangeSimHandle;
  let exchange: Exchange;

  beforeAll(async () => {
    sim = await startSim({ speed: 0 });
    exchange = await exchangeFor(sim, { timeoutMs: 400 });
  });
  afterAll(async () => {
    await exchange.close();
    await sim.close();
  });

  const failure = async (spec: string, call: () => Promise<unknown>): Promise<VenueError> => {
    sim.admin.setFaults(spec);
    try {
      await call();
    } catch (raw) {
      return toVenueError(raw);
    } finally {
      sim.admin.setFaults({});
    }
    throw new Error(`no error with faults ${spec}`);
  };

  it('5xx is RETRY, a lost answer is RETRY, a hanging request is RETRY, 429 and 418 are BACK_OFF', async () => {
    expect((await failure('5xx=1', () => exchange.fetchTime())).action, 'HTTP 500/503 is transient').toBe(A.Retry);
    expect((await failure('lost=1', () => exchange.fetchTime())).action, 'a connection dropped without an answer is transient').toBe(A.Retry);
    expect((await failure('timeout=1', () => exchange.fetchTime())).action, 'a request timing out is transient').toBe(A.Retry);
    expect((await failure('429=1', () => exchange.fetchTime())).action, 'a rate limit means back off').toBe(A.BackOff);
    expect((await failure('ban=1', () => exchange.fetchTime())).action, 'an IP ban means back off').toBe(A.BackOff);
  });

  it('refusals of the order itself are not retried', async () => {
    const funds = await exchange.createOrder(SYMBOL, 'market', 'buy', 50).catch((raw: unknown) => toVenueError(raw));
    expect((funds as VenueError).action, 'buying 50 BTC with 100,000 USDT: insufficient funds').toBe(A.InsufficientFunds);
    const lot = await exchange.createOrder(SYMBOL, 'limit', 'buy', 0.001, 0.001).catch((raw: unknown) => toVenueError(raw));
    expect((lot as VenueError).action, 'a price far below the minimum notional is an invalid order').toBe(A.InvalidOrder);
    const unknown = await exchange.fetchOrder('999999', SYMBOL).catch((raw: unknown) => toVenueError(raw));
    expect((unknown as VenueError).action, 'an order the exchange does not have is NOT_FOUND').toBe(A.NotFound);
  });
});
