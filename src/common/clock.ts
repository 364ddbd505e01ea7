// Clocks: the only place that reads wall time. Simulated (advanced by events) and live (wall clock + offset).

export type TimerCallback = (name: string, time: number) => void;

export interface Clock {
  /** Current time, UTC ms. */
  now(): number;
  /** Call `callback` once at `time` (replaces a timer of the same name). */
  setTimer(name: string, time: number, callback: TimerCallback): void;
  /** Call `callback` every `intervalMs` starting at `start`. */
  setInterval(name: string, start: number, intervalMs: number, callback: TimerCallback): void;
  cancelTimer(name: string): void;
}

interface Timer {
  name: string;
  time: number;
  intervalMs: number;
  callback: TimerCallback;
  /** Insertion order breaks ties so timers at the same time fire in the order they were set. */
  sequence: number;
}

function earlier(a: Timer, b: Timer): boolean {
  return a.time < b.time || (a.time === b.time && a.sequence < b.sequence);
}

/** A binary min-heap of timers by (time, sequence). */
class TimerHeap {
  private readonly items: Timer[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): Timer | undefined {
    return this.items[0];
  }

  push(timer: Timer): void {
    const items = this.items;
    items.push(timer);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!earlier(items[i]!, items[parent]!)) break;
      [items[i], items[parent]] = [items[parent]!, items[i]!];
      i = parent;
    }
  }

  pop(): Timer | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last) {
      items[0] = last;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let smallest = i;
        if (left < items.length && earlier(items[left]!, items[smallest]!)) smallest = left;
        if (right < items.length && earlier(items[right]!, items[smallest]!)) smallest = right;
        if (smallest === i) break;
        [items[i], items[smallest]] = [items[smallest]!, items[i]!];
        i = smallest;
      }
    }
    return top;
  }
}

/**
 * Backtest clock: time moves only when the engine advances it to the next event; timers due on the
 * way fire in time order, each with the clock set to the timer's own time.
 */
export class SimulatedClock implements Clock {
  private time: number;
  private readonly heap = new TimerHeap();
  private readonly active = new Map<string, Timer>();
  private sequence = 0;
  /** Earliest pending timer time (Infinity when none): lets advanceTo skip the heap in O(1). */
  private nextDue = Infinity;

  constructor(start = 0) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  setTimer(name: string, time: number, callback: TimerCallback): void {
    this.schedule(name, time, 0, callback);
  }

  setInterval(name: string, start: number, intervalMs: number, callback: TimerCallback): void {
    if (!(intervalMs > 0)) throw new RangeError(`timer ${name}: interval must be > 0 ms (got ${intervalMs})`);
    this.schedule(name, start, intervalMs, callback);
  }

  cancelTimer(name: string): void {
    this.active.delete(name);
  }

  private schedule(name: string, time: number, intervalMs: number, callback: TimerCallback): void {
    if (time < this.time) throw new RangeError(`timer ${name}: ${time} is in the past (now ${this.time})`);
    const timer = { name, time, intervalMs, callback, sequence: this.sequence++ };
    this.active.set(name, timer);
    this.heap.push(timer);
    if (time < this.nextDue) this.nextDue = time;
  }

  /** Move time forward to `time`, firing due timers first. Time never goes backwards. */
  advanceTo(time: number): void {
    if (time < this.time) throw new RangeError(`clock cannot go back from ${this.time} to ${time}`);
    if (time >= this.nextDue) this.fireUntil(time);
    this.time = time;
  }

  private fireUntil(time: number): void {
    for (let timer = this.heap.peek(); timer && timer.time <= time; timer = this.heap.peek()) {
      this.heap.pop();
      if (this.active.get(timer.name) !== timer) continue; // cancelled or replaced
      this.time = timer.time;
      if (timer.intervalMs > 0) {
        const next = { ...timer, time: timer.time + timer.intervalMs, sequence: this.sequence++ };
        this.active.set(timer.name, next);
        this.heap.push(next);
      } else {
        this.active.delete(timer.name);
      }
      timer.callback(timer.name, timer.time);
    }
    this.nextDue = this.heap.peek()?.time ?? Infinity;
  }
}

/**
 * Live clock: the venue's time, estimated from its server clock. now = venue time at the last sync
 * + (wall time since then) x rate. Rate is 1 against a real exchange; a replaying local exchange runs
 * faster (e.g. 60x) and the data client estimates that too. Timers run on the event loop, their
 * delays converted back to wall time.
 */
export class LiveClock implements Clock {
  private anchorVenue: number | undefined;
  private anchorWall = 0;
  private rate = 1;
  private readonly handles = new Map<string, ReturnType<typeof setTimeout>>();

  /** Wall time, UTC ms: the one place the platform reads the machine's clock. */
  static wallNow(): number {
    return Date.now();
  }

  /** Set while a resumed session plays its journal back: the time of the journaled event being replayed. */
  private pinned: number | undefined;

  now(): number {
    if (this.pinned !== undefined) return this.pinned;
    const wall = Date.now();
    // Whole milliseconds, like every timestamp in the platform.
    return this.anchorVenue === undefined ? wall : Math.floor(this.anchorVenue + (wall - this.anchorWall) * this.rate);
  }

  /** The venue said its time is `venueTime` when our wall clock read `wallTime`; `rate` is venue ms per wall ms. */
  sync(venueTime: number, wallTime: number, rate = 1): void {
    if (!(rate > 0)) throw new RangeError(`clock rate must be > 0 (got ${rate})`);
    this.anchorVenue = venueTime;
    this.anchorWall = wallTime;
    this.rate = rate;
  }

  get speed(): number {
    return this.rate;
  }

  /** Resume playback: now() reads `time` until `unpin()` (history is replayed on its own times). */
  pin(time: number): void {
    this.pinned = time;
  }

  unpin(): void {
    this.pinned = undefined;
  }

  setTimer(name: string, time: number, callback: TimerCallback): void {
    this.cancelTimer(name);
    const handle = setTimeout(
      () => {
        this.handles.delete(name);
        callback(name, time);
      },
      Math.max(0, (time - this.now()) / this.rate),
    );
    this.handles.set(name, handle);
  }

  setInterval(name: string, start: number, intervalMs: number, callback: TimerCallback): void {
    const tick = (_: string, time: number): void => {
      this.setTimer(name, time + intervalMs, tick);
      callback(name, time);
    };
    this.setTimer(name, start, tick);
  }

  cancelTimer(name: string): void {
    const handle = this.handles.get(name);
    if (handle !== undefined) clearTimeout(handle);
    this.handles.delete(name);
  }

  /** Cancel every timer (shutdown). */
  cancelAll(): void {
    for (const handle of this.handles.values()) clearTimeout(handle);
    this.handles.clear();
  }
}
