// Audit use-cases: verify the chain of a store, export a range of it.
import { AuditExportFormat, auditCsvHeader, auditCsvRow, auditJsonLine, verifyAuditLog, type AuditVerification } from '../../audit/index.ts';
import type { AuditReader } from '../../common/index.ts';

export function verifyAudit(store: AuditReader): Promise<AuditVerification> {
  return verifyAuditLog(store);
}

export interface AuditExportRequest {
  readonly format: AuditExportFormat;
  /** Time range [fromTime, toTime), UTC ms. */
  readonly fromTime?: number;
  readonly toTime?: number;
  /** Seq range, both ends included. */
  readonly fromSeq?: number;
  readonly toSeq?: number;
  /** Entries per query (default 5000). */
  readonly pageSize?: number;
}

/** Streams the selected entries to `write` in seq order; returns how many were written. */
export async function exportAudit(store: AuditReader, request: AuditExportRequest, write: (chunk: string) => void | Promise<void>): Promise<number> {
  const pageSize = request.pageSize ?? 5000;
  const json = request.format === AuditExportFormat.Json;
  let afterSeq = Math.max(0, (request.fromSeq ?? 1) - 1);
  let count = 0;
  await write(json ? '[' : `${auditCsvHeader}\n`);
  for (;;) {
    const page = await store.readAudit({ afterSeq, limit: pageSize, toSeq: request.toSeq, fromTime: request.fromTime, toTime: request.toTime });
    if (page.length === 0) break;
    const lines = page.map(json ? auditJsonLine : auditCsvRow);
    await write(json ? `${count === 0 ? '\n' : ',\n'}${lines.join(',\n')}` : `${lines.join('\n')}\n`);
    count += page.length;
    afterSeq = page[page.length - 1]!.seq;
    if (page.length < pageSize) break;
  }
  if (json) await write(count === 0 ? ']\n' : '\n]\n');
  return count;
}
