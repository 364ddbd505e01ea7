// `--out DIR`: report.html, trades.csv, fills.csv, equity.csv and run.json, written all-or-nothing.
import { mkdirSync, renameSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { renderReportHtml, toCsv } from '../../analytics/index.ts';
import { formatMoney } from '../../core/index.ts';
import type { TraiderConfig } from '../config/index.ts';
import type { BacktestOutcome } from './run-backtest.ts';

/** Marker colours on the equity chart, mildest to worst. */
const BREAKER_COLORS: Record<string, string> = {
  NORMAL: '#16a34a',
  WARNING: '#ca8a04',
  REDUCE_RISK: '#ea580c',
  HALT_NEW_POSITIONS: '#dc2626',
  HALT_ALL_TRADING: '#991b1b',
  EMERGENCY_CLOSE: '#7f1d1d',
};

export const OUTPUT_FILES = ['report.html', 'trades.csv', 'fills.csv', 'equity.csv', 'run.json'] as const;

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
  const { summary } = outcome;
  const instrumentOf = new Map(outcome.instruments.map((i) => [i.symbol, i]));
  const fills = toCsv(
    ['time', 'orderId', 'fillId', 'symbol', 'side', 'quantity', 'price', 'notional', 'fee', 'tax', 'liquidity', 'referencePrice', 'impactBps', 'slippageBps', 'reducedForCash'],
    outcome.fills.map((f) => {
      const instrument = instrumentOf.get(f.symbol)!;
      return [
        f.time,
        f.orderId,
        f.id,
        f.symbol,
        f.side,
        instrument.formatQuantity(f.quantity),
        instrument.formatPrice(f.price),
        formatMoney(f.notional),
        formatMoney(f.fee),
        formatMoney(f.tax),
        f.liquidity,
        f.referencePrice,
        round(f.impactBps, 6),
        round(f.slippageBps, 6),
        f.reducedForCash ? 'true' : 'false',
      ];
    }),
  );
  const trades = toCsv(
    ['symbol', 'entryTime', 'exitTime', 'quantity', 'entryPrice', 'exitPrice', 'pnl', 'returnFraction', 'fills'],
    outcome.trades.map((t) => [t.symbol, t.entryTime, t.exitTime, instrumentOf.get(t.symbol)!.formatQuantity(t.quantity), t.entryPrice, t.exitPrice, round(t.pnl, 8), t.returnFraction, t.fills]),
  );
  const { time, equity } = outcome.simulation;
  const equityRows: Array<Array<number>> = new Array(time.length);
  for (let i = 0; i < time.length; i++) equityRows[i] = [time[i]!, round(equity[i]!, 8), round(outcome.drawdown[i]!, 10)];
  const equityCsv = toCsv(['time', 'equity', 'drawdown'], equityRows);
  const html = renderReportHtml({
    title: 'Backtest report',
    strategy: summary.strategy,
    symbols: summary.symbols,
    currency: summary.currency,
    parameters: { ...outcome.strategyParameters, timeframe: summary.timeframe, fillModel: summary.fillModel, capital: summary.initialCapital },
    summary: Object.fromEntries(Object.entries(summary).filter(([k, v]) => k !== 'start' && k !== 'end' && (typeof v === 'number' || typeof v === 'string' || v === null))) as Record<string, number | string | null>,
    initialCapital: summary.initialCapital,
    equity: { time, equity },
    drawdown: outcome.drawdown,
    benchmark: outcome.benchmark ? { ...outcome.benchmark, label: 'buy and hold' } : undefined,
    trades: outcome.trades.map((t) => ({ ...t, quantity: instrumentOf.get(t.symbol)!.formatQuantity(t.quantity) })),
    events: summary.breakerEvents.map((e) => ({
      time: e.time,
      text: `${e.level} (${e.cause} ${e.value.toFixed(4)} vs ${e.threshold})`,
      color: BREAKER_COLORS[e.level] ?? '#64748b',
    })),
    assumptions: outcome.simulation.assumptions,
  });
  // Write into a sibling temp folder, then swap it in: a failure leaves no half-written report.
  const staging = `${dir}.tmp-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  writeFileSync(join(staging, 'report.html'), html);
  writeFileSync(join(staging, 'trades.csv'), trades);
  writeFileSync(join(staging, 'fills.csv'), fills);
  writeFileSync(join(staging, 'equity.csv'), equityCsv);
  writeFileSync(join(staging, 'run.json'), `${JSON.stringify(runRecord(outcome, config, command), null, 2)}\n`);
  mkdirSync(dir, { recursive: true });
  for (const name of OUTPUT_FILES) {
    if (existsSync(join(dir, name))) rmSync(join(dir, name));
    renameSync(join(staging, name), join(dir, name));
  }
  rmSync(staging, { recursive: true, force: true });
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
