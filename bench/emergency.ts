// Bench: the big red button under `traider serve` (its own process, SQLite store) with paper deployments trading on
// the local exchange at 300x, and a WebSocket client on /api/v1/events timing everything from the outside:
//   haltMs              from sending POST /api/v1/kill to its answer: every session's kill switch trips inside the
//                       request, before the records are written, so the answer comes after the last halt;
//   haltJournaledMs     to the last session's HALT_ALL_TRADING event (published once its journal write is durable);
//   flattenSubmittedMs  from the same moment to the last closing order's SUBMITTED event (every held position);
//   eventToClientP99Ms  99th percentile of (client receipt - server publish time) over every event of the run.
// Client and server share the machine's wall clock. The reference for the event latency is a WebSocket echo of the
// same messages from a bare `ws` server in its own process: the ratio is what the event path costs on top.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { started } from './child-url.ts';
import WebSocket from 'ws';
import { startExchangeSim } from '../src/exchange-sim/index.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin/traider.js');
const DATA = join(ROOT, 'data/BTCUSDT-1m-2021-02-19_2021-02-25.csv');
const HOLDERS = 4;
const TRADERS = 4;

interface HubEvent {
  seq: number;
  time: number;
  deployment: string;
  type: string;
  data: Record<string, unknown>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
const round = (x: number): number => Math.round(x * 100) / 100;

/** Reference: a bare ws server in its own process sends timestamped messages; latency as measured the same way. */
const REFERENCE = `
const { WebSocketServer } = require(process.argv[1]);
const server = new WebSocketServer({ host: '127.0.0.1', port: 0 }, () => process.stdout.write('http://127.0.0.1:' + server.address().port + '\\n'));
server.on('connection', (socket) => {
  let seq = 0;
  const timer = setInterval(() => { for (let i = 0; i < 5; i++) socket.send(JSON.stringify({ seq: ++seq, time: Date.now(), deployment: 'x', type: 'equity', data: { equity: 1, cash: 1 } })); if (seq >= 2000) clearInterval(timer); }, 5);
});
`;

async function referenceLatencies(): Promise<number[]> {
  const child = spawn(process.execPath, ['-e', REFERENCE, join(ROOT, 'node_modules/ws')], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const url = (await started(child)).replace('http', 'ws');
    const latencies: number[] = [];
    await new Promise<void>((resolve, reject) => {
      const socket = new WebSocket(url);
      socket.on('message', (raw) => {
        const event = JSON.parse(raw.toString()) as HubEvent;
        latencies.push(Date.now() - event.time);
        if (event.seq >= 2000) socket.close();
      });
      socket.once('close', () => resolve());
      socket.once('error', reject);
    });
    return latencies;
  } finally {
    child.kill('SIGTERM');
  }
}

export async function benchEmergency(): Promise<Record<string, number | string>> {
  const dir = mkdtempSync(join(tmpdir(), 'traider-bench-kill-'));
  const db = join(dir, 'serve.db');
  const exchange = await startExchangeSim({ data: [DATA], speed: 300, seed: 1, startTime: Date.UTC(2021, 1, 21) });
  let server: ChildProcess | undefined;
  let socket: WebSocket | undefined;
  try {
    const issued = spawnSync(process.execPath, [BIN, 'tokens', 'create', '--name', 'bench', '--role', 'operator', '--db', db], { encoding: 'utf8' });
    if (issued.status !== 0) throw new Error(`tokens create failed: ${issued.stderr}`);
    const token = issued.stdout.trim().split('\n').at(-1)!;
    server = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--db', db], { stdio: ['ignore', 'pipe', 'ignore'] });
    const url = await started(server);
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const call = async (method: string, path: string, body?: unknown) => {
      const response = await fetch(`${url}/api/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
      return response.json() as Promise<any>;
    };

    const events: HubEvent[] = [];
    const latencies: number[] = [];
    socket = new WebSocket(`${url.replace('http', 'ws')}/api/v1/events`, { headers: { authorization: headers.authorization } });
    socket.on('message', (raw) => {
      const received = Date.now();
      const message = JSON.parse(raw.toString()) as HubEvent;
      if (message.seq === undefined || message.type === 'hello' || message.type === 'gap') return;
      latencies.push(received - message.time);
      events.push(message);
    });
    await new Promise((resolve, reject) => (socket!.once('open', resolve), socket!.once('error', reject)));

    const names: string[] = [];
    for (let i = 0; i < HOLDERS + TRADERS; i++) {
      const name = i < HOLDERS ? `hold-${i}` : `trade-${i}`;
      const strategy = i < HOLDERS ? { strategy: 'buy-and-hold', params: { fraction: 0.5 } } : { strategy: 'sma-cross', params: { fast: 2, slow: 4, fraction: 0.5 } };
      await call('POST', '/deployments', { name, ...strategy, symbols: ['BTC/USDT'], exchange: 'binance', url: exchange.url, confirm: name });
      names.push(name);
    }
    // Until every holder holds its position, and a few more seconds of trading for the event stream.
    let held: boolean[] = [];
    for (let i = 0; i < 300 && !held.every(Boolean); i++) {
      if (i > 0) await sleep(200);
      held = await Promise.all(names.slice(0, HOLDERS).map(async (name) => (await call('GET', `/deployments/${name}/positions`)).length > 0));
    }
    if (!held.every(Boolean)) throw new Error(`kill-all bench: ${held.filter((h) => !h).length} of ${HOLDERS} buy-and-hold deployments hold nothing after 60 s`);
    await sleep(5_000);
    const holding = new Set<string>();
    for (const name of names) if ((await call('GET', `/deployments/${name}/positions`)).length > 0) holding.add(name);
    const running = new Set<string>();
    for (const name of names) if ((await call('GET', `/deployments/${name}/status`)).session?.running) running.add(name);

    const t0 = Date.now();
    await call('POST', '/kill', { confirm: 'ALL' });
    const answered = Date.now() - t0;
    const halted = new Map<string, number>();
    const submitted = new Map<string, number>();
    for (let i = 0; i < 200; i++) {
      for (const e of events) {
        if (e.time < t0) continue;
        if (e.type === 'breaker' && e.data.level === 'HALT_ALL_TRADING' && !halted.has(e.deployment)) halted.set(e.deployment, e.time - t0);
        if (e.type === 'order' && e.data.kind === 'SUBMITTED' && e.data.side === 'SELL' && e.data.orderType === 'MARKET' && !submitted.has(e.deployment)) submitted.set(e.deployment, e.time - t0);
      }
      if ([...running].every((n) => halted.has(n)) && [...holding].every((n) => !running.has(n) || submitted.has(n))) break;
      await sleep(100);
    }
    const missingHalt = [...running].filter((n) => !halted.has(n));
    const missingClose = [...holding].filter((n) => running.has(n) && !submitted.has(n));
    if (missingHalt.length > 0 || missingClose.length > 0) throw new Error(`kill-all: no halt from ${missingHalt.join(', ') || '-'}; no closing order from ${missingClose.join(', ') || '-'}`);
    await sleep(1_000);
    const sorted = [...latencies].sort((a, b) => a - b);
    const reference = (await referenceLatencies()).sort((a, b) => a - b);
    const eventP99 = percentile(sorted, 0.99);
    const referenceP99 = percentile(reference, 0.99);
    return {
      haltMs: answered,
      haltJournaledMs: Math.max(...halted.values()),
      flattenSubmittedMs: Math.max(...submitted.values()),
      killDeployments: names.length,
      killHalted: halted.size,
      killClosed: submitted.size,
      eventToClientP99Ms: eventP99,
      eventToClientP50Ms: percentile(sorted, 0.5),
      eventsMeasured: sorted.length,
      eventReferenceP99Ms: referenceP99,
      eventP99RatioToBareWs: round(eventP99 / Math.max(1, referenceP99)),
      clockResolution: 'wall ms (Date.now on both sides)',
    };
  } finally {
    socket?.close();
    server?.kill('SIGTERM');
    await sleep(1_000);
    await exchange.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
