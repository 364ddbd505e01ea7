// The portfolio: the account ledger (positions, cash, fills, corporate actions) and the marks the hot path reads from it.
import { Account, type Bar, type Fill, moneyToNumber, numberToMoney, type Position } from '../../core/index.ts';
import { type Cache, type MessageBus, type PositionView, Topic } from '../../common/index.ts';
import type { CorporateAction, ExRightsDay } from './corporate-action.ts';

export interface PortfolioConfig {
  /** Holds every instrument of the run already, and the last prices that mark positions. */
  readonly cache: Cache;
  readonly bus: MessageBus;
  /** Account currency (the instruments' quote currency). */
  readonly currency: string;
  /** Ledger units (10^-8 of the currency). */
  readonly initialCapital: bigint;
  readonly log: (message: string) => void;
}

export class Portfolio {
  readonly account: Account;
  readonly fills: Fill[] = [];
  /** Ex-rights days that changed a position. */
  readonly corporateActions: CorporateAction[] = [];
  /** Last corporate-action factor seen per symbol index (1 before any). */
  readonly corporateFactor: Float64Array;
  private readonly cache: Cache;
  private readonly bus: MessageBus;
  private readonly log: (message: string) => void;
  /** Held quantity per symbol index as a float, for fast marking. */
  private readonly heldByIndex: Float64Array;
  private cashNumber: number;
  private openPositionCount = 0;
  private ledgerChangeCount = 0;
  /** Ex-rights days seen while warming up: a restore books them between the journaled fills. */
  private readonly exRightsDays: ExRightsDay[] = [];

  constructor(config: PortfolioConfig) {
    this.cache = config.cache;
    this.bus = config.bus;
    this.log = config.log;
    this.account = new Account(config.currency, config.initialCapital);
    this.cashNumber = moneyToNumber(config.initialCapital);
    this.heldByIndex = new Float64Array(this.cache.instruments.length);
    this.corporateFactor = new Float64Array(this.cache.instruments.length).fill(1);
  }

  /** Cash plus every position at its last close (float, for curves and sizing). */
  equity(): number {
    let value = this.cashNumber;
    if (this.openPositionCount > 0) {
      const held = this.heldByIndex;
      const closes = this.cache.lastClose;
      for (let i = 0; i < held.length; i++) if (held[i] !== 0) value += held[i]! * closes[i]!;
    }
    return value;
  }

  cash(): number {
    return this.cashNumber;
  }

  get hasOpenPosition(): boolean {
    return this.openPositionCount > 0;
  }

  openPositions(): number {
    return this.openPositionCount;
  }

  /** Moves whenever cash or a held quantity changes (RiskContext.ledgerVersion). */
  ledgerVersion(): number {
    return this.ledgerChangeCount;
  }

  heldQuantity(index: number): number {
    return this.heldByIndex[index]!;
  }

  /** Units of `symbol` held (0 when none). */
  heldUnits(symbol: string): number {
    return this.account.positions.get(symbol)?.quantityUnits ?? 0;
  }

  /** What an order can sell of `symbol`: held less its dust (0 when none). */
  tradableQuantity(symbol: string): number {
    const position = this.account.positions.get(symbol);
    return position === undefined ? 0 : position.instrument.quantityFromUnits(position.tradableUnits);
  }

  sellableUnits(symbol: string, time: number): number {
    const instrument = this.cache.instrument(symbol);
    const position = this.account.positions.get(symbol);
    if (!position) return 0;
    return position.sellableUnits(instrument.tradingDay(time), instrument.market === 'ashare');
  }

  sellableQuantity(symbol: string, time: number): number {
    return this.cache.instrument(symbol).quantityFromUnits(this.sellableUnits(symbol, time));
  }

  /** The position as a strategy sees it at `time`; its average price x `priceFactor` (the strategy's prices). */
  positionView(symbol: string, time: number, priceFactor: number): PositionView {
    const position = this.account.positions.get(symbol);
    if (!position) return { symbol, quantity: 0, dust: 0, sellableQuantity: 0, averagePrice: NaN, realizedPnl: 0, unrealizedPnl: 0 };
    const instrument = position.instrument;
    return {
      symbol,
      quantity: instrument.quantityFromUnits(position.tradableUnits),
      dust: instrument.quantityFromUnits(position.dustUnits),
      sellableQuantity: this.sellableQuantity(symbol, time),
      averagePrice: position.averagePrice * priceFactor,
      realizedPnl: moneyToNumber(position.realizedPnl),
      unrealizedPnl: position.unrealizedPnl(this.cache.lastClose[this.cache.symbolIndex(symbol)]!),
    };
  }

  /** Exact value of every position at its last close (ledger units). */
  markedPositionsValue(): bigint {
    let total = 0n;
    for (const position of this.account.positions.values()) {
      if (position.isFlat) continue;
      const close = this.cache.lastClose[this.cache.symbolIndex(position.instrument.symbol)]!;
      total += numberToMoney(position.quantity * close);
    }
    return total;
  }

  // ---- bookkeeping: fills, restored fills, adopted holdings and ex-rights days all end in positionChanged ----

  applyFill(fill: Fill, index = this.cache.symbolIndex(fill.symbol)): void {
    const instrument = this.cache.instruments[index]!;
    const position = this.account.position(instrument);
    const wasFlat = position.isFlat;
    this.account.applyFill(instrument, fill, instrument.tradingDay(fill.time));
    this.fills.push(fill);
    this.positionChanged(index, position, wasFlat);
  }

  /** A holding found on the venue, taken into the books at `price` by a person's decision. */
  adoptPosition(symbol: string, quantity: number, price: number): void {
    const index = this.cache.symbolIndex(symbol);
    const instrument = this.cache.instruments[index]!;
    const position = this.account.position(instrument);
    const wasFlat = position.isFlat;
    this.account.adoptPosition(instrument, instrument.roundQuantity(quantity), price);
    this.positionChanged(index, position, wasFlat);
  }

  /** Recovery: the journaled fills in journal order, each ex-rights day seen while warming up booked before the fills of its day. */
  restore(fills: readonly Fill[]): void {
    const days = this.exRightsDays.splice(0);
    let next = 0;
    for (const fill of fills) {
      while (next < days.length && days[next]!.time <= fill.time) this.bookExRightsDay(days[next++]!);
      this.applyFill(fill);
    }
    while (next < days.length) this.bookExRightsDay(days[next++]!);
  }

  private positionChanged(index: number, position: Position, wasFlat: boolean): void {
    this.heldByIndex[index] = position.quantity;
    if (wasFlat !== position.isFlat) this.openPositionCount += wasFlat ? 1 : -1;
    this.cashNumber = moneyToNumber(this.account.cash);
    this.ledgerChangeCount++;
  }

  // ---- corporate actions ----

  /**
   * The first bar of an ex-rights day, before anything trades on it: a held position becomes its value
   * at the day's reference price (Account.applyCorporateAction), and is marked there until the bar's own
   * close is known. While `deferred` (warming up) the day waits for restore().
   */
  exRightsDay(bar: Bar, index: number, factor: number, deferred: boolean): void {
    const previousFactor = this.corporateFactor[index];
    const previousClose = this.cache.lastClose[index];
    if (previousFactor === undefined || previousClose === undefined) throw new RangeError(`ex-rights bar for unknown symbol index ${index}`);
    this.corporateFactor[index] = factor;
    if (!(previousClose > 0)) return;
    const given = bar.preClose;
    const referencePrice = given !== undefined && given > 0 ? given : previousClose * (previousFactor / factor);
    const day: ExRightsDay = { index, time: bar.openTime, previousClose, referencePrice };
    this.cache.lastClose[index] = referencePrice;
    if (deferred) this.exRightsDays.push(day);
    else this.bookExRightsDay(day);
  }

  /** A held position (if any) carried through the ex-rights day, published as a CorporateAction. */
  private bookExRightsDay(day: ExRightsDay): void {
    const instrument = this.cache.instruments[day.index];
    if (instrument === undefined) throw new RangeError(`ex-rights day for unknown symbol index ${day.index}`);
    const position = this.account.positions.get(instrument.symbol);
    const result = this.account.applyCorporateAction(instrument, day.previousClose, day.referencePrice);
    if (result === undefined || position === undefined) return;
    this.positionChanged(day.index, position, false);
    const action: CorporateAction = {
      symbol: instrument.symbol,
      time: day.time,
      previousClose: day.previousClose,
      referencePrice: day.referencePrice,
      previousQuantity: result.previousQuantity,
      quantity: result.quantity,
      cash: moneyToNumber(result.cash),
    };
    this.corporateActions.push(action);
    if (this.bus.hasSubscribers(Topic.CorporateAction)) this.bus.publish(Topic.CorporateAction, action);
    this.log(`${instrument.symbol} ex-rights ${new Date(day.time).toISOString().slice(0, 10)}: ${action.previousQuantity} -> ${action.quantity} shares, ${action.cash} ${this.account.currency} paid`);
  }
}
