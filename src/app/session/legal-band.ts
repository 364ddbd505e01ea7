// The prices an A-share bar may legally reach: the day's limit-down and limit-up from its previous close
// (pre_close). The data-quality monitor does not call a move inside them a jump: a limit-up day is a
// market event, not bad data. Other markets have no band.
import { type Bar, dailyLimitFraction, type Instrument, Market, priceLimits } from '../../core/index.ts';

export function legalBandOf(instrumentOf: (symbol: string) => Instrument | undefined): (bar: Bar) => { down: number; up: number } | undefined {
  return (bar) => {
    const instrument = instrumentOf(bar.symbol);
    if (instrument === undefined || instrument.market !== Market.AShare) return undefined;
    const previousClose = bar.preClose;
    if (previousClose === undefined || !(previousClose > 0)) return undefined;
    const fraction = dailyLimitFraction(instrument, instrument.tradingDay(bar.openTime));
    return fraction === undefined ? { down: 0, up: Infinity } : priceLimits(instrument, previousClose, fraction);
  };
}
