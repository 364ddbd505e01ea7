// `traider demo`: a paper session against the local exchange replaying bundled real data, end to end.
import { Command } from 'commander';
import { formatSessionSummary } from './session-command.ts';
import { UsageError } from './errors.ts';

export function demoCommand(io: { out: (s: string) => void; err: (s: string) => void }): Command {
  return new Command('demo')
    .description('start the local exchange on bundled real BTC/USDT data and paper-trade sma-cross against it')
    .option('--duration <seconds>', 'how long to run', '60')
    .option('--speed <x>', 'data time per wall time', '300')
    .option('--json', 'last stdout line: a JSON summary {orders, fills, trades, finalEquity, ...}')
    .option('--db <url|path>', 'also journal the session (runs list / audit verify read it back)')
    .action(async (flags: { duration: string; speed: string; json?: boolean; db?: string }) => {
      const [{ loadConfig }, { runDemo }] = await Promise.all([import('../app/config/index.ts'), import('../app/demo/index.ts')]);
      const duration = Number(flags.duration);
      if (!(duration > 0)) throw new UsageError(`--duration: expected seconds > 0 (got "${flags.duration}")`);
      const speed = Number(flags.speed);
      if (!(speed > 0)) throw new UsageError(`--speed: expected a number > 0 (got "${flags.speed}")`);
      const controller = new AbortController();
      process.once('SIGINT', () => controller.abort());
      const summary = await runDemo({
        durationMs: duration * 1000,
        speed,
        config: loadConfig({ env: process.env }),
        log: (line) => io.out(`${line}\n`),
        signal: controller.signal,
        db: flags.db,
      });
      io.out(flags.json ? `${JSON.stringify(summary)}\n` : formatSessionSummary(summary));
    });
}
