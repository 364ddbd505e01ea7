// `traider backtest`: run a strategy over CSV data and print a summary (or one JSON object).
import { Command, Option } from 'commander';
import type { DeepPartial, TraiderConfig } from '../app/config/index.ts';
import type { BacktestSummary } from '../app/backtest/index.ts';
import type { Market } from '../core/index.ts';
import { UsageError } from './errors.ts';
import { RiskMode } from '../core/index.ts';

interface BacktestFlags {
  data: string;
  strategy: string;
  params?: string;
  symbol?: string;
  market?: Market;
  timeframe?: string;
  capital?: string;
  fillModel?: 'realistic' | 'next-open';
  feeBps?: string;
  config?: string;
  out?: string;
  json?: boolean;
  onBadRow?: 'fail' | 'skip';
  adjust?: string;
  progress?: boolean;
  riskMode?: RiskMode;
  riskStep?: string;
  db?: string;
}

function parseNumberFlag(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (value.trim() === '' || !Number.isFinite(number)) throw new UsageError(`--${name}: expected a number (got "${value}")`);
  return number;
}

function parseParams(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--params: not valid JSON (${(error as Error).message}): ${text}`);
  }
}

export function flagsToConfig(flags: BacktestFlags): DeepPartial<TraiderConfig> {
  const feeBps = parseNumberFlag('fee-bps', flags.feeBps);
  return {
    backtest: { capital: parseNumberFlag('capital', flags.capital), onBadRow: flags.onBadRow, adjust: flags.adjust as 'pit' | 'none' | undefined },
    fill: { model: flags.fillModel },
    fees: { crypto: { makerBps: feeBps, takerBps: feeBps } },
  };
}

function formatNumber(value: number | null, digits = 4): string {
  return value === null ? 'n/a' : value.toFixed(digits);
}

function percent(value: number | null): string {
  return value === null ? 'n/a' : `${(value * 100).toFixed(2)}%`;
}

export function formatSummary(s: BacktestSummary): string {
  const money = (v: number): string => `${v.toFixed(2)} ${s.currency}`;
  const day = (t: number): string => new Date(t).toISOString().slice(0, 16).replace('T', ' ');
  const lines = [
    `${s.strategy} on ${s.symbols.join(', ')} (${s.market}, ${s.timeframe}, fill model ${s.fillModel})`,
    `period            ${day(s.start)} -> ${day(s.end)} UTC, ${s.bars} bars`,
    `capital           ${money(s.initialCapital)} -> ${money(s.finalEquity)}  (total return ${percent(s.totalReturn)}, CAGR ${percent(s.cagr)})`,
    `benchmark         buy and hold ${percent(s.benchmarkReturn)}`,
    `P&L               realized ${money(s.realizedPnl)}, unrealized ${money(s.unrealizedPnl)}, fees ${money(s.feesPaid)}, taxes ${money(s.taxesPaid)}`,
    `risk-adjusted     Sharpe ${formatNumber(s.sharpe, 3)}, Sortino ${formatNumber(s.sortino, 3)}, Calmar ${formatNumber(s.calmar, 3)}, max drawdown ${percent(s.maxDrawdown)}`,
    `trading           ${s.orders} orders, ${s.fills} fills (${s.reducedFills} cut to cash), ${s.trades} round trips, win rate ${percent(s.winRate)}, profit factor ${formatNumber(s.profitFactor, 3)}, exposure ${percent(s.exposure)}`,
  ];
  const denials = Object.entries(s.denials);
  if (denials.length > 0) lines.push(`denied orders     ${denials.map(([k, v]) => `${k} ${v}`).join(', ')}`);
  lines.push(`risk              mode ${s.riskMode}, ${s.breakerEvents.length} breaker level change(s)`);
  for (const e of s.breakerEvents.slice(0, 10)) lines.push(`                  ${day(e.time)} ${e.level} (${e.cause} ${e.value.toFixed(4)} vs ${e.threshold})`);
  if (s.breakerEvents.length > 10) lines.push(`                  ... ${s.breakerEvents.length - 10} more (see --json or the report)`);
  return `${lines.join('\n')}\n`;
}

export function backtestCommand(io: { out: (s: string) => void; err: (s: string) => void }): Command {
  return new Command('backtest')
    .description('run a strategy over historical bars with the simulated venue and print the results')
    .requiredOption('--data <files>', 'CSV file(s), comma-separated (plain or .gz; header timestamp,open,high,low,close,volume)')
    .requiredOption('--strategy <name|path>', 'sma-cross, bollinger-reversion, buy-and-hold, or a .ts file exporting a Strategy class')
    .option('--params <json>', 'strategy parameters as JSON, e.g. \'{"fast":10,"slow":30}\'')
    .option('--symbol <symbol>', 'symbol of a single data file (default: from the file name)')
    .addOption(new Option('--market <market>', 'market (default: from the file name)').choices(['crypto', 'ashare']))
    .option('--timeframe <tf>', 'aggregate bars to a higher timeframe: 5m, 15m, 1h, 4h, 1d')
    .option('--capital <amount>', 'initial capital in the account currency (default 10000)')
    .addOption(new Option('--fill-model <model>', 'fill model (default realistic)').choices(['realistic', 'next-open']))
    .option('--fee-bps <bps>', 'crypto maker and taker fee in basis points (default 10)')
    .option('--config <file>', 'configuration file (JSON or YAML)')
    .option('--out <dir>', 'write report.html, trades.csv, fills.csv, equity.csv and run.json here')
    .option('--json', 'print exactly one JSON object on stdout')
    .addOption(new Option('--on-bad-row <mode>', 'stop at a bad CSV row (fail, default) or skip and count it').choices(['fail', 'skip']))
    .option('--adjust <mode>', 'A-share prices strategies see: pit (default, adjusted point in time) or none (raw); trading always uses raw prices')
    .addOption(new Option('--risk-mode <mode>', "apply a deployment mode's limits (default: breakers and pre-trade checks only)").choices(Object.values(RiskMode).filter((m) => m !== RiskMode.Backtest)))
    .option('--risk-step <n>', 'LIVE_SCALED step: 1, 2 or 3 (default 1)')
    .option('--db <url|path>', 'journal the run, its orders, fills and audit trail to SQLite (a path) or PostgreSQL (postgres://...); also TRAIDER_DB')
    .option('--no-progress', 'no progress bar on stderr')
    .action(async (flags: BacktestFlags) => {
      const [{ SingleBar, Presets }, { loadConfig }, { runBacktest }, { writeOutputs }] = await Promise.all([
        import('cli-progress'),
        import('../app/config/index.ts'),
        import('../app/backtest/index.ts'),
        import('../app/backtest/index.ts'),
      ]);
      const config = loadConfig({ file: flags.config, env: process.env, flags: flagsToConfig(flags) });
      const params = parseParams(flags.params);
      const showProgress = flags.progress !== false && process.stderr.isTTY === true;
      const bar = showProgress ? new SingleBar({ stream: process.stderr, format: 'backtest [{bar}] {percentage}% {value}/{total} bars', hideCursor: true }, Presets.shades_classic) : undefined;
      let started = false;
      const outcome = await runBacktest({
        dataFiles: flags.data.split(',').map((f) => f.trim()).filter(Boolean),
        strategy: flags.strategy,
        params,
        symbol: flags.symbol,
        market: flags.market,
        timeframe: flags.timeframe,
        config,
        riskMode: flags.riskMode,
        db: flags.db ?? process.env.TRAIDER_DB,
        command: process.argv.slice(2),
        onRunId: (id) => io.err(`run ${id} journaled to ${flags.db ?? process.env.TRAIDER_DB}\n`),
        riskStep: parseNumberFlag('risk-step', flags.riskStep),
        progress: bar
          ? (done, total) => {
              if (!started) {
                bar.start(total, 0);
                started = true;
              }
              bar.update(done);
            }
          : undefined,
      });
      if (started) bar?.stop();
      if (outcome.skippedRows > 0) {
        io.err(`skipped ${outcome.skippedRows} bad row(s); first: ${outcome.problems.slice(0, 3).map((p) => p.message).join('; ')}\n`);
      }
      if (flags.out) {
        writeOutputs(flags.out, outcome, config, ['traider', ...process.argv.slice(2)]);
        io.err(`wrote ${flags.out}/report.html, trades.csv, fills.csv, equity.csv, run.json\n`);
      }
      io.out(flags.json ? `${JSON.stringify(outcome.summary)}\n` : formatSummary(outcome.summary));
    });
}
