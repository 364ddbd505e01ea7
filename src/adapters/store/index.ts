// The store adapters: SQLite (embedded default) and PostgreSQL (production), one schema and one contract.
export { openPostgresStore, PostgresStore, redactUrl, type PostgresStoreOptions } from './postgres-store.ts';
export { openSqliteStore, SqliteStore, type SqliteStoreOptions } from './sqlite-store.ts';
export { MIGRATIONS, SCHEMA_VERSION } from './schema.ts';
