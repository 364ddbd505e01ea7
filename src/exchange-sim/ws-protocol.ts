// A minimal RFC 6455 WebSocket server side: the upgrade handshake, text frames out, masked frames in
// (with fragmentation), ping/pong and close. No extensions (permessage-deflate is declined).
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const MAX_MESSAGE = 1 << 20;

export class WsConnection {
  private buffer: Buffer = Buffer.alloc(0);
  private fragments: Buffer[] = [];
  private fragmentOpcode = 0;
  private closed = false;
  onMessage: (text: string) => void = () => {};
  private readonly closeHandlers: Array<() => void> = [];

  constructor(
    private readonly socket: Duplex,
    readonly path: string,
    readonly query: URLSearchParams,
  ) {
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('close', () => this.markClosed());
    socket.on('error', () => this.markClosed());
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  onClose(handler: () => void): void {
    this.closeHandlers.push(handler);
  }

  send(text: string): void {
    if (this.closed) return;
    this.socket.write(frame(0x1, Buffer.from(text, 'utf8')));
  }

  /** Close with a close frame (clean) or, with `abrupt`, by destroying the connection (a network drop). */
  close(code = 1000, reason = '', abrupt = false): void {
    if (this.closed) return;
    if (abrupt) {
      this.socket.destroy();
    } else {
      const payload = Buffer.alloc(2 + Buffer.byteLength(reason));
      payload.writeUInt16BE(code, 0);
      payload.write(reason, 2);
      this.socket.end(frame(0x8, payload));
      setTimeout(() => this.socket.destroy(), 1000).unref();
    }
    this.markClosed();
  }

  private markClosed(): void {
    if (this.closed) return;
    this.closed = true;
    for (const handler of this.closeHandlers) handler();
  }

  /** Feed received bytes (also used for bytes that arrived with the upgrade request). */
  receive(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    while (!this.closed) {
      const parsed = parseFrame(this.buffer);
      if (parsed === undefined) return;
      if (parsed === 'too-big') {
        this.close(1009, 'message too big');
        return;
      }
      this.buffer = this.buffer.subarray(parsed.length);
      this.handleFrame(parsed.fin, parsed.opcode, parsed.payload);
    }
  }

  private handleFrame(fin: boolean, opcode: number, payload: Buffer): void {
    switch (opcode) {
      case 0x0:
      case 0x1:
      case 0x2: {
        if (opcode !== 0x0) {
          this.fragments = [];
          this.fragmentOpcode = opcode;
        }
        this.fragments.push(payload);
        if (this.fragments.reduce((n, b) => n + b.length, 0) > MAX_MESSAGE) {
          this.close(1009, 'message too big');
          return;
        }
        if (fin) {
          const message = Buffer.concat(this.fragments);
          this.fragments = [];
          if (this.fragmentOpcode === 0x1 || this.fragmentOpcode === 0x2) this.onMessage(message.toString('utf8'));
        }
        return;
      }
      case 0x8: {
        const code = payload.length >= 2 ? payload.readUInt16BE(0) : 1000;
        this.close(code === 1005 || code === 1006 ? 1000 : code);
        return;
      }
      case 0x9:
        if (!this.closed) this.socket.write(frame(0xa, payload));
        return;
      default:
        return;
    }
  }
}

function frame(opcode: number, payload: Buffer): Buffer {
  const length = payload.length;
  let header: Buffer;
  if (length < 126) {
    header = Buffer.from([0x80 | opcode, length]);
  } else if (length < 65536) {
    header = Buffer.alloc(4);
    header[0] = 0x80 | opcode;
    header[1] = 126;
    header.writeUInt16BE(length, 2);
  } else {
    header = Buffer.alloc(10);
    header[0] = 0x80 | opcode;
    header[1] = 127;
    header.writeBigUInt64BE(BigInt(length), 2);
  }
  return Buffer.concat([header, payload]);
}

function parseFrame(buffer: Buffer): { fin: boolean; opcode: number; payload: Buffer; length: number } | 'too-big' | undefined {
  if (buffer.length < 2) return undefined;
  const fin = (buffer[0]! & 0x80) !== 0;
  const opcode = buffer[0]! & 0x0f;
  const masked = (buffer[1]! & 0x80) !== 0;
  let length = buffer[1]! & 0x7f;
  let offset = 2;
  if (length === 126) {
    if (buffer.length < 4) return undefined;
    length = buffer.readUInt16BE(2);
    offset = 4;
  } else if (length === 127) {
    if (buffer.length < 10) return undefined;
    const big = buffer.readBigUInt64BE(2);
    if (big > BigInt(MAX_MESSAGE)) return 'too-big';
    length = Number(big);
    offset = 10;
  }
  if (length > MAX_MESSAGE) return 'too-big';
  const maskOffset = offset;
  if (masked) offset += 4;
  if (buffer.length < offset + length) return undefined;
  const payload = Buffer.from(buffer.subarray(offset, offset + length));
  if (masked) for (let i = 0; i < payload.length; i++) payload[i] = payload[i]! ^ buffer[maskOffset + (i & 3)]!;
  return { fin, opcode, payload, length: offset + length };
}

/** Answer an HTTP upgrade request; undefined (and a 400 written) when it is not a WebSocket handshake. */
export function acceptUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): WsConnection | undefined {
  const key = request.headers['sec-websocket-key'];
  const upgrade = request.headers.upgrade;
  if (typeof key !== 'string' || typeof upgrade !== 'string' || upgrade.toLowerCase() !== 'websocket') {
    socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    return undefined;
  }
  (socket as Partial<Socket>).setNoDelay?.(true);
  const accept = createHash('sha1').update(key + GUID).digest('base64');
  socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
  const url = new URL(request.url ?? '/', 'http://127.0.0.1');
  const connection = new WsConnection(socket, url.pathname, url.searchParams);
  if (head.length > 0) connection.receive(head);
  return connection;
}
