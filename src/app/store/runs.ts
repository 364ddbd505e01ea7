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

export function listRuns(store: Store, query: { limit?: number; kind?: RunKind } = {}): Promise<RunRecord[]> {
  return store.listRuns(query);
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
