// An example user strategy: buy when RSI(14) drops below 30, sell when it rises above 55.
// Run it: npx traider backtest --data data/BTCUSDT-1h-2017-08-17_2024-04-21.csv.gz --strategy examples/rsi-dip.ts
import { OrderSide, OrderType, Rsi, Strategy, type Bar } from 'traider';

export default class RsiDip extends Strategy {
  readonly name = 'rsi-dip';
  private readonly rsi = new Map<string, Rsi>();
  private readonly fraction: number;

  constructor(params: { fraction?: number } = {}) {
    super();
    this.fraction = params.fraction ?? 0.5;
  }

  override parameters(): Record<string, unknown> {
    return { fraction: this.fraction };
  }

  override onStart(): void {
    for (const symbol of this.ctx.symbols) {
      const rsi = new Rsi(14);
      this.rsi.set(symbol, rsi);
      this.ctx.registerIndicator(symbol, rsi); // updated with each close before onBar
    }
  }

  override onBar(bar: Bar): void {
    const rsi = this.rsi.get(bar.symbol)!;
    if (!rsi.isReady || this.ctx.openOrders(bar.symbol).length > 0) return;
    const held = this.ctx.position(bar.symbol).quantity;
    if (held === 0 && rsi.value < 30) {
      const quantity = this.ctx.quantityForFraction(bar.symbol, this.fraction, bar.close);
      if (quantity > 0) this.ctx.submitOrder({ symbol: bar.symbol, side: OrderSide.Buy, type: OrderType.Market, quantity });
    } else if (held > 0 && rsi.value > 55) {
      this.ctx.submitOrder({ symbol: bar.symbol, side: OrderSide.Sell, type: OrderType.Market, quantity: held });
    }
  }
}
