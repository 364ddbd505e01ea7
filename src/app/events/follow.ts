// One client's view of the event hub: a hello with the latest seq, then (when it names the last seq it saw) the kept
// events after it, then every new event as it is published, each exactly once and in seq order. The replay is sent
// a chunk at a time, waiting for the transport to write each chunk out, so a long replay neither floods the
// socket nor holds the event loop; events published meanwhile wait in a queue and follow the replay.
import type { DeploymentEvent, EventGap, EventHub } from './event-hub.ts';

export type EventMessage = { readonly type: 'hello'; readonly seq: number; readonly epoch: string } | ({ readonly type: 'gap' } & EventGap) | DeploymentEvent;

/** Where a follower's messages go (a WebSocket). */
export interface EventSink {
  /**
   * Sends one message; `written`, when given, is called once the transport has written it out (or failed to).
   * It does not throw: a transport that cannot send closes its client.
   */
  send(message: EventMessage, written?: () => void): void;
  /** The client fell further behind than the follower may queue for it (the follower has stopped): close it. */
  tooSlow(why: string): void;
}

export interface FollowRequest {
  /** The last seq the client saw: replay every kept event after it first. Absent: only new events. */
  readonly after?: number;
  /** The epoch of the hello that numbered `after` (another one: the server restarted, everything kept is replayed). */
  readonly epoch?: string;
  /** Only these deployments' events (absent: every deployment's). */
  readonly deployments?: readonly string[];
}

export interface FollowOptions {
  /** Replay messages sent before waiting for the transport (default 256). */
  readonly chunk?: number;
  /** New events queued during a replay before the client counts as too slow (default: the hub's capacity). */
  readonly maxQueued?: number;
}

export class EventFollower {
  /** Events published during the replay, in seq order; undefined once live. */
  private queued: DeploymentEvent[] | undefined;
  private last: number;
  private closed = false;
  private readonly unsubscribe: () => void;
  private readonly wanted: (event: DeploymentEvent) => boolean;
  private wake: (() => void) | undefined;

  constructor(
    hub: EventHub,
    request: FollowRequest,
    private readonly sink: EventSink,
    private readonly options: FollowOptions = {},
  ) {
    const names = request.deployments === undefined ? undefined : new Set(request.deployments);
    this.wanted = names === undefined ? () => true : (event) => names.has(event.deployment);
    const maxQueued = options.maxQueued ?? hub.capacity;
    // Subscribe before reading the buffer: every event is then either in the replay read below or arrives here,
    // whatever is published while the replay is being written out.
    this.queued = request.after === undefined ? undefined : [];
    this.unsubscribe = hub.subscribe((event) => {
      if (this.closed) return;
      if (this.queued === undefined) return this.deliver(event);
      if (!this.wanted(event)) return;
      this.queued.push(event);
      if (this.queued.length > maxQueued) this.fallBehind(`more than ${maxQueued} new events queued behind the replay`);
    });
    this.last = hub.latestSeq;
    sink.send({ type: 'hello', seq: hub.latestSeq, epoch: hub.epoch });
    if (request.after === undefined) return;
    const answer = hub.replayAfter(request.after, request.epoch);
    this.last = answer.gap === undefined ? request.after : answer.gap.oldest - 1;
    if (answer.gap !== undefined) sink.send({ type: 'gap', ...answer.gap });
    void this.replay(answer.events);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Stops following (the client went away): nothing more is sent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.unsubscribe();
    this.queued = undefined;
    this.wake?.();
  }

  private async replay(events: readonly DeploymentEvent[]): Promise<void> {
    const chunk = this.options.chunk ?? 256;
    let inChunk = 0;
    for (const event of events) {
      if (this.closed) return;
      if (inChunk < chunk - 1) {
        if (this.deliver(event)) inChunk++;
        continue;
      }
      // The chunk's last message: wait until the transport has written it out before sending more.
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        if (this.deliver(event, resolve)) inChunk = 0;
        else resolve();
      });
      this.wake = undefined;
    }
    const queued = this.queued ?? [];
    this.queued = undefined;
    for (const event of queued) this.deliver(event);
  }

  /**
   * Sends an event unless it was handled already (its seq at or below the last one) or is filtered out; says
   * whether it was sent. `written` goes to the transport (called once it has written the message out).
   */
  private deliver(event: DeploymentEvent, written?: () => void): boolean {
    if (this.closed || event.seq <= this.last) return false;
    this.last = event.seq;
    if (!this.wanted(event)) return false;
    this.sink.send(event, written);
    return true;
  }

  private fallBehind(why: string): void {
    this.close();
    this.sink.tooSlow(why);
  }
}

/** Starts following the hub for one client; close the follower when the client goes away. */
export function followEvents(hub: EventHub, request: FollowRequest, sink: EventSink, options?: FollowOptions): EventFollower {
  return new EventFollower(hub, request, sink, options);
}
