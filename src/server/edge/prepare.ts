// The edge settings of `traider serve` from its request, every check made before the store is opened or a port
// taken: rate limits are positive integers, TLS files exist and match, and the bind rule holds.
import { checkBind } from './bind.ts';
import { checkPerMinute, type EdgeSettings } from './settings.ts';
import { readTls } from './tls.ts';

export interface EdgeRequest {
  readonly host: string;
  /** Requests a minute per API token (default 1,200). */
  readonly rateLimitToken?: number;
  /** Requests a minute per client address without valid credentials (default 300). */
  readonly rateLimitAddress?: number;
  /** PEM certificate and key files: serve HTTPS (then any host may be bound). */
  readonly tlsCert?: string;
  readonly tlsKey?: string;
  /** Bind a non-loopback host over plain HTTP anyway (warned about). */
  readonly insecureBind?: boolean;
}

/** The settings, and the warning to print when the bind is allowed only by insecureBind. Throws InputError. */
export function prepareEdge(request: EdgeRequest): { readonly settings: EdgeSettings; readonly warning?: string } {
  const rateLimitToken = request.rateLimitToken === undefined ? undefined : checkPerMinute('rateLimitToken', request.rateLimitToken);
  const rateLimitAddress = request.rateLimitAddress === undefined ? undefined : checkPerMinute('rateLimitAddress', request.rateLimitAddress);
  const tls = readTls(request.tlsCert, request.tlsKey);
  const warning = checkBind({ host: request.host, tls: tls !== undefined, insecureBind: request.insecureBind === true });
  return { settings: { rateLimitToken, rateLimitAddress, tls }, ...(warning === undefined ? {} : { warning }) };
}
