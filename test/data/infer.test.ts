// Symbol, market and interval inference from file names and timestamps.
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { Market } from '../../src/core/market.ts';
import { inferSymbolAndMarket, loadBarSeries, mostCommonGap, timeframeFromFileName } from '../../src/adapters/files/index.ts';
import { DataOptionError } from '../../src/engines/data/index.ts';
import { BTC_1M, ETH_5M, MOUTAI_1D, fixtureLines, tempDir } from './helpers.ts';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

describe('inferSymbolAndMarket', () => {
  it.each([
    ['BTCUSDT-1h-2017-08-17_2024-04-21.csv.gz', 'BTC/USDT', Market.Crypto],
    ['/some/dir/ETHBTC-5m-2018-01-10_2018-01-30.csv', 'ETH/BTC', Market.Crypto],
    ['XRPETH-1m-2019-10-11_2019-10-13.csv', 'XRP/ETH', Market.Crypto],
    ['BTCFDUSD-1m-x.csv', 'BTC/FDUSD', Market.Crypto],
    ['ETHUSDC-1m-x.csv', 'ETH/USDC', Market.Crypto],
    ['BNBBUSD-1m.csv', 'BNB/BUSD', Market.Crypto],
    ['BTCEUR-1d.csv', 'BTC/EUR', Market.Crypto],
    ['BTCUSD-1d.csv', 'BTC/USD', Market.Crypto],
    ['SOLBNB-1h.csv', 'SOL/BNB', Market.Crypto],
    ['btcusdt-1m.csv', 'BTC/USDT', Market.Crypto],
    ['BTC_USDT-1m.csv', 'BTC/USDT', Market.Crypto],
    ['600519.SH-1d-2001-08-27_2022-01-14.csv', '600519.SH', Market.AShare],
    ['000001.SZ-1d-1991-01-03_2022-01-14.csv', '000001.SZ', Market.AShare],
    ['000001.SH-1m-2015-01-05_2019-02-12.csv.gz', '000001.SH', Market.AShare],
    ['sh600519.csv', '600519.SH', Market.AShare],
    ['SPY-1d-1999-11-01_2020-08-28.csv', 'SPY', undefined],
    ['ORCL-1d-1995-01-03_2014-12-31.csv', 'ORCL', undefined],
    ['USDT-1d.csv', 'USDT', undefined],
  ])('%s -> %s %s', (name, symbol, market) => {
    expect(inferSymbolAndMarket(name)).toEqual({ symbol, market });
  });

  it('prefers the longest known quote (USDT over USD)', () => {
    expect(inferSymbolAndMarket('ETHUSDT.csv').symbol).toBe('ETH/USDT');
  });
});

describe('symbol and market when loading', () => {
  it('asks for --market when the name gives only a ticker, and options override the name', async () => {
    const path = tmp.write('SPY-1d-1999-11-01_2020-08-28.csv', 'timestamp,open,high,low,close,volume\n941414400000,1,2,1,1.5,100\n');
    await expect(loadBarSeries(path)).rejects.toThrow(DataOptionError);
    await expect(loadBarSeries(path)).rejects.toThrow(`cannot infer the market of SPY from the file name ${path}: give --market (crypto | ashare)`);
    const { series } = await loadBarSeries(path, { market: Market.Crypto });
    expect([series.symbol, series.market, series.timeframe]).toEqual(['SPY', 'crypto', '1d']);
    const named = await loadBarSeries(path, { market: Market.Crypto, symbol: 'SPY/USD' });
    expect(named.series.symbol).toBe('SPY/USD');
  });

  it('asks for --symbol and --market when the name gives nothing', async () => {
    const path = tmp.write('-1m-.csv', 'timestamp,open,high,low,close,volume\n0,1,1,1,1,1\n');
    await expect(loadBarSeries(path)).rejects.toThrow('give --symbol and --market (crypto | ashare)');
    await expect(loadBarSeries(path, { market: Market.Crypto })).rejects.toThrow(`cannot infer the symbol from the file name ${path}: give --symbol`);
    expect((await loadBarSeries(path, { market: Market.Crypto, symbol: 'X/Y' })).series.symbol).toBe('X/Y');
  });

  it('says a missing file is missing before inferring anything from its name, and checks the options before reading', async () => {
    await expect(loadBarSeries('/nonexistent/SPY-1d.csv')).rejects.toThrow('no such file: /nonexistent/SPY-1d.csv');
    await expect(loadBarSeries('/nonexistent/BTCUSDT-1m.csv', { timeframe: '2d' })).rejects.toThrow('no such file: /nonexistent/BTCUSDT-1m.csv');
    await expect(loadBarSeries(BTC_1M, { timeframe: '2d' })).rejects.toThrow('unknown timeframe "2d"');
  });

  it('rejects an unknown market', async () => {
    await expect(loadBarSeries(BTC_1M, { market: 'forex' as Market })).rejects.toThrow('unknown market "forex"');
  });

  it('options override the inferred market', async () => {
    const { series } = await loadBarSeries(BTC_1M, { market: Market.AShare, symbol: 'FAKE.SH' });
    expect([series.symbol, series.market]).toEqual(['FAKE.SH', 'ashare']);
    expect(series.adjustmentFactor).toBeDefined();
  });
});

describe('interval', () => {
  it('reads the timeframe token of a file name', () => {
    expect(timeframeFromFileName('BTCUSDT-1h-2017-08-17_2024-04-21.csv.gz')).toBe('1h');
    expect(timeframeFromFileName('600519.SH-1d-2001-08-27_2022-01-14.csv')).toBe('1d');
    expect(timeframeFromFileName('000001.SH-1m-2015-01-05_2019-02-12.csv.gz')).toBe('1m');
    expect(timeframeFromFileName('x-15m-a.csv')).toBe('15m');
    expect(timeframeFromFileName('x-4h.csv')).toBe('4h');
    expect(timeframeFromFileName('x-5m.csv.gz')).toBe('5m');
    expect(timeframeFromFileName('XRPETH-trades-2019-10-11_2019-10-13.csv')).toBeUndefined();
    expect(timeframeFromFileName('600519.SH.csv')).toBeUndefined();
  });

  it('falls back to the most common gap, ignoring outliers', async () => {
    const lines = fixtureLines(ETH_5M);
    const gappy = [lines[0], ...lines.slice(1, 4), ...lines.slice(6)].join('\n') + '\n';
    const result = await loadBarSeries(tmp.write('ETHUSDT.csv', gappy));
    expect([result.series.timeframe, result.series.intervalMs, result.intervalFrom]).toEqual(['5m', 300_000, 'timestamps']);
    expect((await loadBarSeries(ETH_5M)).intervalFrom).toBe('file name');
  });

  it('recognises A-share daily bars despite weekends (most common gap = 1 day)', async () => {
    const path = tmp.write('600519.SH.csv', readFileSync(MOUTAI_1D));
    const result = await loadBarSeries(path);
    expect([result.series.timeframe, result.intervalFrom]).toEqual(['1d', 'timestamps']);
    expect(mostCommonGap(result.series.openTime)).toBe(86_400_000);
    // A-share daily bars close at 15:00 Shanghai = 07:00 UTC of the date.
    expect(result.series.closeTime[0]! - result.series.openTime[0]!).toBe(7 * 3_600_000);
  });

  it('an --interval option wins over the file name', async () => {
    const path = tmp.write('BTCUSDT-5m-mislabelled.csv', readFileSync(BTC_1M));
    await expect(loadBarSeries(path)).rejects.toThrow(`${path}:3: timestamp less than one interval (5m) after the previous bar`);
    const { series } = await loadBarSeries(path, { interval: '1m' });
    expect(series.timeframe).toBe('1m');
  });

  it('explains when the interval cannot be inferred', async () => {
    const single = tmp.write('BTCUSDT.csv', 'timestamp,open,high,low,close,volume\n0,1,1,1,1,1\n');
    await expect(loadBarSeries(single)).rejects.toThrow('from a single bar: put it in the file name (e.g. -1m-) or give --interval');
    const odd = tmp.write('ETHUSDT.csv', 'timestamp,open,high,low,close,volume\n0,1,1,1,1,1\n420000,1,1,1,1,1\n840000,1,1,1,1,1\n');
    await expect(loadBarSeries(odd)).rejects.toThrow('the most common gap 7m is not a known timeframe; give --interval');
    await expect(loadBarSeries(odd, { interval: '7m' })).rejects.toThrow('unknown interval "7m"');
  });
});
