// The HTTP side: REST routing (public and signed), fault injection per request, latency, the admin
// endpoints, and WebSocket upgrades to the stream endpoint or the WebSocket API.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Admin } from './admin.ts';
import { BinanceError, Errors } from './errors.ts';
import type { ExchangeCore } from './exchange-core.ts';
import type { Faults } from './faults.ts';
import type { MarketStreams } from './market-streams.ts';
import { parseForm, type Params } from './params.ts';
import { PRIVATE_ROUTES, SAPI_ROUTES } from './rest-private.ts';
import { NOT_MARKET_DATA, PUBLIC_ROUTES } from './rest-public.ts';
import { accountOf, verifyRestSignature } from './signing.ts';
import type { WsApi } from './ws-api.ts';
import { acceptUpgrade, type WsConnection } from './ws-protocol.ts';

const MAX_BODY = 1 << 20;
const API_PREFIX = '/api/v3/';

export interface HttpParts {
  core: ExchangeCore;
  faults: Faults;
  admin: Admin;
  streams: MarketStreams;
  wsApi: WsApi;
}

export class SimHttpServer {
  readonly server: Server;
  /** Open WebSockets and when they opened (wall ms), for drop-ws. */
  readonly sockets = new Map<WsConnection, number>();
  private readonly hanging = new Set<ServerResponse>();
  private readonly upgraded = new Set<Socket>();

  constructor(private readonly parts: HttpParts) {
    this.server = createServer((req, res) => {
      this.readBody(req)
        .then((body) => this.handle(req, res, body))
        .catch((error: unknown) => this.write(res, 500, { code: -1000, msg: `An unknown error occurred while processing the request: ${(error as Error).message}` }));
    });
    this.server.keepAliveTimeout = 30_000;
    this.server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => this.upgrade(req, socket, head));
  }

  private readBody(req: IncomingMessage): Promise<string> {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_BODY) {
          reject(new Error('request body too large'));
          req.destroy();
          return;
        }
        chunks.push(chunk);
      });
      req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      req.on('error', reject);
    });
  }

  private write(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    if (res.writableEnded || res.destroyed) return;
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    res.writeHead(status, {
      'Content-Type': typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json;charset=UTF-8',
      'Content-Length': Buffer.byteLength(text),
      ...headers,
    });
    res.end(text);
  }

  private async handle(req: IncomingMessage, res: ServerResponse, body: string): Promise<void> {
    const rawUrl = req.url ?? '/';
    const queryAt = rawUrl.indexOf('?');
    const path = queryAt < 0 ? rawUrl : rawUrl.slice(0, queryAt);
    const rawQuery = queryAt < 0 ? '' : rawUrl.slice(queryAt + 1);
    const method = (req.method ?? 'GET').toUpperCase();
    if (path.startsWith('/admin/')) return this.admin(res, method, path.slice('/admin/'.length), body);
    const name = path.startsWith(API_PREFIX) ? path.slice(API_PREFIX.length) : '';
    const isPublic = name !== '' && method === 'GET' && Object.hasOwn(PUBLIC_ROUTES, name);
    const privateHandler = name !== '' && Object.hasOwn(PRIVATE_ROUTES, `${method} ${name}`) ? PRIVATE_ROUTES[`${method} ${name}`] : Object.hasOwn(SAPI_ROUTES, `${method} ${path}`) ? SAPI_ROUTES[`${method} ${path}`] : undefined;
    const isPrivate = privateHandler !== undefined;
    if (!isPublic && !isPrivate) return this.write(res, 404, 'Not Found');
    this.parts.admin.requests++;

    const { faults } = this.parts;
    if (isPublic && faults.silent && !NOT_MARKET_DATA.has(name)) {
      // silence: a market-data request is left hanging like a `timeout` one (never answered, even after
      // silence ends), and it draws no fault decisions.
      faults.countSilenced('request');
      this.hang(res);
      return;
    }
    const fault = faults.decideHttp();
    if (fault === 'timeout') {
      this.hang(res);
      return;
    }
    let status = 200;
    let payload: unknown;
    let headers: Record<string, string> = {};
    if (fault === 'ban') {
      const retry = 120;
      status = 418;
      payload = Errors.banned(this.parts.core.clock.wallNow() + retry * 1000).toJSON();
      headers = { 'Retry-After': String(retry) };
    } else if (fault === '429') {
      status = 429;
      payload = Errors.tooMuchWeight().toJSON();
      headers = { 'Retry-After': '1' };
    } else if (fault === '5xx') {
      status = faults.serverErrorStatus();
      payload = status === 503 ? 'Service Unavailable' : 'Internal Server Error';
    } else {
      try {
        const params: Params = parseForm(rawQuery);
        if (body !== '' && !String(req.headers['content-type'] ?? '').includes('json')) parseForm(body, params);
        if (isPrivate) {
          const apiKey = req.headers['x-mbx-apikey'];
          const account = accountOf(this.parts.core.accounts, Array.isArray(apiKey) ? apiKey[0] : apiKey);
          verifyRestSignature(account, rawQuery, body, this.parts.core.clock.wallNow(), params);
          payload = privateHandler(this.parts.core, account, params);
        } else {
          payload = PUBLIC_ROUTES[name]!(this.parts.core, params);
        }
      } catch (error) {
        const e = error instanceof BinanceError ? error : new BinanceError(-1000, `An unknown error occurred while processing the request: ${(error as Error).message}`, 500);
        status = e.status;
        payload = e.toJSON();
      }
    }
    if (fault === 'lost') {
      req.socket.destroy();
      return;
    }
    const latency = faults.spec.latency;
    if (latency > 0) {
      faults.countLatency();
      await new Promise((resolve) => setTimeout(resolve, latency));
    }
    this.write(res, status, payload, headers);
  }

  /** Never answer: the response stays open until the client gives up (or the server closes). */
  private hang(res: ServerResponse): void {
    this.hanging.add(res);
    res.on('close', () => this.hanging.delete(res));
  }

  private admin(res: ServerResponse, method: string, name: string, body: string): void {
    const { admin } = this.parts;
    try {
      if (method === 'GET' && name === 'state') return this.write(res, 200, admin.state());
      if (method === 'GET' && name === 'faults') return this.write(res, 200, admin.getFaults());
      if (method === 'POST' && name === 'faults') {
        let input: string | Record<string, unknown> = body;
        const trimmed = body.trim();
        if (trimmed.startsWith('{') || trimmed.startsWith('"')) input = JSON.parse(trimmed) as string | Record<string, unknown>;
        return this.write(res, 200, admin.setFaults(input));
      }
      if (method === 'POST' && name === 'clock') return this.write(res, 200, admin.clock(body.trim() === '' ? {} : (JSON.parse(body) as Record<string, number>)));
      return this.write(res, 404, 'Not Found');
    } catch (error) {
      return this.write(res, 400, { error: (error as Error).message });
    }
  }

  private upgrade(req: IncomingMessage, socket: Socket, head: Buffer): void {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const target = path.startsWith('/ws-api') ? this.parts.wsApi : path.startsWith('/ws') || path.startsWith('/stream') ? this.parts.streams : undefined;
    if (target === undefined) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const ws = acceptUpgrade(req, socket, head);
    if (ws === undefined) return;
    this.upgraded.add(socket);
    socket.on('close', () => this.upgraded.delete(socket));
    this.sockets.set(ws, this.parts.core.clock.wallNow());
    ws.onClose(() => this.sockets.delete(ws));
    target.accept(ws);
  }

  /** drop-ws: abruptly close every WebSocket that has been open for the configured interval. */
  dropExpiredSockets(): void {
    const interval = this.parts.faults.spec['drop-ws'];
    if (interval <= 0) return;
    const wall = this.parts.core.clock.wallNow();
    for (const [ws, openedAt] of this.sockets) {
      if (wall - openedAt >= interval) {
        this.parts.faults.countDrop();
        this.sockets.delete(ws);
        ws.close(1006, '', true);
      }
    }
  }

  listen(port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => {
        this.server.off('error', reject);
        const address = this.server.address();
        resolve(typeof address === 'object' && address !== null ? address.port : port);
      });
    });
  }

  close(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.hanging.clear();
    for (const socket of this.upgraded) socket.destroy();
    this.upgraded.clear();
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}
