// An example user strategy: buy when RSI drops below `buyBelow`, sell when it rises above `sellAbove`, with a
// protective stop under every entry and a daily line in the log. docs/strategies.md walks through it;
// test/strategies/worked-example.test.ts runs it, so it cannot rot.
// Run it: npx traider backtest --data data/BTCUSDT-1h-2017-08-17_2024-04-21.csv.gz --strategy examples/rsi-dip.ts --params '{"buyBelow":25}'
import { type Bar, type OrderEvent, OrderEventKind, OrderSide, OrderType, Rsi, Strategy, z } from 'traider';

// Checked before the run: an unknown key or a bad value stops it with every problem listed; defaults fill the rest.
const Params = z
  .strictObject({
    period: z.number().int().min(2).default(14),
    buyBelow: z.number().min(0).max(100).default(30),
    sellAbove: z.number().min(0).max(100).default(55),
    fraction: z.number().gt(0).lte(1).default(0.5), // of equity per entry, split between the symbols
    stopLoss: z.number().gt(0).lt(1).default(0.08), // the stop sits this fraction under the average entry price
  })
  .refine((p) => p.buyBelow < p.sellAbove, { message: 'buyBelow must be smaller than sellAbove', path: ['buyBelow'] });
type Params = z.infer<typeof Params>;

const DAY = 86_400_000;

export default class RsiDip extends Strategy {
  static readonly params = Params;
  readonly name = 'rsi-dip';
  readonly params: Params;
  private readonly rsi = new Map<string, Rsi>();
  private stopsHit = 0;

  constructor(params: z.input<typeof Params> = {}) {
    super();
    this.params = Params.parse(params);
  }

  override parameters(): Record<string, unknown> {
    return { ...this.params };
  }

  override onStart(): void {
    for (const symbol of this.ctx.symbols) {
      const rsi = new Rsi(this.params.period);
      this.rsi.set(symbol, rsi);
      this.ctx.registerIndicator(symbol, rsi); // updated with each close before onBar
    }
    // onTimer('daily', time) every 24 hours of the run's clock (bar time in a backtest), from the next midnight UTC.
    this.ctx.setInterval('daily', Math.ceil(this.ctx.now() / DAY) * DAY, DAY);
  }

  override onBar(bar: Bar): void {
    const rsi = this.rsi.get(bar.symbol)!;
    if (!rsi.isReady) return;
    const working = this.ctx.openOrders(bar.symbol);
    // A large order may fill over several bars (the venue's participation cap): let it finish.
    if (working.some((order) => order.tag !== 'stop')) return;
    const position = this.ctx.position(bar.symbol);
    if (position.quantity === 0 && rsi.value < this.params.buyBelow) {
      const quantity = this.ctx.quantityForFraction(bar.symbol, this.params.fraction / this.ctx.symbols.length, bar.close);
      if (quantity > 0) this.ctx.submitOrder({ symbol: bar.symbol, side: OrderSide.Buy, type: OrderType.Market, quantity, tag: 'entry' });
    } else if (position.sellableQuantity > 0 && rsi.value > this.params.sellAbove) {
      for (const stop of working) this.ctx.cancelOrder(stop.id);
      this.ctx.submitOrder({ symbol: bar.symbol, side: OrderSide.Sell, type: OrderType.Market, quantity: position.sellableQuantity, tag: 'exit' });
    }
  }

  override onOrderEvent(event: OrderEvent): void {
    const { order } = event;
    switch (event.kind) {
      case OrderEventKind.Denied:
      case OrderEventKind.Rejected:
        this.ctx.log(`${order.tag} ${order.side} ${order.quantity} ${event.kind}: ${event.reason} (${event.detail ?? ''})`);
        break;
      case OrderEventKind.Filled:
        if (order.tag === 'entry') this.protect(order.symbol);
        if (order.tag === 'stop') this.stopsHit++;
        this.ctx.log(`${order.tag} ${order.side} ${order.filledQuantity} filled at ${order.averageFillPrice.toFixed(2)}`);
        break;
      default: // SUBMITTED, ACCEPTED, TRIGGERED, PARTIALLY_FILLED, CANCELED, EXPIRED, ...: nothing to do
    }
  }

  override onTimer(name: string, time: number): void {
    if (name !== 'daily') return;
    const held = this.ctx.symbols.map((symbol) => `${symbol} ${this.ctx.position(symbol).quantity}`).join(', ');
    this.ctx.log(`${new Date(time).toISOString().slice(0, 10)}: equity ${this.ctx.equity().toFixed(2)}, holding ${held}`);
  }

  override onStop(): void {
    this.ctx.log(`done: ${this.stopsHit} stop(s) hit, equity ${this.ctx.equity().toFixed(2)}`);
  }

  /** A sell stop for the whole position, `stopLoss` under its average price (both in the prices this strategy sees). */
  private protect(symbol: string): void {
    const position = this.ctx.position(symbol);
    const stopPrice = position.averagePrice * (1 - this.params.stopLoss);
    this.ctx.submitOrder({ symbol, side: OrderSide.Sell, type: OrderType.Stop, quantity: position.quantity, stopPrice, tag: 'stop' });
  }
}
