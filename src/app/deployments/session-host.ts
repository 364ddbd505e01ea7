// Runs the session of every active deployment inside the server process: paper sessions on the venue's live data,
// live ones through the CCXT venue. A deployment starts when created or resumed, stops (orders canceled, positions
// kept) when paused or stopped, restarts with its new settings when edited, and resumes from its journal when the
// server starts again, also after a SIGKILL. A session that fails is started again after a growing pause while its
// deployment stays active.
import { type DeploymentRecord, LiveClock } from '../../common/index.ts';
import { loadConfig } from '../config/index.ts';
import { type RunningSession, runSession, type SessionEvent, type SessionSummary } from '../session/index.ts';
import { type Deployments, DeploymentStatus, EMERGENCY_STOP } from './deployments.ts';
import { venueEnv } from './venue-env.ts';

export interface SessionHostOptions {
  readonly deployments: Deployments;
  /** The journal database the sessions write (the server's store). */
  readonly db: string;
  /** The server's configuration file (--config), under each deployment's own risk overrides. */
  readonly configFile?: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly log: (line: string) => void;
  /** Pause before restarting a failed session: doubles from this up to 60 s (default 2 s). */
  readonly retryMs?: number;
  /** Wait for a stopping session's venue to confirm cancels this long (default 10 s). */
  readonly shutdownTimeoutMs?: number;
  /** Every event of every running session (the server numbers them and pushes them to WebSocket clients). */
  readonly onSessionEvent?: (deployment: string, event: SessionEvent) => void;
  /**
   * After an emergency stop, once the deployment's session (if any) has ended: close what is still open without it
   * (paper: in the journal at the last price; live: through the venue). The session's own kill switch does the
   * work when it runs; this catches a deployment whose session was not trading, and what the venue refused.
   */
  readonly afterEmergency?: (deployment: DeploymentRecord, options: { readonly flatten: boolean; readonly actor: string; readonly log: (line: string) => void }) => Promise<void>;
  /** A session finished (stopped, paused, emergency-stopped or ended by the server's stop) with its summary. */
  readonly onSessionFinished?: (deployment: string, summary: SessionSummary) => void;
}

/** What the status routes show of a deployment's session. */
export interface HostedSessionState {
  readonly running: boolean;
  /** Wall time the current session started trading; null while it starts or when stopped. */
  readonly since: number | null;
  readonly restarts: number;
  readonly lastError: string | null;
  readonly live: RunningSession | undefined;
}

interface Hosted {
  /** The settings the session runs with: a change of them restarts it. */
  readonly settings: string;
  controller: AbortController;
  done: Promise<void>;
  live: RunningSession | undefined;
  since: number | null;
  restarts: number;
  lastError: string | null;
  /** An emergency stop reached it: the session's own shutdown closes its positions; it is not stopped again. */
  emergency: boolean;
}

const shouldRun = (d: DeploymentRecord): boolean => d.status === DeploymentStatus.Active && d.mode !== EMERGENCY_STOP;
const settingsOf = (d: DeploymentRecord): string => JSON.stringify([d.parameters, d.limits, d.capital, d.mode]);

export class SessionHost {
  private readonly hosted = new Map<string, Hosted>();
  private readonly errors = new Map<string, string>();
  private readonly pending = new Map<string, Promise<void>>();
  /** Emergency stops asked and not yet followed up (afterEmergency), by deployment: flatten and actor. */
  private readonly emergencies = new Map<string, { flatten: boolean; actor: string }>();
  private closing = false;

  constructor(private readonly options: SessionHostOptions) {
    options.deployments.onChange((after) => void this.changed(after));
    options.deployments.onEmergencyStop((name, actor, stop) => this.emergencyStop(name, actor, stop.flatten, stop.reason));
  }

  /**
   * Halts a deployment's running session in this call (kill switch: orders canceled, positions closed unless
   * `flatten` is false). The record's change to EMERGENCY_STOP, written next, then ends the session.
   */
  private emergencyStop(name: string, actor: string, flatten: boolean, reason: string | undefined): void {
    this.emergencies.set(name, { flatten, actor });
    const h = this.hosted.get(name);
    if (h === undefined) return;
    h.emergency = true;
    if (h.live === undefined) {
      h.controller.abort(); // still warming up: it has sent nothing yet; it must not start trading
      return;
    }
    h.live.emergencyStop(actor, { flatten, ...(reason === undefined ? {} : { reason }) });
  }

  /** Starts every active deployment (a server start: each resumes from its journal run). */
  async startAll(): Promise<void> {
    for (const deployment of await this.options.deployments.list()) if (shouldRun(deployment)) this.start(deployment);
  }

  state(name: string): HostedSessionState {
    const h = this.hosted.get(name);
    if (h === undefined) return { running: false, since: null, restarts: 0, lastError: this.errors.get(name) ?? null, live: undefined };
    return { running: h.live !== undefined, since: h.since, restarts: h.restarts, lastError: h.lastError, live: h.live };
  }

  /** Stops every session (SIGTERM of the server): each cancels its open orders, keeps its positions, finishes its run. */
  async stopAll(): Promise<void> {
    this.closing = true;
    await Promise.all([...this.pending.values()]);
    await Promise.all([...this.hosted.keys()].map((name) => this.stop(name)));
  }

  /**
   * Brings a deployment's session in line with its record, one change at a time per deployment (a resume that
   * arrives while its pause is still canceling orders waits for it, then starts the session again).
   */
  private changed(after: DeploymentRecord): Promise<void> {
    const name = after.name;
    const next = (this.pending.get(name) ?? Promise.resolve()).then(() => this.reconcile(name)).catch((error: Error) => this.options.log(`deployment ${name}: ${error.message}`));
    this.pending.set(name, next);
    void next.then(() => {
      if (this.pending.get(name) === next) this.pending.delete(name);
    });
    return next;
  }

  private async reconcile(name: string): Promise<void> {
    if (this.closing) return;
    const deployment = await this.options.deployments.get(name);
    const running = this.hosted.get(name);
    const emergency = this.emergencies.get(name);
    if (emergency !== undefined && deployment.mode === EMERGENCY_STOP) {
      this.emergencies.delete(name);
      await this.stop(name);
      const log = (line: string): void => this.options.log(`deployment ${name}: emergency stop: ${line}`);
      await this.options.afterEmergency?.(deployment, { ...emergency, log });
      return;
    }
    if (!shouldRun(deployment)) return this.stop(name);
    if (running !== undefined && running.settings === settingsOf(deployment)) return;
    if (running !== undefined) await this.stop(name);
    this.start(deployment);
  }

  private async stop(name: string): Promise<void> {
    const h = this.hosted.get(name);
    if (h === undefined) return;
    // An emergency-stopped session ends by itself once its closing orders are done; aborting it now would not wait for them.
    if (!h.emergency) h.controller.abort();
    await h.done;
  }

  private start(deployment: DeploymentRecord): void {
    if (this.hosted.has(deployment.name)) return;
    const h: Hosted = { settings: settingsOf(deployment), controller: new AbortController(), done: Promise.resolve(), live: undefined, since: null, restarts: 0, lastError: null, emergency: false };
    this.hosted.set(deployment.name, h);
    h.done = this.keepRunning(deployment.name, h).finally(() => this.hosted.delete(deployment.name));
  }

  private async keepRunning(name: string, h: Hosted): Promise<void> {
    const { log } = this.options;
    let pause = this.options.retryMs ?? 2_000;
    while (!h.controller.signal.aborted) {
      const deployment = await this.options.deployments.get(name);
      if (!shouldRun(deployment)) return;
      try {
        await this.runOnce(deployment, h);
        return;
      } catch (error) {
        h.live = undefined;
        h.since = null;
        h.lastError = (error as Error).message;
        this.errors.set(name, h.lastError);
        if (h.controller.signal.aborted) return;
        h.restarts++;
        log(`deployment ${name}: session failed: ${h.lastError}; starting again in ${Math.round(pause / 1000)} s`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, pause);
          h.controller.signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
        });
        pause = Math.min(pause * 2, 60_000);
      }
    }
  }

  private async runOnce(deployment: DeploymentRecord, h: Hosted): Promise<void> {
    const { options } = this;
    const prefix = `deployment ${deployment.name}:`;
    const log = (line: string): void => options.log(`${prefix} ${line}`);
    const live = deployment.mode !== 'PAPER';
    const config = loadConfig({ file: options.configFile, env: options.env, flags: { risk: deployment.limits as never } });
    log(`${live ? 'live' : 'paper'} session of ${deployment.strategy} on ${deployment.symbols.join(', ')} (${deployment.exchange}${deployment.url ? ` at ${deployment.url}` : ''})${deployment.runId && !live ? `, resuming run ${deployment.runId}` : ''}`);
    const summary = await runSession({
      mode: live ? 'live' : 'paper',
      exchange: deployment.exchange,
      url: deployment.url ?? undefined,
      symbols: deployment.symbols,
      strategy: deployment.strategy,
      params: deployment.parameters,
      timeframe: deployment.timeframe,
      config,
      env: venueEnv(deployment, options.env),
      capital: live ? undefined : deployment.capital,
      signal: h.controller.signal,
      log,
      // Client order ids carry the deployment: a restarted session recognises its own orders.
      sessionId: `d-${deployment.name}`.slice(0, 20),
      db: options.db,
      actor: `deployment:${deployment.name}`,
      resume: live ? undefined : (deployment.runId ?? undefined),
      shutdownTimeoutMs: options.shutdownTimeoutMs,
      onRunning: (handle) => {
        h.live = handle;
        h.since = LiveClock.wallNow();
        if (options.onSessionEvent) handle.subscribe((event) => options.onSessionEvent!(deployment.name, event));
        h.lastError = null;
        this.errors.delete(deployment.name);
        if (handle.runId !== undefined && handle.runId !== deployment.runId) void options.deployments.attachRun(deployment.name, handle.runId, 'server').catch((error: Error) => log(`cannot record run ${handle.runId}: ${error.message}`));
      },
    });
    h.live = undefined;
    h.since = null;
    log('session stopped');
    options.onSessionFinished?.(deployment.name, summary);
  }
}
