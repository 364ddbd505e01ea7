// Bench input: 1,000,000 one-minute bars, real BTC data repeated end to end (prices chained so the
// series stays continuous) when ../shared/data is there, else a seeded random walk.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { type BarSeries, barSeriesOf, Market } from '../src/core/index.ts';
import { loadBarSeriesSync } from '../src/adapters/files/index.ts';

const MINUTE = 60_000;
const REAL_1M = resolve(fileURLToPath(import.meta.url), '../../../shared/data/ohlcv/binance_spot/BTCUSDT-1m-2025-05-20_2025-08-18.csv.gz');

export function benchSeries(length = 1_000_000): { series: BarSeries; source: string } {
  const open = new Float64Array(length);
  const high = new Float64Array(length);
  const low = new Float64Array(length);
  const close = new Float64Array(length);
  const volume = new Float64Array(length);
  const openTime = new Float64Array(length);
  const start = Date.UTC(2020, 0, 1);
  let source: string;
  if (existsSync(REAL_1M)) {
    const real = loadBarSeriesSync(REAL_1M).series;
    source = `${real.length} real BTCUSDT 1m bars repeated`;
    let scale = 1;
    for (let i = 0, j = 0; i < length; i++, j++) {
      if (j === real.length) {
        j = 0;
        scale *= real.close[real.length - 1]! / real.open[0]!;
      }
      // Round to the cent so prices stay on BTC/USDT's tick after scaling.
      open[i] = Math.round(real.open[j]! * scale * 100) / 100;
      high[i] = Math.round(real.high[j]! * scale * 100) / 100;
      low[i] = Math.round(real.low[j]! * scale * 100) / 100;
      close[i] = Math.round(real.close[j]! * scale * 100) / 100;
      volume[i] = real.volume[j]!;
    }
  } else {
    source = 'seeded random walk';
    let seed = 42;
    const random = (): number => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    let price = 30_000;
    for (let i = 0; i < length; i++) {
      const next = price * (1 + (random() - 0.5) * 0.002);
      open[i] = Math.round(price * 100) / 100;
      close[i] = Math.round(next * 100) / 100;
      high[i] = Math.max(open[i]!, close[i]!) + Math.round(random() * 500) / 100;
      low[i] = Math.min(open[i]!, close[i]!) - Math.round(random() * 500) / 100;
      volume[i] = 5 + random() * 50;
      price = next;
    }
  }
  for (let i = 0; i < length; i++) openTime[i] = start + i * MINUTE;
  const series = barSeriesOf({ symbol: 'BTC/USDT', market: Market.Crypto, timeframe: '1m', intervalMs: MINUTE, openTime, open, high, low, close, volume, source: { file: source, sha256: '', rows: length, skipped: 0 } });
  return { series, source };
}
