// The Kraken adapter's payloads: book messages and the depth-limited book they keep, checked by Kraken's CRC32.
export { KrakenBook, parseKrakenBookMessage } from './kraken.ts';
export type { KrakenBookMessage, KrakenLevel } from './kraken.ts';
export { crc32 } from './crc32.ts';
