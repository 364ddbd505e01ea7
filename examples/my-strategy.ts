// my-strategy: a starter strategy from `traider new strategy my-strategy`. Trend following on two moving averages, with a
// protective stop under every entry. Make it yours; docs/strategies.md lists every event and what ctx offers.
//
//   npx traider backtest --data data/BTCUSDT-1h-2017-08-17_2024-04-21.csv.gz --strategy ./my-strategy.ts --params '{"fast":12}'
//   npx vitest run my-strategy.test.ts
import { type Bar, type OrderEvent, OrderEventKind, OrderSide, OrderType, Sma, Strategy, z } from 'traider';

// The parameters. `traider` checks --params against this schema before the run (an unknown key or a bad value
// stops it, every problem listed) and the defaults fill in what --params leaves out.
const Params = z
  .strictObject({
    fast: z.number().int().min(1).default(10), // bars in the fast average
    slow: z.number().int().min(2).default(30), // bars in the slow average
    fraction: z.number().gt(0).lte(1).default(0.5), // share of equity spent on an entry
    stopLoss: z.number().gt(0).lt(1).default(0.05), // the protective stop sits this fraction under the entry price
  })
  .refine((p) => p.fast < p.slow, { message: 'fast must be smaller than slow', path: ['fast'] });
export type MyStrategyParams = z.infer<typeof Params>;

export default class MyStrategy extends Strategy {
  static readonly params = Params;
  readonly name = 'my-strategy';
  readonly params: MyStrategyParams;
  private readonly averages = new Map<string, { fast: Sma; slow: Sma; fastWasAbove?: boolean }>();

  /** The CLI passes parameters already checked; parsing again makes `new MyStrategy({ fast: 5 })` in a test safe too. */
  constructor(params: z.input<typeof Params> = {}) {
    super();
    this.params = Params.parse(params);
  }

  override onStart(): void {
    for (const symbol of this.ctx.symbols) {
      const averages = { fast: new Sma(this.params.fast), slow: new Sma(this.params.slow) };
      // The kernel updates registered indicators with each close before onBar.
      this.ctx.registerIndicator(symbol, averages.fast);
      this.ctx.registerIndicator(symbol, averages.slow);
      this.averages.set(symbol, averages);
    }
  }

  override onBar(bar: Bar): void {
    const averages = this.averages.get(bar.symbol)!;
    if (!averages.slow.isReady) return;
    const fastIsAbove = averages.fast.value > averages.slow.value;
    const crossed = averages.fastWasAbove !== undefined && fastIsAbove !== averages.fastWasAbove;
    averages.fastWasAbove = fastIsAbove;
    if (!crossed) return;
    const position = this.ctx.position(bar.symbol);
    if (fastIsAbove && position.quantity === 0 && this.ctx.openOrders(bar.symbol).length === 0) {
      // Entry: the fast average crossed above the slow one. A market order fills at the next bar's open.
      const quantity = this.ctx.quantityForFraction(bar.symbol, this.params.fraction, bar.close);
      if (quantity <= 0) return;
      this.ctx.log(`fast ${averages.fast.value.toFixed(2)} crossed above slow ${averages.slow.value.toFixed(2)}: buying ${quantity}`);
      this.ctx.submitOrder({ symbol: bar.symbol, side: OrderSide.Buy, type: OrderType.Market, quantity, tag: 'entry' });
    } else if (!fastIsAbove && position.quantity > 0) {
      // Exit: the fast average crossed below. Cancel the stop first, then sell what may be sold.
      for (const order of this.ctx.openOrders(bar.symbol)) this.ctx.cancelOrder(order.id);
      this.ctx.log(`fast crossed below slow: selling ${position.sellableQuantity}`);
      this.ctx.submitOrder({ symbol: bar.symbol, side: OrderSide.Sell, type: OrderType.Market, quantity: position.sellableQuantity, tag: 'exit' });
    }
  }

  override onOrderEvent(event: OrderEvent): void {
    // The field is `kind` (SUBMITTED, ACCEPTED, DENIED, PARTIALLY_FILLED, FILLED, CANCELED, ...), not `type`.
    const { order } = event;
    if (event.kind === OrderEventKind.Denied || event.kind === OrderEventKind.Rejected) {
      this.ctx.log(`${order.tag ?? order.id} ${event.kind}: ${event.reason} ${event.detail ?? ''}`);
    } else if (event.kind === OrderEventKind.Filled && order.tag === 'entry') {
      // The entry is complete: protect the whole position with a stop under its average price.
      const position = this.ctx.position(order.symbol);
      const stopPrice = position.averagePrice * (1 - this.params.stopLoss);
      const price = (value: number): string => this.ctx.instrument(order.symbol).formatPrice(value);
      this.ctx.log(`entry filled at ${price(position.averagePrice)}: stop for ${position.quantity} at ${price(stopPrice)}`);
      this.ctx.submitOrder({ symbol: order.symbol, side: OrderSide.Sell, type: OrderType.Stop, quantity: position.quantity, stopPrice, tag: 'stop' });
    } else if (event.kind === OrderEventKind.Filled && order.tag === 'stop') {
      this.ctx.log(`stopped out at ${this.ctx.instrument(order.symbol).formatPrice(order.averageFillPrice)}`);
    }
  }
}
