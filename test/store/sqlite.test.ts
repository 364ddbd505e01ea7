// The SQLite store: the shared contract, plus what only a file database has (paths, WAL, foreign files).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from '../../src/adapters/store/index.ts';
import { openStore } from '../../src/app/store/index.ts';
import { StoreErrorCode } from '../../src/common/store.ts';
import { storeContract } from './contract.ts';

const root = mkdtempSync(join(tmpdir(), 'traider-sqlite-'));
let files = 0;
afterAll(() => rmSync(root, { recursive: true, force: true }));

function exec(path: string, sql: string, params: unknown[] = []): Record<string, unknown>[] {
  mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  try {
    const statement = db.prepare(sql);
    if (statement.reader) return statement.all(...params) as Record<string, unknown>[];
    statement.run(...params);
    return [];
  } finally {
    db.close();
  }
}

storeContract({
  name: 'SQLite',
  dialect: 'sqlite',
  freshTarget: async () => join(root, `contract-${++files}`, 'traider.db'),
  exec: async (target, sql, params) => exec(target, sql, params),
  dropAuditTriggers: async (target) => {
    for (const row of exec(target, "SELECT name FROM sqlite_master WHERE type = 'trigger'")) exec(target, `DROP TRIGGER "${String(row.name)}"`);
  },
});

const sha = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('SQLite store files', () => {
  it('creates the file and its directories, in WAL mode with synchronous=FULL and foreign keys on', async () => {
    const path = join(root, 'new', 'nested', 'traider.db');
    const store = await openStore(path);
    await store.close();
    expect(existsSync(path)).toBe(true);
    const db = new Database(path);
    expect(db.pragma('journal_mode', { simple: true }), 'WAL: readers do not block the writer').toBe('wal');
    db.close();
    expect(exec(path, 'SELECT max(version) AS v FROM schema_migrations')).toEqual([{ v: SCHEMA_VERSION }]);
  });

  it('refuses a path under a regular file, creating nothing', async () => {
    const file = join(root, 'plain-file');
    writeFileSync(file, 'not a directory');
    await expect(openStore(join(file, 'sub', 'traider.db'))).rejects.toMatchObject({ code: StoreErrorCode.Unwritable, message: expect.stringContaining('is not a directory') });
    expect(readFileSync(file, 'utf8')).toBe('not a directory');
  });

  it('refuses a directory as the database', async () => {
    const dir = mkdtempSync(join(root, 'dir-'));
    await expect(openStore(dir)).rejects.toMatchObject({ code: StoreErrorCode.Unwritable, message: expect.stringContaining('is a directory') });
  });

  it('refuses a file that is not a SQLite database and leaves it as it was', async () => {
    const path = join(root, 'notes.txt');
    writeFileSync(path, 'x'.repeat(4096));
    const before = sha(path);
    await expect(openStore(path)).rejects.toMatchObject({ code: StoreErrorCode.NotADatabase });
    expect(sha(path), 'the file is untouched').toBe(before);
    expect(existsSync(`${path}-wal`)).toBe(false);
  });

  it('leaves a database from a newer schema byte for byte as it was', async () => {
    const path = join(root, 'newer.db');
    await (await openStore(path)).close();
    exec(path, 'INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [SCHEMA_VERSION + 5, 'future', 0]);
    exec(path, 'PRAGMA wal_checkpoint(TRUNCATE)');
    const before = sha(path);
    await expect(openStore(path)).rejects.toMatchObject({ code: StoreErrorCode.NewerSchema });
    expect(sha(path), 'nothing was written').toBe(before);
  });

  it('does not create a file for a reader pointed at a missing database', async () => {
    const path = join(root, 'missing', 'traider.db');
    await expect(openStore(path, { create: false })).rejects.toMatchObject({ code: StoreErrorCode.NotFound });
    expect(existsSync(join(root, 'missing')), 'no directory either').toBe(false);
  });
});
