// API tokens: issue (the secret shown once), list, revoke, and check what a request presents. Used by
// `traider tokens` (on the store directly: the first admin token has no server to ask) and by the server's routes.
import type { Journal } from '../../audit/index.ts';
import { ApiRole, type Clock, type Store, type TokenRecord } from '../../common/index.ts';
import { InputError } from '../errors/index.ts';
import { createHash } from 'node:crypto';
import { newSecret, parseToken, secretMatches } from './token-secret.ts';

export const API_ROLES: readonly ApiRole[] = [ApiRole.Viewer, ApiRole.Operator, ApiRole.Admin];
const RANK: Record<ApiRole, number> = { viewer: 1, operator: 2, admin: 3 };

/** Whether a holder of `held` may do what needs `needed`: viewer < operator < admin. */
export function roleAllows(held: ApiRole, needed: ApiRole): boolean {
  return RANK[held] >= RANK[needed];
}

/** A token as it may be shown: everything but the hash. */
export type TokenView = Omit<TokenRecord, 'secretHash'>;

export const tokenView = ({ secretHash: _hidden, ...view }: TokenRecord): TokenView => view;

export interface CreateTokenRequest {
  readonly name: string;
  readonly role: string;
  readonly actor: string;
}

const NAME_RULE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function checkTokenName(name: string): void {
  if (!NAME_RULE.test(name)) throw new InputError('name', `must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit (got ${JSON.stringify(name)})`, { value: name });
}

export function checkRole(role: string): ApiRole {
  if (!(API_ROLES as readonly string[]).includes(role)) throw new InputError('role', `must be one of ${API_ROLES.join(', ')} (got ${JSON.stringify(role)})`, { value: role });
  return role as ApiRole;
}

/** Issues a token: stores its hash and audits the issue; the token itself is returned once and never stored. */
export async function createToken(store: Store, journal: Journal, clock: Clock, request: CreateTokenRequest): Promise<{ token: string; view: TokenView }> {
  checkTokenName(request.name);
  const role = checkRole(request.role);
  const taken = (await store.listTokens()).find((t) => t.name === request.name);
  if (taken !== undefined) throw new InputError('name', `a token named ${JSON.stringify(request.name)} exists already (id ${taken.id}${taken.revokedAt === null ? '' : ', revoked'})`, { value: request.name });
  const secret = await newSecret();
  const time = clock.now();
  const record: TokenRecord = { id: secret.id, name: request.name, role, secretHash: secret.secretHash, createdAt: time, createdBy: request.actor, revokedAt: null, revokedBy: null };
  await journal.commitChange({ tokens: [record], audit: [{ actor: request.actor, kind: 'token.created', payload: { id: record.id, name: record.name, role }, time }] });
  return { token: secret.token, view: tokenView(record) };
}

export async function listTokens(store: Store): Promise<TokenView[]> {
  return (await store.listTokens()).map(tokenView);
}

/** The token with this id or name. */
export async function findToken(store: Store, idOrName: string, field = 'id'): Promise<TokenRecord> {
  const tokens = await store.listTokens();
  const found = tokens.find((t) => t.id === idOrName) ?? tokens.find((t) => t.name === idOrName);
  if (found === undefined) throw new TokenNotFoundError(field, idOrName);
  return found;
}

export class TokenNotFoundError extends InputError {
  override name = 'NotFoundError';
  constructor(field: string, idOrName: string) {
    super(field, `no token with id or name ${JSON.stringify(idOrName)}`, { value: idOrName });
  }
}

/** Revokes a token (kept, marked revoked, audited); revoking a revoked token changes nothing. */
export async function revokeToken(store: Store, journal: Journal, clock: Clock, request: { readonly token: string; readonly actor: string }): Promise<TokenView> {
  const found = await findToken(store, request.token, 'token');
  if (found.revokedAt !== null) return tokenView(found);
  const time = clock.now();
  const revoked: TokenRecord = { ...found, revokedAt: time, revokedBy: request.actor };
  await journal.commitChange({ tokens: [revoked], audit: [{ actor: request.actor, kind: 'token.revoked', payload: { id: found.id, name: found.name, role: found.role }, time }] });
  return tokenView(revoked);
}

/** Who a request acts as. */
export interface Principal {
  readonly tokenId: string;
  readonly name: string;
  readonly role: ApiRole;
  /** How the audit log names this principal. */
  readonly actor: string;
}

/**
 * Checks presented tokens. A secret that hashed correctly once is remembered (by a SHA-256 of the token, never the token) so that the
 * ~40 ms scrypt runs once per token, not per request; the row is read on every request, so a revocation (by this
 * process or another one on the same database) takes effect on the next request.
 */
export class TokenVerifier {
  private readonly verified = new Map<string, string>();

  constructor(private readonly store: Store) {}

  async verify(token: string): Promise<Principal | undefined> {
    const parsed = parseToken(token);
    if (parsed === undefined) return undefined;
    const record = await this.store.getToken(parsed.id);
    if (record === undefined || record.revokedAt !== null) return undefined;
    const key = createHash('sha256').update(token).digest('hex');
    if (this.verified.get(key) !== record.secretHash) {
      if (!(await secretMatches(parsed.secret, record.secretHash))) return undefined;
      if (this.verified.size > 10_000) this.verified.clear();
      this.verified.set(key, record.secretHash);
    }
    return { tokenId: record.id, name: record.name, role: record.role, actor: `token:${record.name}` };
  }
}
