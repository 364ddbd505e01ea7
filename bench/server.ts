// Bench: API latency of `traider serve` under 100 concurrent clients. The server runs as its own process (as in
// production) over a SQLite store; 100 clients in this process each send requests back to back, every one with a
// bearer token (so authentication, the role check and a store read are in every request). The reference is a
// plain node:http server in its own process answering a JSON body of the same size with no auth and no store:
// the ratio is what the API's layers cost on top of the HTTP round trip itself.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, get as httpGet } from 'node:http';
import { fileURLToPath } from 'node:url';
import { started } from './child-url.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin/traider.js');
const CLIENTS = 100;
const REQUESTS_PER_CLIENT = 40;

const REFERENCE_SERVER = `
const http = require('node:http');
let body = '';
const server = http.createServer((req, res) => { res.writeHead(200, { 'content-type': 'application/json' }); res.end(body); });
server.listen(0, '127.0.0.1', () => { body = process.argv[1]; process.stdout.write('http://127.0.0.1:' + server.address().port + '\\n'); });
`;

/** One GET over a keep-alive agent; resolves with the status once the whole body is read. */
function get(agent: Agent, url: URL, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = httpGet({ agent, host: url.hostname, port: url.port, path: url.pathname + url.search, headers }, (response) => {
      response.resume();
      response.once('end', () => resolve(response.statusCode ?? 0));
    });
    request.once('error', reject);
  });
}

/** Latencies (ms) of CLIENTS clients (one keep-alive connection each) each sending REQUESTS_PER_CLIENT requests back to back. */
async function load(target: string, headers: Record<string, string>): Promise<number[]> {
  const url = new URL(target);
  const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
  const latencies: number[] = [];
  const client = async (): Promise<void> => {
    for (let i = 0; i < REQUESTS_PER_CLIENT; i++) {
      const t0 = performance.now();
      const status = await get(agent, url, headers);
      if (status !== 200) throw new Error(`${target}: ${status}`);
      latencies.push(performance.now() - t0);
    }
  };
  try {
    await Promise.all(Array.from({ length: CLIENTS }, client));
  } finally {
    agent.destroy();
  }
  return latencies;
}

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
const round = (x: number): number => Math.round(x * 100) / 100;

export async function benchServer(): Promise<Record<string, number | number[]>> {
  const dir = mkdtempSync(join(tmpdir(), 'traider-bench-server-'));
  const db = join(dir, 'serve.db');
  const children: ChildProcess[] = [];
  try {
    const issued = spawnSync(process.execPath, [BIN, 'tokens', 'create', '--name', 'bench', '--role', 'viewer', '--db', db], { encoding: 'utf8' });
    if (issued.status !== 0) throw new Error(`tokens create failed: ${issued.stderr}`);
    const token = issued.stdout.trim().split('\n').at(-1)!;
    // The bench's one token sends ~8,000 requests a round: far above the default budget of 1,200 a minute.
    const server = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--db', db, '--rate-limit-token', '1000000000'], { stdio: ['ignore', 'pipe', 'inherit'] });
    children.push(server);
    const url = await started(server);
    const headers = { authorization: `Bearer ${token}` };
    const sample = await (await fetch(`${url}/api/v1/deployments`, { headers })).text();
    const reference = spawn(process.execPath, ['-e', REFERENCE_SERVER, sample.padEnd(64, ' ')], { stdio: ['ignore', 'pipe', 'inherit'] });
    children.push(reference);
    const referenceUrl = await started(reference);
    // Warm both up (JIT, connections, the token check's cache), then three rounds, the API and the reference
    // alternating; each round's p99 over 8,000 requests, the median round reported (the others beside it).
    await load(`${url}/api/v1/deployments`, headers);
    await load(referenceUrl, {});
    const rounds: { api: number[]; plain: number[] }[] = [];
    for (let round = 0; round < 3; round++) {
      const api = [...(await load(`${url}/api/v1/deployments`, headers)), ...(await load(`${url}/api/v1/runs?limit=10`, headers))].sort((a, b) => a - b);
      const plain = [...(await load(referenceUrl, {})), ...(await load(referenceUrl, {}))].sort((a, b) => a - b);
      rounds.push({ api, plain });
    }
    const p99s = rounds.map((r) => percentile(r.api, 0.99));
    const median = rounds[p99s.indexOf([...p99s].sort((a, b) => a - b)[1]!)]!;
    const apiP99 = percentile(median.api, 0.99);
    const plainP99 = percentile(median.plain, 0.99);
    return {
      apiP99MsAt100Clients: round(apiP99),
      apiP50MsAt100Clients: round(percentile(median.api, 0.5)),
      apiP99MsRounds: p99s.map(round),
      requestsPerRound: median.api.length,
      referenceP99Ms: round(plainP99),
      p99RatioToPlainHttp: round(apiP99 / plainP99),
    };
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 300));
    rmSync(dir, { recursive: true, force: true });
  }
}
