// A session's strategy behind a gate: once the session stops, the strategy sees nothing more (no bars,
// books, timers or order events), so it takes no decisions while the shutdown cancels and flattens.

const GATED_CALLBACKS = new Set<PropertyKey>(['onBar', 'onBook', 'onTimer', 'onOrderEvent']);

/** The strategy as the kernel sees it: once `off()` says so, its market and order callbacks are no longer called. */
export function gateStrategy<T extends object>(strategy: T, off: () => boolean): T {
  return new Proxy(strategy, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      if (GATED_CALLBACKS.has(property)) return (...args: unknown[]) => (off() ? undefined : (value as (...a: unknown[]) => unknown).apply(target, args));
      return (value as (...a: unknown[]) => unknown).bind(target);
    },
  });
}
