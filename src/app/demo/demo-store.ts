// The store of `traider demo`: an operator token named `demo` and one PAPER deployment named `demo` of the demo
// strategy on the local exchange. Both are written before the server starts, which then starts the deployment's
// session like any other; the deployment is created through Deployments.create, as the API creates one.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DeploymentRecord, LiveClock } from '../../common/index.ts';
import { createDeploymentSchema, Deployments } from '../deployments/index.ts';
import { InputError } from '../errors/index.ts';
import { openJournal } from '../store/index.ts';
import { createToken, TokenVerifier } from '../tokens/index.ts';

/** The name of the demo's deployment and of its token. */
export const DEMO_NAME = 'demo';

/** The demo strategy: a fast moving-average cross, so a one-minute demo sees several trades. */
export const DEMO_STRATEGY = { name: 'sma-cross', params: { fast: 5, slow: 20, fraction: 0.5 } } as const;

/** Who the audit log names for what the demo writes before its server starts. */
const DEMO_ACTOR = 'traider demo';

export interface DemoStoreTarget {
  readonly db: string;
  /** Removes the temporary store (nothing for a store the user named). */
  cleanup(): void;
}

/** The store the demo serves: `db` when given (kept), else a SQLite file in a temporary folder removed by cleanup(). */
export function demoStoreTarget(db: string | undefined): DemoStoreTarget {
  if (db !== undefined) return { db, cleanup: () => {} };
  const folder = mkdtempSync(join(tmpdir(), 'traider-demo-'));
  return { db: join(folder, 'demo.db'), cleanup: () => rmSync(folder, { recursive: true, force: true }) };
}

/**
 * Refuses a store the demo cannot use: the server starts every active deployment of its store (a store with
 * deployments of its own is not a demo's), and the names `demo` must be free.
 */
export async function checkDemoStore(db: string): Promise<void> {
  const { store, close } = await openJournal(db);
  try {
    const deployments = await store.listDeployments();
    if (deployments.length > 0) {
      const names = deployments.map((d) => d.name).join(', ');
      throw new InputError('db', `${db} holds deployments already (${names}): the demo's server would start them too; give a new file, or leave --db out for a temporary one`, { value: db });
    }
    if ((await store.listTokens()).some((t) => t.name === DEMO_NAME)) {
      throw new InputError('db', `${db} holds a token named "${DEMO_NAME}" already: give a new file, or leave --db out for a temporary one`, { value: db });
    }
  } finally {
    await close();
  }
}

export interface DemoStoreRequest {
  readonly db: string;
  /** The local exchange the deployment trades on. */
  readonly exchangeUrl: string;
  /** Paper capital (the configuration's backtest.capital: --capital). */
  readonly capital: number;
}

export interface DemoStore {
  /** The operator token, as a client sends it (the store keeps only its hash). */
  readonly token: string;
  readonly deployment: DeploymentRecord;
}

/** Issues the operator token `demo`, then creates the deployment `demo` as that token (audited with it as the actor). */
export async function writeDemoStore(request: DemoStoreRequest): Promise<DemoStore> {
  const clock = new LiveClock();
  const { store, journal, close } = await openJournal(request.db, { clock });
  try {
    const { token } = await createToken(store, journal, clock, { name: DEMO_NAME, role: 'operator', actor: DEMO_ACTOR });
    // The principal the API would see for this token: the deployment is the token's doing, as over the API.
    const principal = await new TokenVerifier(store).verify(token);
    if (principal === undefined) throw new Error('the demo token just issued does not verify');
    const body = createDeploymentSchema.parse({
      name: DEMO_NAME,
      strategy: DEMO_STRATEGY.name,
      params: DEMO_STRATEGY.params,
      symbols: ['BTC/USDT'],
      exchange: 'binance',
      url: request.exchangeUrl,
      capital: request.capital,
      timeframe: '1m',
      mode: 'PAPER',
      confirm: DEMO_NAME,
    });
    const deployment = await new Deployments(store, journal, clock).create(body, principal);
    return { token, deployment };
  } finally {
    await close();
  }
}
