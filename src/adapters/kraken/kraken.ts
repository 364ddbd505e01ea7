// Kraken websocket `book` channel (v1): snapshot + updates for one pair, truncated to the subscribed
// depth, verified with the CRC32 checksum Kraken sends in each update ("c"):
//   checksum string = for the 10 best asks (lowest first) then the 10 best bids (highest first):
//   price and quantity as Kraken prints them with the "." removed and leading zeros stripped, concatenated;
//   checksum = CRC32 of that string as an unsigned decimal.
// Kraken prints every price (and every quantity) of a pair with a fixed number of decimals, so the book
// keeps numbers and re-prints them with toFixed(decimals of the pair, read from the snapshot).
import { type Ladder, OrderBook } from '../../engines/index.ts';
import { crc32 } from './crc32.ts';

/** [price, volume, timestamp, ("r" = republish)] as Kraken sends them. */
export type KrakenLevel = readonly [price: string, volume: string, ...rest: unknown[]];

export interface KrakenBookMessage {
  channelId: number;
  pair: string;
  /** "book-1000" etc. */
  channelName: string;
  snapshot: boolean;
  asks: KrakenLevel[];
  bids: KrakenLevel[];
  /** The checksum sent with an update (undefined for snapshots). */
  checksum?: number;
}

function isLevels(value: unknown): value is KrakenLevel[] {
  return Array.isArray(value) && value.every((l) => Array.isArray(l) && typeof l[0] === 'string' && typeof l[1] === 'string');
}

/**
 * Recognise a book message `[channelID, {as, bs} | {a?, b?, c?}, ({b, c},) channelName, pair]`;
 * undefined for anything else (events, heartbeats, other channels). Throws on a malformed book message.
 */
export function parseKrakenBookMessage(message: unknown): KrakenBookMessage | undefined {
  if (!Array.isArray(message) || message.length < 4) return undefined;
  const channelName = message[message.length - 2];
  const pair = message[message.length - 1];
  if (typeof channelName !== 'string' || !channelName.startsWith('book') || typeof pair !== 'string') return undefined;
  const out: KrakenBookMessage = { channelId: Number(message[0]), pair, channelName, snapshot: false, asks: [], bids: [] };
  for (let k = 1; k < message.length - 2; k++) {
    const part = message[k] as Record<string, unknown>;
    if (typeof part !== 'object' || part === null) throw new Error(`Kraken book message: part ${k} is not an object`);
    for (const [key, value] of Object.entries(part)) {
      if (key === 'as' || key === 'bs') {
        if (!isLevels(value)) throw new Error(`Kraken book message: "${key}" is not a list of [price, volume, ...]`);
        out.snapshot = true;
        (key === 'as' ? out.asks : out.bids).push(...value);
      } else if (key === 'a' || key === 'b') {
        if (!isLevels(value)) throw new Error(`Kraken book message: "${key}" is not a list of [price, volume, ...]`);
        (key === 'a' ? out.asks : out.bids).push(...value);
      } else if (key === 'c') {
        const checksum = Number(value);
        if (typeof value !== 'string' || !Number.isInteger(checksum)) throw new Error(`Kraken book message: bad checksum ${JSON.stringify(value)}`);
        out.checksum = checksum;
      }
    }
  }
  return out;
}

function decimalsOf(text: string): number {
  const dot = text.indexOf('.');
  return dot < 0 ? 0 : text.length - dot - 1;
}

function parseNumber(text: string, what: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0) throw new Error(`Kraken book message: ${what} is not a finite non-negative number (${JSON.stringify(text)})`);
  return value;
}

/** Kraken's form of a number in the checksum: printed with the pair's decimals, "." removed, leading zeros stripped. */
function checksumField(value: number, decimals: number): string {
  const text = value.toFixed(decimals).replace('.', '');
  let i = 0;
  while (i < text.length - 1 && text.charCodeAt(i) === 48) i++;
  return text.slice(i);
}

/** One Kraken pair's book kept to `depth` levels per side, with its checksum. */
export class KrakenBook {
  readonly book: OrderBook;
  readonly depth: number;
  priceDecimals = 0;
  qtyDecimals = 0;
  /** Level updates applied (snapshot levels not counted). */
  updates = 0;

  constructor(depth = 1000) {
    this.depth = depth;
    this.book = new OrderBook({ windowTicks: 1 << 14 });
  }

  /** Apply a snapshot (replaces the book) or an update, then truncate each side to `depth` levels. */
  apply(message: KrakenBookMessage): void {
    if (message.snapshot) {
      this.book.clear();
      const first = message.asks[0] ?? message.bids[0];
      if (first !== undefined) {
        this.priceDecimals = decimalsOf(first[0]);
        this.qtyDecimals = decimalsOf(first[1]);
      }
    }
    this.applySide(this.book.asks, message.asks, !message.snapshot);
    this.applySide(this.book.bids, message.bids, !message.snapshot);
    this.book.truncate(this.depth);
  }

  /** The checksum string of the current book (10 best asks, then 10 best bids). */
  checksumString(): string {
    let text = '';
    for (const ladder of [this.book.asks, this.book.bids]) {
      const n = Math.min(10, ladder.size);
      for (let i = 0; i < n; i++) text += checksumField(ladder.priceAt(i), this.priceDecimals) + checksumField(ladder.qtyAt(i), this.qtyDecimals);
    }
    return text;
  }

  /** CRC32 of checksumString(), unsigned. */
  checksum(): number {
    return crc32(this.checksumString());
  }

  private applySide(ladder: Ladder, levels: readonly KrakenLevel[], count: boolean): void {
    for (const level of levels) {
      ladder.set(parseNumber(level[0], 'price'), parseNumber(level[1], 'volume'));
      if (count) this.updates++;
    }
  }
}
