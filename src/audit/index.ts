// The audit trail: canonical JSON, the hash chain, its verification and export, and the journal writer.
export { canonicalJson } from './canonical-json.ts';
export { entryHash, entryText, GENESIS_HASH, type AuditFields } from './chain.ts';
export { AuditBreak, verifyAuditLog, type AuditVerification, type VerifyOptions } from './verify.ts';
export { AuditExportFormat, auditCsvHeader, auditCsvRow, auditJsonLine } from './export.ts';
export { AuditLog, Journal, type AuditAppend, type AuditReceipt, type JournalOptions, type NewRun, type RunFinish } from './journal.ts';
export { barRecord, breakerRecord, denialRecord, fillRecord, orderEventRecord, type BreakerChange } from './records.ts';
export { RECORD_RULES, checkRecords } from './validate.ts';
