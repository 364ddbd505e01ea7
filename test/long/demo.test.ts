// The README's first command as a user runs it: `traider demo` starts the local exchange and the service with a paper deployment,
// prints every fill, and ends with a summary that says what it still holds. The position it reports is checked
// against the fills it printed (BUY adds, SELL subtracts), in the text and the --json forms. About 40 s: test:long.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliAsync } from '../cli/run-cli.ts';

/** The net quantity of each symbol from the printed fill lines: `fill BUY 0.03587 BTC/USDT @ ...`. */
function netFromFillLines(text: string): Map<string, number> {
  const net = new Map<string, number>();
  for (const m of text.matchAll(/^fill (BUY|SELL) ([\d.]+) (\S+) @ /gm)) {
    const signed = (m[1] === 'BUY' ? 1 : -1) * Number(m[2]);
    net.set(m[3]!, Math.round(((net.get(m[3]!) ?? 0) + signed) * 1e8) / 1e8);
  }
  return net;
}

describe('traider demo', () => {
  it('prints its fills and a summary whose open positions are what those fills leave', async () => {
    const run = await runCliAsync(['demo', '--duration', '15', '--port', '0']);
    expect(run.code, run.stderr).toBe(0);
    const held = [...netFromFillLines(run.stdout)].filter(([, quantity]) => quantity !== 0);
    expect(run.stdout).toMatch(/^trading +\d+ orders, [1-9]\d* fills/m);
    if (held.length === 0) {
      expect(run.stdout).toMatch(/^positions +none open at the end/m);
    } else {
      const [symbol, quantity] = held[0]!;
      expect(run.stdout).toContain(`the demo ended holding ${quantity} ${symbol} (average price`);
      expect(run.stdout).toMatch(new RegExp(`^positions +${held.length} still open at the end`, 'm'));
      expect(run.stdout).toMatch(new RegExp(`^  ${symbol.replace('/', '\\/')} ${quantity} @ average [\\d.]+, last price [\\d.]+, value [\\d.]+ USDT$`, 'm'));
    }
  });

  it('--json: the last stdout line is the summary, with fills and the open positions its journaled fills leave', async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'traider-demo-')), 'demo.db');
    const run = await runCliAsync(['demo', '--duration', '15', '--json', '--port', '0', '--db', db]);
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as { fills: number; openPositions: { symbol: string; quantity: number }[] };
    expect(summary.fills).toBeGreaterThan(0);
    const listed = JSON.parse((await runCliAsync(['runs', 'list', '--db', db, '--json'])).stdout) as { id: string }[];
    expect(listed).toHaveLength(1);
    const shown = JSON.parse((await runCliAsync(['runs', 'show', listed[0]!.id, '--db', db, '--json'])).stdout) as { journal: { fills: { symbol: string; side: string; quantity: number }[] } };
    expect(shown.journal.fills).toHaveLength(summary.fills);
    const net = new Map<string, number>();
    for (const f of shown.journal.fills) net.set(f.symbol, Math.round(((net.get(f.symbol) ?? 0) + (f.side === 'BUY' ? 1 : -1) * f.quantity) * 1e8) / 1e8);
    const held = [...net].filter(([, quantity]) => quantity !== 0).map(([symbol, quantity]) => ({ symbol, quantity }));
    expect(summary.openPositions.map(({ symbol, quantity }) => ({ symbol, quantity }))).toEqual(held);
    // The store keeps the demo's deployment: a second demo on it is refused (its server would start that one too).
    const again = await runCliAsync(['demo', '--duration', '1', '--port', '0', '--db', db]);
    expect(again.stderr).toContain(`error: --db: ${db} holds deployments already (demo)`);
    expect(again.code).toBe(1);
    rmSync(dirname(db), { recursive: true, force: true });
  });
});
