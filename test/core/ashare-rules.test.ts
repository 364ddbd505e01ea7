// China A-share rules: boards by code and daily price limits.
import { describe, expect, it } from 'vitest';
import { boardOfCode, CHINEXT_REFORM_DAY, DailyLimitTracker, dailyLimitFraction, priceLimits, UNLIMITED_LISTING_DAYS } from '../../src/core/ashare-rules.ts';
import { Board, Instrument } from '../../src/core/instrument.ts';
import { resolveInstrument } from '../../src/core/instrument-table.ts';
import { ASHARE_DAILY_CLOSE_OFFSET_MS, Market, MS_PER_DAY } from '../../src/core/market.ts';

const dayOf = (iso: string): number => Math.floor(Date.parse(`${iso}T00:00:00Z`) / MS_PER_DAY);

function share(symbol: string, extra: { st?: boolean; listingDate?: string } = {}): Instrument {
  return resolveInstrument(symbol, Market.AShare, extra);
}

describe('boards by code', () => {
  it('puts 600519 on the main board, 300750 on ChiNext and 688xxx on STAR', () => {
    expect(boardOfCode('600519.SH')).toBe(Board.Main);
    expect(boardOfCode('300750.SZ')).toBe(Board.ChiNext);
    expect(boardOfCode('301269.SZ')).toBe(Board.ChiNext);
    expect(boardOfCode('688981.SH')).toBe(Board.Star);
    expect(boardOfCode('689009.SH')).toBe(Board.Star);
    expect(boardOfCode('000001.SZ')).toBe(Board.Main);
    expect(boardOfCode('002594.SZ')).toBe(Board.Main);
    expect(boardOfCode('601318.SH')).toBe(Board.Main);
  });

  it('gives the built-in instruments their board', () => {
    expect(share('600519.SH').board).toBe(Board.Main);
    expect(share('300750.SZ').board).toBe(Board.ChiNext);
    expect(share('688981.SH').board).toBe(Board.Star);
  });
});

describe('daily limit fraction', () => {
  const someDay = dayOf('2024-03-01');

  it('is 10% on the main board and 5% for ST', () => {
    expect(dailyLimitFraction(share('600519.SH'), someDay)).toBe(0.1);
    expect(dailyLimitFraction(share('600519.SH', { st: true }), someDay)).toBe(0.05);
    expect(dailyLimitFraction(share('000001.SZ', { st: true }), someDay)).toBe(0.05);
  });

  it('is 10% on ChiNext before 2020-08-24 and 20% from that day', () => {
    expect(CHINEXT_REFORM_DAY).toBe(dayOf('2020-08-24'));
    const catl = share('300750.SZ');
    expect(dailyLimitFraction(catl, dayOf('2020-08-21'))).toBe(0.1);
    expect(dailyLimitFraction(catl, CHINEXT_REFORM_DAY - 1)).toBe(0.1);
    expect(dailyLimitFraction(catl, CHINEXT_REFORM_DAY)).toBe(0.2);
    expect(dailyLimitFraction(catl, someDay)).toBe(0.2);
  });

  it('is 20% on STAR', () => {
    expect(dailyLimitFraction(share('688981.SH'), dayOf('2019-08-01'))).toBe(0.2);
    expect(dailyLimitFraction(share('688981.SH'), someDay)).toBe(0.2);
    expect(dailyLimitFraction(share('688981.SH', { st: true }), someDay)).toBe(0.2);
  });

  it('is absent for the first five trading days of a post-reform ChiNext or a STAR listing, and back on day index 5', () => {
    expect(UNLIMITED_LISTING_DAYS).toBe(5);
    for (const [symbol, day] of [
      ['301269.SZ', dayOf('2022-01-10')],
      ['688981.SH', dayOf('2020-07-16')],
    ] as const) {
      const instrument = share(symbol);
      for (let index = 0; index <= 4; index++) expect(dailyLimitFraction(instrument, day + index, index), `${symbol} day ${index}`).toBeUndefined();
      expect(dailyLimitFraction(instrument, day + 7, 5), `${symbol} day 5`).toBe(0.2);
      expect(dailyLimitFraction(instrument, day + 100, 70)).toBe(0.2);
    }
  });

  it('keeps the limit on the first days of a main-board or pre-reform ChiNext listing', () => {
    expect(dailyLimitFraction(share('601318.SH'), dayOf('2007-03-01'), 0)).toBe(0.1);
    expect(dailyLimitFraction(share('300750.SZ'), dayOf('2018-06-11'), 0)).toBe(0.1);
  });

  it('falls back to the code when the instrument has no board', () => {
    const bare = new Instrument({ symbol: '688001.SH', market: Market.AShare, base: '688001.SH', quote: 'CNY', tickSize: '0.01', lotSize: '100', minNotional: 0 });
    expect(bare.board).toBeUndefined();
    expect(dailyLimitFraction(bare, someDay)).toBe(0.2);
    expect(dailyLimitFraction(bare, someDay, 0)).toBeUndefined();
  });
});

describe('price limits', () => {
  const main = share('600519.SH');

  it('rounds half up to the fen: 11.05 x 1.1 = 12.155 -> 12.16, x 0.9 = 9.945 -> 9.95', () => {
    expect(priceLimits(main, 11.05, 0.1)).toEqual({ up: 12.16, down: 9.95 });
  });

  it('computes 5% and 20% limits the same way', () => {
    // 11.05 x 1.05 = 11.6025 -> 11.60; x 0.95 = 10.4975 -> 10.50
    expect(priceLimits(main, 11.05, 0.05)).toEqual({ up: 11.6, down: 10.5 });
    // 11.05 x 1.2 = 13.26; x 0.8 = 8.84
    expect(priceLimits(main, 11.05, 0.2)).toEqual({ up: 13.26, down: 8.84 });
    // 1800 x 1.1 = 1980; x 0.9 = 1620
    expect(priceLimits(main, 1800, 0.1)).toEqual({ up: 1980, down: 1620 });
  });

  it('rounds every limit of every fen price from 0.01 to 200.00 half up, exactly', () => {
    for (let fen = 1; fen <= 20_000; fen++) {
      const close = fen / 100;
      for (const [fraction, percent] of [
        [0.1, 10n],
        [0.05, 5n],
        [0.2, 20n],
      ] as const) {
        // Exact: close x (100 +- p) / 100 in units of 1e-4, then half up to 1e-2.
        const up4 = BigInt(fen) * (100n + percent);
        const down4 = BigInt(fen) * (100n - percent);
        const halfUp = (units4: bigint): number => Number((units4 + 50n) / 100n) / 100;
        const limits = priceLimits(main, close, fraction);
        if (limits.up !== halfUp(up4) || limits.down !== halfUp(down4)) {
          expect(limits, `${close} x ${fraction}`).toEqual({ up: halfUp(up4), down: halfUp(down4) });
        }
      }
    }
  });
});

describe('daily limit tracker', () => {
  const closeOf = (day: number): number => day * MS_PER_DAY + ASHARE_DAILY_CLOSE_OFFSET_MS;
  const limitsOf = (tracker: DailyLimitTracker, now: number) => {
    const limits = tracker.limitsAt(now);
    return { up: limits.up, down: limits.down };
  };

  it("takes today's limits from pre_close, else the last close; after 15:00 the next session's from today's close", () => {
    const tracker = new DailyLimitTracker(share('600519.SH'));
    const day = dayOf('2024-03-04');
    tracker.onBar(day, NaN, 10.5);
    expect(limitsOf(tracker, closeOf(day) - 1)).toEqual({ up: Infinity, down: 0 });
    expect(limitsOf(tracker, closeOf(day))).toEqual({ up: 11.55, down: 9.45 });
    tracker.onBar(day + 1, undefined, 11);
    expect(limitsOf(tracker, closeOf(day + 1) - 1)).toEqual({ up: 11.55, down: 9.45 });
    tracker.onBar(day + 1, 10, 11.2); // a later bar of the same day does not move today's limits
    expect({ up: tracker.up, down: tracker.down }).toEqual({ up: 11.55, down: 9.45 });
    expect(limitsOf(tracker, closeOf(day + 1))).toEqual({ up: 12.32, down: 10.08 });
    tracker.onBar(day + 2, 10.7, 10.9); // ex-rights: the day's reference price, not the last close
    expect({ up: tracker.up, down: tracker.down }).toEqual({ up: 11.77, down: 9.63 });
  });

  it('projects the no-limit days of a new STAR listing, and the first limited day after them', () => {
    const listing = dayOf('2024-03-04');
    const tracker = new DailyLimitTracker(share('688001.SH', { listingDate: '2024-03-04' }));
    for (let index = 0; index < UNLIMITED_LISTING_DAYS; index++) {
      tracker.onBar(listing + index, 20, 30);
      expect(tracker.up, `day ${index}`).toBe(Infinity);
      const next = limitsOf(tracker, closeOf(listing + index));
      expect(next, `after day ${index}`).toEqual(index + 1 < UNLIMITED_LISTING_DAYS ? { up: Infinity, down: 0 } : { up: 36, down: 24 });
    }
    tracker.onBar(listing + UNLIMITED_LISTING_DAYS, NaN, 31);
    expect({ up: tracker.up, down: tracker.down }).toEqual({ up: 36, down: 24 });
  });
});
