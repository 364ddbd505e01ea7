// `traider paper` and `traider live`: run a strategy on an exchange's live data (paper fills on the
// live book, or real orders through the CCXT venue with --confirm-live).
import { randomBytes } from 'node:crypto';
import { Command, Option } from 'commander';
import { addRunFlags, loadRunConfig, type RunFlags, statusEveryMs } from './common-flags.ts';
import { stopOnSignals, surviveVenueErrors } from './stop-signals.ts';
import { UsageError } from './errors.ts';
import { listOption } from './list-option.ts';
import { requireStrategyFile, requireWritableDb } from './paths.ts';
import { formatSessionSummary } from './session-summary.ts';

interface SessionFlags extends RunFlags {
  exchange: string;
  url?: string;
  symbols: string[];
  strategy: string;
  params?: string;
  timeframe: string;
  duration?: string;
  confirmLive?: boolean;
  db?: string;
  adoptPositions?: boolean;
  actor?: string;
  resume?: string;
  flattenOnExit?: boolean;
  shutdownTimeout?: string;
  referenceUrl?: string[];
}

export function parseJson(flag: string, text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--${flag}: not valid JSON (${(error as Error).message}): ${text}`);
  }
}

function parseUrl(flag: string, text: string): string {
  try {
    const url = new URL(text);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http(s)');
    return text;
  } catch {
    throw new UsageError(`--${flag}: expected an http(s) URL such as http://127.0.0.1:8901 (got "${text}")`);
  }
}

function parsePositive(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!(value > 0)) throw new UsageError(`--${flag}: expected a positive number (got "${text}")`);
  return value;
}

function sessionCommand(mode: 'paper' | 'live', io: { out: (s: string) => void; err: (s: string) => void }): Command {
  const command = new Command(mode)
    .description(mode === 'paper' ? 'trade a strategy on live exchange data with simulated fills on the live order book' : 'trade a strategy with real orders through the exchange (needs credentials and --confirm-live)')
    .option('--exchange <id>', 'ccxt exchange id', 'binance')
    .option('--url <url>', 'base URL of the exchange API (e.g. the local exchange http://127.0.0.1:8900)')
    .addOption(listOption('--symbols <symbols>', "the exchange's symbols to trade, e.g. BTC/USDT,ETH/USDT").makeOptionMandatory())
    .requiredOption('--strategy <name|path>', 'built-in strategy or a .ts file exporting a Strategy class')
    .option('--params <json>', 'strategy parameters as JSON')
    .option('--timeframe <tf>', 'bar timeframe', '1m')
    .option('--duration <seconds>', 'stop after this many seconds (default: run until Ctrl-C)')
    .option('--db <url|path>', 'journal database (default: TRAIDER_DB, else ./traider-data/traider.db)')
    .option('--flatten-on-exit', 'on stop (Ctrl-C, SIGTERM, end of --duration): close every open position with market orders first')
    .option('--shutdown-timeout <seconds>', 'on stop: how long to wait for cancel confirmations and closing fills', '10')
    .addOption(listOption('--reference-url <urls>', 'other sources of the same market data (same exchange API), for consensus and failover'))
    .addHelpText(
      'after',
      [
        '',
        'Stopping (Ctrl-C / SIGINT, SIGTERM, or the end of --duration): the strategy takes no more decisions,',
        'every open order is canceled through the venue (waiting for its confirmation, up to --shutdown-timeout),',
        'with --flatten-on-exit every position is closed with market orders (fills awaited, same bound), the',
        'journal is flushed, and the summary lists the positions still open (quantity, average and last price,',
        'value), the orders open at the stop (id, side, quantity, price, what became of them) and any order the',
        'venue would not cancel (id and why); exit code 0. A second signal exits at once with code 130, without',
        'cleaning up. While it runs, a status line on stderr every --status-every seconds (default 10).',
      ].join('\n'),
    );
  // Live trades the exchange account: its balance is the capital and the exchange charges its own fees.
  // --symbol and --market do not apply to sessions: the exchange's markets are given by --symbols.
  addRunFlags(command, mode === 'paper' ? ['capital', 'feeBps', 'config', 'json', 'progress', 'statusEvery'] : ['config', 'json', 'progress', 'statusEvery']);
  if (mode === 'paper') {
    command.option('--resume <run-id>', 'continue the ledger, positions and open orders of an earlier paper run');
  }
  if (mode === 'live') {
    command.addOption(new Option('--confirm-live', 'required: you understand this places real orders'));
    command.option('--adopt-positions', 'take holdings found on the exchange into the books at the start (else their symbols halt)');
    command.option('--actor <name>', 'who runs the session, for the audit log (default: $USER)');
  }
  return command.action(async (flags: SessionFlags) => {
    if (mode === 'live' && !flags.confirmLive) throw new UsageError('live trading places real orders: add --confirm-live to go ahead');
    // Paths first: a misspelt file is "no such file" before any connection to the exchange.
    requireStrategyFile('--strategy', flags.strategy);
    requireWritableDb(flags.db !== undefined ? '--db' : 'TRAIDER_DB', flags.db ?? (process.env.TRAIDER_DB || undefined));
    const statusEvery = statusEveryMs(flags);
    const config = await loadRunConfig(flags);
    const [{ runSession }, { resolveStoreTarget }] = await Promise.all([import('../app/session/index.ts'), import('../app/store/index.ts')]);
    const durationSeconds = parsePositive('duration', flags.duration);
    const shutdownTimeoutSeconds = parsePositive('shutdown-timeout', flags.shutdownTimeout) ?? 10;
    const { controller, release } = stopOnSignals(
      io,
      `stopping: no more decisions, canceling open orders${flags.flattenOnExit ? ', flattening positions' : ''}, flushing the journal`,
      'exiting at once without canceling orders or flushing the journal',
    );
    const unsurvive = surviveVenueErrors(io);
    const summary = await runSession({
      mode,
      exchange: flags.exchange,
      url: flags.url,
      symbols: flags.symbols,
      strategy: flags.strategy,
      params: parseJson('params', flags.params),
      timeframe: flags.timeframe,
      config,
      env: process.env,
      durationMs: durationSeconds === undefined ? undefined : durationSeconds * 1000,
      signal: controller.signal,
      log: (line) => io.err(`${line}\n`),
      sessionId: `t${randomBytes(4).toString('hex')}`,
      db: resolveStoreTarget(flags.db, process.env),
      adoptPositions: flags.adoptPositions,
      resume: flags.resume,
      actor: flags.actor ?? process.env.USER ?? 'operator',
      flattenOnExit: flags.flattenOnExit,
      shutdownTimeoutMs: shutdownTimeoutSeconds * 1000,
      referenceUrls: (flags.referenceUrl ?? []).map((url) => parseUrl('reference-url', url)),
      statusEveryMs: statusEvery,
    });
    release();
    unsurvive();
    io.out(flags.json ? `${JSON.stringify(summary)}\n` : formatSessionSummary(summary));
    // Requests to an exchange that stopped answering may still hold sockets open: the session is over
    // and its summary printed, so exit after a short grace (the timer does not keep the process alive).
    setTimeout(() => process.exit(), 2000).unref();
  });
}

export function paperCommand(io: { out: (s: string) => void; err: (s: string) => void }): Command {
  return sessionCommand('paper', io);
}

export function liveCommand(io: { out: (s: string) => void; err: (s: string) => void }): Command {
  return sessionCommand('live', io);
}
