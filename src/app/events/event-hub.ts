// What the server tells its WebSocket clients, numbered: every event of every deployment (fills, order changes,
// breaker levels, equity from its session; mode and status changes of its record) gets the next number of one
// global sequence, so a client that reconnects names the last number it saw and gets what it missed. The last
// `capacity` events are kept in a ring; a client that asks for older ones is told it lost some (a gap) and
// re-reads the state through the REST routes.
import { randomBytes } from 'node:crypto';
import type { Clock } from '../../common/index.ts';
import type { SessionEvent } from '../session/index.ts';

export type DeploymentEventType = 'fill' | 'order' | 'breaker' | 'equity' | 'mode' | 'status';

export interface DeploymentEvent {
  /** 1, 2, 3, ... across every deployment, in publication order; starts again at 1 when the server starts. */
  readonly seq: number;
  /** When the server published it: wall time, UTC ms. */
  readonly time: number;
  readonly deployment: string;
  readonly type: DeploymentEventType;
  readonly data: Readonly<Record<string, unknown>>;
}

/**
 * Events after `after` are no longer all kept: the oldest one kept is `oldest` (those in between are lost). With
 * `restarted`, the client's numbers are those of an earlier server process: every kept event follows.
 */
export interface EventGap {
  readonly after: number;
  readonly oldest: number;
  readonly restarted?: true;
}

export interface ReplayAnswer {
  /** The kept events after the asked seq, oldest first (after a gap: every kept event). */
  readonly events: readonly DeploymentEvent[];
  readonly gap?: EventGap;
}

export type EventListener = (event: DeploymentEvent) => void;

export const DEFAULT_EVENT_CAPACITY = 10_000;

export interface EventHubOptions {
  /** The server's clock: the wall time each event is stamped with. */
  readonly clock: Pick<Clock, 'now'>;
  /** Names this hub's numbering (default: random); a client reconnecting with another epoch gets a restart gap. */
  readonly epoch?: string;
  /** How many of the latest events are kept for replay (default 10,000). */
  readonly capacity?: number;
  /** Where a listener's failure is reported (it does not stop the others or the publisher). */
  readonly log?: (line: string) => void;
}

export class EventHub {
  readonly capacity: number;
  private readonly ring: (DeploymentEvent | undefined)[];
  /** Index in `ring` of the oldest kept event. */
  private start = 0;
  private size = 0;
  private latest = 0;
  private readonly listeners = new Set<EventListener>();

  /** Names this run of the hub (a server start): numbers seen under another epoch mean nothing here. */
  readonly epoch: string;

  constructor(private readonly options: EventHubOptions) {
    this.epoch = options.epoch ?? randomBytes(6).toString('hex');
    const capacity = options.capacity ?? DEFAULT_EVENT_CAPACITY;
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`event capacity must be a positive integer (got ${capacity})`);
    this.capacity = capacity;
    this.ring = new Array<DeploymentEvent | undefined>(capacity);
  }

  /** The seq of the last event published (0 before the first). */
  get latestSeq(): number {
    return this.latest;
  }

  /** The seq of the oldest event still kept (latestSeq + 1 while none is). */
  get oldestSeq(): number {
    return this.latest - this.size + 1;
  }

  publish(deployment: string, type: DeploymentEventType, data: Readonly<Record<string, unknown>>): DeploymentEvent {
    const event: DeploymentEvent = { seq: ++this.latest, time: this.options.clock.now(), deployment, type, data };
    if (this.size < this.capacity) {
      this.ring[(this.start + this.size) % this.capacity] = event;
      this.size++;
    } else {
      this.ring[this.start] = event;
      this.start = (this.start + 1) % this.capacity;
    }
    // A copy: a listener added while this event is delivered (a client connecting from inside a listener) must not
    // get it twice, once here and once from the buffer it reads.
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (error) {
        this.options.log?.(`event listener failed on event ${event.seq}: ${(error as Error)?.message ?? String(error)}`);
      }
    }
    return event;
  }

  /** A running session's event (its own `time`, the session's clock, stays in `data`). */
  publishSession(deployment: string, event: SessionEvent): DeploymentEvent {
    const { type, ...data } = event;
    return this.publish(deployment, type, data);
  }

  /**
   * The kept events after `after`. A gap when some of them are no longer kept, and also when `after` is beyond the
   * latest seq: the client saw the numbers of an earlier server process (numbering restarts with the server).
   */
  replayAfter(after: number, epoch?: string): ReplayAnswer {
    const oldest = this.oldestSeq;
    // Numbers from another epoch (the server restarted since): whatever they say, everything kept follows.
    if (epoch !== undefined && epoch !== this.epoch) return { events: this.slice(0), gap: { after, oldest, restarted: true } };
    if (after >= oldest - 1 && after <= this.latest) return { events: this.slice(after + 1 - oldest) };
    return { events: this.slice(0), gap: { after, oldest } };
  }

  /** Calls `listener` with every event published from now on; returns the unsubscribe function. */
  subscribe(listener: EventListener): () => void {
    // A wrapper of its own: the same function subscribed twice is two subscriptions, each ended by its own call.
    const own = (event: DeploymentEvent): void => listener(event);
    this.listeners.add(own);
    return () => this.listeners.delete(own);
  }

  /** Kept events from the `from`-th oldest on. */
  private slice(from: number): DeploymentEvent[] {
    const out: DeploymentEvent[] = [];
    for (let i = from; i < this.size; i++) out.push(this.ring[(this.start + i) % this.capacity]!);
    return out;
  }
}
