// Security headers on every answer (@fastify/helmet): a strict Content-Security-Policy (same-origin resources only,
// no inline script, no plugins, no framing, no <base>, forms post only here), no MIME sniffing, no Referer, no
// framing, same-origin opener and resource policies, no X-Powered-By; HSTS only over HTTPS (over plain HTTP the
// browser ignores it, and on a loopback bind it would pin localhost to HTTPS for every other local service).
import fastifyHelmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

const CSP_DIRECTIVES = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

export function registerHeaders(app: FastifyInstance, tls: boolean): void {
  void app.register(fastifyHelmet, {
    global: true,
    contentSecurityPolicy: { useDefaults: false, directives: CSP_DIRECTIVES },
    xContentTypeOptions: true,
    referrerPolicy: { policy: 'no-referrer' },
    xFrameOptions: { action: 'deny' },
    crossOriginOpenerPolicy: { policy: 'same-origin' },
    crossOriginResourcePolicy: { policy: 'same-origin' },
    xPoweredBy: true,
    strictTransportSecurity: tls ? { maxAge: 31_536_000, includeSubDomains: true } : false,
  });
}
