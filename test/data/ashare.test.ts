// A-share reference prices and point-in-time adjustment factors (fixture with two ex-days, plus the real 600519 file).
import { afterAll, describe, expect, it } from 'vitest';
import { loadBarSeries } from '../../src/adapters/files/index.ts';
import { MOUTAI_1D, fixtureLines, tempDir } from './helpers.ts';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const rawRows = fixtureLines(MOUTAI_1D).slice(1).map((l) => l.split(',').map(Number));
const rawClose = rawRows.map((r) => r[4]!);
const rawPre = rawRows.map((r) => r[7]!);

describe('A-share fixture: dividend on 2024-01-08 (pre_close 98 vs close 103), 10-for-10 on 2024-01-15 (55 vs 110)', () => {
  it('finds the ex-rights days and sets cumulative point-in-time factors (1 until the first ex-day)', async () => {
    const result = await loadBarSeries(MOUTAI_1D);
    const s = result.series;
    expect([s.symbol, s.market, s.timeframe, s.adjust]).toEqual(['600519.SH', 'ashare', '1d', 'pit']);
    expect(result.exRightsDates).toEqual(['2024-01-08', '2024-01-15']);
    const dividend = 103 / 98;
    const split = dividend * (110 / 55);
    const want = [1, 1, 1, 1, dividend, dividend, dividend, dividend, dividend, split, split, split, split, split];
    Array.from(s.adjustmentFactor!).forEach((f, i) => expect(f).toBeCloseTo(want[i]!, 14));
  });

  it('keeps every price, volume and preClose raw, as in the file', async () => {
    const s = (await loadBarSeries(MOUTAI_1D)).series;
    for (let i = 0; i < s.length; i++) {
      expect([s.open[i], s.high[i], s.low[i], s.close[i], s.volume[i]]).toEqual(rawRows[i]!.slice(1, 6));
      expect(s.preClose![i]).toBe(rawPre[i]);
    }
  });

  it('across each ex-day the adjusted close-to-close return equals the raw close / pre_close return', async () => {
    const s = (await loadBarSeries(MOUTAI_1D)).series;
    const f = s.adjustmentFactor!;
    for (const i of [4, 9]) {
      expect((s.close[i]! * f[i]!) / (s.close[i - 1]! * f[i - 1]!)).toBeCloseTo(rawClose[i]! / rawPre[i]!, 12);
      expect(rawClose[i]! / rawClose[i - 1]!).not.toBeCloseTo(rawClose[i]! / rawPre[i]!, 3);
    }
  });

  it('adjust none: the same raw prices and factors, marked for strategies to see raw prices', async () => {
    const result = await loadBarSeries(MOUTAI_1D, { adjust: 'none' });
    expect(Array.from(result.series.close)).toEqual(rawClose);
    expect(result.series.adjust).toBe('none');
    expect(result.series.adjustmentFactor![13]).toBeCloseTo((103 / 98) * 2, 14);
    expect(result.exRightsDates).toEqual(['2024-01-08', '2024-01-15']);
  });

  it('refuses backward adjustment, saying why', async () => {
    await expect(loadBarSeries(MOUTAI_1D, { adjust: 'backward' as never })).rejects.toThrow(/backward adjustment is refused: .*see\s+the future/);
  });

  it('without a pre_close column: preClose = previous raw close (NaN first), no adjustment possible', async () => {
    const lines = fixtureLines(MOUTAI_1D).map((l) => l.split(',').slice(0, 7).join(','));
    const path = tmp.write('600519.SH-1d-nopre.csv', lines.join('\n') + '\n');
    const result = await loadBarSeries(path);
    const s = result.series;
    expect(s.preClose![0]).toBeNaN();
    expect(Array.from(s.preClose!.subarray(1))).toEqual(rawClose.slice(0, -1));
    expect(Array.from(s.adjustmentFactor!).every((x) => x === 1)).toBe(true);
    expect(result.exRightsDates).toEqual([]);
    expect(Array.from(s.close)).toEqual(rawClose);
  });

  it('an empty pre_close field falls back to the previous raw close', async () => {
    const lines = fixtureLines(MOUTAI_1D);
    lines[5] = lines[5]!.replace(/,[^,]*$/, ',');
    const path = tmp.write('600519.SH-1d-hole.csv', lines.join('\n') + '\n');
    const result = await loadBarSeries(path);
    expect(result.series.preClose![4]).toBe(103);
    expect(result.exRightsDates).toEqual(['2024-01-15']);
  });

  it('ignores differences up to 1e-6 relative', async () => {
    const lines = fixtureLines(MOUTAI_1D);
    lines[2] = lines[2]!.replace(/,[^,]*$/, ',101.0000001'); // previous close 101: 1e-9 relative
    const path = tmp.write('600519.SH-1d-tiny.csv', lines.join('\n') + '\n');
    expect((await loadBarSeries(path)).exRightsDates).toEqual(['2024-01-08', '2024-01-15']);
  });
});
