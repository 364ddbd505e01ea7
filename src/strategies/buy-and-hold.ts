// buy-and-hold: invest a fraction of equity (split evenly across symbols) at the first bar that takes the order, and
// keep it. A session's warm-up bars refuse every order (quietly): the purchase then happens at the first bar after them.
import { type Bar, OrderSide, OrderStatus, OrderType, Strategy, z } from '../index.ts';
import { fraction, parseParameters } from './params.ts';

const Params = z.strictObject({ fraction: fraction.default(1) });

export class BuyAndHold extends Strategy {
  /** The parameter schema: the loader validates --params with it, and so does the constructor when called directly. */
  static readonly params = Params;
  readonly name = 'buy-and-hold';
  readonly params: z.infer<typeof Params>;
  private readonly bought = new Set<string>();

  constructor(params?: unknown) {
    super();
    this.params = parseParameters('buy-and-hold', Params, params);
  }

  override parameters(): Record<string, unknown> {
    return { ...this.params };
  }

  override onBar(bar: Bar): void {
    if (this.bought.has(bar.symbol)) return;
    const quantity = this.ctx.quantityForFraction(bar.symbol, this.params.fraction / this.ctx.symbols.length, bar.close);
    if (!(quantity > 0)) return;
    const order = this.ctx.submitOrder({ symbol: bar.symbol, side: OrderSide.Buy, type: OrderType.Market, quantity, tag: 'buy-and-hold' });
    if (order.status !== OrderStatus.Denied) this.bought.add(bar.symbol);
  }
}
