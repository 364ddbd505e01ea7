// The pre-trade chain: every check an order passes between the strategy and the venue, cheapest first.
import { type Instrument, isMarketOpen, Market, type Order, OrderSide, OrderType, TimeInForce } from '../../core/index.ts';
import type { OrderDenial, RiskContext } from '../../common/index.ts';
import { DenialReason } from './codes.ts';
import type { PreTradeLimits } from './config.ts';

/** Per-symbol facts the checks need that the kernel does not keep (today's A-share limits). */
export interface SymbolLimits {
  up: number;
  down: number;
}

const deny = (reason: DenialReason, detail: string, value?: number, limit?: number): OrderDenial => ({ reason, detail, value, limit });

const fmt = (x: number): string => (Number.isInteger(x) ? String(x) : x.toPrecision(8).replace(/\.?0+$/, ''));

/**
 * Sliding one-second window and a per-day count of orders that passed. The window keeps only the
 * times of the last second's orders, so memory follows the actual order rate, not the limit.
 */
export class OrderRateLimiter {
  private times: number[] = [];
  private head = 0;
  private day = -1;
  private today = 0;

  constructor(
    private readonly perSecond: number,
    private readonly perDay: number,
  ) {}

  check(now: number, day: number): OrderDenial | undefined {
    if (day !== this.day) {
      this.day = day;
      this.today = 0;
    }
    // Both windows report the count this order would make, against the limit.
    if (this.today >= this.perDay) return deny(DenialReason.RateLimit, `${this.today} orders today, limit ${this.perDay} a day`, this.today + 1, this.perDay);
    while (this.head < this.times.length && now - this.times[this.head]! >= 1000) this.head++;
    if (this.head > 1024 && this.head * 2 > this.times.length) {
      this.times = this.times.slice(this.head);
      this.head = 0;
    }
    const inWindow = this.times.length - this.head;
    if (inWindow >= this.perSecond) {
      return deny(DenialReason.RateLimit, `${inWindow} orders within the last second, limit ${this.perSecond}/s`, inWindow + 1, this.perSecond);
    }
    return undefined;
  }

  record(now: number): void {
    this.times.push(now);
    this.today++;
  }
}

export interface PreTradeInput {
  readonly order: Order;
  readonly index: number;
  readonly instrument: Instrument;
  readonly context: RiskContext;
  readonly limits: PreTradeLimits;
  /** Mode limits override the exposure cap and daily loss limit when a risk mode is set. */
  readonly exposureCap: number;
  readonly dailyLossLimit: number;
  /** Loss since the start of the trading day as a fraction of that day's starting equity. */
  readonly dailyLoss: number;
  readonly symbolLimits: SymbolLimits | undefined;
  readonly increasing: boolean;
  /** Equity now (cash plus positions at their last price), computed once by the caller. */
  readonly equity: number;
}

const hasOwn = (record: Readonly<Record<string, number>>, key: string): boolean => Object.prototype.hasOwnProperty.call(record, key);

/** A limit or stop price farther from the last price than the band allows, else undefined. */
function outsideBand(price: number | undefined, last: number, band: number): number | undefined {
  return price !== undefined && Math.abs(price - last) / last > band + 1e-12 ? price : undefined;
}

/** Runs the checks in order; the first failure is the denial. */
export function checkOrder(input: PreTradeInput): OrderDenial | undefined {
  const { order, index, instrument, context, limits } = input;
  const now = context.clock.now();
  const last = context.lastPrice(index);
  if (!(last > 0)) return deny(DenialReason.NoQuote, `no price seen yet for ${order.symbol}`);
  // A bar's price is due again one interval after its close: only past that plus the age limit is it stale.
  const age = now - context.lastBarTime(index);
  const interval = context.priceIntervalMs(index);
  const maxAge = interval + limits.maxBarAgeMs;
  // An order that reduces the position (an exit, a protective stop) is not refused for an old price: refusing it
  // would leave the position open and unprotected; the venue fills or triggers it on its own, current prices.
  if (age > maxAge && input.increasing) {
    const allowed = interval > 0 ? `limit ${fmt(interval)} ms bar interval + ${limits.maxBarAgeMs} ms` : `limit ${limits.maxBarAgeMs} ms`;
    return deny(DenialReason.StaleQuote, `last price of ${order.symbol} is ${fmt(age)} ms old, ${allowed}`, age, maxAge);
  }

  // Grid validity: the kernel rounds at creation; orders built elsewhere are checked here.
  const held = context.heldQuantity(index);
  const wholePosition = order.side === OrderSide.Sell && order.quantity === held;
  if (!instrument.isOnLot(order.quantity) && !wholePosition) {
    return deny(DenialReason.InvalidLot, `quantity ${order.quantity} is not a multiple of the lot ${instrument.lotSize}`, order.quantity, instrument.lot);
  }
  const offTick = order.price !== undefined && !instrument.isOnTick(order.price) ? order.price : order.stopPrice !== undefined && !instrument.isOnTick(order.stopPrice) ? order.stopPrice : undefined;
  if (offTick !== undefined) return deny(DenialReason.InvalidTick, `price ${offTick} is not on the tick ${instrument.tickSize}`, offTick, instrument.tick);
  const maxQuantity = hasOwn(limits.maxOrderQuantity, order.symbol) ? limits.maxOrderQuantity[order.symbol] : undefined;
  if (maxQuantity !== undefined && order.quantity > maxQuantity) {
    return deny(DenialReason.MaxQuantity, `quantity ${fmt(order.quantity)} above the limit ${fmt(maxQuantity)} for ${order.symbol}`, order.quantity, maxQuantity);
  }
  const price = order.type === OrderType.Limit || order.type === OrderType.StopLimit ? order.price! : last;
  const notional = price * order.quantity;
  if (limits.maxOrderNotional !== null && notional > limits.maxOrderNotional) {
    return deny(DenialReason.MaxNotional, `order value ${fmt(notional)} above the limit ${fmt(limits.maxOrderNotional)}`, notional, limits.maxOrderNotional);
  }
  if (notional < instrument.minNotional && !wholePosition) {
    return deny(DenialReason.MinNotional, `order value ${fmt(notional)} below the minimum ${fmt(instrument.minNotional)} of ${order.symbol}`, notional, instrument.minNotional);
  }

  // Fat finger: a limit price within the price band around the last price. Stops wait for the market
  // to move, so a stop (and a stop-limit's limit, which sits near its stop) has its own, wider band.
  const isStop = order.type === OrderType.Stop || order.type === OrderType.StopLimit;
  const bandBps = isStop ? limits.stopBandBps : limits.priceBandBps;
  const band = bandBps / 10_000;
  const outside = outsideBand(order.stopPrice, last, band) ?? outsideBand(order.price, last, band);
  if (outside !== undefined) {
    const distance = Math.abs(outside - last) / last;
    const what = outside === order.stopPrice ? 'stop price' : isStop ? 'stop-limit price' : 'limit price';
    // The limit is the edge of the band on the side the price went past (either side, for either order side).
    return deny(
      isStop ? DenialReason.StopBand : DenialReason.PriceBand,
      `${what} ${fmt(outside)} is ${fmt(distance * 10_000)} bps from the last price ${fmt(last)}, ${isStop ? 'stop band' : 'band'} ${bandBps} bps`,
      outside,
      outside > last ? last * (1 + band) : last * (1 - band),
    );
  }
  const symbolLimits = input.symbolLimits;
  if (symbolLimits && order.price !== undefined && (order.price > symbolLimits.up * (1 + 1e-9) || order.price < symbolLimits.down * (1 - 1e-9))) {
    return deny(DenialReason.PriceLimit, `price ${fmt(order.price)} outside today's limits ${fmt(symbolLimits.down)} .. ${fmt(symbolLimits.up)}`, order.price, order.price > symbolLimits.up ? symbolLimits.up : symbolLimits.down);
  }
  if (order.side === OrderSide.Sell && instrument.market === Market.AShare && !order.emergency) {
    const sellable = context.sellableQuantity(order.symbol);
    if (order.quantity > sellable) {
      return deny(DenialReason.TPlusOne, `sell of ${fmt(order.quantity)} but only ${fmt(sellable)} may be sold today (T+1)`, order.quantity, sellable);
    }
  }
  if ((order.timeInForce === TimeInForce.IOC || order.timeInForce === TimeInForce.FOK) && !isMarketOpen(instrument.market, now)) {
    return deny(DenialReason.MarketClosed, `${order.timeInForce} order outside trading hours of ${order.symbol}`);
  }
  if (!input.increasing) return undefined;

  if (input.dailyLoss >= input.dailyLossLimit) {
    return deny(DenialReason.DailyLossLimit, `loss today ${fmt(input.dailyLoss)} of equity, limit ${fmt(input.dailyLossLimit)}`, input.dailyLoss, input.dailyLossLimit);
  }
  let reserved = 0;
  let openExposure = 0;
  const open = context.openOrders();
  for (let i = 0; i < open.length; i++) {
    const o = open[i]!;
    if (o.side !== OrderSide.Buy || o.id === order.id) continue;
    const p = o.price ?? context.lastPrice(context.symbolIndex(o.symbol));
    reserved += p * o.remainingQuantity;
    openExposure += p * o.remainingQuantity;
  }
  const cash = context.cash() - reserved;
  if (order.side === OrderSide.Buy && notional > cash + 1e-9) {
    return deny(DenialReason.InsufficientBalance, `order value ${fmt(notional)} above the free cash ${fmt(cash)}`, notional, cash);
  }
  const equity = input.equity;
  const positionValue = (held + order.quantity) * last;
  if (positionValue > limits.maxPositionFraction * equity * (1 + 1e-9)) {
    return deny(DenialReason.MaxPosition, `position would be ${fmt(positionValue / equity)} of equity, limit ${fmt(limits.maxPositionFraction)}`, positionValue / equity, limits.maxPositionFraction);
  }
  let exposure = notional + openExposure;
  const instruments = context.instruments;
  for (let i = 0; i < instruments.length; i++) {
    const q = context.heldQuantity(i);
    if (q !== 0) exposure += Math.abs(q) * context.lastPrice(i);
  }
  if (exposure > input.exposureCap * equity * (1 + 1e-9)) {
    return deny(DenialReason.MaxExposure, `exposure would be ${fmt(exposure / equity)} of equity, limit ${fmt(input.exposureCap)}`, exposure / equity, input.exposureCap);
  }
  return undefined;
}
