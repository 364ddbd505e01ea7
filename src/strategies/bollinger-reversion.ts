// bollinger-reversion: buy when the close falls below the lower band, sell when it gets back above the middle.
import { type Bar, BollingerBands, OrderSide, OrderType, Strategy, z } from '../index.ts';
import { fraction, parseParameters, period } from './params.ts';

const Params = z.strictObject({ period: period.default(20), k: z.number().gt(0).default(2), fraction: fraction.default(0.95) });
export type BollingerReversionParams = z.infer<typeof Params>;

export class BollingerReversion extends Strategy {
  /** The parameter schema: the loader validates --params with it, and so does the constructor when called directly. */
  static readonly params = Params;
  readonly name = 'bollinger-reversion';
  readonly params: BollingerReversionParams;
  private readonly bands = new Map<string, BollingerBands>();

  constructor(params?: unknown) {
    super();
    this.params = parseParameters('bollinger-reversion', Params, params);
  }

  override parameters(): Record<string, unknown> {
    return { ...this.params };
  }

  override onStart(): void {
    for (const symbol of this.ctx.symbols) this.bands.set(symbol, new BollingerBands(this.params.period, this.params.k));
  }

  override onBar(bar: Bar): void {
    const bands = this.bands.get(bar.symbol)!;
    bands.update(bar.close);
    if (!bands.isReady) return;
    const ctx = this.ctx;
    if (ctx.openOrders(bar.symbol).length > 0) return;
    const position = ctx.position(bar.symbol);
    if (position.quantity === 0 && bar.close < bands.lower) {
      const quantity = ctx.quantityForFraction(bar.symbol, this.params.fraction / ctx.symbols.length, bar.close);
      if (quantity > 0) ctx.submitOrder({ symbol: bar.symbol, side: OrderSide.Buy, type: OrderType.Market, quantity, tag: 'below-lower' });
    } else if (position.sellableQuantity > 0 && bar.close > bands.middle) {
      // Only what may be sold now: on T+1 markets today's buys wait for tomorrow.
      ctx.submitOrder({ symbol: bar.symbol, side: OrderSide.Sell, type: OrderType.Market, quantity: position.sellableQuantity, tag: 'above-middle' });
    }
  }
}
