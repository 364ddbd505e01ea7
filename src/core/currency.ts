// Currencies: the smallest unit a fee or tax is rounded to, in ledger units (10^-8).

const MINOR_UNIT_DECIMALS: Readonly<Record<string, number>> = {
  CNY: 2,
  USD: 2,
  EUR: 2,
  USDT: 8,
  USDC: 8,
  BUSD: 8,
  FDUSD: 8,
  BTC: 8,
  ETH: 8,
  BNB: 8,
};

/** Decimals of a currency's smallest unit (fen for CNY, 10^-8 for crypto). Unknown currencies: 8. */
export function currencyDecimals(currency: string): number {
  return MINOR_UNIT_DECIMALS[currency] ?? 8;
}

/** The smallest unit of a currency in ledger units (CNY: 10^6, i.e. 0.01; USDT: 1). */
export function minorUnitOf(currency: string): bigint {
  return 10n ** BigInt(8 - currencyDecimals(currency));
}
