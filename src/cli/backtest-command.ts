// `traider backtest`: run a strategy over CSV data and print a summary (or one JSON object).
import { Command, Option } from 'commander';
import type { DeepPartial, TraiderConfig } from '../app/config/index.ts';
import type { BacktestSummary } from '../app/backtest/index.ts';
import type { Market } from '../core/index.ts';
import { UsageError } from './errors.ts';
import { RiskMode } from '../core/index.ts';
import { addRunFlags, loadRunConfig, parseNumberFlag, type RunFlags } from './common-flags.ts';
import { listOption } from './list-option.ts';
import { requireCreatableDirectory, requireFiles, requireStrategyFile, requireWritableDb } from './paths.ts';

interface BacktestFlags extends RunFlags {
  data: string[];
  strategy: string;
  params?: string;
  market?: Market;
  timeframe?: string;
  fillModel?: 'realistic' | 'next-open';
  out?: string;
  onBadRow?: 'fail' | 'skip';
  adjust?: string;
  riskMode?: RiskMode;
  riskStep?: string;
  db?: string;
}

function parseParams(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--params: not valid JSON (${(error as Error).message}): ${text}`);
  }
}

/** The backtest's own configuration flags (the common ones, --capital and --fee-bps, come from common-flags.ts). */
export function flagsToConfig(flags: BacktestFlags): DeepPartial<TraiderConfig> {
  return {
    backtest: { onBadRow: flags.onBadRow, adjust: flags.adjust as 'pit' | 'none' | undefined },
    fill: { model: flags.fillModel },
  };
}

function formatNumber(value: number | null, digits = 4): string {
  return value === null ? 'n/a' : value.toFixed(digits);
}

function percent(value: number | null): string {
  return value === null ? 'n/a' : `${(value * 100).toFixed(2)}%`;
}

/** The run's length, first bar's open to last bar's close: "7 days", "5 hours". */
function runLength(s: BacktestSummary): string {
  const days = (s.end - s.start) / 86_400_000;
  const [count, unit] = days >= 1 ? [Math.round(days), 'day'] : [Math.max(1, Math.round(days * 24)), 'hour'];
  return `${count} ${unit}${count === 1 ? '' : 's'}`;
}

/** Reasons by count (most first), each with its first refusal; all of them are in denials.csv with --out. */
function denialLines(s: BacktestSummary, day: (t: number) => string): string[] {
  const reasons = Object.entries(s.denials).sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
  if (reasons.length === 0) return [];
  const total = reasons.reduce((n, [, count]) => n + count, 0);
  const lines = [`denied orders     ${total} (${reasons.map(([k, v]) => `${k} ${v}`).join(', ')})`];
  const shown = 3;
  for (const [reason] of reasons.slice(0, shown)) {
    const e = s.denialExamples[reason];
    if (e === undefined) continue;
    const price = e.price === null ? 'at market' : `@ ${e.price}`;
    lines.push(`  ${reason}, first: ${day(e.time)} ${e.orderId} ${e.side} ${e.quantity} ${e.symbol} ${price}: ${e.detail}`);
  }
  if (reasons.length > shown) lines.push(`  ... ${reasons.length - shown} more reason(s); every denial is in denials.csv (--out)`);
  return lines;
}

export function formatSummary(s: BacktestSummary): string {
  const money = (v: number): string => `${v.toFixed(2)} ${s.currency}`;
  const day = (t: number): string => new Date(t).toISOString().slice(0, 16).replace('T', ' ');
  // A run shorter than 90 days: the annualised metrics say what they were scaled up from.
  const extrapolated = new Set(s.extrapolated);
  const cagr = `${percent(s.cagr)}${extrapolated.has('cagr') ? ` (extrapolated from ${runLength(s)})` : ''}`;
  const ratios = [['sharpe', 'Sharpe'], ['sortino', 'Sortino'], ['calmar', 'Calmar']].filter(([key]) => extrapolated.has(key!)).map(([, name]) => name);
  const ratiosNote = ratios.length > 0 ? ` (${ratios.join(', ')} extrapolated from ${runLength(s)})` : '';
  const lines = [
    `${s.strategy} on ${s.symbols.join(', ')} (${s.market}, ${s.timeframe}, fill model ${s.fillModel})`,
    `period            ${day(s.start)} -> ${day(s.end)} UTC, ${s.bars} bars`,
    `capital           ${money(s.initialCapital)} -> ${money(s.finalEquity)}  (total return ${percent(s.totalReturn)}, CAGR ${cagr})`,
    `benchmark         buy and hold ${percent(s.benchmarkReturn)}`,
    `P&L               realized ${money(s.realizedPnl)}, unrealized ${money(s.unrealizedPnl)}, fees ${money(s.feesPaid)}, taxes ${money(s.taxesPaid)}`,
    `risk-adjusted     Sharpe ${formatNumber(s.sharpe, 3)}, Sortino ${formatNumber(s.sortino, 3)}, Calmar ${formatNumber(s.calmar, 3)}${ratiosNote}, max drawdown ${percent(s.maxDrawdown)}`,
    `trading           ${s.orders} orders, ${s.fills} fills (${s.reducedFills} cut to cash), ${s.trades} round trips, win rate ${percent(s.winRate)}, profit factor ${formatNumber(s.profitFactor, 3)}, exposure ${percent(s.exposure)}`,
  ];
  lines.push(...denialLines(s, day));
  lines.push(`risk              mode ${s.riskMode}, ${s.breakerEvents.length} breaker level change(s)`);
  for (const e of s.breakerEvents.slice(0, 10)) lines.push(`                  ${day(e.time)} ${e.level} (${e.cause} ${e.value.toFixed(4)} vs ${e.threshold})`);
  if (s.breakerEvents.length > 10) lines.push(`                  ... ${s.breakerEvents.length - 10} more (see --json or the report)`);
  return `${lines.join('\n')}\n`;
}

export function backtestCommand(io: { out: (s: string) => void; err: (s: string) => void }): Command {
  const command = new Command('backtest')
    .description('run a strategy over historical bars with the simulated venue and print the results')
    .addOption(listOption('--data <files>', 'CSV file(s), plain or .gz, header timestamp,open,high,low,close,volume').makeOptionMandatory())
    .requiredOption('--strategy <name|path>', 'sma-cross, bollinger-reversion, buy-and-hold, or a .ts file exporting a Strategy class')
    .option('--params <json>', 'strategy parameters as JSON, e.g. \'{"fast":10,"slow":30}\'')
    .option('--timeframe <tf>', 'aggregate bars to a higher timeframe: 5m, 15m, 1h, 4h, 1d')
    .addOption(new Option('--fill-model <model>', 'fill model (default realistic)').choices(['realistic', 'next-open']));
  return addRunFlags(command, ['capital', 'feeBps', 'symbol', 'market', 'config', 'json', 'progress'])
    .option('--out <dir>', 'write report.html, trades.csv, fills.csv, equity.csv, denials.csv, log.txt and run.json here')
    .addOption(new Option('--on-bad-row <mode>', 'stop at a bad CSV row (fail, default) or skip and count it').choices(['fail', 'skip']))
    .option('--adjust <mode>', 'A-share prices strategies see: pit (default, adjusted point in time) or none (raw); trading always uses raw prices')
    .addOption(new Option('--risk-mode <mode>', "apply a deployment mode's limits (default: breakers and pre-trade checks only)").choices(Object.values(RiskMode).filter((m) => m !== RiskMode.Backtest)))
    .option('--risk-step <n>', 'LIVE_SCALED step: 1, 2 or 3 (default 1)')
    .option('--db <url|path>', 'journal the run, its orders, fills and audit trail to SQLite (a path) or PostgreSQL (postgres://...); also TRAIDER_DB')
    .action(async (flags: BacktestFlags) => {
      // Paths first: a misspelt file is "no such file", before any inference from its name or any work.
      requireFiles('--data', flags.data);
      requireStrategyFile('--strategy', flags.strategy);
      if (flags.out !== undefined) requireCreatableDirectory('--out', flags.out);
      // TRAIDER_DB set but empty means no journal, as for the sessions.
      const db = flags.db ?? (process.env.TRAIDER_DB || undefined);
      requireWritableDb(flags.db !== undefined ? '--db' : 'TRAIDER_DB', db);
      const [{ runBacktest }, { writeOutputs }, { progressDisplay }] = await Promise.all([
        import('../app/backtest/index.ts'),
        import('../app/backtest/index.ts'),
        import('./progress.ts'),
      ]);
      const config = await loadRunConfig(flags, flagsToConfig(flags));
      const params = parseParams(flags.params);
      const progress = await progressDisplay('backtest', flags.progress !== false);
      const outcome = await runBacktest({
        dataFiles: flags.data,
        strategy: flags.strategy,
        params,
        symbol: flags.symbol,
        market: flags.market,
        timeframe: flags.timeframe,
        config,
        riskMode: flags.riskMode,
        db,
        command: process.argv.slice(2),
        onRunId: (id) => io.err(`run ${id} journaled to ${db}\n`),
        riskStep: parseNumberFlag('--risk-step', flags.riskStep),
        // The strategy's ctx.log lines: on stderr as they happen, so that stdout stays the summary (one JSON object with --json).
        onLog: (line) => (progress ? progress.log(line) : io.err(`${line}\n`)),
        progress: progress ? (done, total) => progress.update(done, total) : undefined,
      });
      progress?.stop();
      if (outcome.skippedRows > 0) {
        io.err(`skipped ${outcome.skippedRows} bad row(s); first: ${outcome.problems.slice(0, 3).map((p) => p.message).join('; ')}\n`);
      }
      if (flags.out) {
        writeOutputs(flags.out, outcome, config, ['traider', ...process.argv.slice(2)]);
        io.err(`wrote ${flags.out}/report.html, trades.csv, fills.csv, equity.csv, denials.csv, log.txt, run.json\n`);
      }
      io.out(flags.json ? `${JSON.stringify(outcome.summary)}\n` : formatSummary(outcome.summary));
    });
}
