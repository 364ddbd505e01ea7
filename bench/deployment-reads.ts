// Bench: a deployment's read views over a month of 1m bars journaled in SQLite (43,200 bars and equity points,
// 2,000 fills). Each view reads only the journal tables it shows (risk: a window of recent bars and the last equity
// point; an emergency close: orders, fills, the latest bars and equity point); the reference is the whole journal
// read, what every view read before. Reported: the median ms of each over repeated reads, and the ratio to the whole.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type JournalTails, journalOf, RISK_WINDOW_BARS } from '../src/app/deployments/index.ts';
import { openJournal } from '../src/app/store/index.ts';
import { type BarRecord, type DeploymentRecord, type EquityRecord, type FillRecord, type JournalPart, LiveClock, RunKind } from '../src/common/index.ts';

const BARS = 43_200;
const FILLS = 2_000;
const READS = 15;
const T0 = Date.UTC(2024, 0, 1);
const MINUTE = 60_000;

export interface DeploymentReadsBench {
  bars: number;
  fills: number;
  /** Median ms of reading the whole journal (what every view did before). */
  wholeJournalMs: number;
  /** Median ms of each view's own reads, and their ratio to the whole journal. */
  views: Record<string, { ms: number; ratioToWhole: number }>;
}

const VIEWS: Record<string, { parts: readonly JournalPart[]; tails?: JournalTails }> = {
  status: { parts: ['breakerEvents'] },
  positions: { parts: ['fills'] },
  orders: { parts: ['orders'] },
  pnl: { parts: ['equity'] },
  risk: { parts: ['fills', 'bars', 'equity'], tails: { bars: RISK_WINDOW_BARS, equity: 1 } },
  // as closingJournalOf reads it for one symbol (src/app/emergency/paper-close.ts)
  emergencyClose: { parts: ['orders', 'fills', 'bars', 'equity'], tails: { bars: 100, equity: 1 } },
};

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

export async function benchDeploymentReads(): Promise<DeploymentReadsBench> {
  const dir = mkdtempSync(join(tmpdir(), 'traider-bench-reads-'));
  const { store, journal, close } = await openJournal(join(dir, 'reads.db'), { clock: new LiveClock() });
  try {
    const runId = await journal.createRun({ kind: RunKind.Paper, strategy: 'sma-cross', symbols: ['BTC/USDT'] });
    const bars: BarRecord[] = [];
    const equity: EquityRecord[] = [];
    for (let i = 0; i < BARS; i++) {
      const close = 50_000 + Math.round(Math.sin(i / 50) * 50_000) / 100;
      bars.push({ runId, symbol: 'BTC/USDT', openTime: T0 + i * MINUTE, closeTime: T0 + (i + 1) * MINUTE, open: close, high: close + 5, low: close - 5, close, volume: 12.5, adjustmentFactor: null, preClose: null });
      equity.push({ runId, time: T0 + (i + 1) * MINUTE, equity: 10_000 + i / 100, cash: 9_000 });
    }
    const fills: FillRecord[] = [];
    for (let i = 0; i < FILLS; i++) {
      fills.push({
        runId, time: T0 + i * 20 * MINUTE, fillId: `F-${i}`, orderId: `O-${i}`, symbol: 'BTC/USDT', side: i % 2 === 0 ? 'BUY' : 'SELL', price: 50_000, quantity: 0.01,
        notional: 50_000_000_000n, fee: 50_000_000n, tax: 0n, liquidity: 'TAKER', referencePrice: 50_000, impactBps: 0, slippageBps: 0, reducedForCash: false,
      });
    }
    for (let i = 0; i < BARS; i += 5_000) {
      await journal.appendBars(bars.slice(i, i + 5_000));
      await journal.appendEquity(equity.slice(i, i + 5_000));
    }
    await journal.appendFills(fills);
    const deployment = { runId } as DeploymentRecord;
    const time = async (parts?: readonly JournalPart[], tails?: JournalTails): Promise<number> => {
      const ms: number[] = [];
      for (let r = 0; r < READS; r++) {
        const t0 = performance.now();
        await journalOf(store, deployment, parts, tails);
        ms.push(performance.now() - t0);
      }
      return median(ms);
    };
    const wholeJournalMs = await time();
    const views: DeploymentReadsBench['views'] = {};
    for (const [view, { parts, tails }] of Object.entries(VIEWS)) {
      const ms = await time(parts, tails);
      views[view] = { ms: Number(ms.toFixed(2)), ratioToWhole: Number((ms / wholeJournalMs).toFixed(4)) };
    }
    return { bars: BARS, fills: FILLS, wholeJournalMs: Number(wholeJournalMs.toFixed(2)), views };
  } finally {
    await close();
    rmSync(dir, { recursive: true, force: true });
  }
}
