// `traider serve`: one long-running process holding the HTTP API over a store. It stops on SIGTERM or SIGINT
// (closing the listener, then flushing the journal and closing the store).
import { Deployments, SessionHost } from '../app/deployments/index.ts';
import { openJournal } from '../app/store/index.ts';
import { TokenVerifier } from '../app/tokens/index.ts';
import { LiveClock } from '../common/index.ts';
import { buildServer } from './server.ts';

export interface ServeRequest {
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
}

export interface RunningServer {
  /** The address it listens on: http://host:port */
  readonly url: string;
  /** Resolves when the server has stopped and the store is closed. */
  readonly stopped: Promise<void>;
  stop(): Promise<void>;
}

export async function serve(request: ServeRequest): Promise<RunningServer> {
  const clock = new LiveClock();
  const { store, journal, close } = await openJournal(request.db, { clock });
  const deployments = new Deployments(store, journal, clock);
  const sessions = new SessionHost({ deployments, db: request.db, configFile: request.configFile, env: request.env, log: request.log });
  const { app } = buildServer({ store, journal, clock, verifier: new TokenVerifier(store), deployments, sessions, version: request.version, log: request.log });
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
