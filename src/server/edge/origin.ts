// Cross-site WebSocket hijacking: a browser opens a WebSocket to any origin and sends the cookies with it (SameSite
// treats another port of the same host as the same site), and the WebSocket upgrade knows no CORS. So an upgrade
// authenticated by the session cookie is refused when the page that opens it is not this server's own.
import type { FastifyRequest } from 'fastify';

export function isWebSocketUpgrade(request: FastifyRequest): boolean {
  const upgrade = request.headers.upgrade;
  return typeof upgrade === 'string' && upgrade.toLowerCase() === 'websocket';
}

/** Why a cookie-authenticated upgrade is refused, or undefined: no Origin (not a browser) or this server's own. */
export function foreignOrigin(request: FastifyRequest): string | undefined {
  const origin = request.headers.origin;
  if (origin === undefined) return undefined;
  const own = `${request.protocol}://${request.headers.host ?? ''}`;
  if (origin.toLowerCase() === own.toLowerCase()) return undefined;
  return `a WebSocket with the session cookie must come from this server's own pages (${own}), not from ${origin}`;
}
