// Resuming a paper session from its journal: the earlier run it continues (refused unless the request may
// continue it), and the kernel brought back to where that run stopped.
import { BookExecutionClient } from '../../adapters/sim/index.ts';
import { canonicalJson } from '../../audit/index.ts';
import type { RiskEngine } from '../../engines/index.ts';
import { type ExecutionClient, type JsonValue, type LiveClock, RunKind, type RunJournal, type RunRecord, RunStatus, type Store } from '../../common/index.ts';
import type { Kernel } from '../../kernel/index.ts';
import { jsonSafe } from '../environment/index.ts';
import { fieldMention, InputError, type InputErrorText, inputText } from '../errors/index.ts';
import { fillFromRecord, orderFromRecord } from './restore.ts';
import { playBack, type PlaybackResult } from './session-playback.ts';
import type { SessionRequest } from './session-types.ts';

/** The run `request.resume` names, once it is known to be one this session may continue; undefined for a new session. */
export async function runToResume(request: SessionRequest, store: Store | undefined): Promise<RunRecord | undefined> {
  const id = request.resume;
  if (id === undefined) return undefined;
  if (!store) throw new InputError('resume', inputText`${fieldMention('resume')}: needs the journal database (${fieldMention('db')})`, { value: id });
  if (request.mode !== 'paper') throw new InputError('resume', 'only paper sessions resume; a live session reconciles with the exchange instead', { value: id });
  const run = await store.getRun(id);
  if (!run) throw new InputError('resume', `no run ${id} in ${store.location}`, { value: id });
  if (run.kind !== RunKind.Paper) throw new InputError('resume', `run ${id} is a ${run.kind} run, not a paper session`, { value: id });
  if (run.status === RunStatus.Running) checkSameSession(run, request);
  return run;
}

/** A resumed paper ledger starts from the capital of the run it continues. */
export function capitalOf(run: RunRecord | undefined): number | undefined {
  const capital = (run?.parameters as { capital?: unknown } | undefined)?.capital;
  return typeof capital === 'number' ? capital : undefined;
}

/**
 * The kernel where `run` stopped. A run that stopped without finishing (a crash) has its journal played back
 * (the result says up to which bar); a finished one gets its fills and open orders back.
 */
export async function restoreRun(run: RunRecord, store: Store, kernel: Kernel, clock: LiveClock, risk: RiskEngine, execution: ExecutionClient, log: (line: string) => void): Promise<PlaybackResult | undefined> {
  const journal = await store.readRunJournal(run.id);
  // The runs this one resumed (a paper ledger continued across stops), oldest first: their fills are its ledger too.
  const earlier = await resumedChain(run, store);
  const earlierFills = earlier.flatMap((j) => j.fills);
  const allFillIds = [...earlierFills, ...journal.fills].map((f) => f.fillId);
  const from = earlier.length === 0 ? '' : ` (continuing ${earlier.length} earlier run${earlier.length === 1 ? '' : 's'}: ${earlierFills.length} fills)`;
  if (run.status === RunStatus.Running) {
    kernel.start();
    if (earlierFills.length > 0) kernel.restore({ fills: earlierFills.map(fillFromRecord), orders: [] });
    const playback = playBack(kernel, clock, risk, journal);
    if (execution instanceof BookExecutionClient) execution.continueFillIds(allFillIds);
    log(`resuming paper run ${run.id}${from}: played back ${playback.bars} journaled bars and ${playback.fills} fills; ${playback.openOrders} open orders back to the venue, cash ${kernel.cash().toFixed(2)}`);
    return playback;
  }
  const fills = [...earlierFills, ...journal.fills].map(fillFromRecord);
  const orders = journal.orders.map(orderFromRecord);
  kernel.restore({ fills, orders });
  if (execution instanceof BookExecutionClient) execution.continueFillIds(allFillIds);
  log(`resuming paper run ${run.id}${from}: ${fills.length} fills, ${orders.filter((o) => o.isOpen).length} open orders, cash ${kernel.cash().toFixed(2)}`);
  return undefined;
}

/** The journals of the runs `run` resumed (its `resumedFrom`, and theirs), oldest first. */
async function resumedChain(run: RunRecord, store: Store): Promise<RunJournal[]> {
  return Promise.all((await resumedRunIds(run, store)).map((id) => store.readRunJournal(id)));
}

/** The ids of the runs `run` resumed (its `resumedFrom`, and theirs), oldest first. */
export async function resumedRunIds(run: RunRecord, store: Store): Promise<string[]> {
  const ids: string[] = [];
  let from = resumedFrom(run);
  while (from !== undefined && !ids.includes(from) && from !== run.id) {
    ids.unshift(from);
    const earlier = await store.getRun(from);
    from = earlier === undefined ? undefined : resumedFrom(earlier);
  }
  return ids;
}

function resumedFrom(run: RunRecord): string | undefined {
  const from = (run.parameters as { resumedFrom?: unknown } | null)?.resumedFrom;
  return typeof from === 'string' ? from : undefined;
}

/** A crashed run is continued only by the same strategy, parameters, symbols and timeframe. */
function checkSameSession(run: RunRecord, request: SessionRequest): void {
  const stored = run.parameters as { params?: JsonValue };
  const same = (a: unknown, b: unknown): boolean => canonicalJson(jsonSafe(a ?? null)) === canonicalJson(jsonSafe(b ?? null));
  const differs: InputErrorText[] = [];
  if (run.strategy !== request.strategy) differs.push(inputText`${fieldMention('strategy')} ${run.strategy} (got ${request.strategy})`);
  if (!same(stored.params, request.params)) differs.push(inputText`${fieldMention('params')} ${canonicalJson(stored.params ?? null)} (got ${canonicalJson(jsonSafe(request.params ?? null))})`);
  if (run.symbols.join(',') !== request.symbols.join(',')) differs.push(inputText`${fieldMention('symbols')} ${run.symbols.join(',')} (got ${request.symbols.join(',')})`);
  if (run.timeframe !== request.timeframe) differs.push(inputText`${fieldMention('timeframe')} ${run.timeframe} (got ${request.timeframe})`);
  if (differs.length === 0) return;
  const text = [fieldMention('resume'), `: run ${run.id} stopped without finishing and continues only as it started: `, ...differs.flatMap((d, i) => (i === 0 ? d : ['; ', ...d]))];
  throw new InputError('resume', text, { value: run.id });
}
