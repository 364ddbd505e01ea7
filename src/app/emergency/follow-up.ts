// After an emergency stop, what is still open without a running session: a paper run is closed in its journal, a
// live deployment's venue is asked to cancel and close. The server runs this once a deployment's session has ended
// (its kill switch does the work while it runs: this catches a session that was not trading and what the venue
// refused); `traider kill --direct` runs the same steps with no server.
import type { Journal } from '../../audit/index.ts';
import { type Clock, type DeploymentRecord, type JsonValue, RunKind, type RunJournal, type Store } from '../../common/index.ts';
import { positionsOf, venueEnv } from '../deployments/index.ts';
import { closePaperInJournal, closingJournalOf, type PaperCloseResult } from './paper-close.ts';
import { closeAtVenue, type VenueAction } from './venue-close.ts';

interface PaperRunClose {
  readonly journal: Journal;
  readonly clock: Clock;
  readonly deployment: DeploymentRecord;
  readonly runId: string;
  readonly merged: RunJournal;
  readonly flatten: boolean;
  readonly takerBps: number;
  readonly actor: string;
  readonly log: (line: string) => void;
}

/** Closes a paper run in its journal, logs each step and audits it (nothing to do: nothing written). */
export async function closePaperRun(c: PaperRunClose): Promise<PaperCloseResult> {
  const result = await closePaperInJournal(c.journal, c.runId, c.merged, c.deployment, { flatten: c.flatten, takerBps: c.takerBps }, c.clock);
  for (const x of result.closed) c.log(`paper ${x.side} ${x.quantity} ${x.symbol} at the last price ${x.price} (closed in the journal)`);
  if (result.canceled > 0) c.log(`${result.canceled} open paper order(s) canceled in the journal`);
  for (const symbol of result.unpriced) c.log(`${symbol} held but no price journaled: left open`);
  if (result.canceled + result.closed.length + result.unpriced.length > 0) {
    const payload = { name: c.deployment.name, runId: c.runId, canceled: result.canceled, closed: result.closed, unpriced: result.unpriced };
    await c.journal.commitChange({ audit: [{ actor: c.actor, kind: 'emergency.paper-close', payload: payload as unknown as JsonValue, time: c.clock.now() }] });
  }
  return result;
}

export async function auditVenueClose(journal: Journal, clock: Clock, actor: string, names: readonly string[], d: DeploymentRecord, actions: readonly VenueAction[]): Promise<void> {
  if (actions.length === 0) return;
  await journal.commitChange({ audit: [{ actor, kind: 'emergency.venue-close', payload: { deployments: [...names], exchange: d.exchange, url: d.url, actions } as unknown as JsonValue, time: clock.now() }] });
}

export interface FollowUpContext {
  readonly store: Store;
  readonly journal: Journal;
  readonly clock: Clock;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly takerBps: number;
}

/** One deployment's follow-up after its session ended (the server's SessionHost `afterEmergency`). */
export async function followUpEmergency(context: FollowUpContext, deployment: DeploymentRecord, options: { readonly flatten: boolean; readonly actor: string; readonly log: (line: string) => void }): Promise<void> {
  const { store, journal, clock } = context;
  const run = deployment.runId === null ? undefined : await store.getRun(deployment.runId);
  if (run === undefined) return;
  const merged = await closingJournalOf(store, deployment);
  if (run.kind !== RunKind.Live) {
    await closePaperRun({ journal, clock, deployment, runId: run.id, merged, flatten: options.flatten, takerBps: context.takerBps, actor: options.actor, log: options.log });
    return;
  }
  const held = new Map<string, number>();
  if (options.flatten) for (const p of positionsOf(merged)) if (p.quantity > 0) held.set(p.symbol, p.quantity);
  const actions = await closeAtVenue({ exchange: deployment.exchange, url: deployment.url, env: venueEnv(deployment, context.env), held, symbols: deployment.symbols }, options.log);
  await auditVenueClose(journal, clock, options.actor, [deployment.name], deployment, actions);
}
