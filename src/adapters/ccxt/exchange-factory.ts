// Creates a ccxt exchange (REST and WebSocket) by id, optionally pointed at another base URL (our
// local exchange), with credentials from the environment that are never logged.
import ccxt from 'ccxt';

export interface VenueConfig {
  /** ccxt exchange id, e.g. 'binance'. */
  readonly exchange: string;
  /** Base URL replacing the exchange's hosts, e.g. http://127.0.0.1:8900 (the local exchange). */
  readonly url?: string;
  /** Environment to read credentials from: TRAIDER_<EXCHANGE>_API_KEY and _API_SECRET. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Whether credentials are required (live trading) or optional (market data only). */
  readonly requireCredentials?: boolean;
  /**
   * Milliseconds per unit of request weight for ccxt's throttle (default: the exchange's own, 50 for
   * Binance). Only a local exchange should be given less.
   */
  readonly rateLimitMs?: number;
  /** Request timeout (default: ccxt's 10 s). */
  readonly timeoutMs?: number;
}

/**
 * WebSocket reconnect back-off handed to ccxt.pro. Its own default waits a full second before the
 * first redial (then 2 s, 4 s, ... up to a minute), longer than a trading decision may pause; ours
 * redials after a quarter second and still backs off when drops repeat.
 */
export const WS_RECONNECT = { base: 250, factor: 2, max: 5_000, stableAfter: 10_000 } as const;

export class VenueConfigError extends Error {
  override name = 'VenueConfigError';
}

/** The names of the credential variables for an exchange. */
export function credentialVariables(exchange: string): { key: string; secret: string } {
  const prefix = `TRAIDER_${exchange.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
  return { key: `${prefix}_API_KEY`, secret: `${prefix}_API_SECRET` };
}

/** Rewrite every URL string in a ccxt `urls.api` tree to the given base (http -> http, ws -> ws). */
function rewriteUrls(node: unknown, httpBase: string, wsBase: string): unknown {
  if (typeof node === 'string') {
    if (/^wss?:\/\//.test(node)) return node.replace(/^wss?:\/\/[^/]+/, wsBase);
    if (/^https?:\/\//.test(node)) return node.replace(/^https?:\/\/[^/]+/, httpBase);
    return node;
  }
  if (node && typeof node === 'object') {
    const out: Record<string, unknown> = Array.isArray(node) ? ([] as unknown as Record<string, unknown>) : {};
    for (const [key, value] of Object.entries(node)) out[key] = rewriteUrls(value, httpBase, wsBase);
    return out;
  }
  return node;
}

type ProExchange = InstanceType<(typeof ccxt.pro)['binance']>;

export async function createExchange(config: VenueConfig): Promise<ProExchange> {
  const proClasses = ccxt.pro as unknown as Record<string, new (options: object) => ProExchange>;
  const Exchange = proClasses[config.exchange];
  if (!Exchange) throw new VenueConfigError(`unknown exchange "${config.exchange}" (ccxt ids such as binance, kraken, coinbase)`);
  const names = credentialVariables(config.exchange);
  const apiKey = config.env[names.key];
  const secret = config.env[names.secret];
  if (config.requireCredentials && (!apiKey || !secret)) {
    throw new VenueConfigError(`credentials missing: set ${names.key} and ${names.secret} in the environment`);
  }
  if (config.rateLimitMs !== undefined && !(config.rateLimitMs >= 0)) throw new VenueConfigError(`rate limit must be >= 0 ms (got ${config.rateLimitMs})`);
  if (config.timeoutMs !== undefined && !(config.timeoutMs > 0)) throw new VenueConfigError(`timeout must be > 0 ms (got ${config.timeoutMs})`);
  const exchange = new Exchange({
    apiKey,
    secret,
    // ccxt's throttle spaces requests by their weight, so the venue's limits are respected up front.
    enableRateLimit: true,
    ...(config.rateLimitMs !== undefined ? { rateLimit: config.rateLimitMs } : {}),
    ...(config.timeoutMs !== undefined ? { timeout: config.timeoutMs } : {}),
    // ccxt deep-merges these into the exchange's own options (Binance's ws.cost stays).
    options: { fetchMarkets: ['spot'], fetchCurrencies: false, defaultType: 'spot', ws: { backoff: { ...WS_RECONNECT } } },
  });
  if (config.url) {
    let base: URL;
    try {
      base = new URL(config.url);
    } catch {
      throw new VenueConfigError(`--url: not a URL: "${config.url}"`);
    }
    const httpBase = `${base.protocol}//${base.host}`;
    const wsBase = `${base.protocol === 'https:' ? 'wss' : 'ws'}://${base.host}`;
    const urls = exchange.urls as { api: unknown };
    urls.api = rewriteUrls(urls.api, httpBase, wsBase);
    // ccxt refuses plain ws:// until its proxy agent module is loaded.
    await (exchange as unknown as { loadHttpProxyAgent(): Promise<void> }).loadHttpProxyAgent();
  }
  return exchange;
}
