// Reading runs back: the list, and one run with its whole journal.
import { formatMoney } from '../../core/index.ts';
import type { RunJournal, RunKind, RunRecord, Store } from '../../common/index.ts';

export class RunNotFoundError extends Error {
  override name = 'RunNotFoundError';
}

export interface RunDetail {
  readonly run: RunRecord;
  readonly journal: RunJournal;
}

/** A run as `runs list` shows it: `startedAt` is the computer's clock, the data range the data's own time. */
export interface RunListing extends RunRecord {
  /** First bar's open time of the data the run acted on (UTC ms), from its summary; null while running or without bars. */
  readonly dataStart: number | null;
  /** Last bar's close time (UTC ms). */
  readonly dataEnd: number | null;
}

function numberField(summary: RunRecord['summary'], ...keys: string[]): number | null {
  if (summary === null || typeof summary !== 'object' || Array.isArray(summary)) return null;
  for (const key of keys) {
    const value = summary[key];
    if (typeof value === 'number' && Number.isFinite(value)) return value;
  }
  return null;
}

/** The data's time range of a finished run: a backtest's summary says start/end, a session's dataStart/dataEnd. */
function dataRangeOf(run: RunRecord): { dataStart: number | null; dataEnd: number | null } {
  return { dataStart: numberField(run.summary, 'dataStart', 'start'), dataEnd: numberField(run.summary, 'dataEnd', 'end') };
}

/**
 * Runs, newest first. Every run records when it was started on the computer's clock (`startedAt`, also for
 * sessions on a venue clock running at another speed or date); the data's range comes from the summary.
 */
export async function listRuns(store: Store, query: { limit?: number; kind?: RunKind } = {}): Promise<RunListing[]> {
  return (await store.listRuns(query)).map((run) => ({ ...run, ...dataRangeOf(run) }));
}

/** The run with this id, or the only run whose id starts with it. */
export async function showRun(store: Store, idOrPrefix: string): Promise<RunDetail> {
  let run = await store.getRun(idOrPrefix);
  if (!run) {
    const matches = idOrPrefix === '' ? [] : await store.findRuns(idOrPrefix, 5);
    if (matches.length === 0) throw new RunNotFoundError(`no run ${idOrPrefix} in ${store.location}`);
    if (matches.length > 1) throw new RunNotFoundError(`${idOrPrefix} matches several runs (${matches.map((r) => r.id).join(', ')}${matches.length === 5 ? ', ...' : ''}); give more of the id`);
    run = matches[0]!;
  }
  return { run, journal: await store.readRunJournal(run.id) };
}

/** JSON.stringify replacer: ledger units (bigint) as exact decimal strings of the currency. */
export function moneyReplacer(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? formatMoney(value) : value;
}
