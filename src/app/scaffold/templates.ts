// The starter files `traider new strategy NAME` writes, as source text (templates are text, not modules of src:
// tsc and the lint never see them as code). examples/my-strategy.ts and its test are these templates written out
// for NAME = my-strategy; test/cli/new-command.test.ts keeps them equal, so `npm run lint` type-checks them.

export interface StarterNames {
  /** The strategy's name, and its files' (my-first). */
  readonly name: string;
  /** Its class (MyFirst). */
  readonly className: string;
}

export function starterStrategy({ name, className }: StarterNames): string {
  return `// ${name}: a starter strategy from \`traider new strategy ${name}\`. Trend following on two moving averages, with a
// protective stop under every entry. Make it yours; docs/strategies.md lists every event and what ctx offers.
//
//   npx traider backtest --data data/BTCUSDT-1h-2017-08-17_2024-04-21.csv.gz --strategy ./${name}.ts --params '{"fast":12}'
//   npx vitest run ${name}.test.ts
import { type Bar, type OrderEvent, OrderEventKind, OrderSide, OrderType, Sma, Strategy, z } from 'traider';

// The parameters. \`traider\` checks --params against this schema before the run (an unknown key or a bad value
// stops it, every problem listed) and the defaults fill in what --params leaves out.
const Params = z
  .strictObject({
    fast: z.number().int().min(1).default(10), // bars in the fast average
    slow: z.number().int().min(2).default(30), // bars in the slow average
    fraction: z.number().gt(0).lte(1).default(0.5), // share of equity spent on an entry
    stopLoss: z.number().gt(0).lt(1).default(0.05), // the protective stop sits this fraction under the entry price
  })
  .refine((p) => p.fast < p.slow, { message: 'fast must be smaller than slow', path: ['fast'] });
export type ${className}Params = z.infer<typeof Params>;

export default class ${className} extends Strategy {
  static readonly params = Params;
  readonly name = '${name}';
  readonly params: ${className}Params;
  private readonly averages = new Map<string, { fast: Sma; slow: Sma; fastWasAbove?: boolean }>();

  /** The CLI passes parameters already checked; parsing again makes \`new ${className}({ fast: 5 })\` in a test safe too. */
  constructor(params: z.input<typeof Params> = {}) {
    super();
    this.params = Params.parse(params);
  }

  /** What run.json records. */
  override parameters(): Record<string, unknown> {
    return { ...this.params };
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
      this.ctx.log(\`fast \${averages.fast.value.toFixed(2)} crossed above slow \${averages.slow.value.toFixed(2)}: buying \${quantity}\`);
      this.ctx.submitOrder({ symbol: bar.symbol, side: OrderSide.Buy, type: OrderType.Market, quantity, tag: 'entry' });
    } else if (!fastIsAbove && position.quantity > 0) {
      // Exit: the fast average crossed below. Cancel the stop first, then sell what may be sold.
      for (const order of this.ctx.openOrders(bar.symbol)) this.ctx.cancelOrder(order.id);
      this.ctx.log(\`fast crossed below slow: selling \${position.sellableQuantity}\`);
      this.ctx.submitOrder({ symbol: bar.symbol, side: OrderSide.Sell, type: OrderType.Market, quantity: position.sellableQuantity, tag: 'exit' });
    }
  }

  override onOrderEvent(event: OrderEvent): void {
    // The field is \`kind\` (SUBMITTED, ACCEPTED, DENIED, PARTIALLY_FILLED, FILLED, CANCELED, ...), not \`type\`.
    const { order } = event;
    if (event.kind === OrderEventKind.Denied || event.kind === OrderEventKind.Rejected) {
      this.ctx.log(\`\${order.tag ?? order.id} \${event.kind}: \${event.reason} \${event.detail ?? ''}\`);
    } else if (event.kind === OrderEventKind.Filled && order.tag === 'entry') {
      // The entry is complete: protect the whole position with a stop under its average price.
      const position = this.ctx.position(order.symbol);
      const stopPrice = position.averagePrice * (1 - this.params.stopLoss);
      const price = (value: number): string => this.ctx.instrument(order.symbol).formatPrice(value);
      this.ctx.log(\`entry filled at \${price(position.averagePrice)}: stop for \${position.quantity} at \${price(stopPrice)}\`);
      this.ctx.submitOrder({ symbol: order.symbol, side: OrderSide.Sell, type: OrderType.Stop, quantity: position.quantity, stopPrice, tag: 'stop' });
    } else if (event.kind === OrderEventKind.Filled && order.tag === 'stop') {
      this.ctx.log(\`stopped out at \${this.ctx.instrument(order.symbol).formatPrice(order.averageFillPrice)}\`);
    }
  }
}
`;
}

export function starterTest({ name, className }: StarterNames): string {
  return `// The test of ${name}.ts, from \`traider new strategy ${name}\`: a backtest on a small synthetic series through the
// traider library. Run it with vitest where 'traider' resolves (a project that installs traider):
//   npx vitest run ${name}.test.ts
import { backtestStrategy, type BarRow, OrderEventKind, OrderType } from 'traider';
import { describe, expect, it } from 'vitest';
import ${className} from './${name}.ts';

const HOUR = 3_600_000;

/**
 * Hourly bars: flat at 100, a rise to 110 (the averages cross up: an entry), a fall to 88 (through its 5% stop), a
 * second rise (a new entry) and a slow decline (the averages cross down: the exit, before the stop is reached).
 */
function syntheticBars(): BarRow[] {
  const path: number[] = [];
  const walk = (to: number, bars: number): void => {
    const from = path.at(-1) ?? to;
    for (let i = 1; i <= bars; i++) path.push(from + ((to - from) * i) / bars);
  };
  walk(100, 40);
  walk(110, 20);
  walk(88, 3);
  walk(88, 10);
  walk(104, 30);
  walk(94, 40);
  return path.map((close, i) => {
    const open = path[i - 1] ?? close;
    return { time: Date.UTC(2024, 0, 1) + i * HOUR, open, high: Math.max(open, close) * 1.001, low: Math.min(open, close) * 0.999, close, volume: 10_000 };
  });
}

describe('${name}', () => {
  it('refuses parameters its schema does not allow', () => {
    expect(() => new ${className}({ fast: 30, slow: 10 })).toThrow(/fast must be smaller than slow/);
  });

  it('enters on the cross up, protects each entry with a stop, is stopped out on the fall and exits on the cross down', async () => {
    const run = await backtestStrategy({ strategy: new ${className}({ fast: 5, slow: 20 }), bars: syntheticBars() });
    const tagged = (tag: string) => run.orders.filter((order) => order.tag === tag);
    expect(run.events.filter((event) => event.kind === OrderEventKind.Denied)).toEqual([]);
    expect(tagged('entry').length).toBeGreaterThanOrEqual(2);
    expect(tagged('entry').every((order) => order.status === 'FILLED')).toBe(true);
    // One stop per entry, each a sell for the entry's quantity, 5% under its fill.
    const stops = tagged('stop');
    expect(stops.map((stop) => stop.type)).toEqual(tagged('entry').map(() => OrderType.Stop));
    stops.forEach((stop, i) => {
      const entry = tagged('entry')[i]!;
      expect(stop.quantity).toBe(entry.filledQuantity);
      expect(stop.stopPrice! / entry.averageFillPrice).toBeCloseTo(0.95, 3);
    });
    // The fall hits the first stop; the second position leaves on the cross down, its stop canceled.
    expect(stops.map((stop) => stop.status)).toEqual(['FILLED', 'CANCELED']);
    expect(tagged('exit').map((order) => order.status)).toEqual(['FILLED']);
    expect(run.position.quantity).toBe(0);
    expect(run.log.some((line) => line.includes('stopped out'))).toBe(true);
  });
});
`;
}
