// Deployments: a strategy running as a service, persisted in the store. Create, edit, pause, resume and stop are
// audited with the actor (edits with the values before and after); the server's routes and the session host call
// these functions, the CLI reaches them through the API.
import type { Journal } from '../../audit/index.ts';
import { ApiRole, type Clock, type DeploymentRecord, type JsonValue, type Store } from '../../common/index.ts';
import { resolveStrategy, StrategyLoadError, StrategyParameterError } from '../../strategies/index.ts';
import { ConfigError, loadConfig } from '../config/index.ts';
import { InputError, InvalidRequestError, type Problem } from '../errors/index.ts';
import { roleAllows, type Principal } from '../tokens/index.ts';
import type { CreateDeploymentRequest, EditDeploymentRequest } from './requests.ts';

export const DeploymentStatus = { Active: 'ACTIVE', Paused: 'PAUSED', Stopped: 'STOPPED' } as const;
export type DeploymentStatus = (typeof DeploymentStatus)[keyof typeof DeploymentStatus];

export const DEFAULT_DEPLOYMENT_CAPITAL = 10_000;

export class DeploymentNotFoundError extends InputError {
  override name = 'NotFoundError';
  constructor(name: string) {
    super('name', `no deployment named ${JSON.stringify(name)}`, { value: name });
  }
}

/** A request the deployment's state does not allow (stopping a stopped one, ...): HTTP 409. */
export class DeploymentStateError extends Error {
  override name = 'DeploymentStateError';
}

/** A request this principal's role does not allow, beyond the route's own role (LIVE_MINIMAL needs admin). */
export class ForbiddenError extends Error {
  override name = 'ForbiddenError';
}

/** Told of every change (the session host starts, stops and reconfigures sessions from it). */
export type DeploymentListener = (after: DeploymentRecord, before: DeploymentRecord | undefined) => void;

/** How an emergency stop treats positions: closed at market (the default) or kept. */
export interface EmergencyStopOptions {
  readonly flatten?: boolean;
  readonly reason?: string;
}

/** Told of an emergency stop before it is written, so a running session halts without waiting for the store. */
export type EmergencyListener = (name: string, actor: string, options: Required<Pick<EmergencyStopOptions, 'flatten'>> & EmergencyStopOptions) => void;

/** The mode of a deployment that an emergency stop has halted: it stays so, across restarts, until a named person resets it. */
export const EMERGENCY_STOP = 'EMERGENCY_STOP';
/** What `confirm` must say to stop every deployment at once. */
export const KILL_ALL_CONFIRM = 'ALL';

function confirmNames(confirm: string, target: string): void {
  if (confirm !== target) throw new InvalidRequestError([{ path: 'body.confirm', value: confirm, rule: `must name the target of this request, ${JSON.stringify(target)}` }]);
}

/** Problems of the strategy and its parameters: the strategy is loaded and instantiated once, as a session would. */
async function strategyProblems(strategy: string, params: unknown): Promise<Problem[]> {
  let resolved;
  try {
    resolved = await resolveStrategy(strategy, { warn: () => {} });
  } catch (error) {
    if (error instanceof StrategyLoadError) return [{ path: 'body.strategy', value: strategy, rule: error.message }];
    throw error;
  }
  try {
    resolved.create(params ?? {});
    return [];
  } catch (error) {
    if (!(error instanceof StrategyParameterError)) throw error;
    return error.problems.map((text) => {
      const at = text.indexOf(': ');
      const key = at > 0 ? text.slice(0, at) : '';
      return { path: key === '' ? 'body.params' : `body.params.${key}`, rule: at > 0 ? text.slice(at + 2) : text };
    });
  }
}

/** Problems of the risk overrides: checked as the `risk` section of a configuration. */
function limitProblems(limits: Record<string, unknown> | undefined): Problem[] {
  if (limits === undefined) return [];
  try {
    loadConfig({ env: {}, flags: { risk: limits as never } });
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.issues.map((issue) => ({ path: `body.limits${issue.path.replace(/^risk/, '')}`, rule: issue.message }));
  }
}

const asJson = (value: Record<string, unknown> | undefined): { readonly [key: string]: JsonValue } => JSON.parse(JSON.stringify(value ?? {})) as { readonly [key: string]: JsonValue };

export class Deployments {
  private readonly listeners: DeploymentListener[] = [];
  private readonly emergencyListeners: EmergencyListener[] = [];

  constructor(
    private readonly store: Store,
    private readonly journal: Journal,
    private readonly clock: Clock,
  ) {}

  onChange(listener: DeploymentListener): void {
    this.listeners.push(listener);
  }

  /** Called synchronously when an emergency stop is asked, before the store is written. */
  onEmergencyStop(listener: EmergencyListener): void {
    this.emergencyListeners.push(listener);
  }

  list(): Promise<DeploymentRecord[]> {
    return this.store.listDeployments();
  }

  async get(name: string): Promise<DeploymentRecord> {
    const found = await this.store.getDeployment(name);
    if (found === undefined) throw new DeploymentNotFoundError(name);
    return found;
  }

  async create(request: CreateDeploymentRequest, by: Principal): Promise<DeploymentRecord> {
    confirmNames(request.confirm, request.name);
    const mode = request.mode ?? 'PAPER';
    const problems: Problem[] = [];
    if (mode !== 'PAPER' && request.confirmLive !== true) problems.push({ path: 'body.confirmLive', value: request.confirmLive, rule: `must be true to create a deployment in ${mode}: it trades real money` });
    problems.push(...(await strategyProblems(request.strategy, request.params)), ...limitProblems(request.limits));
    if (problems.length > 0) throw new InvalidRequestError(problems);
    if (mode !== 'PAPER' && !roleAllows(by.role, ApiRole.Admin)) throw new ForbiddenError(`creating a deployment in ${mode} needs the admin role (${by.name} is ${by.role})`);
    if ((await this.store.getDeployment(request.name)) !== undefined) throw new DeploymentStateError(`a deployment named ${JSON.stringify(request.name)} exists already`);
    const time = this.clock.now();
    const record: DeploymentRecord = {
      name: request.name,
      strategy: request.strategy,
      parameters: asJson(request.params),
      symbols: [...request.symbols],
      exchange: request.exchange,
      url: request.url ?? null,
      credentials: request.credentials ?? null,
      capital: request.capital ?? DEFAULT_DEPLOYMENT_CAPITAL,
      timeframe: request.timeframe ?? '1m',
      mode,
      status: DeploymentStatus.Active,
      limits: asJson(request.limits),
      runId: null,
      createdAt: time,
      createdBy: by.actor,
      updatedAt: time,
      version: 1,
    };
    await this.commit(record, undefined, by, 'deployment.created', { deployment: record as unknown as JsonValue });
    return record;
  }

  async edit(name: string, request: EditDeploymentRequest, by: Principal): Promise<DeploymentRecord> {
    confirmNames(request.confirm, name);
    const before = await this.get(name);
    if (before.status === DeploymentStatus.Stopped) throw new DeploymentStateError(`deployment ${name} is stopped: create a new one`);
    const problems = [...(request.params === undefined ? [] : await strategyProblems(before.strategy, request.params)), ...limitProblems(request.limits)];
    if (problems.length > 0) throw new InvalidRequestError(problems);
    const changes: Partial<Record<'parameters' | 'limits' | 'capital', JsonValue>> = {};
    if (request.params !== undefined) changes.parameters = asJson(request.params);
    if (request.limits !== undefined) changes.limits = asJson(request.limits);
    if (request.capital !== undefined) changes.capital = request.capital;
    const after = { ...before, ...changes, updatedAt: this.clock.now(), version: before.version + 1 } as DeploymentRecord;
    const changed = Object.keys(changes) as Array<keyof typeof changes>;
    const beforeValues = Object.fromEntries(changed.map((key) => [key, before[key] as JsonValue]));
    await this.commit(after, before, by, 'deployment.edited', { name, before: beforeValues, after: changes as JsonValue });
    return after;
  }

  pause(name: string, confirm: string, by: Principal): Promise<DeploymentRecord> {
    return this.transition(name, confirm, by, DeploymentStatus.Paused, [DeploymentStatus.Active], 'deployment.paused');
  }

  resume(name: string, confirm: string, by: Principal): Promise<DeploymentRecord> {
    return this.transition(name, confirm, by, DeploymentStatus.Active, [DeploymentStatus.Paused], 'deployment.resumed');
  }

  stop(name: string, confirm: string, by: Principal): Promise<DeploymentRecord> {
    return this.transition(name, confirm, by, DeploymentStatus.Stopped, [DeploymentStatus.Active, DeploymentStatus.Paused], 'deployment.stopped');
  }

  /**
   * EMERGENCY_STOP: the running session halts at once (every open order canceled; with `flatten`, the default,
   * every position closed at market) and the deployment stays in EMERGENCY_STOP, also across server restarts,
   * until a named person resets it. Asking again is audited again (and may now flatten what was kept).
   */
  async emergencyStop(name: string, confirm: string, by: Pick<Principal, 'actor'>, options: EmergencyStopOptions = {}): Promise<DeploymentRecord> {
    confirmNames(confirm, name);
    const flatten = options.flatten ?? true;
    const before = await this.get(name);
    for (const listener of this.emergencyListeners) listener(name, by.actor, { ...options, flatten });
    const after: DeploymentRecord = { ...before, mode: EMERGENCY_STOP, updatedAt: this.clock.now(), version: before.version + 1 };
    await this.commit(after, before, by, 'deployment.emergency-stop', { name, before: before.mode, after: EMERGENCY_STOP, flatten, reason: options.reason ?? null });
    return after;
  }

  /** Kill-all: EMERGENCY_STOP on every deployment (each halted first, then each written). */
  async killAll(confirm: string, by: Pick<Principal, 'actor'>, options: EmergencyStopOptions = {}): Promise<DeploymentRecord[]> {
    if (confirm !== KILL_ALL_CONFIRM) throw new InvalidRequestError([{ path: 'body.confirm', value: confirm, rule: `must be ${JSON.stringify(KILL_ALL_CONFIRM)} to stop every deployment` }]);
    const all = await this.list();
    const flatten = options.flatten ?? true;
    for (const d of all) for (const listener of this.emergencyListeners) listener(d.name, by.actor, { ...options, flatten });
    const out: DeploymentRecord[] = [];
    for (const d of all) out.push(await this.emergencyStop(d.name, d.name, by, options));
    return out;
  }

  /** A named person ends an EMERGENCY_STOP: the deployment returns to PAPER (a step back up to live is a new decision). */
  async reset(name: string, confirm: string, by: Principal): Promise<DeploymentRecord> {
    confirmNames(confirm, name);
    const before = await this.get(name);
    if (before.mode !== EMERGENCY_STOP) throw new DeploymentStateError(`deployment ${name} is in ${before.mode}: only a deployment in ${EMERGENCY_STOP} can be reset`);
    const after: DeploymentRecord = { ...before, mode: 'PAPER', runId: null, updatedAt: this.clock.now(), version: before.version + 1 };
    await this.commit(after, before, by, 'deployment.reset', { name, before: EMERGENCY_STOP, after: 'PAPER' });
    return after;
  }

  /** Records the journal run of a deployment's session (the session host, when it starts one). */
  async attachRun(name: string, runId: string, actor: string): Promise<DeploymentRecord> {
    const before = await this.get(name);
    if (before.runId === runId) return before;
    const after: DeploymentRecord = { ...before, runId, updatedAt: this.clock.now(), version: before.version + 1 };
    await this.commit(after, before, { actor }, 'deployment.run', { name, runId, previousRunId: before.runId });
    return after;
  }

  private async transition(name: string, confirm: string, by: Principal, to: DeploymentStatus, from: readonly string[], kind: string): Promise<DeploymentRecord> {
    confirmNames(confirm, name);
    const before = await this.get(name);
    if (!from.includes(before.status)) throw new DeploymentStateError(`deployment ${name} is ${before.status}: only a deployment that is ${from.join(' or ')} can become ${to}`);
    const after: DeploymentRecord = { ...before, status: to, updatedAt: this.clock.now(), version: before.version + 1 };
    await this.commit(after, before, by, kind, { name, before: before.status, after: to });
    return after;
  }

  private async commit(after: DeploymentRecord, before: DeploymentRecord | undefined, by: Pick<Principal, 'actor'>, kind: string, payload: JsonValue): Promise<void> {
    await this.journal.commitChange({ deployments: [after], audit: [{ actor: by.actor, kind, payload, time: after.updatedAt }] });
    for (const listener of this.listeners) listener(after, before);
  }
}
