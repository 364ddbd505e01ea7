// The `traider` command line: thin wrappers over the use-cases in src/app.
// Command definitions (flags, descriptions, help) load eagerly: they need only commander. Each action loads
// its use-case module with `await import(...)` when it runs, so a command loads only what it runs. Importing
// them all statically pulled the whole platform (ccxt's ~1000 modules, zod, stores, the exchange sim) through
// tsx on every start: 1-2.5 s even for `--help`. Keep imports of src/app, adapters, stores and exchange-sim in
// src/cli lazy (or `import type`); errors thrown by them still reach reportError below through parseAsync.
// src/app/errors imports nothing and reportError needs its InputError class: the one static import of src/app.
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { auditCommand } from './audit-command.ts';
import { backtestCommand } from './backtest-command.ts';
import { bookCommand } from './book-command.ts';
import { configCommand } from './config-command.ts';
import { liveCommand, paperCommand } from './session-command.ts';
import { demoCommand } from './demo-command.ts';
import { replayCommand } from './replay-command.ts';
import { ExitCode, reportError } from './errors.ts';
import { exchangeSimCommand } from './exchange-sim-command.ts';
import { riskCommand } from './risk-command.ts';
import { runsCommand } from './runs-command.ts';
import { newCommand } from './new-command.ts';
import { serveCommand } from './serve-command.ts';
import { deployCommand, statusCommand } from './deploy-command.ts';
import { killCommand } from './kill-command.ts';
import { tokensCommand } from './tokens-command.ts';

/** The version of the running traider: package.json's, read where this file lives (a checkout or node_modules/traider). */
function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

export async function main(argv: string[]): Promise<number> {
  const io = { out: (s: string) => void process.stdout.write(s), err: (s: string) => void process.stderr.write(s) };
  const program = new Command('traider')
    .description('traider: one trading kernel for backtest, paper and live')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .showHelpAfterError()
    .version(packageVersion(), '-V, --version', 'print the version of traider');
  program.addCommand(backtestCommand(io));
  program.addCommand(bookCommand(io));
  program.addCommand(configCommand(io));
  program.addCommand(riskCommand(io));
  program.addCommand(exchangeSimCommand(io));
  program.addCommand(runsCommand(io));
  program.addCommand(auditCommand(io));
  program.addCommand(paperCommand(io));
  program.addCommand(liveCommand(io));
  program.addCommand(demoCommand(io));
  program.addCommand(replayCommand(io));
  program.addCommand(newCommand(io));
  program.addCommand(serveCommand(io, packageVersion()));
  program.addCommand(tokensCommand(io));
  program.addCommand(deployCommand(io));
  program.addCommand(statusCommand(io));
  program.addCommand(killCommand(io));
  for (const command of program.commands) command.exitOverride();
  try {
    await program.parseAsync(argv);
    return ExitCode.Ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? ExitCode.Ok : ExitCode.Usage;
    }
    return reportError(error, io.err);
  }
}
