// Opening the store a request's `db`, TRAIDER_DB or the default names: a SQLite path or a postgres:// URL.
import { fileURLToPath } from 'node:url';
import { openPostgresStore, openSqliteStore, redactUrl } from '../../adapters/store/index.ts';
import { Journal, type JournalOptions } from '../../audit/index.ts';
import { type Clock, LiveClock, type Store, StoreErrorCode } from '../../common/index.ts';
import { fieldMention, InputError, inputText } from '../errors/index.ts';

/** Where paper and live sessions keep their journal unless told otherwise. */
export const DEFAULT_DB_PATH = './traider-data/traider.db';
export const DB_ENV = 'TRAIDER_DB';

export type StoreTarget = { readonly dialect: 'sqlite'; readonly path: string } | { readonly dialect: 'postgres'; readonly url: string };

/** The request's `db` (the --db flag), else TRAIDER_DB, else the default SQLite file. */
export function resolveStoreTarget(flag: string | undefined, env: Readonly<Record<string, string | undefined>> = {}): string {
  if (flag !== undefined) return flag;
  const fromEnv = env[DB_ENV];
  return fromEnv !== undefined && fromEnv !== '' ? fromEnv : DEFAULT_DB_PATH;
}

const USAGE = 'use a file path, sqlite:PATH or postgres://user:password@host:port/database';

/**
 * A `db` the store cannot take. An input error of the request's `db`, named and coded as the store's
 * errors are (StoreError, BAD_URL) for callers of the store API.
 */
export class StoreTargetError extends InputError {
  override name = 'StoreError';
  readonly code = StoreErrorCode.BadUrl;
}

/** Refuse a target; `shown` is the target as it may be shown (no password). */
function refuse(shown: string, rule: string): StoreTargetError {
  return new StoreTargetError('db', inputText`${fieldMention('db')} ${shown}: ${rule}`, { value: shown });
}

/** A path or URL to a target, refusing anything unclear before any I/O. */
export function parseStoreTarget(target: string): StoreTarget {
  const text = target.trim();
  if (text === '') throw new StoreTargetError('db', inputText`${fieldMention('db')} is empty: ${USAGE}`, { value: target });
  if (/^postgres(ql)?:/i.test(text)) {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      throw refuse(redactUrl(text), `not a valid PostgreSQL URL (${USAGE})`);
    }
    if (!text.slice(url.protocol.length).startsWith('//')) throw refuse(redactUrl(text), `expected ${url.protocol}//host/database`);
    if (url.port !== '' && !(Number(url.port) > 0)) throw refuse(redactUrl(text), 'port must be 1-65535');
    return { dialect: 'postgres', url: text };
  }
  let path = text;
  if (/^file:/i.test(text)) {
    try {
      path = fileURLToPath(text);
    } catch (error) {
      throw refuse(text, (error as Error).message);
    }
  } else if (/^sqlite:/i.test(text)) {
    path = text.replace(/^sqlite:(\/\/)?/i, '');
  } else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    throw refuse(redactUrl(text), `unsupported scheme ${text.slice(0, text.indexOf(':') + 1)} (${USAGE})`);
  }
  if (path === '') throw refuse(text, `no file path (${USAGE})`);
  if (/[/\\]$/.test(path)) throw refuse(text, `names a directory; give a file such as ${path}traider.db`);
  return { dialect: 'sqlite', path };
}

export interface OpenStoreOptions {
  /** Create the database and its schema when missing (writers, the default); readers pass false. */
  readonly create?: boolean;
  readonly clock?: Clock;
}

/** Opens the store and applies pending migrations. Errors are StoreErrors with a clear message (a bad target: StoreTargetError). */
export async function openStore(target: string, options: OpenStoreOptions = {}): Promise<Store> {
  const parsed = parseStoreTarget(target);
  const settings = { create: options.create ?? true, clock: options.clock ?? new LiveClock() };
  return parsed.dialect === 'postgres' ? openPostgresStore(parsed.url, settings) : openSqliteStore(parsed.path, settings);
}

export interface OpenJournalOptions extends Partial<JournalOptions> {
  readonly clock?: Clock;
}

/** A store and a journal over it; close() flushes the journal, then closes the store. */
export async function openJournal(target: string, options: OpenJournalOptions = {}): Promise<{ store: Store; journal: Journal; close(): Promise<void> }> {
  const clock = options.clock ?? new LiveClock();
  const store = await openStore(target, { create: true, clock });
  let journal: Journal;
  try {
    journal = await Journal.open(store, { ...options, clock });
  } catch (error) {
    await store.close();
    throw error;
  }
  return {
    store,
    journal,
    close: async () => {
      try {
        await journal.close();
      } finally {
        await store.close();
      }
    },
  };
}
