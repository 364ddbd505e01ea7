// The strategy API: one class, unchanged from backtest to paper to live.
import type { Bar, BookSnapshot, Instrument, Order, OrderRequest } from '../core/index.ts';
import type { OrderEvent } from './events.ts';

/** A read-only view of a position. Quantities are raw units (A-shares: shares); money in the account currency. */
export interface PositionView {
  readonly symbol: string;
  /** What is held and can be sold, on the lot grid (a crypto holding's dust below one lot is apart). */
  readonly quantity: number;
  /**
   * Held below one lot, which no order can sell: what is left when an exchange takes a buy's fee in the coin bought.
   * Counted in equity and P&L; 0 in backtests and on A-shares.
   */
  readonly dust: number;
  /** Units sellable now (T+1 markets exclude today's buys). */
  readonly sellableQuantity: number;
  /** Average entry price of what is held, in the prices the strategy sees (adjusted where bars are). */
  readonly averagePrice: number;
  readonly realizedPnl: number;
  readonly unrealizedPnl: number;
}

/** Anything with an `update(close)` (SMA, EMA, RSI, ...) or `updateBar(high, low, close)`-style method. */
export interface BarIndicator {
  update(...values: number[]): number;
}

/**
 * What the kernel offers a strategy. No wall clock, no data beyond the current bar.
 *
 * Prices: every price a strategy reads from the context or a bar, and every price it passes (order
 * prices, `quantityForFraction`), is in the series it sees: A-share bars are adjusted point in time
 * (`--adjust pit`, the default) unless the run shows raw prices; the kernel converts order prices to raw
 * prices on the tick grid. Orders and fills in order events are the venue's records, in raw prices.
 * Quantities are always raw units (A-shares: shares, buys in lots of 100).
 */
export interface StrategyContext {
  readonly symbols: readonly string[];
  /**
   * True while a paper or live session replays history before trading: the strategy sees the bars (indicators warm
   * up) but every order it submits is refused quietly. Always false in a backtest.
   */
  warmingUp(): boolean;
  /** Current time (a bar's close in a backtest). */
  now(): number;
  instrument(symbol: string): Instrument;
  /** Submit an order. The returned order may already be DENIED (the event arrives through onOrderEvent too). */
  submitOrder(request: OrderRequest): Order;
  cancelOrder(orderId: string): void;
  openOrders(symbol?: string): readonly Order[];
  position(symbol: string): PositionView;
  /** Free cash in the account currency. */
  cash(): number;
  /** Cash plus positions marked at their last close. */
  equity(): number;
  /** Last close seen for a symbol, in the strategy's prices (NaN before its first bar). */
  lastPrice(symbol: string): number;
  /** The last bar of a symbol as traded (raw prices; the same bar as onBar's where prices are not adjusted). */
  rawBar(symbol: string): Bar | undefined;
  /** Strategy price = raw price x this factor (1 where the strategy sees raw prices). */
  priceFactor(symbol: string): number;
  /** Largest quantity, on the lot grid, that spends `fraction` of equity at `price` (in the strategy's prices). */
  quantityForFraction(symbol: string, fraction: number, price: number): number;
  /** Feed `indicator` from every bar of `symbol` before onBar: close, or (high, low, close) when `inputs` says so. */
  registerIndicator(symbol: string, indicator: BarIndicator, inputs?: 'close' | 'hlc'): void;
  setTimer(name: string, time: number): void;
  setInterval(name: string, start: number, intervalMs: number): void;
  cancelTimer(name: string): void;
  log(message: string): void;
  /** Risk per trade, total exposure and daily loss of the deployment mode (undefined in a plain backtest). */
  riskLimits(): { readonly riskPerTrade: number; readonly totalExposure: number; readonly dailyLoss: number } | undefined;
}

export abstract class Strategy {
  /** Set by the kernel before onStart. */
  protected ctx!: StrategyContext;
  /** A short name for reports ("sma-cross"). */
  abstract readonly name: string;

  /** Called by the kernel; not for strategies to call. */
  attach(context: StrategyContext): void {
    this.ctx = context;
  }

  /** Parameters as resolved (defaults filled in), for run.json. */
  parameters(): Record<string, unknown> {
    return {};
  }

  onStart(): void {}
  onBar(_bar: Bar): void {}
  /** Live sessions: an order book update (paper and live only). */
  onBook(_book: BookSnapshot): void {}
  onOrderEvent(_event: OrderEvent): void {}
  onTimer(_name: string, _time: number): void {}
  onStop(): void {}
}
