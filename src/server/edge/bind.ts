// The bind rule: the API listens on loopback unless it is protected on the wire (TLS) or the operator said, in so many
// words, that plain HTTP on the network is what they want (--insecure-bind). Tokens and session cookies would
// otherwise cross the network in clear text.
import { isIP } from 'node:net';
import { fieldMention, InputError, inputText } from '../../app/errors/index.ts';

/** localhost, 127.0.0.0/8, ::1 (also written in full, in brackets, or as an IPv4-mapped address). */
export function isLoopback(host: string): boolean {
  const bare = host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (bare === 'localhost' || bare.endsWith('.localhost')) return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(bare)?.[1];
  const v4 = mapped ?? (isIP(bare) === 4 ? bare : undefined);
  if (v4 !== undefined) return v4.startsWith('127.');
  if (isIP(bare) !== 6) return false;
  // Any spelling of ::1: every group 0 but the last, which is 1.
  const groups = bare.split('::');
  const words = groups.length === 2 ? [...groups[0]!.split(':').filter(Boolean), ...groups[1]!.split(':').filter(Boolean)] : bare.split(':');
  return words.length > 0 && words.slice(0, -1).every((w) => /^0+$/.test(w)) && /^0*1$/.test(words.at(-1)!);
}

export interface BindRequest {
  readonly host: string;
  readonly tls: boolean;
  readonly insecureBind: boolean;
}

/**
 * Refuses a non-loopback bind without TLS or insecureBind (an InputError naming host). Answers the warning to print
 * when it is allowed only because of insecureBind.
 */
export function checkBind(request: BindRequest): string | undefined {
  if (isLoopback(request.host) || request.tls) return undefined;
  const host = fieldMention('host');
  if (!request.insecureBind) {
    const text = inputText`${host}: ${request.host} is not a loopback address, and plain HTTP would carry API tokens and session cookies across the network in clear text: serve HTTPS with ${fieldMention('tlsCert')} FILE and ${fieldMention('tlsKey')} FILE, or listen on 127.0.0.1 (the default), or accept the risk with ${fieldMention('insecureBind')}`;
    throw new InputError('host', text, { value: request.host });
  }
  return `warning: listening on ${request.host} over plain HTTP (insecure bind): API tokens and session cookies cross the network unencrypted`;
}
