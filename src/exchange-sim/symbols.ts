// Symbol rules served in exchangeInfo: tick and lot sizes derived from the replayed price level.
import type { BarSeries } from '../core/index.ts';
import { fmt } from './units.ts';

/** Open stop orders an account may have per symbol (Binance's MAX_NUM_ALGO_ORDERS filter). */
export const MAX_ALGO_ORDERS = 5;

export interface SymbolSpec {
  /** Binance id, e.g. BTCUSDT. */
  readonly id: string;
  readonly base: string;
  readonly quote: string;
  /** Position in the exchange's symbol list (mixed into seeded hashes). */
  readonly index: number;
  /** Price tick and quantity step in 10^-8 units. */
  readonly tick: bigint;
  readonly step: bigint;
  readonly minQty: bigint;
  readonly maxQty: bigint;
  readonly minNotional: bigint;
  readonly tickDecimals: number;
  readonly stepDecimals: number;
}

function clamp(value: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, value));
}

/**
 * Ticks of about 1e-6 of the price, at most 0.01 (BTC at 50,000 or 100,000: 0.01), and quantity steps worth
 * between 0.1 and 1 quote units (BTC at 50,000: 0.00001), powers of ten from 1e-8; minimum notional 5 quote units.
 */
export function specFor(series: BarSeries, index: number): SymbolSpec {
  const [base, quote] = series.symbol.split('/');
  if (base === undefined || quote === undefined) throw new Error(`${series.source.file}: not a crypto pair (${series.symbol}); the exchange simulator needs BASE/QUOTE data`);
  const reference = series.close[0]! > 0 ? series.close[0]! : 1;
  const tickExp = clamp(Math.floor(Math.log10(reference)) - 6, -8, -2);
  const stepExp = clamp(Math.floor(Math.log10(1 / reference)), -8, 0);
  const tick = 10n ** BigInt(tickExp + 8);
  const step = 10n ** BigInt(stepExp + 8);
  return {
    id: `${base}${quote}`,
    base,
    quote,
    index,
    tick,
    step,
    minQty: step,
    maxQty: 9_000_000_000n * step,
    minNotional: 5n * 100_000_000n,
    tickDecimals: -tickExp,
    stepDecimals: -stepExp,
  };
}

/** The exchangeInfo entry of a symbol, shaped as Binance serves it. */
export function exchangeInfoSymbol(spec: SymbolSpec): Record<string, unknown> {
  return {
    symbol: spec.id,
    status: 'TRADING',
    baseAsset: spec.base,
    baseAssetPrecision: 8,
    quoteAsset: spec.quote,
    quotePrecision: 8,
    quoteAssetPrecision: 8,
    baseCommissionPrecision: 8,
    quoteCommissionPrecision: 8,
    orderTypes: ['LIMIT', 'LIMIT_MAKER', 'MARKET', 'STOP_LOSS', 'STOP_LOSS_LIMIT', 'TAKE_PROFIT', 'TAKE_PROFIT_LIMIT'],
    icebergAllowed: false,
    ocoAllowed: false,
    otoAllowed: false,
    quoteOrderQtyMarketAllowed: true,
    allowTrailingStop: false,
    cancelReplaceAllowed: false,
    amendAllowed: false,
    isSpotTradingAllowed: true,
    isMarginTradingAllowed: false,
    filters: [
      { filterType: 'PRICE_FILTER', minPrice: fmt(spec.tick), maxPrice: fmt(spec.tick * 100_000_000n), tickSize: fmt(spec.tick) },
      { filterType: 'LOT_SIZE', minQty: fmt(spec.minQty), maxQty: fmt(spec.maxQty), stepSize: fmt(spec.step) },
      { filterType: 'MARKET_LOT_SIZE', minQty: '0.00000000', maxQty: fmt(spec.maxQty), stepSize: '0.00000000' },
      { filterType: 'NOTIONAL', minNotional: fmt(spec.minNotional), applyMinToMarket: true, maxNotional: '9000000.00000000', applyMaxToMarket: false, avgPriceMins: 5 },
      { filterType: 'MAX_NUM_ORDERS', maxNumOrders: 200 },
      { filterType: 'MAX_NUM_ALGO_ORDERS', maxNumAlgoOrders: MAX_ALGO_ORDERS },
    ],
    permissions: [],
    permissionSets: [['SPOT']],
    defaultSelfTradePreventionMode: 'NONE',
    allowedSelfTradePreventionModes: ['NONE'],
  };
}
