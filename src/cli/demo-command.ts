// `traider demo`: a paper session against the local exchange replaying bundled real data, end to end.
import { Command } from 'commander';
import { addRunFlags, loadRunConfig, type RunFlags, statusEveryMs } from './common-flags.ts';
import { UsageError } from './errors.ts';
import { requireWritableDb } from './paths.ts';
import { formatSessionSummary } from './session-summary.ts';

interface DemoFlags extends RunFlags {
  duration: string;
  speed: string;
  db?: string;
}

export function demoCommand(io: { out: (s: string) => void; err: (s: string) => void }): Command {
  const command = new Command('demo')
    .description('start the local exchange on bundled real BTC/USDT data and paper-trade sma-cross against it')
    .option('--duration <seconds>', 'how long to run', '60')
    .option('--speed <x>', 'data time per wall time', '300')
    .option('--db <url|path>', 'also journal the session (runs list / audit verify read it back)');
  // The demo trades the bundled BTC/USDT file with sma-cross: --symbol and --market do not apply.
  return addRunFlags(command, ['capital', 'feeBps', 'config', 'json', 'progress', 'statusEvery']).action(async (flags: DemoFlags) => {
    const duration = Number(flags.duration);
    if (!(duration > 0)) throw new UsageError(`--duration: expected seconds > 0 (got "${flags.duration}")`);
    const speed = Number(flags.speed);
    if (!(speed > 0)) throw new UsageError(`--speed: expected a number > 0 (got "${flags.speed}")`);
    requireWritableDb('--db', flags.db);
    const statusEvery = statusEveryMs(flags);
    const config = await loadRunConfig(flags);
    const { runDemo } = await import('../app/demo/index.ts');
    const controller = new AbortController();
    process.once('SIGINT', () => controller.abort());
    const summary = await runDemo({
      durationMs: duration * 1000,
      speed,
      config,
      // The demo is a show: its fills and status lines on stdout, unless stdout is for the JSON summary alone.
      log: (line) => (flags.json ? io.err(`${line}\n`) : io.out(`${line}\n`)),
      signal: controller.signal,
      db: flags.db,
      statusEveryMs: statusEvery,
    });
    io.out(flags.json ? `${JSON.stringify(summary)}\n` : formatSessionSummary(summary));
  });
}
