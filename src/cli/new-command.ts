// `traider new strategy NAME [--dir DIR]`: write a typed starter strategy and its test, then say how to run both.
import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';

/** A bundled data file to suggest for the first backtest (shipped in the package: package.json "files"). */
const EXAMPLE_DATA = fileURLToPath(new URL('../../data/BTCUSDT-1h-2017-08-17_2024-04-21.csv.gz', import.meta.url));

export function newCommand(io: { out: (s: string) => void; err: (s: string) => void }): Command {
  const command = new Command('new').description('write starter files: `traider new strategy NAME`');
  command
    .command('strategy')
    .description('write NAME.ts, a typed starter strategy (parameter schema, indicators, entry, exit, protective stop), and NAME.test.ts, its vitest test')
    .argument('<name>', 'letters, digits and dashes, starting with a letter (my-first): the file name and the strategy name')
    .option('--dir <dir>', 'folder to write in, created if missing (default: the current folder)')
    .exitOverride()
    .action(async (name: string, flags: { dir?: string }) => {
      const { newStrategy } = await import('../app/scaffold/index.ts');
      const { strategyFile, testFile } = newStrategy({ name, dir: flags.dir ?? '.' });
      const shown = (file: string): string => (relative(process.cwd(), file).startsWith('..') ? file : relative(process.cwd(), file) || '.');
      const data = existsSync(EXAMPLE_DATA) ? shown(EXAMPLE_DATA) : 'FILE.csv';
      io.out(
        [
          `wrote ${shown(strategyFile)}`,
          `wrote ${shown(testFile)}`,
          'next:',
          `  npx traider backtest --data ${data} --strategy ${shown(strategyFile)}`,
          `  npx vitest run ${shown(testFile)}    (where 'traider' resolves: docs/strategies.md, "Testing a strategy")`,
          '',
        ].join('\n'),
      );
    });
  return command;
}
