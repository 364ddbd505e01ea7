// An in-memory audit log for unit tests of verification and export: rows that can be edited freely.
import { entryHash, GENESIS_HASH } from '../../src/audit/index.ts';
import type { AuditCheckpoint, AuditEntry, AuditQuery, AuditReader } from '../../src/common/store.ts';

export class MemoryAuditLog implements AuditReader {
  rows: AuditEntry[] = [];
  checkpoint: AuditCheckpoint | undefined = { count: 0, headSeq: 0, headHash: GENESIS_HASH, updatedAt: 0 };

  /** Appends correctly chained entries and advances the checkpoint. */
  append(n: number, payload: (i: number) => unknown = (i) => ({ i, amount: 1000 + i })): this {
    for (let k = 0; k < n; k++) {
      const last = this.rows[this.rows.length - 1];
      const seq = (last?.seq ?? 0) + 1;
      const fields = { seq, time: 1_700_000_000_000 + seq, actor: 'tester', kind: 'test', payload: JSON.stringify(payload(seq)) };
      const prevHash = last?.hash ?? GENESIS_HASH;
      this.rows.push({ ...fields, prevHash, hash: entryHash(fields, prevHash) });
    }
    const head = this.rows[this.rows.length - 1]!;
    this.checkpoint = { count: this.rows.length, headSeq: head.seq, headHash: head.hash, updatedAt: 0 };
    return this;
  }

  async readAudit(query: AuditQuery): Promise<AuditEntry[]> {
    return [...this.rows]
      .sort((a, b) => a.seq - b.seq)
      .filter((e) => e.seq > query.afterSeq && (query.toSeq === undefined || e.seq <= query.toSeq))
      .filter((e) => (query.fromTime === undefined || e.time >= query.fromTime) && (query.toTime === undefined || e.time < query.toTime))
      .slice(0, query.limit);
  }

  async findAuditByHash(hash: string): Promise<AuditEntry | undefined> {
    return this.rows.find((e) => e.hash === hash);
  }

  async findAuditByPrevHash(prevHash: string): Promise<AuditEntry | undefined> {
    return this.rows.find((e) => e.prevHash === prevHash);
  }

  async auditHead(): Promise<{ last: AuditEntry | undefined; checkpoint: AuditCheckpoint | undefined }> {
    return { last: [...this.rows].sort((a, b) => b.seq - a.seq)[0], checkpoint: this.checkpoint };
  }

  at(seq: number): AuditEntry {
    return this.rows.find((e) => e.seq === seq)!;
  }

  replace(seq: number, change: Partial<AuditEntry>): void {
    this.rows = this.rows.map((e) => (e.seq === seq ? { ...e, ...change } : e));
  }
}
