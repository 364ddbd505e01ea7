// `traider exchange-sim` as a user runs it: one listening line on stderr, serves, stops cleanly on SIGTERM.
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DATA } from './helpers.ts';

const BIN = fileURLToPath(new URL('../../bin/traider.js', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

describe('traider exchange-sim', () => {
  it('prints where it listens, serves the default test account, and exits 0 on SIGTERM', async () => {
    const child = spawn(process.execPath, [BIN, 'exchange-sim', '--port', '0', '--data', DATA, '--seed', '1', '--speed', '120'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const deadline = Date.now() + 30_000;
      while (!/listening on http:\/\/127\.0\.0\.1:\d+/.test(stderr) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      const line = stderr.trim().split('\n')[0]!;
      expect(line).toMatch(/^exchange-sim listening on http:\/\/127\.0\.0\.1:\d+ \(data BTCUSDT-1m-2021-02-19_2021-02-25\.csv, speed 120x\)$/);
      const url = /http:\/\/127\.0\.0\.1:\d+/.exec(line)![0];
      const time = (await (await fetch(`${url}/api/v3/time`)).json()) as { serverTime: number };
      expect(time.serverTime).toBeGreaterThanOrEqual(1613692800000);
      const state = (await (await fetch(`${url}/admin/state`)).json()) as { accounts: Array<{ apiKey: string; balances: Record<string, { free: string }> }> };
      expect(state.accounts[0]!.apiKey).toBe('test-key');
      expect(state.accounts[0]!.balances).toMatchObject({ USDT: { free: '100000.00000000' }, BTC: { free: '1.00000000' }, ETH: { free: '10.00000000' } });
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });

  it('rejects a bad fault spec as a usage error', () => {
    const result = spawnSync(process.execPath, [BIN, 'exchange-sim', '--port', '0', '--data', DATA, '--faults', 'meteor=1'], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--faults: unknown fault "meteor"');
  });
});
