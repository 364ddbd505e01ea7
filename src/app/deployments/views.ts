// What a deployment holds and did, read from the journal of its session's run: positions, open orders, fills, P&L
// and the equity curve, the breaker state. The journal is written before anything acts (write-ahead), so these
// views are what the session has acknowledged, also while the server restarts.
import { computePortfolioRisk, RiskInputError } from '../../analytics/index.ts';
import { TERMINAL_STATUSES } from '../../core/index.ts';
import { resumedRunIds } from '../session/index.ts';
import { type DeploymentRecord, emptyJournal, JOURNAL_PARTS, type JournalPart, type RunJournal, type Store } from '../../common/index.ts';

/** Parts to read from their end only, with how many rows: the latest equity point, a window of recent bars. */
export type JournalTails = Partial<Record<JournalPart, number>>;

/** Bars of each symbol the risk view computes VaR, ES and correlation over: the most recent ones. */
export const RISK_WINDOW_BARS = 10_000;

/** The runs of a deployment's journal, oldest first: the runs its current run resumed, then that run. */
async function runChainOf(store: Store, deployment: DeploymentRecord): Promise<string[]> {
  const run = deployment.runId === null ? undefined : await store.getRun(deployment.runId);
  return run === undefined ? [] : [...(await resumedRunIds(run, store)), run.id];
}

/**
 * The journal of a deployment: its current run and the runs it resumed (a pause and a resume, or an edit, finish one
 * run and continue its ledger in the next), oldest first, each list concatenated. With `parts`, only those are read
 * (the others are empty); with `tails`, those parts are read from their end only (the last N rows over the chain).
 */
export async function journalOf(store: Store, deployment: DeploymentRecord, parts?: readonly JournalPart[], tails: JournalTails = {}): Promise<RunJournal> {
  const chain = await runChainOf(store, deployment);
  const merged = emptyJournal() as unknown as Record<JournalPart, unknown[]>;
  if (chain.length === 0) return merged as unknown as RunJournal;
  const asked = parts ?? JOURNAL_PARTS;
  const whole = asked.filter((part) => tails[part] === undefined);
  const journals = await Promise.all(chain.map((id) => store.readRunJournal(id, whole)));
  for (const key of whole) merged[key] = journals.flatMap((j) => j[key] as unknown[]);
  for (const part of asked) {
    const rows = tails[part];
    if (rows !== undefined) merged[part] = await tailOf(store, chain, part, rows);
  }
  return merged as unknown as RunJournal;
}

/** The last `rows` rows of one part over a run chain, oldest first: from the newest run back until there are enough. */
async function tailOf(store: Store, chain: readonly string[], part: JournalPart, rows: number): Promise<unknown[]> {
  const pieces: unknown[][] = [];
  let wanted = rows;
  for (let i = chain.length - 1; i >= 0 && wanted > 0; i--) {
    const piece = (await store.readRunTail(chain[i]!, part, wanted)) as unknown[];
    pieces.unshift(piece);
    wanted -= piece.length;
  }
  return pieces.flat();
}

/**
 * The positions held, from the fills (oldest first): quantity (fees paid in the coin taken out), average entry price
 * of what is held (average cost, reset when the position crosses zero) and the time of the last fill.
 */
export function positionsOf(journal: RunJournal) {
  const held = new Map<string, { quantity: number; averagePrice: number; time: number }>();
  for (const f of journal.fills) {
    const p = held.get(f.symbol) ?? { quantity: 0, averagePrice: 0, time: f.time };
    // A fee kept in the base asset leaves the holding with less (a buy) or takes more of it (a sell).
    const inKind = f.feeQuantity ?? 0;
    const signed = f.side === 'BUY' ? f.quantity - inKind : -(f.quantity + inKind);
    const next = Math.round((p.quantity + signed) * 1e10) / 1e10;
    if (p.quantity === 0 || Math.sign(signed) === Math.sign(p.quantity)) {
      p.averagePrice = (p.averagePrice * Math.abs(p.quantity) + f.price * Math.abs(signed)) / Math.abs(next);
    } else if (Math.sign(next) === Math.sign(signed)) {
      p.averagePrice = f.price; // crossed zero: what is held now was bought (or sold) at this fill
    }
    p.quantity = next;
    p.time = f.time;
    if (next === 0) p.averagePrice = 0;
    held.set(f.symbol, p);
  }
  return [...held].filter(([, p]) => p.quantity !== 0).map(([symbol, p]) => ({ symbol, quantity: p.quantity, averagePrice: p.averagePrice, lastFillTime: p.time }));
}

export function openOrdersOf(journal: RunJournal) {
  return journal.orders.filter((o) => !TERMINAL_STATUSES.has(o.status) && o.status !== 'INITIALIZED');
}

/** Equity points (time, equity, cash) and the P&L since the first one. */
export function pnlOf(journal: RunJournal, capital: number) {
  const curve = journal.equity.map(({ time, equity, cash }) => ({ time, equity, cash }));
  const last = curve.at(-1);
  return { initialCapital: capital, equity: last?.equity ?? capital, pnl: (last?.equity ?? capital) - capital, curve };
}

/** The breaker level now and the changes that led to it (the last few). */
export function breakerOf(journal: RunJournal) {
  const changes = journal.breakerEvents;
  const last = changes.at(-1);
  return { level: last?.level ?? 'NORMAL', since: last?.time ?? null, recent: changes.slice(-10) };
}

/**
 * Exposure (gross value of the positions over equity), and VaR, ES and correlation of the positions held, from the
 * bars the session journaled (bar returns, one bar ahead). Until MIN_BARS aligned bars exist, `var` is null with
 * the reason.
 */
export function riskOf(journal: RunJournal, capital: number) {
  const positions = positionsOf(journal);
  const closes = new Map<string, { time: number[]; close: number[] }>();
  for (const bar of journal.bars) {
    const series = closes.get(bar.symbol) ?? { time: [], close: [] };
    if (series.time.length === 0 || bar.closeTime > series.time.at(-1)!) {
      series.time.push(bar.closeTime);
      series.close.push(bar.close);
    }
    closes.set(bar.symbol, series);
  }
  const equity = journal.equity.at(-1)?.equity ?? capital;
  const values = positions.map((p) => ({ symbol: p.symbol, value: p.quantity * (closes.get(p.symbol)?.close.at(-1) ?? p.averagePrice) }));
  const gross = values.reduce((sum, v) => sum + Math.abs(v.value), 0);
  const base = { equity, exposure: equity > 0 ? gross / equity : null, positions: values };
  const symbols = [...closes.keys()];
  const series = symbols.map((symbol) => ({ symbol, time: Float64Array.from(closes.get(symbol)!.time), close: Float64Array.from(closes.get(symbol)!.close) }));
  const weights = Object.fromEntries(values.map((v) => [v.symbol, equity > 0 ? v.value / equity : 0]));
  try {
    const report = computePortfolioRisk({ series, weights, horizonBars: 1, monteCarlo: { paths: 10_000, seed: 42 } });
    return { ...base, horizonBars: 1, observations: report.observations, var: report.var, es: report.es, correlation: report.correlation, reason: null };
  } catch (error) {
    if (!(error instanceof RiskInputError)) throw error;
    return { ...base, horizonBars: 1, observations: 0, var: null, es: null, correlation: null, reason: error.message };
  }
}
