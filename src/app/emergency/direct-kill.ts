// `traider kill --direct`: the emergency stop that needs no server. It reads the deployments from the store, marks
// each EMERGENCY_STOP first (a server started meanwhile does not resume trading), then for live deployments cancels
// the open orders and closes the positions through each venue with the credentials from the environment, and for
// paper ones closes the journal at the last price. Every step is in the audit log with the actor.
import { type DeploymentRecord, LiveClock, type RunJournal, RunKind } from '../../common/index.ts';
import { Deployments, positionsOf, venueEnv } from '../deployments/index.ts';
import { openJournal } from '../store/index.ts';
import { auditVenueClose, closePaperRun } from './follow-up.ts';
import { closingJournalOf, type PaperCloseResult } from './paper-close.ts';
import { closeAtVenue, type VenueAction } from './venue-close.ts';

export interface DirectKillRequest {
  readonly db: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Who, for the audit log (cli:<user>). */
  readonly actor: string;
  /** Deployments to stop; undefined: every one (kill-all). */
  readonly names?: readonly string[];
  /** Close positions (default true); false: cancel orders only. */
  readonly flatten?: boolean;
  readonly reason?: string;
  /** Paper closes pay this taker fee (the configuration's crypto taker fee). */
  readonly takerBps: number;
  readonly log: (line: string) => void;
}

export interface DirectKillReport {
  readonly stopped: string[];
  readonly paper: Record<string, PaperCloseResult>;
  readonly venues: Array<{ readonly exchange: string; readonly url: string | null; readonly deployments: string[]; readonly actions: VenueAction[] }>;
  /** Steps that failed (an order not canceled, a position not closed): the exit status says so. */
  readonly failures: number;
}

const accountOf = (d: DeploymentRecord): string => JSON.stringify([d.exchange, d.url, d.credentials]);

export async function directKill(request: DirectKillRequest): Promise<DirectKillReport> {
  const { log, actor } = request;
  const flatten = request.flatten ?? true;
  const clock = new LiveClock();
  const { store, journal, close } = await openJournal(request.db, { clock });
  try {
    const deployments = new Deployments(store, journal, clock);
    const targets = request.names === undefined ? await deployments.list() : await Promise.all(request.names.map((name) => deployments.get(name)));
    if (targets.length === 0) log(`no deployments in ${store.location}`);
    const reason = request.reason ?? 'direct kill (traider kill --direct)';
    const marked: DeploymentRecord[] = [];
    let failures = 0;
    for (const d of targets) {
      try {
        marked.push(await deployments.emergencyStop(d.name, d.name, { actor }, { flatten, reason }));
        log(`${d.name}: EMERGENCY_STOP (was ${d.mode})`);
      } catch (error) {
        // A hung server may hold the store: the venues are still worked on (the record is what failed).
        failures++;
        marked.push(d);
        log(`${d.name}: could not be marked EMERGENCY_STOP (${(error as Error).message.split('\n')[0]}): a server started now would resume it; canceling and closing anyway`);
      }
    }
    const report: DirectKillReport = { stopped: marked.map((d) => d.name), paper: {}, venues: [], failures: 0 };
    const live = new Map<string, { deployments: DeploymentRecord[]; held: Map<string, number>; symbols: Set<string> }>();
    const paper: Array<{ d: DeploymentRecord; runId: string; merged: RunJournal }> = [];
    for (const [i, d] of marked.entries()) {
      const run = d.runId === null ? undefined : await store.getRun(d.runId);
      // A live deployment without a run yet still has its venue's open orders canceled.
      const isLive = run === undefined ? targets[i]!.mode.startsWith('LIVE') : run.kind === RunKind.Live;
      const merged = await closingJournalOf(store, d);
      if (!isLive) {
        if (run !== undefined) paper.push({ d, runId: run.id, merged }); // never ran: nothing to cancel or close
        continue;
      }
      const key = accountOf(d);
      const account = live.get(key) ?? { deployments: [], held: new Map<string, number>(), symbols: new Set<string>() };
      account.deployments.push(d);
      for (const s of d.symbols) account.symbols.add(s);
      if (flatten) for (const p of positionsOf(merged)) account.held.set(p.symbol, (account.held.get(p.symbol) ?? 0) + Math.max(0, p.quantity));
      live.set(key, account);
    }
    for (const account of live.values()) {
      const first = account.deployments[0]!;
      const names = account.deployments.map((d) => d.name);
      let actions: VenueAction[];
      try {
        actions = await closeAtVenue({ exchange: first.exchange, url: first.url, env: venueEnv(first, request.env), held: account.held, symbols: [...account.symbols] }, (line) => log(`${names.join(', ')}: ${line}`));
      } catch (error) {
        const text = (error as Error).message.split('\n')[0]!;
        log(`${names.join(', ')}: ${first.exchange}${first.url ? ` at ${first.url}` : ''} FAILED: ${text}`);
        actions = [{ kind: 'close-failed', symbol: [...account.symbols].join(','), amount: 0, error: text }];
      }
      failures += actions.filter((a) => a.kind === 'cancel-failed' || a.kind === 'close-failed').length;
      report.venues.push({ exchange: first.exchange, url: first.url, deployments: names, actions });
      await auditVenueClose(journal, clock, actor, names, first, actions).catch((error: Error) => log(`${names.join(', ')}: audit entry not written: ${error.message.split('\n')[0]}`));
    }
    // Real money first, then the paper books (a store held by a hung server fails here, not before the venues).
    for (const { d, runId, merged } of paper) {
      try {
        const result = await closePaperRun({ journal, clock, deployment: d, runId, merged, flatten, takerBps: request.takerBps, actor, log: (line) => log(`${d.name}: ${line}`) });
        report.paper[d.name] = result;
        failures += result.unpriced.length;
      } catch (error) {
        failures++;
        log(`${d.name}: paper close FAILED: ${(error as Error).message.split('\n')[0]}`);
      }
    }
    return { ...report, failures };
  } finally {
    await close();
  }
}
