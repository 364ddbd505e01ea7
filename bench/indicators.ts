// Benchmark: our streaming indicators (src/signals/indicators) against trading-signals 8 on the
// same pre-generated input (a seeded random walk near 60,000, 1,000,000 updates).
//
// Peer classes: trading-signals 8 no longer ships the "Faster*" variants of earlier versions; its
// classes are number-based already, so these are the fastest it offers: SMA, EMA, RSI (default
// WSMA smoothing), MACD(EMA, EMA, EMA), BollingerBands, ATR (default WSMA smoothing). Each is fed
// through `add()` (= update(x, false)); ATR gets pre-built {high, low, close} objects, built
// outside the timed loop.
//
// Method: one untimed full pass per implementation to warm up the JIT, then the best (minimum)
// of REPS timed passes, each with a fresh instance, alternating ours and the peer's.
// ratio = peerNsPerUpdate / nsPerUpdate (> 1 means we are faster).
//
//   npx tsx bench/indicators.ts      prints the JSON result on stdout (logs go to stderr)
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import {
  ATR as PeerATR,
  BollingerBands as PeerBollingerBands,
  EMA as PeerEMA,
  MACD as PeerMACD,
  RSI as PeerRSI,
  SMA as PeerSMA,
} from 'trading-signals';
import { Atr, BollingerBands, Ema, Macd, Rsi, Sma } from '../src/signals/index.ts';

export interface IndicatorBench {
  nsPerUpdate: number;
  peerNsPerUpdate: number;
  ratio: number;
}

const UPDATES = 1_000_000;
const REPS = 5;

interface Input {
  close: Float64Array;
  high: Float64Array;
  low: Float64Array;
  candles: { high: number; low: number; close: number }[];
}

function makeInput(n: number, seed: number): Input {
  let s = seed >>> 0;
  const rand = (): number => {
    // mulberry32
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const close = new Float64Array(n);
  const high = new Float64Array(n);
  const low = new Float64Array(n);
  const candles: Input['candles'] = new Array(n);
  let p = 60_000;
  for (let i = 0; i < n; i++) {
    p *= 1 + (rand() - 0.5) * 0.002;
    const h = p * (1 + rand() * 0.001);
    const l = p * (1 - rand() * 0.001);
    close[i] = p;
    high[i] = h;
    low[i] = l;
    candles[i] = { high: h, low: l, close: p };
  }
  return { close, high, low, candles };
}

// One function per implementation keeps every call site monomorphic. Each returns a value
// derived from the outputs so the work cannot be dropped.
type Pass = (input: Input) => number;

const ours: Record<string, Pass> = {
  SMA: ({ close }) => {
    const ind = new Sma(20);
    let last = 0;
    for (let i = 0; i < close.length; i++) last = ind.update(close[i]!);
    return last;
  },
  EMA: ({ close }) => {
    const ind = new Ema(20);
    let last = 0;
    for (let i = 0; i < close.length; i++) last = ind.update(close[i]!);
    return last;
  },
  RSI: ({ close }) => {
    const ind = new Rsi(14);
    let last = 0;
    for (let i = 0; i < close.length; i++) last = ind.update(close[i]!);
    return last;
  },
  MACD: ({ close }) => {
    const ind = new Macd(12, 26, 9);
    let last = 0;
    for (let i = 0; i < close.length; i++) last = ind.update(close[i]!);
    return last + ind.histogram;
  },
  BB: ({ close }) => {
    const ind = new BollingerBands(20, 2);
    let last = 0;
    for (let i = 0; i < close.length; i++) last = ind.update(close[i]!);
    return last + ind.upper;
  },
  ATR: ({ high, low, close }) => {
    const ind = new Atr(14);
    let last = 0;
    for (let i = 0; i < close.length; i++) last = ind.update(high[i]!, low[i]!, close[i]!);
    return last;
  },
};

const peers: Record<string, Pass> = {
  SMA: ({ close }) => {
    const ind = new PeerSMA(20);
    let last: number | null = 0;
    for (let i = 0; i < close.length; i++) last = ind.add(close[i]!);
    return last ?? NaN;
  },
  EMA: ({ close }) => {
    const ind = new PeerEMA(20);
    let last: number | null = 0;
    for (let i = 0; i < close.length; i++) last = ind.add(close[i]!);
    return last ?? NaN;
  },
  RSI: ({ close }) => {
    const ind = new PeerRSI(14);
    let last: number | null = 0;
    for (let i = 0; i < close.length; i++) last = ind.add(close[i]!);
    return last ?? NaN;
  },
  MACD: ({ close }) => {
    const ind = new PeerMACD(new PeerEMA(12), new PeerEMA(26), new PeerEMA(9));
    let last = 0;
    for (let i = 0; i < close.length; i++) {
      const r = ind.add(close[i]!);
      if (r !== null) last = r.macd + r.histogram;
    }
    return last;
  },
  BB: ({ close }) => {
    const ind = new PeerBollingerBands(20, 2);
    let last = 0;
    for (let i = 0; i < close.length; i++) {
      const r = ind.add(close[i]!);
      if (r !== null) last = r.middle + r.upper;
    }
    return last;
  },
  ATR: ({ candles }) => {
    const ind = new PeerATR(14);
    let last: number | null = 0;
    for (let i = 0; i < candles.length; i++) last = ind.add(candles[i]!);
    return last ?? NaN;
  },
};

let sink = 0;

/** One timed pass, in nanoseconds per update. */
function timeOnce(pass: Pass, input: Input): number {
  const t0 = process.hrtime.bigint();
  sink += pass(input);
  return Number(process.hrtime.bigint() - t0) / input.close.length;
}

/**
 * Best-of-`reps` nanoseconds per update for both implementations, after one untimed warm-up pass
 * each. Repetitions alternate between the two so that a burst of load from other processes hits
 * both alike.
 */
function timePair(mine: Pass, peer: Pass, input: Input, reps: number): [number, number] {
  sink += mine(input);
  sink += peer(input);
  let bestMine = Infinity;
  let bestPeer = Infinity;
  for (let r = 0; r < reps; r++) {
    bestMine = Math.min(bestMine, timeOnce(mine, input));
    bestPeer = Math.min(bestPeer, timeOnce(peer, input));
  }
  return [bestMine, bestPeer];
}

const round = (x: number): number => Math.round(x * 1000) / 1000;

export async function benchIndicators(): Promise<Record<string, IndicatorBench>> {
  const input = makeInput(UPDATES, 20210219);
  const result: Record<string, IndicatorBench> = {};
  for (const [name, mine] of Object.entries(ours)) {
    const peer = peers[name];
    if (peer === undefined) throw new Error(`no trading-signals peer for ${name}`);
    const [nsPerUpdate, peerNsPerUpdate] = timePair(mine, peer, input, REPS);
    result[name] = {
      nsPerUpdate: round(nsPerUpdate),
      peerNsPerUpdate: round(peerNsPerUpdate),
      ratio: round(peerNsPerUpdate / nsPerUpdate),
    };
    process.stderr.write(
      `${name}: ours ${nsPerUpdate.toFixed(2)} ns/update, trading-signals ${peerNsPerUpdate.toFixed(2)} ns/update, ratio ${(peerNsPerUpdate / nsPerUpdate).toFixed(1)}\n`,
    );
    await new Promise((resolve) => setImmediate(resolve)); // let the event loop breathe between indicators
  }
  if (Number.isNaN(sink)) process.stderr.write('(sink is NaN)\n');
  return result;
}

function isMain(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(entry)).href;
  } catch {
    return false;
  }
}

if (isMain()) {
  const result = await benchIndicators();
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}
