// Audit export formats: a JSON array with one entry per line, or CSV; payloads exactly as stored and hashed.
import type { AuditEntry } from '../common/index.ts';

export const AuditExportFormat = { Json: 'json', Csv: 'csv' } as const;
export type AuditExportFormat = (typeof AuditExportFormat)[keyof typeof AuditExportFormat];

/**
 * One entry as a JSON object. The stored payload text is spliced in unparsed, so the exported
 * bytes of `payload` are the hashed bytes and the export can be verified on its own.
 */
export function auditJsonLine(entry: AuditEntry): string {
  return `{"seq":${entry.seq},"time":${entry.time},"actor":${JSON.stringify(entry.actor)},"kind":${JSON.stringify(entry.kind)},"payload":${entry.payload},"prevHash":"${entry.prevHash}","hash":"${entry.hash}"}`;
}

export const auditCsvHeader = 'seq,time,time_utc,actor,kind,payload,prev_hash,hash';

function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV line (RFC 4180 quoting); time_utc is the ISO form of time for people reading it. */
export function auditCsvRow(entry: AuditEntry): string {
  return [String(entry.seq), String(entry.time), new Date(entry.time).toISOString(), csvField(entry.actor), csvField(entry.kind), csvField(entry.payload), entry.prevHash, entry.hash].join(',');
}
