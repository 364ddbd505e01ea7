// Signed requests: API key lookup, HMAC-SHA256 signature over the exact parameter string, and the
// timestamp / recvWindow check against wall time, with Binance's error codes.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Account, Accounts } from './accounts.ts';
import { Errors } from './errors.ts';

const DEFAULT_RECV_WINDOW = 5000;
const MAX_RECV_WINDOW = 60_000;
/** How far ahead of the server a client's timestamp may be. */
const AHEAD_TOLERANCE = 1000;

export function hmacHex(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload).digest('hex');
}

function sameSignature(expected: string, given: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(given.toLowerCase(), 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Check timestamp and recvWindow (as parsed parameters) against wall time. */
export function checkTimestamp(timestampText: string | undefined, recvWindowText: string | undefined, wallNow: number): void {
  if (timestampText === undefined || !/^\d{1,20}$/.test(timestampText)) throw Errors.mandatory('timestamp');
  const timestamp = Number(timestampText);
  let recvWindow = DEFAULT_RECV_WINDOW;
  if (recvWindowText !== undefined) {
    if (!/^\d+(\.\d+)?$/.test(recvWindowText)) throw Errors.mandatory('recvWindow');
    recvWindow = Number(recvWindowText);
    if (recvWindow > MAX_RECV_WINDOW) throw Errors.recvWindowTooLarge();
  }
  if (timestamp > wallNow + AHEAD_TOLERANCE) throw Errors.aheadOfServer();
  if (wallNow - timestamp > recvWindow) throw Errors.outsideRecvWindow();
}

/** The account of an API key, or -2014 (missing/malformed) / -2015 (unknown). */
export function accountOf(accounts: Accounts, apiKey: string | undefined): Account {
  if (apiKey === undefined || apiKey === '' || !/^[\x21-\x7e]{1,128}$/.test(apiKey)) throw Errors.badApiKeyFormat();
  const account = accounts.byApiKey(apiKey);
  if (account === undefined) throw Errors.rejectedApiKey();
  return account;
}

/** Split a raw query or form body into its `key=value` parts, keeping the exact (encoded) text. */
function rawParts(text: string): string[] {
  return text === '' ? [] : text.split('&');
}

/**
 * Verify a signed REST request. The signed payload is the query string followed by the body (Binance's
 * totalParams), each without its `signature` parameter.
 */
export function verifyRestSignature(account: Account, rawQuery: string, rawBody: string, wallNow: number, params: Record<string, string>): void {
  checkTimestamp(params.timestamp, params.recvWindow, wallNow);
  let signature: string | undefined;
  const strip = (text: string): string =>
    rawParts(text)
      .filter((part) => {
        if (part.startsWith('signature=')) {
          signature = decodeURIComponent(part.slice('signature='.length));
          return false;
        }
        return true;
      })
      .join('&');
  const query = strip(rawQuery);
  const body = strip(rawBody);
  if (signature === undefined || signature === '') throw Errors.mandatory('signature');
  const payload = query + body;
  if (!sameSignature(hmacHex(account.secret, payload), signature)) throw Errors.badSignature();
}

/**
 * Verify a signed WebSocket API request: every parameter but `signature`, sorted by key, joined as
 * `key=value` with `&` (values as sent, not URL-encoded).
 */
export function verifyWsSignature(accounts: Accounts, params: Record<string, unknown>, wallNow: number): Account {
  const account = accountOf(accounts, typeof params.apiKey === 'string' ? params.apiKey : undefined);
  const text = (v: unknown): string | undefined => (v === undefined || v === null ? undefined : String(v));
  checkTimestamp(text(params.timestamp), text(params.recvWindow), wallNow);
  const signature = text(params.signature);
  if (signature === undefined || signature === '') throw Errors.mandatory('signature');
  const payload = Object.keys(params)
    .filter((key) => key !== 'signature')
    .sort()
    .map((key) => `${key}=${text(params[key]) ?? ''}`)
    .join('&');
  if (!sameSignature(hmacHex(account.secret, payload), signature)) throw Errors.badSignature();
  return account;
}
