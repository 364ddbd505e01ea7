// `traider replay`: a paper session on replayed bars, journaled write-ahead, resumable after a crash.
import { randomUUID } from 'node:crypto';
import { Command } from 'commander';
import { UsageError } from './errors.ts';

export function replayCommand(io: { out: (s: string) => void; err: (s: string) => void }): Command {
  return new Command('replay')
    .description('paper-trade a strategy on replayed bars with every fill journaled before it is acted on; --resume continues after a crash')
    .requiredOption('--data <files>', 'CSV file(s), comma-separated')
    .requiredOption('--strategy <name|path>', 'built-in strategy or a .ts file')
    .option('--params <json>', 'strategy parameters as JSON')
    .option('--config <file>', 'configuration file (JSON or YAML)')
    .option('--db <url|path>', 'journal database (default: TRAIDER_DB, else ./traider-data/traider.db)')
    .option('--run-id <id>', 'id of a new run (default: a random UUID)')
    .option('--resume <id>', 'continue this run from its journal')
    .option('--bar-delay-ms <ms>', 'wall time to wait after each bar', '0')
    .option('--json', 'print the result as one JSON object')
    .action(async (flags: { data: string; strategy: string; params?: string; config?: string; db?: string; runId?: string; resume?: string; barDelayMs: string; json?: boolean }) => {
      const [{ loadConfig }, { runReplaySession }, { resolveStoreTarget }] = await Promise.all([
        import('../app/config/index.ts'),
        import('../app/session/index.ts'),
        import('../app/store/index.ts'),
      ]);
      if (flags.runId && flags.resume) throw new UsageError('--run-id and --resume: give one (a new run, or the run to continue)');
      let params: unknown;
      try {
        params = flags.params === undefined ? undefined : JSON.parse(flags.params);
      } catch (error) {
        throw new UsageError(`--params: not valid JSON (${(error as Error).message})`);
      }
      const delay = Number(flags.barDelayMs);
      if (!(delay >= 0)) throw new UsageError(`--bar-delay-ms: expected a number >= 0 (got "${flags.barDelayMs}")`);
      const result = await runReplaySession({
        dataFiles: flags.data.split(',').map((f) => f.trim()).filter(Boolean),
        strategy: flags.strategy,
        params,
        config: loadConfig({ file: flags.config, env: process.env }),
        db: resolveStoreTarget(flags.db, process.env),
        runId: flags.resume ?? flags.runId ?? randomUUID(),
        resume: flags.resume !== undefined,
        barDelayMs: delay,
        // One line per durable fill: what "acknowledged" means (the crash test reads these).
        onAck: (fill) => io.out(`ack ${fill.id} ${fill.side} ${fill.quantity} ${fill.symbol} @ ${fill.price}\n`),
        log: (line) => io.err(`${line}\n`),
      });
      const breakers = result.breakerEvents.map((e) => `  breaker ${new Date(e.time).toISOString()} ${e.previousLevel} -> ${e.level} (${e.cause} ${e.value} vs ${e.threshold})\n`).join('');
      io.out(flags.json ? `${JSON.stringify(result)}\n` : `run ${result.runId}: ${result.bars} bars, ${result.fills} fills, cash ${result.cash}, positions ${JSON.stringify(result.positions)}, ${result.breakerEvents.length} breaker changes\n${breakers}`);
    });
}
