// Instruments of a live session come from the exchange's own market filters (tick, step, minimum).
import { decimalsOf, Instrument, Market, toPlainDecimal } from '../../core/index.ts';
import { InputError } from '../errors/index.ts';

/** The fields of a ccxt market we read (precision in TICK_SIZE mode: the tick itself). */
export interface CcxtMarket {
  symbol: string;
  base: string;
  quote: string;
  /** `base`: the precision of the base asset's balances (Binance's baseAssetPrecision), finer than the lot. */
  precision: { price?: number; amount?: number; base?: number };
  limits?: { cost?: { min?: number } };
}

export function instrumentFromMarket(market: CcxtMarket, precisionIsTickSize: boolean): Instrument {
  const step = (value: number | undefined, what: string): string => {
    if (value === undefined || !(value > 0)) throw new RangeError(`${market.symbol}: the exchange reports no ${what} precision`);
    // In DECIMAL_PLACES mode ccxt gives the number of decimals instead of the step.
    return toPlainDecimal(precisionIsTickSize ? value : 10 ** -value);
  };
  return new Instrument({
    symbol: market.symbol,
    market: Market.Crypto,
    base: market.base,
    quote: market.quote,
    tickSize: step(market.precision.price, 'price'),
    lotSize: step(market.precision.amount, 'amount'),
    minNotional: market.limits?.cost?.min ?? 0,
    // Holdings carry what a fee taken in the coin leaves off the lot: balances' precision, 8 decimals when not given.
    holdingDecimals: market.precision.base !== undefined && market.precision.base > 0 ? decimalsOf(step(market.precision.base, 'base')) : 8,
  });
}

/** The session's symbols as instruments of the exchange's markets: all traded there, all quoted in one currency (one account). */
export function sessionInstruments(markets: Readonly<Record<string, CcxtMarket>>, precisionIsTickSize: boolean, symbols: readonly string[], exchange: string): Instrument[] {
  const instruments = symbols.map((symbol) => {
    const market = markets[symbol];
    if (!market) throw new InputError('symbols', `${symbol} is not traded on ${exchange}`, { value: symbols });
    return instrumentFromMarket(market, precisionIsTickSize);
  });
  if (instruments.some((i) => i.quote !== instruments[0]!.quote)) throw new InputError('symbols', 'all symbols of one session need the same quote currency', { value: symbols });
  return instruments;
}
