// The package as a user gets it: `npm pack`, install the tarball into an empty project, type-check a strategy that
// imports 'traider' against the shipped declarations, and backtest it (and a file in a plain folder) with the
// installed CLI on the data shipped in the package. Slow (npm install compiles better-sqlite3): `npm run test:long`.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../cli/run-cli.ts';
import { HOLD_JS } from '../support/user-strategies.ts';

const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const NPX = process.platform === 'win32' ? 'npx.cmd' : 'npx';
const DATA = 'node_modules/traider/data/BTCUSDT-1h-2017-08-17_2024-04-21.csv.gz';

function run(command: string, args: string[], cwd: string, timeoutMs: number): SpawnSyncReturns<string> {
  return spawnSync(command, args, { cwd, encoding: 'utf8', timeout: timeoutMs, env: process.env, shell: process.platform === 'win32' });
}

const output = (result: SpawnSyncReturns<string>): string => `${result.error ?? ''}\n${result.stdout}\n${result.stderr}`.trim().slice(-2000);

const DIP = `import { OrderSide, OrderType, Rsi, Strategy, type Bar } from 'traider';
export default class Dip extends Strategy {
  readonly name = 'dip';
  private readonly rsi = new Rsi(14);
  override onStart(): void { this.ctx.registerIndicator(this.ctx.symbols[0]!, this.rsi); }
  override onBar(bar: Bar): void {
    if (!this.rsi.isReady || this.ctx.openOrders(bar.symbol).length > 0) return;
    const held = this.ctx.position(bar.symbol).quantity;
    if (held === 0 && this.rsi.value < 30) {
      const quantity = this.ctx.quantityForFraction(bar.symbol, 0.5, bar.close);
      if (quantity > 0) this.ctx.submitOrder({ symbol: bar.symbol, side: OrderSide.Buy, type: OrderType.Market, quantity });
    } else if (held > 0 && this.rsi.value > 60) {
      this.ctx.submitOrder({ symbol: bar.symbol, side: OrderSide.Sell, type: OrderType.Market, quantity: held });
    }
  }
}
`;
// The same strategy with a mistake the declarations must catch: a side that does not exist.
const WRONG = DIP.replace('side: OrderSide.Buy', "side: 'LONG'");
const TSCONFIG = {
  compilerOptions: { strict: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', noEmit: true, allowImportingTsExtensions: true, skipLibCheck: true },
  files: ['dip.ts'],
};

describe('npm pack, install into an empty project, type-check and backtest a strategy', () => {
  const base = mkdtempSync(join(tmpdir(), 'traider-packed-'));
  const app = join(base, 'app');
  const plain = join(base, 'plain');
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  it('packs a tarball with sources, declarations, CLI, docs and data, without tests or benchmarks', () => {
    const pack = run(NPM, ['pack', '--silent', '--pack-destination', base], ROOT, 120_000);
    expect(pack.status, output(pack)).toBe(0);
    const tarballs = readdirSync(base).filter((name) => name.endsWith('.tgz'));
    expect(tarballs).toHaveLength(1);
    expect(existsSync(join(ROOT, 'dist')), 'postpack leaves no dist/ behind').toBe(false);

    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), '{"name":"my-strategies","private":true,"type":"module"}\n');
    const install = run(NPM, ['install', '--prefer-offline', '--no-audit', '--no-fund', join(base, tarballs[0]!), 'typescript@5.9'], app, 480_000);
    expect(install.status, output(install)).toBe(0);

    const installed = join(app, 'node_modules/traider');
    for (const file of ['bin/traider.js', 'bin/module-hooks.js', 'src/index.ts', 'dist/types/index.d.ts', 'docs/strategies.md', DATA.replace('node_modules/traider/', '')]) {
      expect(existsSync(join(installed, file)), file).toBe(true);
    }
    for (const path of ['test', 'bench', 'scripts', 'tsconfig.json', 'vitest.config.ts']) expect(existsSync(join(installed, path)), path).toBe(false);
  });

  it('type-checks a strategy importing traider against the shipped declarations, and catches a type error', () => {
    writeFileSync(join(app, 'dip.ts'), DIP);
    writeFileSync(join(app, 'wrong.ts'), WRONG);
    writeFileSync(join(app, 'tsconfig.json'), `${JSON.stringify(TSCONFIG)}\n`);
    writeFileSync(join(app, 'tsconfig.wrong.json'), '{"extends":"./tsconfig.json","files":["wrong.ts"]}\n');
    const tsc = join(app, 'node_modules/typescript/bin/tsc');
    const good = run(process.execPath, [tsc, '-p', '.', '--listFiles'], app, 120_000);
    expect(good.status, output(good)).toBe(0);
    expect(good.stdout).toContain('node_modules/traider/dist/types/index.d.ts');
    expect(good.stdout).not.toContain('node_modules/traider/src/');
    const wrong = run(process.execPath, [tsc, '-p', 'tsconfig.wrong.json'], app, 120_000);
    expect(wrong.status).not.toBe(0);
    expect(wrong.stdout).toMatch(/^wrong\.ts\(\d+,\d+\): error TS2322/m);
    expect(wrong.stdout).not.toContain('node_modules');
  });

  it('backtests the strategy with the installed CLI on the bundled data', () => {
    const result = run(process.execPath, ['node_modules/traider/bin/traider.js', 'backtest', '--data', DATA, '--strategy', './dip.ts', '--json'], app, 120_000);
    expect(result.status, output(result)).toBe(0);
    expect((JSON.parse(result.stdout) as { fills: number }).fills).toBeGreaterThan(0);
  });

  it('runs a .js strategy from a folder with no package.json through the installed CLI (npx traider)', () => {
    mkdirSync(plain);
    writeFileSync(join(plain, 'hold.js'), HOLD_JS);
    const result = run(NPX, ['--no-install', 'traider', 'backtest', '--data', join(app, DATA), '--strategy', join(plain, 'hold.js'), '--json'], app, 120_000);
    expect(result.status, output(result)).toBe(0);
    expect((JSON.parse(result.stdout) as { fills: number }).fills).toBeGreaterThan(0);
  });
});
