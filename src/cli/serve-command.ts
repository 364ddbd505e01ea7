// `traider serve`: the HTTP API (and, as deployments land, their sessions) in one long-running process.
import { Command } from 'commander';
import { UsageError } from './errors.ts';
import { DB_HELP, requireFile, requireWritableDb } from './paths.ts';
import { stopOnSignals, stopWhenOrphaned, surviveVenueErrors } from './stop-signals.ts';

type Io = { out: (s: string) => void; err: (s: string) => void };

function parsePort(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new UsageError(`--port: expected an integer 0-65535 (got "${text}")`);
  return port;
}

function parsePerMinute(flag: string, text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n) || n < 1) throw new UsageError(`${flag}: expected a positive integer of requests a minute (got "${text}")`);
  return n;
}

interface ServeFlags {
  db?: string;
  config?: string;
  host: string;
  port: string;
  tlsCert?: string;
  tlsKey?: string;
  insecureBind?: boolean;
  rateLimitToken?: string;
  rateLimitAddress?: string;
}

export function serveCommand(io: Io, version: string): Command {
  return new Command('serve')
    .description('run the HTTP API over the store: deployments, their state, runs and the audit log, behind API tokens')
    .option('--db <url|path>', DB_HELP)
    .option('--config <file>', "configuration file (JSON or YAML); each deployment's risk limits override its risk section")
    .option('--host <address>', 'address to listen on; anything but loopback (127.0.0.1, localhost, ::1) needs --tls-cert/--tls-key or --insecure-bind', '127.0.0.1')
    .option('--port <n>', 'port to listen on (0: any free port, printed at start)', '8080')
    .option('--tls-cert <file>', 'serve HTTPS with this PEM certificate (chain); needs --tls-key')
    .option('--tls-key <file>', 'the PEM private key of --tls-cert')
    .option('--insecure-bind', 'allow a non-loopback --host over plain HTTP (tokens and cookies cross the network in clear; warned about)')
    .option('--rate-limit-token <n>', 'requests a minute per API token, bearer or cookie session (default 1200)')
    .option('--rate-limit-address <n>', 'requests a minute per client address without valid credentials, login included (default 300)')
    .addHelpText(
      'after',
      [
        '',
        'Every route is under /api/v1 and described by /api/v1/openapi.json (x-role: the least role of each).',
        'Clients send Authorization: Bearer TOKEN; create the first token with `traider tokens create --role admin`.',
        'Browsers log in with POST /api/v1/login {"token"} for an HttpOnly session cookie and a CSRF token to send in',
        'x-csrf-token with every POST/PATCH/PUT/DELETE made with the cookie. Over a limit: 429 with retry-after.',
        'It binds 127.0.0.1 unless told otherwise; another address needs TLS or --insecure-bind. See docs/security.md.',
        'Active deployments run inside it, each resuming from its journal run when it starts (also after a kill -9).',
        'SIGTERM or Ctrl-C stops it: the listener closes, every session cancels its open orders (positions stay),',
        'finishes its run, the journal is flushed and the store closed; it resumes them at the next start.',
      ].join('\n'),
    )
    .action(async (flags: ServeFlags) => {
      const port = parsePort(flags.port);
      const rateLimitToken = flags.rateLimitToken === undefined ? undefined : parsePerMinute('--rate-limit-token', flags.rateLimitToken);
      const rateLimitAddress = flags.rateLimitAddress === undefined ? undefined : parsePerMinute('--rate-limit-address', flags.rateLimitAddress);
      if (flags.config !== undefined) requireFile('--config', flags.config);
      requireWritableDb(flags.db !== undefined ? '--db' : 'TRAIDER_DB', flags.db ?? (process.env.TRAIDER_DB || undefined));
      const [{ serve }, { resolveStoreTarget }] = await Promise.all([import('../server/index.ts'), import('../app/store/index.ts')]);
      const { controller, release } = stopOnSignals(io, 'stopping: closing the API, stopping the sessions (open orders canceled, positions kept), flushing the journal', 'exiting at once without flushing the journal');
      const unwatch = stopWhenOrphaned(controller);
      const unsurvive = surviveVenueErrors(io);
      try {
        const edge = { rateLimitToken, rateLimitAddress, tlsCert: flags.tlsCert, tlsKey: flags.tlsKey, insecureBind: flags.insecureBind === true };
        const running = await serve({ db: resolveStoreTarget(flags.db, process.env), host: flags.host, port, version, configFile: flags.config, env: process.env, log: (line) => io.err(`${line}\n`), signal: controller.signal, ...edge });
        io.out(`${running.url}\n`);
        await running.stopped;
      } finally {
        // Also when serve refuses its input (bind rule, TLS files): no signal handler or watch outlives the command.
        release();
        unwatch();
        unsurvive();
      }
      io.err('traider serve: stopped\n');
    });
}
