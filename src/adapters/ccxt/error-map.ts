// ccxt's exception classes mapped into our VenueError tree by what the caller should do.
import { VenueError, VenueErrorAction } from '../../common/index.ts';

/**
 * Most specific first: ccxt's classes inherit (OrderNotFound extends InvalidOrder, RateLimitExceeded
 * extends NetworkError), so the first name found on the error's prototype chain decides.
 */
export const ACTION_BY_CLASS: ReadonlyArray<readonly [string, VenueErrorAction]> = [
  ['OrderNotFound', VenueErrorAction.NotFound],
  // Not in ccxt's local cache: the exchange itself has to be asked, as for an unknown order.
  ['OrderNotCached', VenueErrorAction.NotFound],
  // The client id was used before: the caller asks for that order by client id.
  ['DuplicateOrderId', VenueErrorAction.InvalidOrder],
  ['InsufficientFunds', VenueErrorAction.InsufficientFunds],
  ['InvalidOrder', VenueErrorAction.InvalidOrder],
  ['BadSymbol', VenueErrorAction.InvalidOrder],
  ['AuthenticationError', VenueErrorAction.FixConfig],
  ['PermissionDenied', VenueErrorAction.FixConfig],
  ['AccountSuspended', VenueErrorAction.FixConfig],
  ['ArgumentsRequired', VenueErrorAction.FixConfig],
  ['InvalidProxySettings', VenueErrorAction.FixConfig],
  ['InvalidAddress', VenueErrorAction.FixConfig],
  ['ManualInteractionNeeded', VenueErrorAction.FixConfig],
  ['RestrictedLocation', VenueErrorAction.FixConfig],
  // The market is closed for now: wait, then try again.
  ['MarketClosed', VenueErrorAction.BackOff],
  ['OperationRejected', VenueErrorAction.InvalidOrder],
  // Includes ChecksumError (a broken order book stream: resubscribe).
  ['InvalidNonce', VenueErrorAction.Retry],
  ['RateLimitExceeded', VenueErrorAction.BackOff],
  ['DDoSProtection', VenueErrorAction.BackOff],
  ['OnMaintenance', VenueErrorAction.BackOff],
  ['ExchangeNotAvailable', VenueErrorAction.Retry],
  ['RequestTimeout', VenueErrorAction.Retry],
  ['NetworkError', VenueErrorAction.Retry],
  ['BadResponse', VenueErrorAction.Retry],
  ['CancelPending', VenueErrorAction.Retry],
  ['OperationFailed', VenueErrorAction.Retry],
  ['NotSupported', VenueErrorAction.FixConfig],
  ['BadRequest', VenueErrorAction.InvalidOrder],
  ['ExchangeError', VenueErrorAction.Fatal],
];

function classNames(error: object): string[] {
  const names: string[] = [];
  for (let proto = Object.getPrototypeOf(error); proto && proto !== Error.prototype; proto = Object.getPrototypeOf(proto)) {
    names.push(proto.constructor.name);
  }
  return names;
}

/** Wrap anything ccxt (or the network below it) throws. */
export function toVenueError(error: unknown): VenueError {
  if (error instanceof VenueError) return error;
  if (!(error instanceof Error)) return new VenueError(VenueErrorAction.Fatal, String(error), 'unknown');
  const names = classNames(error);
  const match = ACTION_BY_CLASS.find(([name]) => names.includes(name));
  const action = match ? match[1] : /ECONNRESET|ECONNREFUSED|socket hang up|ETIMEDOUT|fetch failed/i.test(error.message) ? VenueErrorAction.Retry : VenueErrorAction.Fatal;
  const retryAfter = /retry-after[":\s]+(\d+)/i.exec(error.message);
  return new VenueError(action, error.message, names[0] ?? error.name, retryAfter ? Number(retryAfter[1]) * 1000 : undefined, { cause: error });
}
