// A user's strategy file through the real `traider backtest`: --params is checked against its `static params`
// schema (every problem listed, exit 1, nothing on stdout) and completed with its defaults; without a schema a
// misspelt key is no longer silently ignored; a JavaScript strategy reading `event.type` is told to read `kind`.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCliAsync, type CliResult } from '../cli/run-cli.ts';

const DATA = 'data/BTCUSDT-1m-2021-02-19_2021-02-25.csv';
const dir = mkdtempSync(join(tmpdir(), 'traider-user-params-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Buys once; prints what its constructor received, so the test sees the parameters after the schema. */
const BODY = `
  override onBar(bar: Bar): void {
    if (this.ctx.position(bar.symbol).quantity > 0 || this.ctx.openOrders(bar.symbol).length > 0) return;
    const quantity = this.ctx.quantityForFraction(bar.symbol, 0.5, bar.close);
    if (quantity > 0) this.ctx.submitOrder({ symbol: bar.symbol, side: OrderSide.Buy, type: OrderType.Market, quantity });
  }
}
`;
const files = {
  'schema.ts': `import { OrderSide, OrderType, Strategy, z, type Bar } from 'traider';
const Params = z.object({ lower: z.number().min(0).max(100).default(30), period: z.number().int().default(14) });
export default class Schema extends Strategy {
  static readonly params = Params;
  readonly name = 'schema';
  constructor(params: z.infer<typeof Params>) {
    super();
    process.stderr.write('received ' + JSON.stringify(params) + '\\n');
  }${BODY}`,
  'no-schema.ts': `import { OrderSide, OrderType, Strategy, type Bar } from 'traider';
export default class NoSchema extends Strategy {
  readonly name = 'no-schema';
  private readonly lower: number;
  constructor(params: { lower?: number } = {}) {
    super();
    this.lower = params.lower ?? 30;
  }${BODY}`,
  'reads-type.mjs': `import { OrderSide, OrderType, Strategy } from 'traider';
export default class ReadsType extends Strategy {
  name = 'reads-type';
  filled = 0;
  onBar(bar) {
    if (this.filled > 0 || this.ctx.openOrders(bar.symbol).length > 0) return;
    this.ctx.submitOrder({ symbol: bar.symbol, side: OrderSide.Buy, type: OrderType.Market, quantity: 0.01 });
  }
  onOrderEvent(event) {
    if (event.type === 'FILLED') this.filled++;
    if (event.kind === 'FILLED') this.filled++;
  }
}
`,
};
for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);

const backtest = (file: string, params?: string): Promise<CliResult> =>
  runCliAsync(['backtest', '--data', DATA, '--strategy', join(dir, file), ...(params === undefined ? [] : ['--params', params]), '--json']);
const runs = {
  bad: backtest('schema.ts', '{"lower":300,"period":2.5,"lowr":25}'),
  defaults: backtest('schema.ts', '{"lower":25}'),
  unchecked: backtest('no-schema.ts', '{"lowr":25}'),
  readsType: backtest('reads-type.mjs'),
};
for (const run of Object.values(runs)) run.catch(() => undefined);

const warnings = (stderr: string): string[] => stderr.split('\n').filter((line) => line.startsWith('warning: '));

describe('a strategy file with a static params schema', () => {
  it('stops the run before any bar, listing every problem with its path, value and rule', async () => {
    const { code, stdout, stderr } = await runs.bad;
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      [
        `error: invalid parameters for ${join(dir, 'schema.ts')} (3 problems):`,
        '  lowr: unknown parameter (got 25); known: lower, period',
        '  lower: Too big: expected number to be <=100 (got 300)',
        '  period: Invalid input: expected int, received number (got 2.5)',
        '',
      ].join('\n'),
    );
  });

  it('passes the parsed parameters, defaults filled in, and runs', async () => {
    const { code, stdout, stderr } = await runs.defaults;
    expect(code, stderr).toBe(0);
    expect(stderr).toContain('received {"lower":25,"period":14}\n');
    expect(warnings(stderr)).toEqual([]);
    expect(JSON.parse(stdout).fills).toBeGreaterThan(0);
  });
});

describe('a strategy file without a schema', () => {
  it('warns on stderr that --params is not checked and that lowr is not one of its fields; stdout stays one JSON object', async () => {
    const { code, stdout, stderr } = await runs.unchecked;
    expect(code, stderr).toBe(0);
    expect(warnings(stderr)).toEqual([
      `warning: no-schema: parameters not checked (${join(dir, 'no-schema.ts')} declares no \`static params\` schema); received: lowr; declare \`static params = z.object({...})\` to have them checked`,
      'warning: no-schema: parameter lowr is not among its fields (lower): it is probably ignored',
    ]);
    expect(JSON.parse(stdout).fills).toBeGreaterThan(0);
  });
});

describe('a JavaScript strategy testing event.type', () => {
  it('is warned once to use kind, and runs on', async () => {
    const { code, stdout, stderr } = await runs.readsType;
    expect(code, stderr).toBe(0);
    expect(warnings(stderr)).toEqual(["warning: reads-type: OrderEvent has no `type`; use `kind` (event.kind === 'FILLED'): event.type is always undefined"]);
    expect(JSON.parse(stdout).fills).toBe(1);
  });
});
