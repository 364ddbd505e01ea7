// buy-and-hold: invest a fraction of equity (split evenly across symbols) at the first bar it may trade on (after a
// session's warm-up) and keep it.
import { type Bar, OrderSide, OrderType, Strategy, z } from '../index.ts';
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
    if (this.bought.has(bar.symbol) || this.ctx.warmingUp()) return;
    this.bought.add(bar.symbol);
    const quantity = this.ctx.quantityForFraction(bar.symbol, this.params.fraction / this.ctx.symbols.length, bar.close);
    if (quantity > 0) this.ctx.submitOrder({ symbol: bar.symbol, side: OrderSide.Buy, type: OrderType.Market, quantity, tag: 'buy-and-hold' });
  }
}
