// Strategy files as a user writes them (importing 'traider'), for the tests that run them from other folders.

/** Buys half the equity once and holds: TypeScript. */
export const HOLD_TS = `import { OrderSide, OrderType, Strategy, type Bar } from 'traider';
export default class Hold extends Strategy {
  readonly name = 'hold';
  override onBar(bar: Bar): void {
    if (this.ctx.position(bar.symbol).quantity > 0 || this.ctx.openOrders(bar.symbol).length > 0) return;
    const quantity = this.ctx.quantityForFraction(bar.symbol, 0.5, bar.close);
    if (quantity > 0) this.ctx.submitOrder({ symbol: bar.symbol, side: OrderSide.Buy, type: OrderType.Market, quantity });
  }
}
`;
/** The same in plain JavaScript. */
export const HOLD_JS = `import { OrderSide, OrderType, Strategy } from 'traider';
export default class Hold extends Strategy {
  name = 'hold-js';
  onBar(bar) {
    if (this.ctx.position(bar.symbol).quantity > 0 || this.ctx.openOrders(bar.symbol).length > 0) return;
    const quantity = this.ctx.quantityForFraction(bar.symbol, 0.5, bar.close);
    if (quantity > 0) this.ctx.submitOrder({ symbol: bar.symbol, side: OrderSide.Buy, type: OrderType.Market, quantity });
  }
}
`;
