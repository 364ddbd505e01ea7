// `traider demo`: the local exchange replaying bundled real data, and the service (`traider serve`'s server on
// 127.0.0.1) running one paper deployment against it, with an operator token to try the API while it runs.
// The composition lives here: src/app may not import src/server.
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import type { SessionSummary } from '../app/session/index.ts';
import { addRunFlags, loadRunConfig, type RunFlags, statusEveryMs } from './common-flags.ts';
import { UsageError } from './errors.ts';
import { requireWritableDb } from './paths.ts';
import { formatSessionSummary } from './session-summary.ts';
import { stopOnSignals, stopWhenOrphaned, surviveVenueErrors } from './stop-signals.ts';

interface DemoFlags extends RunFlags {
  duration: string;
  speed: string;
  port: string;
  db?: string;
}

type Io = { out: (s: string) => void; err: (s: string) => void };

function parsePort(text: string): number {
  const port = Number(text);
  if (text.trim() === '' || !Number.isInteger(port) || port < 0 || port > 65_535) throw new UsageError(`--port: expected an integer 0-65535, 0 for any free port (got "${text}")`);
  return port;
}

/** The listen error of a port that cannot be had, as an error naming the flag; other errors unchanged. */
function portError(error: unknown, port: number): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') return new UsageError(`--port: ${port} is in use on 127.0.0.1 (another program listens there): choose another with --port N, or --port 0 for any free port`);
  if (code === 'EACCES') return new UsageError(`--port: not allowed to listen on ${port} (ports below 1024 need privileges): choose another with --port N, or --port 0 for any free port`);
  return error;
}

/** Fails before anything starts when the port is taken; the server's own listen error (portError) stays the last word. */
async function requireFreePort(port: number): Promise<void> {
  if (port === 0) return;
  const { createServer } = await import('node:net');
  await new Promise<void>((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (error) => reject(portError(error, port)));
    probe.listen({ port, host: '127.0.0.1', exclusive: true }, () => probe.close(() => resolve()));
  });
}

function packageVersion(): string {
  return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

/** How to reach the demo's service while it runs: the address, the token and two commands to paste. */
function serviceLines(server: string, token: string, deployment: string, store: string, kept: boolean): string[] {
  return [
    `api: ${server}/api/v1 (paper deployment "${deployment}"; OpenAPI: ${server}/api/v1/openapi.json)`,
    `store: ${store} (${kept ? 'kept: --db' : 'temporary: removed at the end; --db keeps one'})`,
    `token: ${token} (operator, named "${deployment}"; valid while the demo runs)`,
    `try: TRAIDER_SERVER=${server} TRAIDER_TOKEN=${token} npx traider status ${deployment}`,
    `try: curl -H 'Authorization: Bearer ${token}' ${server}/api/v1/deployments/${deployment}/status`,
  ];
}

export function demoCommand(io: Io): Command {
  const command = new Command('demo')
    .description('start the local exchange on bundled real BTC/USDT data and the service with a paper deployment of sma-cross on it')
    .option('--duration <seconds>', 'how long to run', '60')
    .option('--speed <x>', 'data time per wall time', '300')
    .option('--port <n>', 'port of the API on 127.0.0.1 (0: any free port)', '8080')
    .option('--db <url|path>', "the service's store, kept afterwards (runs list / audit verify read it back); default: a temporary one")
    .addHelpText(
      'after',
      [
        '',
        'It prints the API address and an operator token: `traider status demo` or curl reach the deployment while it runs.',
        'After --duration, or on Ctrl-C/SIGTERM, the service stops as `traider serve` does (the session cancels its open',
        'orders, positions stay) and the local exchange closes; the summary of the session comes last.',
      ].join('\n'),
    );
  // The demo trades the bundled BTC/USDT file with sma-cross: --symbol and --market do not apply.
  return addRunFlags(command, ['capital', 'feeBps', 'config', 'json', 'progress', 'statusEvery']).action(async (flags: DemoFlags) => {
    const duration = Number(flags.duration);
    if (!(duration > 0)) throw new UsageError(`--duration: expected seconds > 0 (got "${flags.duration}")`);
    const speed = Number(flags.speed);
    if (!(speed > 0)) throw new UsageError(`--speed: expected a number > 0 (got "${flags.speed}")`);
    const port = parsePort(flags.port);
    requireWritableDb('--db', flags.db);
    const statusEvery = statusEveryMs(flags);
    const config = await loadRunConfig(flags);
    // Every flag is checked before the port is tried: a bad value is reported as itself, whatever listens on 8080.
    // The default port taken (another service on 8080) is no reason to fail a first run: any free port will do, said so.
    let chosenPort = port;
    try {
      await requireFreePort(port);
    } catch (error) {
      if (command.getOptionValueSource('port') !== 'default' || !(error instanceof UsageError)) throw error;
      io.err(`--port: ${port} is taken on 127.0.0.1: the demo's API takes a free port instead (give --port N to choose)\n`);
      chosenPort = 0;
    }
    const demo = await import('../app/demo/index.ts');
    // The demo is a show: every line on stdout, unless stdout is for the JSON summary alone.
    const log = (line: string): void => (flags.json ? io.err(`${line}\n`) : io.out(`${line}\n`));
    // The server names each session's lines by deployment; the demo has one, and prints its lines as a session does.
    const sessionPrefix = `deployment ${demo.DEMO_NAME}: `;
    const serverLog = (line: string): void => log(line.startsWith(sessionPrefix) ? line.slice(sessionPrefix.length) : line);

    if (flags.db !== undefined) await demo.checkDemoStore(flags.db);
    const { serve } = await import('../server/index.ts');
    const target = demo.demoStoreTarget(flags.db);
    const { controller, release } = stopOnSignals(io, 'stopping the demo: the session cancels its open orders (positions stay), then the service and the local exchange close', 'exiting at once');
    const unwatch = stopWhenOrphaned(controller);
    const unsurvive = surviveVenueErrors(io);
    let summary: SessionSummary | undefined;
    let server = '';
    try {
      const exchange = await demo.startDemoExchange(speed, log);
      try {
        const { token } = await demo.writeDemoStore({ db: target.db, exchangeUrl: exchange.url, capital: config.backtest.capital });
        const running = await serve({
          db: target.db,
          host: '127.0.0.1',
          port: chosenPort,
          version: packageVersion(),
          configFile: flags.config,
          env: demo.demoEnv(process.env, config),
          log: serverLog,
          signal: controller.signal,
          // The last session of the deployment is the demo's (one, unless someone paused and resumed it over the API).
          onSessionFinished: (name, finished) => {
            if (name === demo.DEMO_NAME) summary = finished;
          },
        }).catch((error: unknown) => {
          throw portError(error, chosenPort);
        });
        server = running.url;
        // A signal that came while the service was starting: the abort has been given already, stop it now.
        if (controller.signal.aborted) void running.stop();
        for (const line of serviceLines(server, token, demo.DEMO_NAME, target.db, flags.db !== undefined)) log(line);
        const stopWatching = demo.watchDemo({ server, token, durationMs: duration * 1000, statusEveryMs: statusEvery, log, onDurationOver: () => controller.abort() });
        if (controller.signal.aborted) stopWatching();
        else controller.signal.addEventListener('abort', stopWatching, { once: true });
        await running.stopped;
        stopWatching();
        if (summary !== undefined) for (const line of demo.demoEnding(summary)) log(line);
      } finally {
        await exchange.close();
      }
    } finally {
      release();
      unwatch();
      unsurvive();
      target.cleanup();
    }
    if (summary === undefined) throw new Error(`the demo's session did not finish with a summary (it never started trading: see the lines above)`);
    io.out(flags.json ? `${JSON.stringify({ ...summary, api: `${server}/api/v1`, deployment: demo.DEMO_NAME })}\n` : formatSessionSummary(summary));
  });
}
