// Checks on journal records before they reach a database: bad values fail the caller, not a whole batch.
import { ApiRole, type DeploymentRecord, StoreError, StoreErrorCode, type TokenRecord } from '../common/index.ts';
import { canonicalJson } from './canonical-json.ts';

function invalid(what: string, field: string, value: unknown, rule: string): never {
  throw new StoreError(StoreErrorCode.InvalidRecord, `${what}.${field}: ${rule} (got ${typeof value === 'bigint' ? `${value}n` : JSON.stringify(value) ?? String(value)})`);
}

/** A finite number. */
export function checkNumber(what: string, field: string, value: unknown): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) invalid(what, field, value, 'expected a finite number');
}

export function checkNullableNumber(what: string, field: string, value: unknown): void {
  if (value !== null) checkNumber(what, field, value);
}

/** Left out (or null), or a number above zero. */
export function checkAbsentOrPositive(what: string, field: string, value: unknown): void {
  if (value !== undefined && value !== null && !(typeof value === 'number' && Number.isFinite(value) && value > 0)) invalid(what, field, value, 'expected a number above 0, or no value');
}

/** A time: an integer number of UTC milliseconds. */
export function checkTime(what: string, field: string, value: unknown): void {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) invalid(what, field, value, 'expected integer UTC milliseconds');
}

export function checkText(what: string, field: string, value: unknown): void {
  if (typeof value !== 'string' || value.length === 0) invalid(what, field, value, 'expected a non-empty string');
}

export function checkNullableText(what: string, field: string, value: unknown): void {
  if (value !== null && typeof value !== 'string') invalid(what, field, value, 'expected a string or null');
}

/** Ledger units fit a signed 64-bit column. */
export function checkLedger(what: string, field: string, value: unknown): void {
  if (typeof value !== 'bigint' || value > 9223372036854775807n || value < -9223372036854775808n) {
    invalid(what, field, value, 'expected a bigint of ledger units within 64 bits');
  }
}

export function checkNullableTime(what: string, field: string, value: unknown): void {
  if (value !== null) checkTime(what, field, value);
}

/** One of a fixed set of strings. */
function oneOf(values: readonly string[]): (what: string, field: string, value: unknown) => void {
  return (what, field, value) => {
    if (typeof value !== 'string' || !values.includes(value)) invalid(what, field, value, `expected one of ${values.join(', ')}`);
  };
}

/** A finite number above zero. */
export function checkPositive(what: string, field: string, value: unknown): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) invalid(what, field, value, 'expected a finite number above 0');
}

/** A version: an integer from 1. */
export function checkVersion(what: string, field: string, value: unknown): void {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) invalid(what, field, value, 'expected an integer >= 1');
}

/** The canonical JSON of a value; a value it cannot hold (NaN, Infinity, a function) is INVALID_RECORD naming the field. */
export function canonicalText(what: string, field: string, value: unknown, expected = 'a JSON value'): string {
  try {
    return canonicalJson(value);
  } catch (error) {
    throw new StoreError(StoreErrorCode.InvalidRecord, `${what}.${field}: expected ${expected}: ${(error as Error).message}`);
  }
}

/** A JSON object (not an array or null) that canonical JSON can write. */
export function checkJsonObject(what: string, field: string, value: unknown): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) invalid(what, field, value, 'expected a JSON object');
  canonicalText(what, field, value, 'a JSON object');
}

/** A non-empty list of non-empty strings. */
export function checkTextList(what: string, field: string, value: unknown): void {
  if (!Array.isArray(value) || value.length === 0 || value.some((item) => typeof item !== 'string' || item.length === 0)) {
    invalid(what, field, value, 'expected a non-empty list of non-empty strings');
  }
}

/** Checks each named field of each record with its rule. */
export function checkRecords<T>(what: string, records: readonly T[], rules: { readonly [K in keyof T]?: (what: string, field: string, value: unknown) => void }): void {
  const entries = Object.entries(rules) as Array<[string, (what: string, field: string, value: unknown) => void]>;
  for (let i = 0; i < records.length; i++) {
    const record = records[i] as Record<string, unknown>;
    for (const [field, rule] of entries) rule(`${what}[${i}]`, field, record[field]);
  }
}

/** The modes and statuses a deployment may have. */
const DEPLOYMENT_MODES = ['PAPER', 'LIVE_MINIMAL', 'LIVE_SCALED', 'EMERGENCY_STOP'];
const DEPLOYMENT_STATUSES = ['ACTIVE', 'PAUSED', 'STOPPED'];

const num = checkNumber;
const optNum = checkNullableNumber;
const time = checkTime;
const text = checkText;
const optText = checkNullableText;
const ledger = checkLedger;

/** The rules per record type, shared by the journal (at append) and the adapters (at write). */
export const RECORD_RULES = {
  runs: { id: text, kind: text, strategy: text, actor: text, startedAt: time, market: optText, timeframe: optText, mode: optText },
  runEnds: { runId: text, status: text, finishedAt: time, error: optText },
  orderEvents: {
    runId: text, time, orderId: text, kind: text, status: text, filledQuantity: num, fillId: optText, reason: optText, detail: optText,
    symbol: text, side: text, type: text, quantity: num, price: optNum, stopPrice: optNum, timeInForce: text, tag: optText,
  },
  fills: {
    runId: text, time, fillId: text, orderId: text, symbol: text, side: text, price: num, quantity: num, notional: ledger, fee: ledger, tax: ledger,
    liquidity: text, referencePrice: num, impactBps: num, slippageBps: num, feeQuantity: checkAbsentOrPositive,
  },
  positions: { runId: text, time, symbol: text, quantity: num, averagePrice: optNum, cost: ledger, realizedPnl: ledger },
  balances: { runId: text, time, currency: text, total: ledger, free: ledger },
  equity: { runId: text, time, equity: num, cash: num },
  bars: {
    runId: text, symbol: text, openTime: time, closeTime: time, open: num, high: num, low: num, close: num, volume: num,
    adjustmentFactor: optNum, preClose: optNum,
  },
  denials: { runId: text, time, orderId: optText, symbol: optText, reason: text, detail: optText, value: optNum, limit: optNum },
  breakerEvents: { runId: text, time, level: text, previousLevel: text, cause: text, value: num, threshold: num, actor: optText, detail: optText },
  modeChanges: { runId: text, time, fromMode: text, toMode: text, actor: text, reason: optText },
  audit: { seq: time, time, actor: text, kind: text, payload: text, prevHash: text, hash: text },
  tokens: {
    id: text, name: text, role: oneOf(Object.values(ApiRole)), secretHash: text, createdAt: time, createdBy: text,
    revokedAt: checkNullableTime, revokedBy: optText,
  },
  deployments: {
    name: text, strategy: text, parameters: checkJsonObject, symbols: checkTextList, exchange: text, url: optText, credentials: optText,
    capital: checkPositive, timeframe: text, mode: oneOf(DEPLOYMENT_MODES), status: oneOf(DEPLOYMENT_STATUSES), limits: checkJsonObject, runId: optText,
    createdAt: time, createdBy: text, updatedAt: time, version: checkVersion,
  },
} as const;

/**
 * Tokens and deployments as one batch or change writes them: each record by its rules, a token revoked
 * by someone exactly when it has a revocation time, and no name given to two token ids.
 */
export function checkTokensAndDeployments(tokens: readonly TokenRecord[], deployments: readonly DeploymentRecord[]): void {
  checkRecords('tokens', tokens, RECORD_RULES.tokens);
  checkRecords('deployments', deployments, RECORD_RULES.deployments);
  const tokenOf = new Map<string, string>();
  tokens.forEach((token, i) => {
    if ((token.revokedAt === null) !== (token.revokedBy === null)) invalid(`tokens[${i}]`, 'revokedBy', token.revokedBy, 'expected a name exactly when revokedAt is set');
    const other = tokenOf.get(token.name);
    if (other !== undefined && other !== token.id) invalid(`tokens[${i}]`, 'name', token.name, `expected a name no other token has (token ${other} has it)`);
    tokenOf.set(token.name, token.id);
  });
}
