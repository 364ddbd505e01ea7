// `--out DIR`: report.html, trades.csv, fills.csv, equity.csv, denials.csv, log.txt and run.json, written all-or-nothing.
import { mkdirSync, renameSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { renderReportHtml } from '../../analytics/index.ts';
import type { TraiderConfig } from '../config/index.ts';
import { denialsCsv, equityCsv, fillsCsv, tradesCsv } from './csv-files.ts';
import { reportInput } from './report-input.ts';
import type { BacktestOutcome } from './run-backtest.ts';

export const OUTPUT_FILES = ['report.html', 'trades.csv', 'fills.csv', 'equity.csv', 'denials.csv', 'log.txt', 'run.json'] as const;
type OutputFile = (typeof OUTPUT_FILES)[number];

/** Everything needed to run the same backtest again. */
export function runRecord(outcome: BacktestOutcome, config: TraiderConfig, command: string[]): Record<string, unknown> {
  return {
    command,
    strategy: outcome.summary.strategy,
    parameters: outcome.strategyParameters,
    data: outcome.series.map((s) => ({ ...s.source, symbol: s.symbol, market: s.market, timeframe: s.timeframe, bars: s.length })),
    instruments: outcome.instruments.map((i) => ({
      symbol: i.symbol,
      market: i.market,
      tickSize: i.tickSize,
      lotSize: i.lotSize,
      minNotional: i.minNotional,
      ...(i.board ? { board: i.board, st: i.st, listingDate: i.listingDate } : {}),
    })),
    config,
    results: outcome.summary,
  };
}

export function writeOutputs(dir: string, outcome: BacktestOutcome, config: TraiderConfig, command: string[]): void {
  const files: Record<OutputFile, string> = {
    'report.html': renderReportHtml(reportInput(outcome)),
    'trades.csv': tradesCsv(outcome),
    'fills.csv': fillsCsv(outcome),
    'equity.csv': equityCsv(outcome),
    'denials.csv': denialsCsv(outcome),
    'log.txt': outcome.log.length === 0 ? '' : `${outcome.log.join('\n')}\n`,
    'run.json': `${JSON.stringify(runRecord(outcome, config, command), null, 2)}\n`,
  };
  // Write into a sibling temp folder, then swap it in: a failure leaves no half-written report.
  const staging = `${dir}.tmp-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  for (const name of OUTPUT_FILES) writeFileSync(join(staging, name), files[name]);
  mkdirSync(dir, { recursive: true });
  for (const name of OUTPUT_FILES) {
    if (existsSync(join(dir, name))) rmSync(join(dir, name));
    renameSync(join(staging, name), join(dir, name));
  }
  rmSync(staging, { recursive: true, force: true });
}

