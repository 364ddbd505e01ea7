// `traider serve`: one long-running process holding the HTTP API over a store. It stops on SIGTERM or SIGINT
// (closing the listener, then flushing the journal and closing the store).
import { loadConfig } from '../app/config/index.ts';
import { Deployments, SessionHost, type SessionHostOptions } from '../app/deployments/index.ts';
import { followUpEmergency } from '../app/emergency/index.ts';
import type { DeploymentRecord } from '../common/index.ts';
import { connectEventHub, EventHub } from '../app/events/index.ts';
import { openJournal } from '../app/store/index.ts';
import { TokenVerifier } from '../app/tokens/index.ts';
import { LiveClock } from '../common/index.ts';
import { type EdgeRequest, prepareEdge } from './edge/index.ts';
import { buildServer } from './server.ts';

/** The edge fields (rate limits, TLS, insecureBind): docs/security.md. */
export interface ServeRequest extends EdgeRequest {
  readonly db: string;
  readonly host: string;
  readonly port: number;
  readonly version: string;
  /** Configuration file (JSON or YAML) under each deployment's own risk overrides. */
  readonly configFile?: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly log: (line: string) => void;
  /** Stops the server when aborted (the CLI aborts on SIGTERM and SIGINT). */
  readonly signal?: AbortSignal;
  /** A deployment's session finished, with its summary (`traider demo` reports its deployment's). */
  readonly onSessionFinished?: SessionHostOptions['onSessionFinished'];
}

export interface RunningServer {
  /** The address it listens on: http://host:port (https:// with TLS) */
  readonly url: string;
  /** Resolves when the server has stopped and the store is closed. */
  readonly stopped: Promise<void>;
  stop(): Promise<void>;
}

export async function serve(request: ServeRequest): Promise<RunningServer> {
  const edge = prepareEdge(request);
  if (edge.warning !== undefined) request.log(edge.warning);
  const clock = new LiveClock();
  const { store, journal, close } = await openJournal(request.db, { clock });
  const deployments = new Deployments(store, journal, clock);
  const events = new EventHub({ clock, log: request.log });
  connectEventHub(events, deployments);
  const takerBps = loadConfig({ file: request.configFile, env: request.env }).fees.crypto.takerBps;
  const afterEmergency = (d: DeploymentRecord, o: Parameters<typeof followUpEmergency>[2]) => followUpEmergency({ store, journal, clock, env: request.env, takerBps }, d, o);
  const sessions = new SessionHost({ deployments, onSessionEvent: (name, event) => events.publishSession(name, event), db: request.db, configFile: request.configFile, env: request.env, log: request.log, afterEmergency, onSessionFinished: request.onSessionFinished });
  const { app } = buildServer({ store, journal, clock, verifier: new TokenVerifier(store), deployments, sessions, events, edge: edge.settings, version: request.version, log: request.log });
  let address: string;
  try {
    address = await app.listen({ host: request.host, port: request.port });
  } catch (error) {
    await close();
    throw error;
  }
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      try {
        await app.close();
        await sessions.stopAll();
      } finally {
        await close();
      }
    })());
  request.signal?.addEventListener('abort', () => void stop(), { once: true });
  const url = address.replace('[::1]', '127.0.0.1');
  request.log(`traider serve: API on ${url}/api/v1 (OpenAPI: ${url}/api/v1/openapi.json), store ${store.location}`);
  await sessions.startAll();
  return { url, stopped: new Promise((resolve) => app.server.once('close', () => void (stopping ?? Promise.resolve()).then(() => resolve()))), stop };
}
