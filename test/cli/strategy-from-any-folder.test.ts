// A user's strategy file runs from any folder through the real `traider` command: TypeScript or JavaScript, with
// no package.json, beside one that does not list traider or says CommonJS, or inside a project with its own copy
// of traider; its relative imports work; and a file that cannot be used stops the run with one line naming it.
import { availableParallelism, tmpdir } from 'node:os';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HOLD_JS, HOLD_TS } from '../support/user-strategies.ts';
import { ROOT, runCliAsync, type CliResult } from './run-cli.ts';

const DATA = 'data/BTCUSDT-1m-2021-02-19_2021-02-25.csv';
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const BASE = mkdtempSync(join(tmpdir(), 'traider-any-folder-'));

/** Writes files (paths relative to a new folder under BASE) and returns the folder. */
function folder(name: string, files: Record<string, string>): string {
  const dir = join(BASE, name);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

// Relative imports the way TypeScript users write them (.ts, or .js meaning the .ts file), a CommonJS helper, and
// a subpath of traider; prints which traider it got.
const WITH_HELPERS = `import { OrderSide, OrderType, Strategy, type Bar } from 'traider';
import pkg from 'traider/package.json' with { type: 'json' };
import { FRACTION } from './lib/sizing.ts';
import { isFlat } from './lib/sizing.js';
import labels from './lib/labels.cjs';
process.stderr.write('traider ' + pkg.version + ' ' + import.meta.resolve('traider') + '\\n');
export class Helped extends Strategy {
  readonly name: string = labels.name;
  override onBar(bar: Bar): void {
    if (!isFlat(this.ctx.position(bar.symbol).quantity, this.ctx.openOrders(bar.symbol).length)) return;
    const quantity = this.ctx.quantityForFraction(bar.symbol, FRACTION, bar.close);
    if (quantity > 0) this.ctx.submitOrder({ symbol: bar.symbol, side: OrderSide.Buy, type: OrderType.Market, quantity });
  }
}
`;

const plain = folder('plain', { 'hold.ts': HOLD_TS });
const unrelated = folder('unrelated', { 'package.json': '{"name":"unrelated","version":"1.0.0"}\n', 'hold.ts': HOLD_TS });
// JavaScript in a package that says CommonJS; the .ts file of the same name must not be run instead of hold.js.
const js = folder('js', {
  'package.json': '{"name":"cjs","version":"1.0.0","type":"commonjs"}\n',
  'hold.js': HOLD_JS,
  'hold.mjs': HOLD_JS,
  'hold.ts': 'throw new Error("hold.ts ran instead of hold.js");\n',
});
// A project of its own: helpers beside the strategy and another copy of traider in its node_modules, which must not
// be the one used.
const project = folder('project', {
  'package.json': '{"name":"mine","version":"1.0.0","dependencies":{"traider":"9.9.9"}}\n',
  'node_modules/traider/package.json': '{"name":"traider","version":"9.9.9","type":"module","exports":{".":"./index.js","./package.json":"./package.json"}}\n',
  'node_modules/traider/index.js': 'throw new Error("the other copy of traider was loaded");\n',
  'strategy.ts': WITH_HELPERS,
  'lib/sizing.ts': 'export const FRACTION: number = 0.5;\nexport function isFlat(held: number, open: number): boolean { return held === 0 && open === 0; }\n',
  'lib/labels.cjs': "module.exports = { name: 'helped' };\n",
});
const bad = folder('bad', {
  'no-class.ts': 'export const answer = 42;\n',
  'two-classes.ts': "import { Strategy } from 'traider';\nexport class A extends Strategy { readonly name = 'a'; }\nexport class B extends Strategy { readonly name = 'b'; }\n",
  'syntax.ts': "import { Strategy } from 'traider';\nexport default class Broken extends Strategy {\n  onBar( {\n}\n",
  'syntax.mjs': "import { Strategy } from 'traider';\nexport default class Broken extends Strategy {\n  onBar( {\n}\n",
  'throws.ts': "import { Strategy } from 'traider';\nexport default class Late extends Strategy { readonly name = 'late'; }\nthrow new Error('configuration missing');\n",
});

const GOOD = [join(plain, 'hold.ts'), join(unrelated, 'hold.ts'), join(js, 'hold.js'), join(js, 'hold.mjs'), join(project, 'strategy.ts')];
const BAD: Array<[string, RegExp]> = [
  ['no-class.ts', /no-class\.ts must export a class extending Strategy/],
  ['two-classes.ts', /two-classes\.ts exports several Strategy classes \(A, B\)/],
  ['syntax.ts', /cannot load strategy file .*syntax\.ts: .*syntax\.ts:\d+:\d+: Expected/],
  ['syntax.mjs', /cannot load strategy file .*syntax\.mjs: SyntaxError at .*syntax\.mjs:\d+: /],
  ['throws.ts', /cannot load strategy file .*throws\.ts: configuration missing/],
  ['absent.ts', /--strategy: no such file: .*absent\.ts/],
];

// Each run is mostly the CLI's start-up: all are queued now, as many at a time as there are cores (at least two);
// a test awaits its own.
const parallel = Math.max(2, availableParallelism());
let active = 0;
const waiting: Array<() => void> = [];
async function limited(task: () => Promise<CliResult>): Promise<CliResult> {
  if (active >= parallel) await new Promise<void>((wake) => waiting.push(wake));
  active++;
  try {
    return await task();
  } finally {
    active--;
    waiting.shift()?.();
  }
}
const runs = new Map<string, Promise<CliResult>>();
for (const file of [...GOOD, ...BAD.map(([name]) => join(bad, name))]) {
  const run = limited(() => runCliAsync(['backtest', '--data', DATA, '--strategy', file, '--json']));
  run.catch(() => undefined);
  runs.set(file, run);
}

afterAll(async () => {
  await Promise.allSettled(runs.values());
  rmSync(BASE, { recursive: true, force: true });
});

async function fills(file: string): Promise<number> {
  const result = await runs.get(file)!;
  expect(result.code, result.stderr).toBe(0);
  return (JSON.parse(result.stdout) as { fills: number }).fills;
}

describe('a strategy file outside the repo runs with the repo CLI', () => {
  it('a .ts file in a folder with no package.json', async () => {
    expect(await fills(join(plain, 'hold.ts'))).toBeGreaterThan(0);
  });

  it('a .ts file beside a package.json that does not list traider', async () => {
    expect(await fills(join(unrelated, 'hold.ts'))).toBeGreaterThan(0);
  });

  it('.js and .mjs files in a "type": "commonjs" package (hold.js itself, not hold.ts)', async () => {
    expect(await fills(join(js, 'hold.js'))).toBeGreaterThan(0);
    expect(await fills(join(js, 'hold.mjs'))).toBeGreaterThan(0);
  });

  it("imports helpers by relative path, and 'traider' is the running package even with another copy installed", async () => {
    expect(await fills(join(project, 'strategy.ts'))).toBeGreaterThan(0);
    const { stderr } = await runs.get(join(project, 'strategy.ts'))!;
    expect(stderr).toContain(`traider ${VERSION} file://`);
    expect(stderr).toMatch(/^traider \S+ file:\/\/\S+\/src\/index\.ts$/m);
    expect(stderr).not.toContain('node_modules/traider');
  });
});

describe('a strategy file that cannot be used stops the run with one line naming it', () => {
  for (const [name, message] of BAD) {
    it(name, async () => {
      const result = await runs.get(join(bad, name))!;
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(message);
      expect(result.stderr.trim().split('\n'), result.stderr).toHaveLength(1);
      expect(result.stderr).toMatch(/^error: /);
    });
  }
});
