// `traider replay`: a paper session on replayed bars, journaled write-ahead, resumable after a crash.
import { randomUUID } from 'node:crypto';
import { Command } from 'commander';
import type { ReplaySessionResult } from '../app/session/index.ts';
import { addRunFlags, loadRunConfig, type RunFlags, statusEveryMs } from './common-flags.ts';
import { UsageError } from './errors.ts';
import { listOption } from './list-option.ts';
import { requireFiles, requireStrategyFile, requireWritableDb } from './paths.ts';
import { formatOpenOrder, formatPosition } from './session-summary.ts';

interface ReplayFlags extends RunFlags {
  data: string[];
  strategy: string;
  params?: string;
  db?: string;
  runId?: string;
  resume?: string;
  barDelayMs: string;
}

export function formatReplayResult(result: ReplaySessionResult): string {
  const breakers = result.breakerEvents.map((e) => `  breaker ${new Date(e.time).toISOString()} ${e.previousLevel} -> ${e.level} (${e.cause} ${e.value} vs ${e.threshold})`);
  const lines = [
    `run ${result.runId}: ${result.bars} bars, ${result.fills} fills, cash ${result.cash}, positions ${JSON.stringify(result.positions)}, ${result.breakerEvents.length} breaker changes`,
    ...breakers,
    result.openPositions.length === 0 ? 'positions  none open' : `positions  ${result.openPositions.length} still open at the end:`,
    ...result.openPositions.map((p) => formatPosition(p, result.currency)),
    result.openOrders.length === 0 ? 'orders     none open' : `orders     ${result.openOrders.length} open at the end (a resumed run continues them):`,
    ...result.openOrders.map(formatOpenOrder),
  ];
  return `${lines.join('\n')}\n`;
}

export function replayCommand(io: { out: (s: string) => void; err: (s: string) => void }): Command {
  const command = new Command('replay')
    .description('paper-trade a strategy on replayed bars with every fill journaled before it is acted on; --resume continues after a crash')
    .addOption(listOption('--data <files>', 'CSV file(s), plain or .gz').makeOptionMandatory())
    .requiredOption('--strategy <name|path>', 'built-in strategy or a .ts file')
    .option('--params <json>', 'strategy parameters as JSON')
    .option('--db <url|path>', 'journal database (default: TRAIDER_DB, else ./traider-data/traider.db)')
    .option('--run-id <id>', 'id of a new run (default: a random UUID)')
    .option('--resume <id>', 'continue this run from its journal')
    .option('--bar-delay-ms <ms>', 'wall time to wait after each bar', '0');
  return addRunFlags(command, ['capital', 'feeBps', 'symbol', 'market', 'config', 'json', 'progress', 'statusEvery']).action(async (flags: ReplayFlags) => {
    if (flags.runId && flags.resume) throw new UsageError('--run-id and --resume: give one (a new run, or the run to continue)');
    requireFiles('--data', flags.data);
    requireStrategyFile('--strategy', flags.strategy);
    requireWritableDb(flags.db !== undefined ? '--db' : 'TRAIDER_DB', flags.db ?? (process.env.TRAIDER_DB || undefined));
    let params: unknown;
    try {
      params = flags.params === undefined ? undefined : JSON.parse(flags.params);
    } catch (error) {
      throw new UsageError(`--params: not valid JSON (${(error as Error).message})`);
    }
    const delay = Number(flags.barDelayMs);
    if (!(delay >= 0)) throw new UsageError(`--bar-delay-ms: expected a number >= 0 (got "${flags.barDelayMs}")`);
    const statusEvery = statusEveryMs(flags);
    const config = await loadRunConfig(flags);
    const [{ runReplaySession }, { resolveStoreTarget }, { progressDisplay }] = await Promise.all([
      import('../app/session/index.ts'),
      import('../app/store/index.ts'),
      import('./progress.ts'),
    ]);
    const progress = await progressDisplay('replay', flags.progress !== false);
    // With a progress bar on the terminal, other lines (stdout's too) go above it.
    const err = (line: string): void => (progress ? progress.log(line) : io.err(`${line}\n`));
    const out = (line: string): void => (progress ? progress.log(line, io.out) : io.out(`${line}\n`));
    const result = await runReplaySession({
      dataFiles: flags.data,
      symbol: flags.symbol,
      market: flags.market,
      strategy: flags.strategy,
      params,
      config,
      db: resolveStoreTarget(flags.db, process.env),
      runId: flags.resume ?? flags.runId ?? randomUUID(),
      resume: flags.resume !== undefined,
      barDelayMs: delay,
      // One line per durable fill: what "acknowledged" means (the crash test reads these).
      onAck: (fill) => out(`ack ${fill.id} ${fill.side} ${fill.quantity} ${fill.symbol} @ ${fill.price}`),
      log: err,
      progress: progress ? (done, total) => progress.update(done, total) : undefined,
      statusEveryMs: statusEvery,
    });
    progress?.stop();
    io.out(flags.json ? `${JSON.stringify(result)}\n` : formatReplayResult(result));
  });
}
