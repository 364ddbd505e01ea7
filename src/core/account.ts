// The account ledger: cash, positions at cost, realized P&L, fees and taxes, all exact in ledger units.
import { divideRoundHalfUp, MONEY_SCALE, moneyToNumber, numberToMoney } from './decimal.ts';
import type { Fill } from './fill.ts';
import type { Instrument } from './instrument.ts';
import { OrderSide } from './order.ts';

/** A closed round trip: from flat to flat in one symbol. */
export interface Trade {
  readonly symbol: string;
  readonly entryTime: number;
  readonly exitTime: number;
  /** Total quantity bought during the round trip. */
  readonly quantity: number;
  readonly entryPrice: number;
  readonly exitPrice: number;
  /** Net of fees and taxes, in the account currency. */
  readonly pnl: number;
  /** pnl / money spent on buying. */
  readonly returnFraction: number;
  readonly fills: number;
}

/** A long spot position; quantities in integer units of the instrument (10^-quantityDecimals). */
export class Position {
  quantityUnits = 0;
  /** Cost basis of what is held (ledger units). */
  cost = 0n;
  realizedPnl = 0n;
  /** T+1: units bought on `boughtDay` cannot be sold before the next trading day. */
  boughtTodayUnits = 0;
  boughtDay = -1;
  // The open round trip.
  tradeEntryTime = 0;
  tradeBuyNotional = 0n;
  tradeSellNotional = 0n;
  tradeCosts = 0n;
  tradeBoughtUnits = 0;
  tradeSoldUnits = 0;
  tradeFills = 0;
  /** Cash paid out by corporate actions during the open round trip (ledger units). */
  tradeDistributions = 0n;

  constructor(readonly instrument: Instrument) {}

  get quantity(): number {
    return this.quantityUnits / this.instrument.quantityScale;
  }

  get isFlat(): boolean {
    return this.quantityUnits === 0;
  }

  /** Units below one lot that no order can sell (left by fees taken in the coin; Instrument.dustUnits). */
  get dustUnits(): number {
    return this.instrument.dustUnits(this.quantityUnits);
  }

  /** What an order can sell: the holding less its dust. */
  get tradableUnits(): number {
    return this.quantityUnits - this.instrument.dustUnits(this.quantityUnits);
  }

  /** Average entry price of what is held (NaN when flat). */
  get averagePrice(): number {
    return this.quantityUnits === 0 ? NaN : moneyToNumber(this.cost) / this.quantity;
  }

  /** What can be sold on `day`: the tradable units (T+1 markets exclude today's buys). */
  sellableUnits(day: number, tPlusOne: boolean): number {
    if (!tPlusOne || this.boughtDay !== day) return this.tradableUnits;
    return this.quantityUnits - this.boughtTodayUnits;
  }

  unrealizedPnl(markPrice: number): number {
    return this.quantityUnits === 0 ? 0 : this.quantity * markPrice - moneyToNumber(this.cost);
  }
}

export class InsufficientPosition extends Error {}

/** What a corporate action did to a held position. */
export interface CorporateActionResult {
  readonly previousQuantity: number;
  readonly quantity: number;
  /** Cash paid out (ledger units). */
  readonly cash: bigint;
}

/** Exact notional: price x quantity in ledger units (rounded half up only if the grid is finer than 10^-8). */
export function notionalOf(instrument: Instrument, price: number, quantity: number): bigint {
  const units = BigInt(instrument.priceUnits(price)) * BigInt(instrument.quantityUnits(quantity));
  const scale = BigInt(instrument.priceScale) * BigInt(instrument.quantityScale);
  return scale <= MONEY_SCALE ? units * (MONEY_SCALE / scale) : divideRoundHalfUp(units, scale / MONEY_SCALE);
}

/**
 * One account in one currency, shared by every symbol of a run. Invariant (tested):
 * cash + sum(cost) = initialCapital + realizedPnl - fees - taxes, exactly.
 */
export class Account {
  cash: bigint;
  feesPaid = 0n;
  taxesPaid = 0n;
  realizedPnl = 0n;
  readonly positions = new Map<string, Position>();
  readonly trades: Trade[] = [];

  constructor(
    readonly currency: string,
    public initialCapital: bigint,
  ) {
    this.cash = initialCapital;
  }

  /**
   * A person takes a holding found on the exchange into the books at `price`: the position gets that
   * cost basis and the capital grows by the same value (nothing was bought), so the ledger identity holds.
   */
  adoptPosition(instrument: Instrument, quantity: number, price: number): void {
    const position = this.position(instrument);
    const value = notionalOf(instrument, instrument.roundPrice(price), quantity);
    position.quantityUnits += instrument.quantityUnits(quantity);
    position.cost += value;
    this.initialCapital += value;
  }

  position(instrument: Instrument): Position {
    let position = this.positions.get(instrument.symbol);
    if (!position) {
      position = new Position(instrument);
      this.positions.set(instrument.symbol, position);
    }
    return position;
  }

  /**
   * Book a fill. `day` is its trading day (for T+1). Sells beyond the position throw: spot has no shorts. A fee kept in
   * the base asset (`feeQuantity`) is paid in kind: the position gets that much less (a buy) or gives that much more
   * (a sell), valued at the fill price, and cash does not pay it.
   */
  applyFill(instrument: Instrument, fill: Fill, day: number): void {
    const position = this.position(instrument);
    const units = instrument.quantityUnits(fill.quantity);
    const feeUnits = fill.feeQuantity ? instrument.quantityUnits(fill.feeQuantity) : 0;
    // In kind, the fee's value leaves as coins, not cash.
    const cashCosts = feeUnits > 0 ? fill.tax : fill.fee + fill.tax;
    if (position.tradableUnits === 0) this.openTrade(position, fill.time);
    if (fill.side === OrderSide.Buy) {
      const received = units - feeUnits;
      // What was bought is what was received, at its value: the fill price x the quantity kept.
      const value = feeUnits > 0 ? fill.notional - fill.fee : fill.notional;
      this.cash -= fill.notional + cashCosts;
      position.quantityUnits += received;
      position.cost += value;
      if (position.boughtDay !== day) {
        position.boughtDay = day;
        position.boughtTodayUnits = 0;
      }
      position.boughtTodayUnits += received;
      position.tradeBuyNotional += value;
      position.tradeBoughtUnits += received;
    } else {
      const disposed = units + feeUnits;
      if (disposed > position.quantityUnits) {
        throw new InsufficientPosition(`${fill.symbol}: sell of ${instrument.quantityFromUnits(disposed)} exceeds position ${position.quantity}`);
      }
      // Coins given as the fee are disposed of at the fill price like the coins sold.
      const proceeds = feeUnits > 0 ? fill.notional + fill.fee : fill.notional;
      const costSold =
        disposed === position.quantityUnits ? position.cost : divideRoundHalfUp(position.cost * BigInt(disposed), BigInt(position.quantityUnits));
      const realized = proceeds - costSold;
      position.cost -= costSold;
      position.quantityUnits -= disposed;
      position.realizedPnl += realized;
      this.realizedPnl += realized;
      this.cash += fill.notional - cashCosts;
      position.tradeSellNotional += proceeds;
      position.tradeSoldUnits += disposed;
    }
    this.feesPaid += fill.fee;
    this.taxesPaid += fill.tax;
    position.tradeCosts += fill.fee + fill.tax;
    position.tradeFills++;
    // A round trip ends at the sell that leaves nothing sellable: dust below one lot stays in the books, outside any trade.
    if (fill.side === OrderSide.Sell && position.tradableUnits === 0) this.closeTrade(position, fill.time);
  }

  private openTrade(position: Position, time: number): void {
    position.tradeEntryTime = time;
    position.tradeBuyNotional = 0n;
    position.tradeSellNotional = 0n;
    position.tradeCosts = 0n;
    position.tradeBoughtUnits = 0;
    position.tradeSoldUnits = 0;
    position.tradeFills = 0;
    position.tradeDistributions = 0n;
  }

  /**
   * An ex-rights day (dividend, bonus or rights issue) while `instrument` is held: the value at the
   * previous close carries over to the day's reference price (pre_close) as more (or fewer) whole units,
   * quantity x previousClose / referenceAfter rounded down, and the remainder in cash, booked as realized
   * P&L. The cost basis stays, so the position's unrealized P&L and the equity are continuous. Returns the
   * new quantity and the cash paid, or undefined when nothing is held.
   */
  applyCorporateAction(instrument: Instrument, previousClose: number, referenceAfter: number): CorporateActionResult | undefined {
    const position = this.positions.get(instrument.symbol);
    if (!position || position.quantityUnits <= 0 || !(previousClose > 0) || !(referenceAfter > 0)) return undefined;
    const ratio = previousClose / referenceAfter;
    const previousUnits = position.quantityUnits;
    // The ratio of two prices carries binary noise: 1000 x 1.3 may come out as 1299.9999999999998.
    const units = Math.floor(previousUnits * ratio * (1 + 1e-12));
    const previousQuantity = position.quantity;
    const quantity = units / instrument.quantityScale;
    let cash = numberToMoney(previousQuantity * previousClose) - numberToMoney(quantity * referenceAfter);
    if (cash < 0n) cash = 0n;
    position.quantityUnits = units;
    if (position.boughtTodayUnits > 0) position.boughtTodayUnits = Math.min(units, Math.floor(position.boughtTodayUnits * ratio * (1 + 1e-12)));
    position.realizedPnl += cash;
    position.tradeDistributions += cash;
    this.realizedPnl += cash;
    this.cash += cash;
    return { previousQuantity, quantity, cash };
  }

  private closeTrade(position: Position, exitTime: number): void {
    const instrument = position.instrument;
    const bought = position.tradeBoughtUnits / instrument.quantityScale;
    const sold = position.tradeSoldUnits / instrument.quantityScale;
    const pnl = position.tradeSellNotional - position.tradeBuyNotional - position.tradeCosts + position.tradeDistributions;
    const spent = moneyToNumber(position.tradeBuyNotional);
    this.trades.push({
      symbol: instrument.symbol,
      entryTime: position.tradeEntryTime,
      exitTime,
      quantity: bought,
      entryPrice: bought > 0 ? spent / bought : NaN,
      exitPrice: sold > 0 ? moneyToNumber(position.tradeSellNotional) / sold : NaN,
      pnl: moneyToNumber(pnl),
      returnFraction: spent > 0 ? moneyToNumber(pnl) / spent : 0,
      fills: position.tradeFills,
    });
  }

  /** Sum of cost bases of open positions. */
  get totalCost(): bigint {
    let total = 0n;
    for (const position of this.positions.values()) total += position.cost;
    return total;
  }
}
