// Fault injection: the spec ("5xx=0.1,lost=0.05,drop-ws=30s,latency=50ms,silence=1"), seeded decisions, counters.
import { Rng } from './rng.ts';

export interface FaultSpec {
  /** HTTP 500/503 before processing (rate per REST request). */
  '5xx': number;
  /** Processed, but the connection is destroyed instead of answering. */
  lost: number;
  /** Never answered and not processed. */
  timeout: number;
  /** HTTP 429 with Retry-After, not processed. */
  '429': number;
  /** HTTP 418 (IP ban) with Retry-After, not processed. */
  ban: number;
  /** Close every WebSocket this many ms after it opened (0 = never). */
  'drop-ws': number;
  /** Per depth diff message: sent twice / swapped with the next / never sent. */
  dup: number;
  reorder: number;
  gap: number;
  /** Added to every REST and WebSocket API response, ms. */
  latency: number;
  /**
   * A switch, 1 (on) or 0 (off): the market-data feed goes quiet. Market streams send nothing (messages
   * are dropped, not queued) and public market-data REST requests are never answered, like `timeout`.
   */
  silence: number;
}

export type FaultName = keyof FaultSpec;
export type HttpFault = '5xx' | 'lost' | 'timeout' | '429' | 'ban';
export type DepthFault = 'dup' | 'reorder' | 'gap';

const RATES = ['5xx', 'lost', 'timeout', '429', 'ban', 'dup', 'reorder', 'gap'] as const;
const DURATIONS = ['drop-ws', 'latency'] as const;
const SWITCHES = ['silence'] as const;

export function noFaults(): FaultSpec {
  return { '5xx': 0, lost: 0, timeout: 0, '429': 0, ban: 0, 'drop-ws': 0, dup: 0, reorder: 0, gap: 0, latency: 0, silence: 0 };
}

/** A switch's value: 1 / "1" / "on" is 1, 0 / "0" / "off" is 0; anything else is undefined. */
function parseSwitch(value: unknown): number | undefined {
  if (value === 1 || value === 0) return value;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  return text === '1' || text === 'on' ? 1 : text === '0' || text === 'off' ? 0 : undefined;
}

/** A duration: "50ms", "30s", "2m", or a bare number of milliseconds. */
export function parseDuration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m)?$/.exec(text.trim());
  if (!match) throw new Error(`not a duration: "${text}" (use e.g. 50ms, 30s, 2m)`);
  const value = Number(match[1]);
  return Math.round(match[2] === 's' ? value * 1000 : match[2] === 'm' ? value * 60_000 : value);
}

function setValue(spec: FaultSpec, key: string, value: unknown): void {
  const name = key.trim();
  if ((RATES as readonly string[]).includes(name)) {
    const rate = typeof value === 'number' ? value : Number(String(value).trim());
    if (!Number.isFinite(rate) || rate < 0 || rate > 1) throw new Error(`fault ${name}: expected a rate between 0 and 1 (got "${String(value)}")`);
    spec[name as (typeof RATES)[number]] = rate;
  } else if ((DURATIONS as readonly string[]).includes(name)) {
    const ms = typeof value === 'number' ? value : String(value).trim() === 'off' ? 0 : parseDuration(String(value));
    if (!Number.isFinite(ms) || ms < 0) throw new Error(`fault ${name}: expected a duration (got "${String(value)}")`);
    spec[name as (typeof DURATIONS)[number]] = ms;
  } else if ((SWITCHES as readonly string[]).includes(name)) {
    const on = parseSwitch(value);
    if (on === undefined) throw new Error(`fault ${name}: expected a switch: 1 or on, 0 or off (got "${String(value)}")`);
    spec[name as (typeof SWITCHES)[number]] = on;
  } else {
    throw new Error(`unknown fault "${name}" (known: ${[...RATES, ...DURATIONS, ...SWITCHES].join(', ')})`);
  }
}

/** Parse a fault spec: "k=v,k=v" text or a {k: v} object; unnamed faults are off. */
export function parseFaults(input: string | Record<string, unknown> | undefined): FaultSpec {
  const spec = noFaults();
  if (input === undefined) return spec;
  if (typeof input === 'string') {
    for (const part of input.split(',')) {
      if (part.trim() === '') continue;
      const eq = part.indexOf('=');
      if (eq < 0) throw new Error(`fault "${part.trim()}": expected name=value`);
      setValue(spec, part.slice(0, eq), part.slice(eq + 1));
    }
    return spec;
  }
  for (const [key, value] of Object.entries(input)) setValue(spec, key, value);
  return spec;
}

export function formatFaults(spec: FaultSpec): string {
  const parts: string[] = [];
  for (const name of RATES) if (spec[name] > 0) parts.push(`${name}=${spec[name]}`);
  for (const name of DURATIONS) if (spec[name] > 0) parts.push(`${name}=${spec[name]}ms`);
  for (const name of SWITCHES) if (spec[name] > 0) parts.push(`${name}=1`);
  return parts.length === 0 ? 'none' : parts.join(',');
}

/** The live fault settings, their seeded decisions and how many of each were injected. */
export class Faults {
  spec: FaultSpec;
  private readonly httpRng: Rng;
  private readonly wsRng: Rng;
  /** Per fault, how often it fired; for `silence`, the stream messages plus REST requests it suppressed. */
  readonly injected: Record<FaultName, number> = { '5xx': 0, lost: 0, timeout: 0, '429': 0, ban: 0, 'drop-ws': 0, dup: 0, reorder: 0, gap: 0, latency: 0, silence: 0 };
  /** What `silence` suppressed, by kind (they add up to `injected.silence`). */
  readonly silenced = { messages: 0, requests: 0 };

  constructor(spec: FaultSpec, seed: number) {
    this.spec = spec;
    this.httpRng = new Rng(seed * 2 + 1);
    this.wsRng = new Rng(seed * 2 + 2);
  }

  /** One REST request's fault, if any (draws the same number of values whatever the rates). */
  decideHttp(): HttpFault | undefined {
    const draws = (['ban', '429', '5xx', 'timeout', 'lost'] as const).map((name) => [name, this.httpRng.chance(this.spec[name])] as const);
    const hit = draws.find(([, yes]) => yes)?.[0];
    if (hit !== undefined) this.injected[hit]++;
    return hit;
  }

  /** 500 or 503 for an injected 5xx. */
  serverErrorStatus(): number {
    return this.httpRng.next() < 0.5 ? 500 : 503;
  }

  /** One depth diff message's fault, if any. */
  decideDepth(): DepthFault | undefined {
    const draws = (['gap', 'reorder', 'dup'] as const).map((name) => [name, this.wsRng.chance(this.spec[name])] as const);
    const hit = draws.find(([, yes]) => yes)?.[0];
    if (hit !== undefined) this.injected[hit]++;
    return hit;
  }

  countLatency(): void {
    if (this.spec.latency > 0) this.injected.latency++;
  }

  countDrop(): void {
    this.injected['drop-ws']++;
  }

  /** Whether the market-data feed is silenced. */
  get silent(): boolean {
    return this.spec.silence > 0;
  }

  /** A market stream message (to one connection) or a market-data REST request that silence swallowed. */
  countSilenced(kind: 'message' | 'request', count = 1): void {
    this.injected.silence += count;
    if (kind === 'message') this.silenced.messages += count;
    else this.silenced.requests += count;
  }
}
