// The write-ahead gate: the journal sees every order event, fill and breaker change first; while held, nobody else does.
import { type MessageBus, type OrderEvent, Topic } from '../../common/index.ts';

export interface GatedMessage {
  readonly topic: string;
  readonly message: unknown;
}

/**
 * Receives order events once the gate lets them through (the strategy). An object's method rather than a
 * closure: every kernel then calls the same target, so the JIT keeps the venue's fill path inlined.
 */
export interface OrderEventListener {
  onOrderEvent(event: OrderEvent): void;
}

export class WriteAheadGate {
  private record: ((item: GatedMessage) => void) | undefined;
  private holding = false;
  private readonly held: GatedMessage[] = [];
  private listener: OrderEventListener | undefined;

  constructor(private readonly bus: MessageBus) {}

  /** Order events go to `listener` after the bus (undefined: to the bus only, as before a strategy starts). */
  deliverTo(listener: OrderEventListener | undefined): void {
    this.listener = listener;
  }

  /** True once a write-ahead record is set: fills are published for it even without subscribers. */
  get recording(): boolean {
    return this.record !== undefined;
  }

  /**
   * `record` sees every order event, fill and breaker change first, synchronously; while `hold()` is
   * on, nothing else (strategy, subscribers, logs) sees them until `release()`, which the session calls
   * once the records are durable.
   */
  setWriteAhead(record: (item: GatedMessage) => void): void {
    this.record = record;
  }

  hold(): void {
    this.holding = true;
  }

  /**
   * Deliver what was held, in order, to subscribers and the strategy. With `keepHolding` (live
   * sessions) whatever those deliveries cause is held again until the next release.
   */
  release(keepHolding = false): void {
    this.holding = keepHolding;
    const items = this.held.splice(0);
    for (const { topic, message } of items) {
      this.bus.publish(topic, message);
      if (topic === Topic.OrderEvent && this.listener !== undefined) this.listener.onOrderEvent(message as OrderEvent);
    }
  }

  /** Publish on the bus, or hold it with the order events while write-ahead is pending. */
  publish(topic: string, message: unknown): void {
    this.record?.({ topic, message });
    if (this.holding) this.held.push({ topic, message });
    else this.bus.publish(topic, message);
  }

  /** An order event: to the bus and the strategy, or held. */
  emit(event: OrderEvent): void {
    this.record?.({ topic: Topic.OrderEvent, message: event });
    if (this.holding) {
      this.held.push({ topic: Topic.OrderEvent, message: event });
      return;
    }
    if (this.bus.hasSubscribers(Topic.OrderEvent)) this.bus.publish(Topic.OrderEvent, event);
    if (this.listener !== undefined) this.listener.onOrderEvent(event);
  }
}
