// `traider serve`: the HTTP API (and, as deployments land, their sessions) in one long-running process.
import { Command } from 'commander';
import { UsageError } from './errors.ts';
import { DB_HELP, requireFile, requireWritableDb } from './paths.ts';
import { stopOnSignals, stopWhenOrphaned } from './stop-signals.ts';

type Io = { out: (s: string) => void; err: (s: string) => void };

function parsePort(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new UsageError(`--port: expected an integer 0-65535 (got "${text}")`);
  return port;
}

export function serveCommand(io: Io, version: string): Command {
  return new Command('serve')
    .description('run the HTTP API over the store: deployments, their state, runs and the audit log, behind API tokens')
    .option('--db <url|path>', DB_HELP)
    .option('--config <file>', "configuration file (JSON or YAML); each deployment's risk limits override its risk section")
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .option('--port <n>', 'port to listen on (0: any free port, printed at start)', '8080')
    .addHelpText(
      'after',
      [
        '',
        'Every route is under /api/v1 and described by /api/v1/openapi.json (x-role: the least role of each).',
        'Clients send Authorization: Bearer TOKEN; create the first token with `traider tokens create --role admin`.',
        'Active deployments run inside it, each resuming from its journal run when it starts (also after a kill -9).',
        'SIGTERM or Ctrl-C stops it: the listener closes, every session cancels its open orders (positions stay),',
        'finishes its run, the journal is flushed and the store closed; it resumes them at the next start.',
      ].join('\n'),
    )
    .action(async (flags: { db?: string; config?: string; host: string; port: string }) => {
      const port = parsePort(flags.port);
      if (flags.config !== undefined) requireFile('--config', flags.config);
      requireWritableDb(flags.db !== undefined ? '--db' : 'TRAIDER_DB', flags.db ?? (process.env.TRAIDER_DB || undefined));
      const [{ serve }, { resolveStoreTarget }] = await Promise.all([import('../server/index.ts'), import('../app/store/index.ts')]);
      const { controller, release } = stopOnSignals(io, 'stopping: closing the API, stopping the sessions (open orders canceled, positions kept), flushing the journal', 'exiting at once without flushing the journal');
      const unwatch = stopWhenOrphaned(controller);
      const running = await serve({ db: resolveStoreTarget(flags.db, process.env), host: flags.host, port, version, configFile: flags.config, env: process.env, log: (line) => io.err(`${line}\n`), signal: controller.signal });
      io.out(`${running.url}\n`);
      await running.stopped;
      release();
      unwatch();
      io.err('traider serve: stopped\n');
    });
}
