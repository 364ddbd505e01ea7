// The instruments that ship with traider (the symbols of the bundled data) and defaults by market.
import { boardOfCode } from './ashare-rules.ts';
import { Instrument, type InstrumentDefinition } from './instrument.ts';
import { Market } from './market.ts';

type Row = Omit<InstrumentDefinition, 'symbol' | 'market' | 'base' | 'quote'>;

/** Binance spot filters (PRICE_FILTER tickSize, LOT_SIZE stepSize, NOTIONAL minNotional) as of 2024-2025. */
const CRYPTO: Readonly<Record<string, Row>> = {
  'BTC/USDT': { tickSize: '0.01', lotSize: '0.00001', minNotional: 5 },
  'ETH/USDT': { tickSize: '0.01', lotSize: '0.0001', minNotional: 5 },
  'SOL/USDT': { tickSize: '0.01', lotSize: '0.001', minNotional: 5 },
  'LTC/USDT': { tickSize: '0.01', lotSize: '0.001', minNotional: 5 },
  'XRP/USDT': { tickSize: '0.0001', lotSize: '0.1', minNotional: 5 },
  'ADA/USDT': { tickSize: '0.0001', lotSize: '0.1', minNotional: 5 },
  'ETH/BTC': { tickSize: '0.00001', lotSize: '0.0001', minNotional: 0.0001 },
  'XRP/ETH': { tickSize: '0.00000001', lotSize: '1', minNotional: 0.001 },
};

/** Listing dates of the bundled A-shares (the first day of their data, which starts at the IPO). */
const ASHARE: Readonly<Record<string, Partial<Row>>> = {
  '600519.SH': { listingDate: '2001-08-27' },
  '600036.SH': { listingDate: '2002-04-09' },
  '601318.SH': { listingDate: '2007-03-01' },
  '000858.SZ': { listingDate: '1998-04-27' },
  '000001.SZ': { listingDate: '1991-04-03' },
  '300750.SZ': { listingDate: '2018-06-11' },
  // The SSE Composite index, treated as tradable for research on its 1-minute bars.
  '000001.SH': {},
};

const QUOTES = ['USDT', 'USDC', 'BUSD', 'FDUSD', 'BTC', 'ETH', 'BNB', 'USD', 'EUR'];

function splitPair(symbol: string): { base: string; quote: string } {
  const [base, quote] = symbol.split('/');
  if (base && quote) return { base, quote };
  const found = QUOTES.filter((q) => symbol.endsWith(q) && symbol.length > q.length).sort((a, b) => b.length - a.length)[0];
  if (!found) throw new RangeError(`cannot tell base and quote of "${symbol}": write it as BASE/QUOTE`);
  return { base: symbol.slice(0, -found.length), quote: found };
}

/** Built-in definition of a symbol: from the table, else the market's defaults. */
export function defaultInstrumentDefinition(symbol: string, market: Market): InstrumentDefinition {
  if (market === Market.AShare) {
    const row = ASHARE[symbol] ?? {};
    return {
      symbol,
      market,
      base: symbol,
      quote: 'CNY',
      tickSize: '0.01',
      lotSize: '100',
      minNotional: 0,
      board: boardOfCode(symbol),
      ...row,
    };
  }
  const { base, quote } = splitPair(symbol);
  const row = CRYPTO[`${base}/${quote}`] ?? { tickSize: '0.00000001', lotSize: '0.00000001', minNotional: 0 };
  return { symbol: `${base}/${quote}`, market, base, quote, ...row };
}

/** Merge an override (from the config's `instruments` section) over the built-in definition. */
export function resolveInstrument(symbol: string, market: Market, override?: Partial<InstrumentDefinition>): Instrument {
  const base = defaultInstrumentDefinition(symbol, override?.market ?? market);
  const merged: InstrumentDefinition = { ...base };
  if (override) {
    for (const [key, value] of Object.entries(override)) {
      if (value !== undefined) (merged as unknown as Record<string, unknown>)[key] = value;
    }
  }
  return new Instrument(merged);
}
