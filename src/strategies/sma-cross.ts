// sma-cross: long when the fast SMA crosses above the slow one, flat when it crosses below.
import { type Bar, OrderSide, OrderType, Sma, Strategy, z } from '../index.ts';
import { fraction, parseParameters, period } from './params.ts';

const Params = z
  .strictObject({ fast: period.default(10), slow: period.default(30), fraction: fraction.default(0.95) })
  .refine((p) => p.fast < p.slow, { message: 'fast must be smaller than slow', path: ['fast'] });
export type SmaCrossParams = z.infer<typeof Params>;

export class SmaCross extends Strategy {
  /** The parameter schema: the loader validates --params with it, and so does the constructor when called directly. */
  static readonly params = Params;
  readonly name = 'sma-cross';
  readonly params: SmaCrossParams;
  private readonly fast: Sma[] = [];
  private readonly slow: Sma[] = [];
  /** Sign of fast - slow at the previous bar per symbol (0 = unknown). */
  private readonly previousSign: number[] = [];
  private readonly symbolIndex = new Map<string, number>();

  constructor(params?: unknown) {
    super();
    this.params = parseParameters('sma-cross', Params, params);
  }

  override parameters(): Record<string, unknown> {
    return { ...this.params };
  }

  override onStart(): void {
    this.ctx.symbols.forEach((symbol, i) => {
      this.symbolIndex.set(symbol, i);
      this.fast.push(new Sma(this.params.fast));
      this.slow.push(new Sma(this.params.slow));
      this.previousSign.push(0);
    });
  }

  override onBar(bar: Bar): void {
    const i = this.symbolIndex.get(bar.symbol)!;
    const fast = this.fast[i]!.update(bar.close);
    const slow = this.slow[i]!.update(bar.close);
    if (slow !== slow) return; // NaN while the slow average warms up
    const sign = fast > slow ? 1 : fast < slow ? -1 : 0;
    const previous = this.previousSign[i]!;
    if (sign !== 0) this.previousSign[i] = sign;
    if (previous === 0 || sign === 0 || sign === previous) return;
    if (sign > 0) this.enter(bar);
    else this.exit(bar);
  }

  private enter(bar: Bar): void {
    const ctx = this.ctx;
    if (ctx.position(bar.symbol).quantity > 0 || ctx.openOrders(bar.symbol).length > 0) return;
    const quantity = ctx.quantityForFraction(bar.symbol, this.params.fraction / ctx.symbols.length, bar.close);
    if (quantity > 0) ctx.submitOrder({ symbol: bar.symbol, side: OrderSide.Buy, type: OrderType.Market, quantity, tag: 'cross-up' });
  }

  private exit(bar: Bar): void {
    const ctx = this.ctx;
    for (const order of ctx.openOrders(bar.symbol)) ctx.cancelOrder(order.id);
    const quantity = ctx.position(bar.symbol).quantity;
    if (quantity > 0) ctx.submitOrder({ symbol: bar.symbol, side: OrderSide.Sell, type: OrderType.Market, quantity, tag: 'cross-down' });
  }
}
