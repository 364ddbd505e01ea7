// Events the kernel delivers to strategies and subscribers.
import type { Fill, Order, OrderEventKind } from '../core/index.ts';

export interface OrderEvent {
  readonly kind: OrderEventKind;
  readonly order: Order;
  readonly time: number;
  /** Present for PARTIALLY_FILLED and FILLED. */
  readonly fill?: Fill;
  /** Present for DENIED and REJECTED: a machine-readable code. */
  readonly reason?: string;
  /** Free text with the numbers behind a denial or rejection. */
  readonly detail?: string;
  /** For DENIED, when the check reports them: the number that failed and the limit it broke. */
  readonly value?: number;
  readonly limit?: number;
}
