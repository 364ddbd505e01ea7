// Accounts: API key and secret, balances (free/locked, exact 10^-8 units), orders and trades.
import { readFile } from 'node:fs/promises';
import type { SimOrder, SimTrade } from './orders.ts';
import { fmt, unitsOf } from './units.ts';

export interface AccountConfig {
  readonly apiKey: string;
  readonly secret: string;
  /** Asset -> amount, e.g. { USDT: 100000, BTC: 1 }. */
  readonly balances: Readonly<Record<string, number | string>>;
}

/** The test credential, accepted only by this local exchange simulator. */
export const TEST_ACCOUNT: AccountConfig = {
  apiKey: 'test-key',
  secret: 'test-secret',
  balances: { USDT: 100_000, BTC: 1, ETH: 10 },
};

export interface Balance {
  free: bigint;
  locked: bigint;
}

export class Account {
  readonly balances = new Map<string, Balance>();
  readonly orders: SimOrder[] = [];
  readonly byClientId = new Map<string, SimOrder>();
  readonly trades: SimTrade[] = [];
  updateTime = 0;

  constructor(
    readonly id: number,
    readonly apiKey: string,
    readonly secret: string,
  ) {}

  balance(asset: string): Balance {
    let balance = this.balances.get(asset);
    if (balance === undefined) {
      balance = { free: 0n, locked: 0n };
      this.balances.set(asset, balance);
    }
    return balance;
  }

  /** Move `amount` from free to locked; false (and nothing moved) when free is short. */
  lock(asset: string, amount: bigint): boolean {
    const balance = this.balance(asset);
    if (balance.free < amount) return false;
    balance.free -= amount;
    balance.locked += amount;
    return true;
  }

  unlock(asset: string, amount: bigint): void {
    const balance = this.balance(asset);
    balance.locked -= amount;
    balance.free += amount;
  }

  snapshot(): Record<string, { free: string; locked: string }> {
    const out: Record<string, { free: string; locked: string }> = {};
    for (const [asset, b] of [...this.balances].sort(([a], [b]) => a.localeCompare(b))) out[asset] = { free: fmt(b.free), locked: fmt(b.locked) };
    return out;
  }
}

export class Accounts {
  readonly list: Account[] = [];
  private readonly byKey = new Map<string, Account>();

  constructor(configs: readonly AccountConfig[]) {
    for (const config of configs) {
      if (typeof config.apiKey !== 'string' || config.apiKey === '' || typeof config.secret !== 'string' || config.secret === '') {
        throw new Error('accounts: every account needs a non-empty apiKey and secret');
      }
      if (this.byKey.has(config.apiKey)) throw new Error(`accounts: duplicate apiKey ${config.apiKey}`);
      const account = new Account(this.list.length, config.apiKey, config.secret);
      for (const [asset, amount] of Object.entries(config.balances ?? {})) {
        const value = typeof amount === 'string' ? Number(amount) : amount;
        if (!Number.isFinite(value) || value < 0) throw new Error(`accounts: balance ${asset} of ${config.apiKey} is not a non-negative number`);
        account.balance(asset.toUpperCase()).free = unitsOf(value);
      }
      this.list.push(account);
      this.byKey.set(config.apiKey, account);
    }
  }

  byApiKey(apiKey: string): Account | undefined {
    return this.byKey.get(apiKey);
  }
}

/** Read an accounts file: a JSON array of {apiKey, secret, balances}. */
export async function readAccountsFile(file: string): Promise<AccountConfig[]> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new Error(`--accounts ${file}: ${(error as Error).message}`);
  }
  if (!Array.isArray(parsed) || parsed.length === 0) throw new Error(`--accounts ${file}: expected a non-empty JSON array of {apiKey, secret, balances}`);
  return parsed as AccountConfig[];
}
