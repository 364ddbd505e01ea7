// Deployments over HTTP: reads need viewer; create, edit, pause, resume and stop need operator (creating one in
// LIVE_MINIMAL: admin). Every change names its target in `confirm` and is audited with the actor.
import { z } from 'zod';
import { breakerOf, confirmSchema, createDeploymentSchema, DEPLOYMENT_NAME, editDeploymentSchema, emergencyStopSchema, type JournalTails, journalOf, killAllSchema, openOrdersOf, pnlOf, positionsOf, RISK_WINDOW_BARS, riskOf } from '../../app/deployments/index.ts';
import type { DeploymentRecord, JournalPart } from '../../common/index.ts';
import { json, route, type RouteSpec } from '../route.ts';
import type { ServerContext } from './context.ts';
import { plain } from './journal-reads.ts';

const named = z.strictObject({ name: z.string().regex(DEPLOYMENT_NAME, 'is not a deployment name') });
const BASE = '/api/v1/deployments';

export function deploymentRoutes(context: ServerContext): RouteSpec[] {
  const { deployments, store } = context;
  const read = (path: string, summary: string, view: (name: string) => Promise<unknown>): RouteSpec =>
    route({ method: 'GET', path: `${BASE}/{name}${path}`, role: 'viewer', tag: 'deployments', summary, params: named, handler: async ({ params }) => json(plain(await view(params.name))) });
  const change = (action: 'pause' | 'resume' | 'stop', summary: string): RouteSpec =>
    route({
      method: 'POST',
      path: `${BASE}/{name}/${action}`,
      role: 'operator',
      tag: 'deployments',
      summary,
      params: named,
      body: confirmSchema,
      handler: async ({ params, body, principal }) => json(await deployments[action](params.name, body.confirm, principal!)),
    });
  // Each view reads only the journal tables it shows: a dashboard polling the breaker level does not read every bar.
  // A long run's bars and equity grow by the minute: the risk view reads a window of recent bars and the last equity point.
  const journal = async (name: string, parts: readonly JournalPart[], tails?: (d: DeploymentRecord) => JournalTails) => {
    const deployment = await deployments.get(name);
    return { deployment, journal: await journalOf(store, deployment, parts, tails?.(deployment)) };
  };
  return [
    route({ method: 'GET', path: BASE, role: 'viewer', tag: 'deployments', summary: 'every deployment', handler: async () => json(await deployments.list()) }),
    route({
      method: 'POST',
      path: BASE,
      role: 'operator',
      tag: 'deployments',
      summary: 'creates a deployment (PAPER; LIVE_MINIMAL needs admin and confirmLive)',
      responds: 'Created',
      body: createDeploymentSchema,
      handler: async ({ body, principal }) => ({ status: 201, body: await deployments.create(body, principal!) }),
    }),
    read('', 'one deployment with its mode and status', (name) => deployments.get(name)),
    route({
      method: 'PATCH',
      path: `${BASE}/{name}`,
      role: 'operator',
      tag: 'deployments',
      summary: 'edits parameters, risk limits or capital (audited with the values before and after)',
      params: named,
      body: editDeploymentSchema,
      handler: async ({ params, body, principal }) => json(await deployments.edit(params.name, body, principal!)),
    }),
    change('pause', 'pauses: the session stops sending orders and keeps its positions'),
    change('resume', 'resumes a paused deployment'),
    change('stop', 'stops for good: the session ends (open orders canceled), the deployment stays readable'),
    route({
      method: 'POST',
      path: `${BASE}/{name}/emergency-stop`,
      role: 'operator',
      unlimited: true,
      tag: 'emergency',
      summary: 'EMERGENCY_STOP: halts at once, cancels every open order, closes every position at market (flatten: false keeps them); stays until a reset',
      params: named,
      body: emergencyStopSchema,
      handler: async ({ params, body, principal }) => json(await deployments.emergencyStop(params.name, body.confirm, principal!, body)),
    }),
    route({
      method: 'POST',
      path: `${BASE}/{name}/reset`,
      role: 'operator',
      tag: 'emergency',
      summary: 'ends an EMERGENCY_STOP: the deployment returns to PAPER with a fresh paper run',
      params: named,
      body: confirmSchema,
      handler: async ({ params, body, principal }) => json(await deployments.reset(params.name, body.confirm, principal!)),
    }),
    route({
      method: 'POST',
      path: '/api/v1/kill',
      role: 'operator',
      unlimited: true,
      tag: 'emergency',
      summary: 'kill-all: EMERGENCY_STOP on every deployment (confirm "ALL")',
      body: killAllSchema,
      handler: async ({ body, principal }) => json(await deployments.killAll(body.confirm, principal!, body)),
    }),
    read('/status', 'mode, status, the session (running, restarts, last error), breaker level and its recent changes, last prices, positions, equity and data quality per source', async (name) => {
      const { deployment, journal: j } = await journal(name, ['breakerEvents']);
      const session = context.sessions?.state(name);
      const live = session?.live;
      const breaker = breakerOf(j);
      return {
        name,
        mode: deployment.mode,
        status: deployment.status,
        runId: deployment.runId,
        session: session === undefined ? null : { running: session.running, since: session.since, restarts: session.restarts, lastError: session.lastError },
        breaker: live === undefined ? breaker : { ...breaker, level: live.status().breakerLevel },
        market: live === undefined ? null : live.status(),
        dataQuality: live === undefined ? null : live.dataQuality(),
      };
    }),
    read('/positions', 'positions held (from the journal)', async (name) => positionsOf((await journal(name, ['fills'])).journal)),
    read('/orders', 'open orders (from the journal)', async (name) => openOrdersOf((await journal(name, ['orders'])).journal)),
    read('/fills', 'every fill, oldest first', async (name) => (await journal(name, ['fills'])).journal.fills),
    read('/pnl', 'equity, P&L and the equity curve', async (name) => {
      const { deployment, journal: j } = await journal(name, ['equity']);
      return pnlOf(j, deployment.capital);
    }),
    read('/risk', `exposure, and VaR, ES and correlation of the positions held (from the last ${RISK_WINDOW_BARS.toLocaleString('en-US')} journaled bars of each symbol)`, async (name) => {
      const { deployment, journal: j } = await journal(name, ['fills', 'bars', 'equity'], (d) => ({ bars: RISK_WINDOW_BARS * Math.max(1, d.symbols.length), equity: 1 }));
      return riskOf(j, deployment.capital);
    }),
  ];
}
