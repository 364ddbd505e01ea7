// `traider exchange-sim`: a local Binance-compatible spot exchange replaying OHLCV data, for ccxt clients.
import { basename } from 'node:path';
import { Command } from 'commander';
import { UsageError } from './errors.ts';
import { listOption } from './list-option.ts';
import { requireFile, requireFiles } from './paths.ts';
import { stopWhenOrphaned } from './stop-signals.ts';

interface ExchangeSimFlags {
  port: string;
  data: string[];
  speed: string;
  faults?: string;
  seed: string;
  accounts?: string;
}

function parseNumber(flag: string, value: string, check: (n: number) => boolean, expected: string): number {
  const number = Number(value);
  if (value.trim() === '' || !Number.isFinite(number) || !check(number)) throw new UsageError(`--${flag}: expected ${expected} (got "${value}")`);
  return number;
}

export function exchangeSimCommand(io: { out: (s: string) => void; err: (s: string) => void }): Command {
  return new Command('exchange-sim')
    .description('serve a local Binance-compatible spot exchange (REST, streams, WebSocket API) that replays OHLCV data, on 127.0.0.1')
    .addOption(listOption('--data <files>', 'OHLCV files (.csv or .csv.gz), one symbol each, e.g. BTCUSDT-1m-....csv.gz').makeOptionMandatory())
    .option('--port <port>', 'TCP port on 127.0.0.1 (0 picks a free one)', '8900')
    .option('--speed <x>', 'data time per wall time (60: one minute of data per second; 0 freezes time)', '60')
    .option('--faults <spec>', 'fault injection, e.g. "5xx=0.1,lost=0.05,timeout=0.02,429=0.02,ban=0,drop-ws=30s,dup=0.01,reorder=0.01,gap=0.01,latency=50ms", or "silence=1" to make market data go quiet')
    .option('--seed <n>', 'seed for book sizes and faults', '1')
    .option('--accounts <file>', 'accounts JSON: [{"apiKey","secret","balances":{"USDT":100000}}] (default: test-key / test-secret)')
    .action(async (flags: ExchangeSimFlags) => {
      requireFiles('--data', flags.data);
      if (flags.accounts !== undefined) requireFile('--accounts', flags.accounts);
      const { parseFaults, readAccountsFile, startExchangeSim } = await import('../exchange-sim/index.ts');
      const port = parseNumber('port', flags.port, (n) => Number.isInteger(n) && n >= 0 && n <= 65535, 'a port from 0 to 65535');
      const speed = parseNumber('speed', flags.speed, (n) => n >= 0, 'a number >= 0');
      const seed = parseNumber('seed', flags.seed, Number.isSafeInteger, 'an integer');
      const files = flags.data;
      let faults: string | undefined;
      if (flags.faults !== undefined) {
        try {
          parseFaults(flags.faults);
        } catch (error) {
          throw new UsageError(`--faults: ${(error as Error).message}`);
        }
        faults = flags.faults;
      }
      const accounts = flags.accounts === undefined ? undefined : await readAccountsFile(flags.accounts);
      const sim = await startExchangeSim({ data: files, port, speed, seed, ...(faults ? { faults } : {}), ...(accounts ? { accounts } : {}) });
      io.err(`exchange-sim listening on ${sim.url} (data ${files.map((f) => basename(f)).join(', ')}, speed ${speed}x)\n`);
      await new Promise<void>((resolve) => {
        // Started through a wrapper (npx) that was killed: do not linger as an orphan holding the port.
        const orphaned = new AbortController();
        const unwatch = stopWhenOrphaned(orphaned);
        const stop = (): void => {
          unwatch();
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          void sim.close().then(resolve);
        };
        orphaned.signal.addEventListener('abort', stop, { once: true });
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
    });
}
