// `traider new strategy NAME`: the starter it writes backtests through the real CLI (it trades and places its
// protective stops), its generated test passes under vitest against the library, its parameters are checked by its
// schema; a bad name or an existing file is refused with the reason and nothing written. The starter is
// examples/my-strategy.ts and its test with the name swapped (one copy, type-checked by `npm run lint`).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { classNameOf, newStrategy as writeStarter, starterNames } from '../../src/app/scaffold/new-strategy.ts';
import { ROOT, runCliAsync } from './run-cli.ts';

const DATA = join(ROOT, 'data/BTCUSDT-1m-2021-02-19_2021-02-25.csv');
const base = mkdtempSync(join(tmpdir(), 'traider-new-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

const newStrategy = (args: string[], cwd = base) => runCliAsync(['new', 'strategy', ...args], { cwd });
const example = (file: string): string => readFileSync(join(ROOT, 'examples', file), 'utf8');
/** A written starter with its names put back to the example's, for comparing with examples/. */
const asExample = (text: string, name: string, className: string): string => text.replaceAll(name, 'my-strategy').replaceAll(className, 'MyStrategy');

describe('traider new strategy my-first', () => {
  const dir = join(base, 'project');
  const written = newStrategy(['my-first', '--dir', dir]);
  // The two backtests of the written file start as soon as it exists, side by side.
  const out = join(base, 'my-first-run');
  const backtest = (params: string, extra: string[] = []) =>
    written.then(() => runCliAsync(['backtest', '--data', DATA, '--strategy', join(dir, 'my-first.ts'), '--params', params, '--json', ...extra]));
  const runs = { good: backtest('{"fast":5,"slow":20,"stopLoss":0.003}', ['--out', out]), bad: backtest('{"fats":5,"slow":20,"stopLoss":2}') };
  for (const run of Object.values(runs)) run.catch(() => undefined);

  it('writes my-first.ts and my-first.test.ts into --dir and says how to run them', async () => {
    const { code, stdout, stderr } = await written;
    expect(code, stderr).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['my-first.test.ts', 'my-first.ts']);
    // Paths relative to where the command ran.
    expect(stdout).toContain('wrote project/my-first.ts\n');
    expect(stdout).toContain('wrote project/my-first.test.ts\n');
    expect(stdout).toMatch(/npx traider backtest --data \S+BTCUSDT-1h-\S+\.csv\.gz --strategy \S+my-first\.ts/);
    // The examples with every my-strategy / MyStrategy renamed, and nothing else changed.
    const strategy = readFileSync(join(dir, 'my-first.ts'), 'utf8');
    const test = readFileSync(join(dir, 'my-first.test.ts'), 'utf8');
    expect(`${strategy}${test}`).not.toMatch(/my-strategy|MyStrategy/);
    expect(asExample(strategy, 'my-first', 'MyFirst')).toBe(example('my-strategy.ts'));
    expect(asExample(test, 'my-first', 'MyFirst')).toBe(example('my-strategy.test.ts'));
    expect(strategy).toContain("export type MyFirstParams = z.infer<typeof Params>;\n\nexport default class MyFirst extends Strategy {\n  static readonly params = Params;\n  readonly name = 'my-first';");
    expect(strategy).toContain("--strategy ./my-first.ts --params '{\"fast\":12}'");
    expect(test).toContain("import MyFirst from './my-first.ts';");
  });

  it('backtests through the CLI: it trades, each filled entry gets a stop, and each position ends by its stop or an exit', async () => {
    const { code, stdout, stderr } = await runs.good;
    expect(code, stderr).toBe(0);
    // run.json records the parameters the run used, the schema's defaults filled in.
    const record = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as { parameters: unknown };
    expect(record.parameters).toEqual({ fast: 5, slow: 20, fraction: 0.5, stopLoss: 0.003 });
    const summary = JSON.parse(stdout) as { fills: number; trades: number };
    expect(summary.fills).toBeGreaterThan(0);
    expect(summary.trades).toBeGreaterThan(0);
    const count = (pattern: RegExp): number => stderr.split('\n').filter((line) => pattern.test(line)).length;
    const filledEntries = count(/\[my-first\] entry filled at \S+: stop for \S+ at \S+$/);
    const stoppedOut = count(/\[my-first\] stopped out at \S+$/); // logged when an order tagged 'stop' has filled
    const exits = count(/\[my-first\] fast crossed below slow: selling /);
    // A stop 0.3% under the entry is hit often on minute bars; the rest leave on the cross down (one may be open at the end).
    expect(stoppedOut).toBeGreaterThan(0);
    expect(exits).toBeGreaterThan(0);
    expect(filledEntries - stoppedOut - exits).toBeGreaterThanOrEqual(0);
    expect(filledEntries - stoppedOut - exits).toBeLessThanOrEqual(1);
  });

  it('checks --params against its schema', async () => {
    const { code, stdout, stderr } = await runs.bad;
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('  stopLoss: Too big: expected number to be <1 (got 2)\n');
    expect(stderr).toContain('  fats: unknown parameter (got 5); known: fast, slow, fraction, stopLoss\n');
  });

  it('its generated test passes under vitest, importing traider as an installed package', async () => {
    await written;
    // What `npm install /path/to/traider` makes: node_modules/traider linking to the package.
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(ROOT, join(dir, 'node_modules/traider'), 'dir');
    const vitest = spawnSync(process.execPath, [join(ROOT, 'node_modules/vitest/vitest.mjs'), 'run', '--root', dir, join(dir, 'my-first.test.ts')], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 120_000,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
    });
    expect(vitest.status, `${vitest.stdout}\n${vitest.stderr}`).toBe(0);
    expect(vitest.stdout).toMatch(/Tests\s+2 passed \(2\)/);
  });
});

describe('what it refuses', () => {
  const existing = join(base, 'existing');
  mkdirSync(existing);
  writeFileSync(join(existing, 'keep.test.ts'), 'mine\n');
  const runs = { badName: newStrategy(['my_first']), existing: newStrategy(['keep', '--dir', existing]) };
  for (const run of Object.values(runs)) run.catch(() => undefined);

  it('a name that is not letters, digits and single dashes starting with a letter', async () => {
    const { code, stdout, stderr } = await runs.badName;
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe('error: strategy name "my_first": use letters, digits and single dashes, starting with a letter (e.g. my-first)\n');
    for (const name of ['1st', 'my--first', 'my-first-', '-x', '../escape', 'a b', '']) expect(() => starterNames(name), name).toThrow(/use letters, digits and single dashes/);
    for (const name of ['x', 'my-first', 'rsi2', 'A-b-3']) expect(() => starterNames(name), name).not.toThrow();
    expect(readdirSync(base).filter((name) => name.endsWith('.ts'))).toEqual([]);
  });

  it('an existing file: it is named, left as it was, and nothing else is written', async () => {
    const { code, stderr } = await runs.existing;
    expect(code).toBe(1);
    expect(stderr).toBe(`error: ${join(existing, 'keep.test.ts')} exists: not overwriting it (choose another name, or remove the file)\n`);
    expect(readFileSync(join(existing, 'keep.test.ts'), 'utf8')).toBe('mine\n');
    expect(existsSync(join(existing, 'keep.ts'))).toBe(false);
  });

  it('a --dir that is a file', () => {
    const file = join(base, 'a-file');
    writeFileSync(file, '');
    expect(() => writeStarter({ name: 'fine', dir: file })).toThrow(expect.objectContaining({ field: 'dir', message: `dir: ${file} is not a directory` }));
  });
});

describe('the templates', () => {
  it('class names: dashes removed, words capitalised, never one the file imports', () => {
    expect(['my-first', 'rsi2', 'a-b-c', 'strategy', 'sma'].map(classNameOf)).toEqual(['MyFirst', 'Rsi2', 'ABC', 'StrategyStrategy', 'SmaStrategy']);
  });

  it('for my-strategy it writes examples/my-strategy.ts and its test byte for byte', () => {
    const dir = join(base, 'as-example');
    writeStarter({ name: 'my-strategy', dir });
    expect(readFileSync(join(dir, 'my-strategy.ts'), 'utf8')).toBe(example('my-strategy.ts'));
    expect(readFileSync(join(dir, 'my-strategy.test.ts'), 'utf8')).toBe(example('my-strategy.test.ts'));
  });

  it('a name that holds the example class name (copy-of-MyStrategy) is put in as given, not renamed again', () => {
    const dir = join(base, 'copy');
    writeStarter({ name: 'copy-of-MyStrategy', dir });
    const strategy = readFileSync(join(dir, 'copy-of-MyStrategy.ts'), 'utf8');
    expect(strategy).toContain("export default class CopyOfMyStrategy extends Strategy {\n  static readonly params = Params;\n  readonly name = 'copy-of-MyStrategy';");
    expect(strategy).toContain('npx vitest run copy-of-MyStrategy.test.ts\n');
    expect(asExample(strategy, 'copy-of-MyStrategy', 'CopyOfMyStrategy')).toBe(example('my-strategy.ts'));
  });
});
