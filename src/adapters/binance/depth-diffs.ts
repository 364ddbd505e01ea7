// A growable columnar store of Binance depth-diff events (`depthUpdate`: first update id U, final update
// id u, and price levels). A replay parses a whole capture into one store up front; a live feed keeps a
// small one, clears it and appends each message. The sync reads events by index, so nothing is allocated
// per level.

export class DepthDiffs {
  /** Number of events. */
  count = 0;
  /** Number of level rows over all events. */
  levelCount = 0;
  /** Per event: first update id (U), final update id (u), event time (E, ms; NaN when unknown). */
  firstId: Float64Array;
  lastId: Float64Array;
  eventTime: Float64Array;
  /** Per event i: its levels are rows levelStart[i] .. levelStart[i+1]-1. Length count + 1. */
  levelStart: Uint32Array;
  /** Per level row: side (0 bid, 1 ask), price, quantity (0 = delete). */
  side: Uint8Array;
  price: Float64Array;
  qty: Float64Array;

  constructor(eventCapacity = 16, levelCapacity = 256) {
    const events = Math.max(1, eventCapacity | 0);
    const levels = Math.max(1, levelCapacity | 0);
    this.firstId = new Float64Array(events);
    this.lastId = new Float64Array(events);
    this.eventTime = new Float64Array(events);
    this.levelStart = new Uint32Array(events + 1);
    this.side = new Uint8Array(levels);
    this.price = new Float64Array(levels);
    this.qty = new Float64Array(levels);
  }

  /** Start a new event; its levels follow with addLevel(). */
  beginEvent(firstId: number, lastId: number, eventTime = Number.NaN): void {
    if (this.count === this.firstId.length) this.growEvents();
    const i = this.count;
    this.firstId[i] = firstId;
    this.lastId[i] = lastId;
    this.eventTime[i] = eventTime;
    this.levelStart[i] = this.levelCount;
    this.count = i + 1;
    this.levelStart[i + 1] = this.levelCount;
  }

  /** Add one level (side 0 bid / 1 ask) to the event begun last. */
  addLevel(side: number, price: number, qty: number): void {
    if (this.levelCount === this.side.length) this.growLevels();
    const j = this.levelCount;
    this.side[j] = side;
    this.price[j] = price;
    this.qty[j] = qty;
    this.levelCount = j + 1;
    this.levelStart[this.count] = j + 1;
  }

  /** Throws a RangeError unless `i` is the index of a stored event. */
  checkEvent(i: number): void {
    if (!(Number.isInteger(i) && i >= 0 && i < this.count)) throw new RangeError(`depth diffs: no event ${i} (${this.count} events)`);
  }

  /** Append a copy of event `i` of `from`. */
  copyEvent(from: DepthDiffs, i: number): void {
    from.checkEvent(i);
    this.beginEvent(from.firstId[i]!, from.lastId[i]!, from.eventTime[i]!);
    for (let j = from.levelStart[i]!, end = from.levelStart[i + 1]!; j < end; j++) this.addLevel(from.side[j]!, from.price[j]!, from.qty[j]!);
  }

  clear(): void {
    this.count = 0;
    this.levelCount = 0;
    this.levelStart[0] = 0;
  }

  private growEvents(): void {
    const capacity = this.firstId.length * 2;
    const grow = <T extends Float64Array | Uint32Array>(a: T, size: number): T => {
      const b = new (a.constructor as new (n: number) => T)(size);
      b.set(a);
      return b;
    };
    this.firstId = grow(this.firstId, capacity);
    this.lastId = grow(this.lastId, capacity);
    this.eventTime = grow(this.eventTime, capacity);
    this.levelStart = grow(this.levelStart, capacity + 1);
  }

  private growLevels(): void {
    const capacity = this.side.length * 2;
    const side = new Uint8Array(capacity);
    side.set(this.side);
    const price = new Float64Array(capacity);
    price.set(this.price);
    const qty = new Float64Array(capacity);
    qty.set(this.qty);
    this.side = side;
    this.price = price;
    this.qty = qty;
  }
}
