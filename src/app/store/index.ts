// Store use-cases shared by the CLI and the server: open a store, read runs back, verify and export the audit log.
export { exportAudit, verifyAudit, type AuditExportRequest } from './audit.ts';
export { DB_ENV, DEFAULT_DB_PATH, openJournal, openStore, parseStoreTarget, resolveStoreTarget, type OpenJournalOptions, type OpenStoreOptions, type StoreTarget } from './open-store.ts';
export { listRuns, moneyReplacer, RunNotFoundError, showRun, type RunDetail, type RunListing } from './runs.ts';
