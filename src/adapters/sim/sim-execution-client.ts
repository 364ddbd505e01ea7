// The simulated venue: fills orders against bars with the `realistic` or `next-open` model (docs/fill-model.md).
import { type Bar, DailyLimitTracker, type FeeSchedule, type Fill, fillOf, type Instrument, Liquidity, Market, notionalOf, type Order, OrderSide, OrderType, type PriceLimits, RoundingMode, TimeInForce } from '../../core/index.ts';
import type { ExecutionClient, ExecutionContext } from '../../common/index.ts';
import { DailyStats } from './daily-stats.ts';
import { type FillModelConfig, FillModelName } from './fill-model-config.ts';

/** A-share limit checks compare with a relative tolerance: limit prices come from float arithmetic. */
const LIMIT_TOLERANCE = 1e-9;

class SymbolState {
  readonly pending: Order[] = [];
  readonly stats: DailyStats;
  readonly halfSpread: number;
  /** Today's daily limits, for A-shares only: the tracker the risk engine's pre-trade checks use too. */
  readonly limits: DailyLimitTracker | undefined;

  constructor(
    readonly instrument: Instrument,
    readonly fees: FeeSchedule,
    config: FillModelConfig,
  ) {
    this.stats = new DailyStats(config.volatilityDays, config.volumeDays);
    const isAShare = instrument.market === Market.AShare;
    this.limits = isAShare ? new DailyLimitTracker(instrument) : undefined;
    const spreadBps = isAShare ? config.spreadBps.ashare : config.spreadBps.crypto;
    this.halfSpread = spreadBps / 2 / 10_000;
  }
}

interface OrderBook {
  /** Exact notional filled so far, for per-order commission minimums. */
  notional: bigint;
  commission: bigint;
  /** Bar open time at which a stop-limit's limit becomes active. */
  limitActiveFrom: number;
  /** Set after the first bar the order could trade on (IOC/FOK end there). */
  sawEligibleBar: boolean;
  /** Fills so far: fill ids are the order id and this count, so they stay unique across a restart. */
  fills: number;
}

export class SimExecutionClient implements ExecutionClient {
  readonly name = 'simulated';
  private context!: ExecutionContext;
  private readonly states: SymbolState[] = [];
  private readonly books = new Map<string, OrderBook>();
  private readonly realistic: boolean;
  /** The symbol whose pending orders are being matched right now, if any. */
  private matching: SymbolState | undefined;

  constructor(
    private readonly config: FillModelConfig,
    private readonly feesFor: (instrument: Instrument) => FeeSchedule,
  ) {
    this.realistic = config.model === FillModelName.Realistic;
  }

  connect(context: ExecutionContext): void {
    this.context = context;
    context.onBar((bar, index) => this.onBar(bar, index));
  }

  private state(index: number, symbol: string): SymbolState {
    let state = this.states[index];
    if (!state) {
      const instrument = this.context.instrument(symbol);
      state = new SymbolState(instrument, this.feesFor(instrument), this.config);
      this.states[index] = state;
    }
    return state;
  }

  submitOrder(order: Order): void {
    const index = this.context.symbolIndex(order.symbol);
    const state = this.state(index, order.symbol);
    this.books.set(order.id, { notional: 0n, commission: 0n, limitActiveFrom: -Infinity, sawEligibleBar: false, fills: 0 });
    this.context.events.orderAccepted(order, this.context.clock.now());
    state.pending.push(order);
  }

  /** Recovery: an order that was open at the restart resumes with what its fills already paid. */
  restoreOrder(order: Order, fills: readonly Fill[]): void {
    const index = this.context.symbolIndex(order.symbol);
    const state = this.state(index, order.symbol);
    let notional = 0n;
    let commission = 0n;
    for (const fill of fills) {
      notional += fill.notional;
      commission += fill.fee;
    }
    // Commission is not kept apart from other fees in the journal; fees bound it from above, which
    // can only lower (never raise) the commission still due against a per-order minimum.
    this.books.set(order.id, { notional, commission, limitActiveFrom: -Infinity, sawEligibleBar: true, fills: fills.length });
    state.pending.push(order);
  }

  cancelOrder(order: Order): void {
    const state = this.states[this.context.symbolIndex(order.symbol)];
    // While that symbol's orders are being matched (a cancel from inside an order event), removing one
    // would shift the others under the loop; the pass drops it instead, since it is terminal by then.
    const at = state && state !== this.matching ? state.pending.indexOf(order) : -1;
    if (state && at >= 0) state.pending.splice(at, 1);
    this.books.delete(order.id);
    this.context.events.orderCanceled(order, this.context.clock.now());
  }

  /** Today's limit prices this venue fills an A-share within; undefined for other markets and before the symbol's first bar. */
  dailyLimits(symbol: string): PriceLimits | undefined {
    return this.states[this.context.symbolIndex(symbol)]?.limits;
  }

  /** Market data first reaches the venue: match pending orders against this bar, then learn from it. */
  private onBar(bar: Bar, index: number): void {
    const state = this.state(index, bar.symbol);
    const day = state.instrument.tradingDay(bar.openTime);
    state.limits?.onBar(day, bar.preClose, bar.close);
    state.stats.rollTo(day);
    if (state.pending.length > 0) this.match(state, bar);
    // Volatility from adjusted closes, so an ex-rights gap is no price move; volume in raw units, like orders.
    state.stats.add(bar.adjustmentFactor === undefined ? bar.close : bar.close * bar.adjustmentFactor, bar.volume);
  }

  private match(state: SymbolState, bar: Bar): void {
    const instrument = state.instrument;
    let capUnits = this.realistic
      ? Math.floor(bar.volume * this.config.participationCap * instrument.quantityScale + 1e-6)
      : Number.MAX_SAFE_INTEGER;
    const pending = state.pending;
    this.matching = state;
    try {
      for (let i = 0; i < pending.length; i++) {
        const order = pending[i]!;
        if (order.isTerminal) continue; // canceled from an event of an earlier order in this pass
        if (bar.openTime < order.createdAt) continue; // decided after this bar opened: next bar
        const book = this.books.get(order.id)!;
        const used = this.tryFill(state, order, book, bar, order.emergency ? Number.MAX_SAFE_INTEGER : capUnits);
        if (!order.emergency) capUnits -= used;
        if (!order.isTerminal && book.sawEligibleBar && order.timeInForce !== TimeInForce.GTC) {
          this.context.events.orderExpired(order, bar.closeTime);
        }
      }
    } finally {
      this.matching = undefined;
    }
    let write = 0;
    for (let read = 0; read < pending.length; read++) {
      const order = pending[read]!;
      if (order.isTerminal) this.books.delete(order.id);
      else pending[write++] = order;
    }
    pending.length = write;
  }

  /** Returns the quantity units filled. */
  private tryFill(state: SymbolState, order: Order, book: OrderBook, bar: Bar, capUnits: number): number {
    const buy = order.side === OrderSide.Buy;
    let reference: number;
    let liquidity: Liquidity = Liquidity.Taker;
    let withCosts = this.realistic;
    switch (order.type) {
      case OrderType.Market:
        reference = bar.open;
        break;
      case OrderType.Limit:
        if (!limitTraded(order, bar, buy, book)) return 0;
        reference = order.price!;
        liquidity = Liquidity.Maker;
        withCosts = false;
        break;
      case OrderType.Stop:
        if (!order.triggered) {
          if (buy ? !(bar.high >= order.stopPrice!) : !(bar.low <= order.stopPrice!)) return 0;
          this.context.events.orderTriggered(order, bar.openTime);
          reference = buy ? Math.max(order.stopPrice!, bar.open) : Math.min(order.stopPrice!, bar.open);
        } else {
          reference = bar.open; // what a triggered stop did not fill carries on as a market order
        }
        break;
      case OrderType.StopLimit:
        if (!order.triggered) {
          if (buy ? !(bar.high >= order.stopPrice!) : !(bar.low <= order.stopPrice!)) return 0;
          this.context.events.orderTriggered(order, bar.openTime);
          book.limitActiveFrom = bar.closeTime; // the limit rests from the next bar
          return 0;
        }
        if (bar.openTime < book.limitActiveFrom) return 0;
        if (!limitTraded(order, bar, buy, book)) return 0;
        reference = order.price!;
        liquidity = Liquidity.Maker;
        withCosts = false;
        break;
      default:
        return 0;
    }
    book.sawEligibleBar = true;
    if (state.limits !== undefined && blockedByLimit(state.limits, buy, bar, reference)) return 0;

    // Quantity: what is left, what may be sold (T+1), the participation cap, the lot grid.
    const instrument = state.instrument;
    const remainingUnits = instrument.quantityUnits(order.quantity) - instrument.quantityUnits(order.filledQuantity);
    let units = Math.min(remainingUnits, capUnits);
    if (!buy) units = Math.min(units, this.context.account.sellableUnits(order.symbol, bar.openTime));
    if (units < remainingUnits) units -= units % instrument.lotUnits; // only the whole remainder may be an odd lot
    if (order.timeInForce === TimeInForce.FOK && units < remainingUnits) {
      this.context.events.orderExpired(order, bar.closeTime);
      return 0;
    }
    if (units <= 0) return 0;

    const intended = units;
    let price = 0;
    let impact = 0;
    let notional = 0n;
    let costs = { fee: 0n, tax: 0n, commission: 0n };
    for (let attempt = 0; attempt < 8 && units > 0; attempt++) {
      const quantity = instrument.quantityFromUnits(units);
      impact = withCosts ? this.impact(state, quantity) : 0;
      price = this.price(state, buy, reference, withCosts ? state.halfSpread + impact : 0);
      notional = notionalOf(instrument, price, quantity);
      costs = state.fees.costs(order.side, liquidity, notional, book.notional, book.commission);
      if (!buy) break;
      const total = notional + costs.fee + costs.tax;
      const cash = this.context.account.cash();
      if (total <= cash) break;
      // Cut to what the cash covers (the balance never goes negative), then re-price the smaller fill.
      let next = Math.floor((units * Number(cash)) / Number(total));
      next -= next % instrument.lotUnits;
      units = next < units ? next : units - instrument.lotUnits;
    }
    if (order.timeInForce === TimeInForce.FOK && units < intended) {
      // Fill or kill: a fill cut to what the cash covers is not the whole order.
      this.context.events.orderExpired(order, bar.closeTime);
      return 0;
    }
    if (units <= 0) return 0;
    if (buy && notional + costs.fee + costs.tax > this.context.account.cash()) return 0;

    const quantity = instrument.quantityFromUnits(units);
    book.notional += notional;
    book.commission += costs.commission;
    const fill = fillOf(order, {
      id: `F-${order.id.replace(/^O-/, '')}.${++book.fills}`,
      time: bar.openTime,
      price,
      quantity,
      notional,
      fee: costs.fee,
      tax: costs.tax,
      liquidity,
      referencePrice: reference,
      impactBps: impact * 10_000,
      reducedForCash: units < intended,
    });
    this.context.events.orderFilled(order, fill);
    return units;
  }

  /** Square-root impact as a fraction of price: coefficient x daily volatility x sqrt(Q / daily volume). */
  private impact(state: SymbolState, quantity: number): number {
    const sigma = state.stats.volatility();
    const volume = state.stats.averageVolume();
    if (!(sigma > 0) || !(volume > 0)) return 0;
    return this.config.impactCoefficient * sigma * Math.sqrt(quantity / volume);
  }

  /** Reference price moved against us by `cost` (a fraction), rounded to the tick away from us, kept inside daily limits. */
  private price(state: SymbolState, buy: boolean, reference: number, cost: number): number {
    const instrument = state.instrument;
    let price = buy
      ? instrument.roundPrice(reference * (1 + cost), RoundingMode.Up)
      : instrument.roundPrice(reference * (1 - cost), RoundingMode.Down);
    if (price < instrument.tick) price = instrument.tick;
    const limits = state.limits;
    if (limits !== undefined) {
      if (buy && price > limits.up) price = instrument.roundPrice(limits.up, RoundingMode.Down);
      if (!buy && price < limits.down) price = instrument.roundPrice(limits.down, RoundingMode.Up);
    }
    return price;
  }

  describe(): string[] {
    const c = this.config;
    if (!this.realistic) {
      return [
        'Model next-open: a market order fills whole at the open of the bar after the decision, paying the fee only (no spread, no impact, no volume cap).',
        'Limit orders fill at their limit when a bar trades through it (buy: low < limit); stops trigger on the bar range and fill at the worse of stop and open.',
        'Market rules still apply: lots, T+1 and A-share daily limits; the cash balance never goes negative.',
      ];
    }
    return [
      'Model realistic. Market orders: reference price = the open of the bar after the decision (a later bar\'s open for any part carried over).',
      `Half the spread is paid on every taker fill: spread ${c.spreadBps.crypto} bps for crypto, ${c.spreadBps.ashare} bps for A-shares.`,
      `Square-root impact = ${c.impactCoefficient} x sigma_daily x sqrt(Q / V_daily): sigma = sample standard deviation of daily log returns over the last ${c.volatilityDays} completed days, V = average daily volume over the last ${c.volumeDays} completed days, both from data before the fill; fewer than 2 returns or days: no impact.`,
      `Participation cap: our fills take at most ${c.participationCap * 100}% of a bar's volume; the rest carries to later bars (GTC) or ends (IOC; FOK fills whole or not at all).`,
      'Limit orders fill only when the bar trades through the limit (buy: low < limit; touching is not enough), at the limit, maker fee, no spread or impact.',
      'Stop orders trigger when the bar range reaches the stop and fill at the worse of stop and open, plus spread and impact; a stop-limit becomes a resting limit from the next bar.',
      'Fill prices are rounded to the tick away from us. If the cash does not cover a buy and its costs, the fill is cut to what it covers (flagged in fills.csv).',
      'A-shares: no buy fill while the bar sits at (or opens at) limit-up, no sell at limit-down; limits from pre_close (else the previous close) by board; T+1 sellable quantity; 100-share buy lots, odd lots sold whole.',
      'Emergency (flatten) orders ignore the participation cap but not market rules.',
    ];
  }
}

/** No buy while the bar is sealed at (or opens at) limit-up; no sell at limit-down. */
function blockedByLimit(limits: PriceLimits, buy: boolean, bar: Bar, reference: number): boolean {
  if (buy) {
    const up = limits.up * (1 - LIMIT_TOLERANCE);
    return bar.low >= up || reference >= up;
  }
  const down = limits.down * (1 + LIMIT_TOLERANCE);
  return bar.high <= down || reference <= down;
}

/** Whether the bar traded through a resting limit's price; a bar that did not still counts as one the order could have used. */
function limitTraded(order: Order, bar: Bar, buy: boolean, book: { sawEligibleBar: boolean }): boolean {
  if (buy ? bar.low < order.price! : bar.high > order.price!) return true;
  book.sawEligibleBar = true;
  return false;
}
