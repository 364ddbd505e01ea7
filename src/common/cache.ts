// The cache: instruments, last bars and orders, indexed for the hot path.
import type { Bar, BookSnapshot, Instrument, Order } from '../core/index.ts';

export class Cache {
  readonly instruments: Instrument[] = [];
  private readonly indexBySymbol = new Map<string, number>();
  /** Last close per symbol index (NaN before the first bar). */
  lastClose: Float64Array = new Float64Array(0);
  /** Close time of the last bar per symbol index. */
  lastBarTime: Float64Array = new Float64Array(0);
  readonly lastBars: (Bar | undefined)[] = [];
  readonly lastBooks: (BookSnapshot | undefined)[] = [];
  readonly orders = new Map<string, Order>();
  /** Orders not yet terminal, in submission order. */
  readonly openOrders: Order[] = [];

  addInstrument(instrument: Instrument): number {
    const known = this.indexBySymbol.get(instrument.symbol);
    if (known !== undefined) return known;
    const index = this.instruments.length;
    this.instruments.push(instrument);
    this.indexBySymbol.set(instrument.symbol, index);
    const grow = (old: Float64Array): Float64Array => {
      const next = new Float64Array(index + 1).fill(NaN);
      next.set(old);
      return next;
    };
    this.lastClose = grow(this.lastClose);
    this.lastBarTime = grow(this.lastBarTime);
    this.lastBars.push(undefined);
    this.lastBooks.push(undefined);
    return index;
  }

  symbolIndex(symbol: string): number {
    const index = this.indexBySymbol.get(symbol);
    if (index === undefined) throw new RangeError(`unknown symbol "${symbol}" (known: ${[...this.indexBySymbol.keys()].join(', ')})`);
    return index;
  }

  hasSymbol(symbol: string): boolean {
    return this.indexBySymbol.has(symbol);
  }

  instrument(symbol: string): Instrument {
    return this.instruments[this.symbolIndex(symbol)]!;
  }

  addOrder(order: Order): void {
    this.orders.set(order.id, order);
  }

  markOpen(order: Order): void {
    this.openOrders.push(order);
  }

  /** Drop terminal orders from the open list. */
  pruneOpen(): void {
    let write = 0;
    for (let read = 0; read < this.openOrders.length; read++) {
      const order = this.openOrders[read]!;
      if (!order.isTerminal) this.openOrders[write++] = order;
    }
    this.openOrders.length = write;
  }
}
