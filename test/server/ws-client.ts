// A WebSocket client of GET /api/v1/events for the tests: the real `ws` package over loopback. `ws` ships no types
// and the project has no @types/ws, so it is loaded through require with the few members the tests use typed here.
import { createRequire } from 'node:module';

interface RawSocket {
  on(event: 'open', listener: () => void): void;
  on(event: 'message', listener: (data: Buffer) => void): void;
  on(event: 'close', listener: (code: number, reason: Buffer) => void): void;
  on(event: 'error', listener: (error: Error) => void): void;
  on(event: 'unexpected-response', listener: (request: unknown, response: IncomingResponse) => void): void;
  pause(): void;
  resume(): void;
  close(): void;
}
interface IncomingResponse {
  readonly statusCode: number;
  on(event: 'data', listener: (chunk: Buffer) => void): void;
  on(event: 'end', listener: () => void): void;
}
const WebSocket = createRequire(import.meta.url)('ws') as new (url: string, options?: { headers?: Record<string, string> }) => RawSocket;

export interface EventClient {
  /** Every message received, parsed, in arrival order. */
  readonly messages: any[];
  /** Event messages only (those with a deployment). */
  events(): any[];
  /** Resolves once `done(messages)` holds (checked on every message); rejects if the socket closes first. */
  until(done: (messages: any[]) => boolean): Promise<void>;
  /** Resolves with the close code and reason once the server closed the socket. */
  readonly closed: Promise<{ code: number; reason: string }>;
  readonly socket: RawSocket;
  close(): Promise<void>;
}

export const wsUrl = (httpUrl: string, query = '', path = '/api/v1/events'): string => `${httpUrl.replace(/^http/, 'ws')}${path}${query}`;

/** Opens a client; `onMessage` runs on every message as it arrives (to publish while the client reads). */
export function openEvents(httpUrl: string, options: { token?: string; query?: string; onMessage?: (message: any) => void } = {}): Promise<EventClient> {
  const headers: Record<string, string> = options.token === undefined ? {} : { authorization: `Bearer ${options.token}` };
  const socket = new WebSocket(wsUrl(httpUrl, options.query), { headers });
  const messages: any[] = [];
  const waiters = new Set<() => void>();
  let closedWith: { code: number; reason: string } | undefined;
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.on('close', (code, reason) => {
      closedWith = { code, reason: reason.toString() };
      resolve(closedWith);
      for (const wake of [...waiters]) wake();
    }),
  );
  socket.on('message', (data) => {
    const message = JSON.parse(data.toString());
    messages.push(message);
    options.onMessage?.(message);
    for (const wake of [...waiters]) wake();
  });
  const client: EventClient = {
    messages,
    events: () => messages.filter((m) => typeof m.deployment === 'string'),
    until(done) {
      return new Promise<void>((resolve, reject) => {
        const check = (): void => {
          if (done(messages)) {
            waiters.delete(check);
            resolve();
          } else if (closedWith !== undefined) {
            waiters.delete(check);
            reject(new Error(`socket closed (${closedWith.code} ${closedWith.reason}) after ${messages.length} messages`));
          }
        };
        waiters.add(check);
        check();
      });
    },
    closed,
    socket,
    async close() {
      if (closedWith === undefined) socket.close();
      await closed;
    },
  };
  return new Promise((resolve, reject) => {
    socket.on('open', () => resolve(client));
    socket.on('error', reject);
    socket.on('unexpected-response', (_request, response) => reject(new Error(`upgrade refused with ${response.statusCode}`)));
  });
}

/** An upgrade request the server refuses: its HTTP status and JSON body. */
export function refusedUpgrade(httpUrl: string, options: { token?: string; query?: string; path?: string } = {}): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = options.token === undefined ? {} : { authorization: `Bearer ${options.token}` };
  const socket = new WebSocket(wsUrl(httpUrl, options.query, options.path), { headers });
  return new Promise((resolve, reject) => {
    socket.on('open', () => {
      socket.close();
      reject(new Error('the upgrade was accepted'));
    });
    socket.on('error', () => {}); // ws reports the refusal here too, after unexpected-response
    socket.on('unexpected-response', (request, response) => {
      let text = '';
      response.on('data', (chunk) => (text += chunk.toString()));
      response.on('end', () => {
        (request as { destroy(): void }).destroy();
        resolve({ status: response.statusCode, body: text === '' ? undefined : JSON.parse(text) });
      });
    });
  });
}
