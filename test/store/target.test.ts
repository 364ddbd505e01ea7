// --db targets: SQLite paths and postgres:// URLs, everything else refused before any I/O.
import { describe, expect, it } from 'vitest';
import { DEFAULT_DB_PATH, parseStoreTarget, resolveStoreTarget } from '../../src/app/store/index.ts';
import { StoreErrorCode } from '../../src/common/store.ts';

describe('store targets', () => {
  it('takes --db first, then TRAIDER_DB, then ./traider-data/traider.db', () => {
    expect(resolveStoreTarget('a.db', { TRAIDER_DB: 'b.db' })).toBe('a.db');
    expect(resolveStoreTarget(undefined, { TRAIDER_DB: 'b.db' })).toBe('b.db');
    expect(resolveStoreTarget(undefined, { TRAIDER_DB: '' })).toBe(DEFAULT_DB_PATH);
    expect(DEFAULT_DB_PATH).toBe('./traider-data/traider.db');
  });

  it('reads paths, sqlite: and file: URLs as SQLite files', () => {
    expect(parseStoreTarget('data/x.db')).toEqual({ dialect: 'sqlite', path: 'data/x.db' });
    expect(parseStoreTarget('sqlite:data/x.db')).toEqual({ dialect: 'sqlite', path: 'data/x.db' });
    expect(parseStoreTarget('sqlite:///tmp/x.db')).toEqual({ dialect: 'sqlite', path: '/tmp/x.db' });
    expect(parseStoreTarget('file:///tmp/x.db')).toEqual({ dialect: 'sqlite', path: '/tmp/x.db' });
  });

  it('reads postgres:// and postgresql:// URLs as PostgreSQL', () => {
    expect(parseStoreTarget('postgres://u:p@db.example:5433/traider')).toEqual({ dialect: 'postgres', url: 'postgres://u:p@db.example:5433/traider' });
    expect(parseStoreTarget('postgresql://localhost/traider').dialect).toBe('postgres');
  });

  it.each([
    ['', /empty/],
    ['   ', /empty/],
    ['mysql://u@host/db', /unsupported scheme mysql:/],
    ['postgres://u:secret@host:notaport/db', /not a valid PostgreSQL URL/],
    ['postgres:host/db', /expected postgres:\/\/host\/database/],
    ['sqlite:', /no file path/],
    ['data/', /names a directory/],
  ])('refuses %j with a clear message', (target, message) => {
    let error: unknown;
    try {
      parseStoreTarget(target);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ name: 'StoreError', code: StoreErrorCode.BadUrl, message: expect.stringMatching(message) });
    expect((error as Error).message, 'never the password').not.toContain('secret');
  });
});
