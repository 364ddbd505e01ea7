// A session's shutdown steps: cancel open orders through the venue and wait (bounded) for the
// confirmations, close positions with market orders and wait (bounded) for the fills. What remains open is
// described by session-status.ts.
import { OrderSide, OrderType } from '../../core/index.ts';
import type { Kernel } from '../../kernel/index.ts';

/** Wait for `work`, at most `timeoutMs`; `late` runs when it did not finish in time. */
export async function bounded(work: Promise<unknown>, timeoutMs: number, late: () => void): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const finished = await Promise.race([
    work.then(
      () => true,
      () => true,
    ),
    new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs))),
  ]);
  clearTimeout(timer);
  if (!finished) late();
}

function until(done: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  return new Promise((resolve) => {
    const check = (): void => {
      if (done()) resolve(true);
      else if (performance.now() >= deadline) resolve(false);
      else setTimeout(check, 25);
    };
    check();
  });
}

/** Wait (bounded) until the emergency orders already working (the kill switch's closing orders) are done. */
export async function settleClosingOrders(kernel: Kernel, timeoutMs: number, log: (line: string) => void): Promise<void> {
  const closing = kernel.cache.openOrders.filter((o) => o.emergency);
  if (closing.length === 0) return;
  const done = await until(() => closing.every((o) => o.isTerminal), timeoutMs);
  if (!done) log(`emergency stop: closing orders not done after ${(timeoutMs / 1000).toFixed(1)} s: ${closing.filter((o) => !o.isTerminal).map((o) => o.id).join(', ')}`);
}

/** Ask the venue to cancel every open order, then wait (bounded) until none is open. */
export async function cancelOpenOrders(kernel: Kernel, timeoutMs: number, log: (line: string) => void): Promise<void> {
  const open = [...kernel.cache.openOrders];
  if (open.length === 0) return;
  log(`shutdown: canceling ${open.length} open order${open.length === 1 ? '' : 's'} (${open.map((o) => o.id).join(', ')})`);
  for (const order of open) kernel.cancelOrder(order.id);
  const confirmed = await until(() => kernel.cache.openOrders.length === 0, timeoutMs);
  if (!confirmed) log(`shutdown: ${kernel.cache.openOrders.length} order(s) still open after ${(timeoutMs / 1000).toFixed(1)} s`);
}

/** Close every open position with a market order through the kernel (journaled like any order), then wait (bounded) for the fills. */
export async function flattenPositions(kernel: Kernel, timeoutMs: number, log: (line: string) => void): Promise<void> {
  const closing: Array<ReturnType<Kernel['submitOrder']>> = [];
  for (const position of kernel.account.positions.values()) {
    if (position.isFlat) continue;
    const symbol = position.instrument.symbol;
    // A long is closed with what the venue holds of it (an exchange may have taken fees in the coin).
    const quantity = position.quantity > 0 ? kernel.closableQuantity(symbol) : Math.abs(position.quantity);
    if (!(quantity > 0)) continue;
    const side = position.quantity > 0 ? OrderSide.Sell : OrderSide.Buy;
    log(`shutdown: flattening ${symbol}: market ${side} ${quantity}`);
    const order = kernel.submitOrder({ symbol, side, type: OrderType.Market, quantity, tag: 'flatten-on-exit' }, true);
    if (order.isTerminal) log(`shutdown: the closing order for ${symbol} was ${order.status}`);
    else closing.push(order);
  }
  if (closing.length === 0) return;
  const filled = await until(() => closing.every((o) => o.isTerminal), timeoutMs);
  if (!filled) log(`shutdown: closing orders not filled after ${(timeoutMs / 1000).toFixed(1)} s: ${closing.filter((o) => !o.isTerminal).map((o) => o.id).join(', ')}`);
}
