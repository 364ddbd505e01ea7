// A small synchronous publish/subscribe bus: components talk by topic without knowing each other.

export type Handler<T> = (message: T) => void;

export class MessageBus {
  private readonly topics = new Map<string, Handler<unknown>[]>();

  subscribe<T>(topic: string, handler: Handler<T>): () => void {
    const handlers = this.handlersOf(topic);
    handlers.push(handler as Handler<unknown>);
    return () => {
      const at = handlers.indexOf(handler as Handler<unknown>);
      if (at >= 0) handlers.splice(at, 1);
    };
  }

  /** The live list of a topic's handlers (hot paths keep it and check its length). */
  handlersOf(topic: string): Handler<unknown>[] {
    let handlers = this.topics.get(topic);
    if (!handlers) {
      handlers = [];
      this.topics.set(topic, handlers);
    }
    return handlers;
  }

  hasSubscribers(topic: string): boolean {
    return (this.topics.get(topic)?.length ?? 0) > 0;
  }

  /** Deliver synchronously, in subscription order. */
  publish<T>(topic: string, message: T): void {
    const handlers = this.topics.get(topic);
    if (!handlers) return;
    for (let i = 0; i < handlers.length; i++) handlers[i]!(message);
  }
}

/** Topics the kernel publishes. */
export const Topic = {
  Bar: 'data.bar',
  Book: 'data.book',
  OrderEvent: 'orders.event',
  Fill: 'orders.fill',
  Account: 'account.state',
  Breaker: 'risk.breaker',
  Denial: 'risk.denial',
  CorporateAction: 'account.corporate-action',
} as const;
