// Shared set-up: a simulator on a random port replaying the repo's BTC/USDT minute bars, and real ccxt clients.
import { randomBytes } from 'node:crypto';
import { connect as netConnect } from 'node:net';
import ccxt from 'ccxt';
import { pointCcxtAt, startExchangeSim, type ExchangeSimHandle, type ExchangeSimOptions } from '../../src/exchange-sim/index.ts';

export const DATA = 'data/BTCUSDT-1m-2021-02-19_2021-02-25.csv';

export function startSim(options: Partial<ExchangeSimOptions> = {}): Promise<ExchangeSimHandle> {
  return startExchangeSim({ data: [DATA], port: 0, seed: 7, ...options });
}

const CCXT_OPTIONS = { fetchMarkets: ['spot'], fetchCurrencies: false };

/** A REST ccxt binance client pointed at the simulator. */
export function restClient(sim: ExchangeSimHandle, credentials: { apiKey?: string; secret?: string } = { apiKey: 'test-key', secret: 'test-secret' }) {
  const exchange = new ccxt.binance({ ...credentials, options: { ...CCXT_OPTIONS } });
  pointCcxtAt(exchange as unknown as { urls: { api: Record<string, unknown> } }, sim.port);
  return exchange;
}

/** A ccxt.pro binance client (REST and WebSocket) pointed at the simulator. */
export async function proClient(sim: ExchangeSimHandle) {
  const exchange = new ccxt.pro.binance({ apiKey: 'test-key', secret: 'test-secret', options: { ...CCXT_OPTIONS } });
  pointCcxtAt(exchange as unknown as { urls: { api: Record<string, unknown> } }, sim.port);
  await exchange.loadHttpProxyAgent();
  return exchange;
}

/** A raw HTTP request to the simulator. */
export async function raw(sim: ExchangeSimHandle, method: string, path: string, options: { body?: string; headers?: Record<string, string> } = {}): Promise<{ status: number; json: unknown; text: string; headers: Headers }> {
  const response = await fetch(`${sim.url}${path}`, { method, ...(options.body !== undefined ? { body: options.body } : {}), headers: options.headers ?? {} });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, json, text, headers: response.headers };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** One figure of a ccxt balance, e.g. amount(balance, 'free', 'USDT'). */
export function amount(balance: unknown, kind: 'free' | 'used' | 'total', asset: string): number {
  return ((balance as Record<string, Record<string, number | undefined>>)[kind]?.[asset]) ?? 0;
}

export interface RawWs {
  /** Every JSON message received so far. */
  messages: unknown[];
  send(message: unknown): void;
  /** Resolve once at least `count` messages arrived (or reject after `timeoutMs`). */
  waitFor(count: number, timeoutMs?: number): Promise<unknown[]>;
  closed: Promise<void>;
  close(): void;
}

/** A bare-bones WebSocket client (test only): handshake, masked text frames out, frames in. */
export function rawWs(port: number, path: string): Promise<RawWs> {
  return new Promise((resolve, reject) => {
    const socket = netConnect(port, '127.0.0.1');
    const key = randomBytes(16).toString('base64');
    let buffer = Buffer.alloc(0);
    let open = false;
    const messages: unknown[] = [];
    const waiters: Array<() => void> = [];
    let closeResolve: () => void = () => {};
    const closed = new Promise<void>((r) => (closeResolve = r));
    socket.on('connect', () => {
      socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`);
    });
    socket.on('error', reject);
    socket.on('close', () => closeResolve());
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      if (!open) {
        const end = buffer.indexOf('\r\n\r\n');
        if (end < 0) return;
        if (!buffer.subarray(0, end).toString().startsWith('HTTP/1.1 101')) return reject(new Error(buffer.toString()));
        buffer = buffer.subarray(end + 4);
        open = true;
        resolve(client);
      }
      for (;;) {
        if (buffer.length < 2) return;
        let length = buffer[1]! & 0x7f;
        let offset = 2;
        if (length === 126) {
          if (buffer.length < 4) return;
          length = buffer.readUInt16BE(2);
          offset = 4;
        } else if (length === 127) {
          if (buffer.length < 10) return;
          length = Number(buffer.readBigUInt64BE(2));
          offset = 10;
        }
        if (buffer.length < offset + length) return;
        const opcode = buffer[0]! & 0x0f;
        const payload = buffer.subarray(offset, offset + length);
        buffer = buffer.subarray(offset + length);
        if (opcode === 0x1) {
          messages.push(JSON.parse(payload.toString('utf8')));
          for (const w of waiters.splice(0)) w();
        }
      }
    });
    const client: RawWs = {
      messages,
      send(message: unknown): void {
        const payload = Buffer.from(JSON.stringify(message));
        const mask = randomBytes(4);
        const header = payload.length < 126 ? Buffer.from([0x81, 0x80 | payload.length]) : Buffer.from([0x81, 0x80 | 126, payload.length >> 8, payload.length & 0xff]);
        const masked = Buffer.from(payload.map((b, i) => b ^ mask[i & 3]!));
        socket.write(Buffer.concat([header, mask, masked]));
      },
      async waitFor(count: number, timeoutMs = 5000): Promise<unknown[]> {
        const deadline = Date.now() + timeoutMs;
        while (messages.length < count) {
          if (Date.now() > deadline) throw new Error(`only ${messages.length} of ${count} messages`);
          await new Promise<void>((r) => {
            waiters.push(r);
            setTimeout(r, 100);
          });
        }
        return messages;
      },
      closed,
      close: () => socket.destroy(),
    };
  });
}
