// The data as a strategy sees it: each symbol's price factor (raw or adjusted series) and the indicators its bars feed.
import type { Bar } from '../core/index.ts';
import type { BarIndicator } from '../common/index.ts';

/** An indicator fed from every bar of one symbol: the close, or high, low and close. */
interface IndicatorFeed {
  readonly indicator: BarIndicator;
  readonly hlc: boolean;
}

export class StrategyFeed {
  /** Strategy price = raw price x this factor, per symbol index (1: raw). */
  readonly factor: Float64Array;
  private readonly feeds: IndicatorFeed[][] = [];

  constructor(
    symbols: number,
    /** Bars that carry a corporate-action factor reach the strategy adjusted by it (else raw). */
    private readonly adjusted: boolean,
  ) {
    this.factor = new Float64Array(symbols).fill(1);
    for (let i = 0; i < symbols; i++) this.feeds.push([]);
  }

  /** An ex-rights day's corporate-action factor: the strategy's prices follow it where the run adjusts. */
  exRightsDay(index: number, factor: number): void {
    if (this.adjusted) this.factor[index] = factor;
  }

  registerIndicator(index: number, indicator: BarIndicator, hlc: boolean): void {
    this.feeds[index]!.push({ indicator, hlc });
  }

  /** The bar in the strategy's prices, once the symbol's indicators have seen it. */
  present(rawBar: Bar, index: number): Bar {
    const factor = this.factor[index]!;
    const bar = factor === 1 ? rawBar : strategyBar(rawBar, factor);
    const feeds = this.feeds[index]!;
    for (let i = 0; i < feeds.length; i++) {
      const feed = feeds[i]!;
      if (feed.hlc) feed.indicator.update(bar.high, bar.low, bar.close);
      else feed.indicator.update(bar.close);
    }
    return bar;
  }
}

/** The bar as the strategy sees it: its prices x `factor`, its volume / `factor`. */
function strategyBar(bar: Bar, factor: number): Bar {
  return {
    symbol: bar.symbol,
    openTime: bar.openTime,
    closeTime: bar.closeTime,
    open: bar.open * factor,
    high: bar.high * factor,
    low: bar.low * factor,
    close: bar.close * factor,
    volume: bar.volume / factor,
    preClose: bar.preClose === undefined ? undefined : bar.preClose * factor,
    adjustmentFactor: bar.adjustmentFactor,
  };
}
