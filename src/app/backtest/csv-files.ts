// The CSV files of `--out`: fills, trades, equity and denials, as a person reads them. Every time column keeps
// epoch milliseconds and is followed by its ISO-8601 UTC twin; prices sit on the instrument's tick, quantities on
// its lot, ledger money is exact, float amounts and fractions have 8 decimals at most, averages the tick's + 4.
import { AMOUNT_DECIMALS, averagePriceText, decimalText, FRACTION_DECIMALS, toCsv, utcText } from '../../analytics/index.ts';
import { formatMoney, type Instrument } from '../../core/index.ts';
import type { BacktestOutcome } from './run-backtest.ts';

/** Basis points of impact and slippage: 6 decimals, as the fill model computes them to. */
const BPS_DECIMALS = 6;

const FILL_COLUMNS = [
  'time', 'timeUtc', 'orderId', 'fillId', 'symbol', 'side', 'quantity', 'price', 'notional', 'fee', 'tax',
  'liquidity', 'referencePrice', 'impactBps', 'slippageBps', 'reducedForCash',
];
const TRADE_COLUMNS = ['symbol', 'entryTime', 'entryTimeUtc', 'exitTime', 'exitTimeUtc', 'quantity', 'entryPrice', 'exitPrice', 'pnl', 'returnFraction', 'fills'];
const EQUITY_COLUMNS = ['time', 'timeUtc', 'equity', 'drawdown'];
const DENIAL_COLUMNS = ['time', 'timeUtc', 'orderId', 'symbol', 'side', 'quantity', 'price', 'reason', 'detail', 'value', 'limit'];

type InstrumentOf = (symbol: string) => Instrument;

function instrumentLookup(outcome: BacktestOutcome): InstrumentOf {
  const bySymbol = new Map(outcome.instruments.map((i) => [i.symbol, i]));
  return (symbol) => {
    const instrument = bySymbol.get(symbol);
    if (instrument === undefined) throw new Error(`no instrument for ${symbol} in this run`);
    return instrument;
  };
}

export function fillsCsv(outcome: BacktestOutcome): string {
  const instrumentOf = instrumentLookup(outcome);
  return toCsv(
    FILL_COLUMNS,
    outcome.fills.map((f) => {
      const instrument = instrumentOf(f.symbol);
      return [
        f.time,
        utcText(f.time),
        f.orderId,
        f.id,
        f.symbol,
        f.side,
        instrument.formatQuantity(f.quantity),
        instrument.formatPrice(f.price),
        formatMoney(f.notional),
        formatMoney(f.fee),
        formatMoney(f.tax),
        f.liquidity,
        // The price the model started from (an open, a limit or a stop) is on the tick for bar data; printed with
        // the average's decimals so that a reference off the tick (a book's mid) shows as it is.
        averagePriceText(f.referencePrice, instrument.priceDecimals),
        decimalText(f.impactBps, BPS_DECIMALS),
        decimalText(f.slippageBps, BPS_DECIMALS),
        f.reducedForCash ? 'true' : 'false',
      ];
    }),
  );
}

export function tradesCsv(outcome: BacktestOutcome): string {
  const instrumentOf = instrumentLookup(outcome);
  return toCsv(
    TRADE_COLUMNS,
    outcome.trades.map((t) => {
      const instrument = instrumentOf(t.symbol);
      return [
        t.symbol,
        t.entryTime,
        utcText(t.entryTime),
        t.exitTime,
        utcText(t.exitTime),
        instrument.formatQuantity(t.quantity),
        // A round trip of several fills has average prices, off the tick.
        averagePriceText(t.entryPrice, instrument.priceDecimals),
        averagePriceText(t.exitPrice, instrument.priceDecimals),
        decimalText(t.pnl, AMOUNT_DECIMALS),
        decimalText(t.returnFraction, FRACTION_DECIMALS),
        t.fills,
      ];
    }),
  );
}

export function equityCsv(outcome: BacktestOutcome): string {
  const { time, equity } = outcome.simulation;
  const rows: string[][] = new Array(time.length);
  for (let i = 0; i < time.length; i++) {
    rows[i] = [String(time[i]!), utcText(time[i]!), decimalText(equity[i]!, AMOUNT_DECIMALS), decimalText(outcome.drawdown[i]!, FRACTION_DECIMALS)];
  }
  return toCsv(EQUITY_COLUMNS, rows);
}

export function denialsCsv(outcome: BacktestOutcome): string {
  const bySymbol = new Map(outcome.instruments.map((i) => [i.symbol, i]));
  const number = (x: number | null): string => (x === null || !Number.isFinite(x) ? '' : decimalText(x, AMOUNT_DECIMALS));
  return toCsv(
    DENIAL_COLUMNS,
    outcome.denials.map((d) => {
      // A refused order may name a symbol outside the run, or carry the bad price or quantity it was refused for
      // (so a price is shown past the tick when it is off it).
      const instrument = bySymbol.get(d.symbol);
      const quantity = instrument !== undefined && Number.isFinite(d.quantity) ? instrument.formatQuantity(d.quantity) : number(d.quantity);
      const price = d.price === null ? '' : instrument !== undefined && Number.isFinite(d.price) ? averagePriceText(d.price, instrument.priceDecimals) : number(d.price);
      return [d.time, utcText(d.time), d.orderId, d.symbol, d.side, quantity, price, d.reason, d.detail, number(d.value), number(d.limit)];
    }),
  );
}
