// The audit trail: canonical JSON, the hash chain, its verification and export, and the journal writer.
export { canonicalJson } from './canonical-json.ts';
export { entryHash, entryText, GENESIS_HASH, type AuditFields } from './chain.ts';
export { AuditBreak, verifyAuditLog, type AuditVerification, type VerifyOptions } from './verify.ts';
export { AuditExportFormat, auditCsvHeader, auditCsvRow, auditJsonLine } from './export.ts';
export { AuditLog, type AuditAppend, type AuditReceipt } from './audit-log.ts';
export { Journal, type ChangeAudit, type JournalChange, type JournalOptions, type NewRun, type RunFinish } from './journal.ts';
export { barRecord, breakerRecord, fillRecord, orderDenialRecord, orderEventRecord, type BreakerChange } from './records.ts';
export { RECORD_RULES, checkRecords, checkTokensAndDeployments } from './validate.ts';
