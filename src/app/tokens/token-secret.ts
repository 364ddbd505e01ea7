// API token secrets: what a client sends, and the only thing the store keeps of it (a salted scrypt hash).
// A token reads `trd_<id>_<secret>`: the id finds the row, the secret is checked against the row's hash.
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

const PREFIX = 'trd_';
// scrypt cost (N = 2^14, r = 8, p = 1: about 16 MiB and 30-50 ms per hash); the parameters travel with each hash, so
// raising them later leaves old hashes checkable.
const COST = { N: 16_384, r: 8, p: 1 } as const;
const KEY_BYTES = 32;

export interface NewSecret {
  /** The token as the client sends it, shown once. */
  readonly token: string;
  readonly id: string;
  /** `scrypt$N$r$p$<salt base64url>$<hash base64url>` */
  readonly secretHash: string;
}

function derive(secret: string, salt: Buffer, cost: { N: number; r: number; p: number }): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(secret, salt, KEY_BYTES, { ...cost, maxmem: 64 * 1024 * 1024 }, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

export async function newSecret(): Promise<NewSecret> {
  const id = randomBytes(6).toString('hex');
  const secret = randomBytes(24).toString('base64url');
  const salt = randomBytes(16);
  const hash = await derive(secret, salt, COST);
  return { token: `${PREFIX}${id}_${secret}`, id, secretHash: `scrypt$${COST.N}$${COST.r}$${COST.p}$${salt.toString('base64url')}$${hash.toString('base64url')}` };
}

/** The id and secret of a token as a client sent it; undefined when it is not shaped like one. */
export function parseToken(token: string): { id: string; secret: string } | undefined {
  const m = /^trd_([0-9a-f]{12})_([A-Za-z0-9_-]{32})$/.exec(token);
  return m === null ? undefined : { id: m[1]!, secret: m[2]! };
}

/** Whether `secret` hashes to `secretHash` (constant-time comparison). */
export async function secretMatches(secret: string, secretHash: string): Promise<boolean> {
  const parts = secretHash.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  const salt = Buffer.from(parts[4]!, 'base64url');
  const expected = Buffer.from(parts[5]!, 'base64url');
  const actual = await derive(secret, salt, { N, r, p });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
