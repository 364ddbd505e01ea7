// A-share reference prices and backward adjustment (fixture with two ex-days, plus the real 600519 file).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadBarSeries } from '../../src/engines/data/index.ts';
import { MOUTAI_1D, SHARED_DATA, fixtureLines, tempDir } from './helpers.ts';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const rawRows = fixtureLines(MOUTAI_1D).slice(1).map((l) => l.split(',').map(Number));
const rawClose = rawRows.map((r) => r[4]!);
const rawPre = rawRows.map((r) => r[7]!);

describe('A-share fixture: dividend on 2024-01-08 (pre_close 98 vs close 103), 10-for-10 on 2024-01-15 (55 vs 110)', () => {
  it('finds the ex-rights days and sets cumulative backward factors', async () => {
    const result = await loadBarSeries(MOUTAI_1D);
    const s = result.series;
    expect([s.symbol, s.market, s.timeframe]).toEqual(['600519.SH', 'ashare', '1d']);
    expect(result.exRightsDates).toEqual(['2024-01-08', '2024-01-15']);
    const early = 0.5 * (98 / 103);
    expect(Array.from(s.adjustmentFactor!)).toEqual([early, early, early, early, 0.5, 0.5, 0.5, 0.5, 0.5, 1, 1, 1, 1, 1]);
  });

  it('keeps the newest segment raw, scales older prices and volumes, keeps preClose raw', async () => {
    const s = (await loadBarSeries(MOUTAI_1D)).series;
    const f = s.adjustmentFactor!;
    expect(s.close[s.length - 1]).toBe(58);
    for (let i = 0; i < s.length; i++) {
      expect(s.close[i]).toBe(rawClose[i]! * f[i]!);
      expect(s.open[i]).toBe(rawRows[i]![1]! * f[i]!);
      expect(s.high[i]).toBe(rawRows[i]![2]! * f[i]!);
      expect(s.low[i]).toBe(rawRows[i]![3]! * f[i]!);
      expect(s.volume[i]).toBe(rawRows[i]![5]! / f[i]!);
      expect(s.close[i]! / f[i]!).toBeCloseTo(rawClose[i]!, 10);
      expect(s.preClose![i]).toBe(rawPre[i]);
    }
  });

  it('across each ex-day the adjusted close-to-close return equals the raw close / pre_close return', async () => {
    const s = (await loadBarSeries(MOUTAI_1D)).series;
    for (const i of [4, 9]) {
      expect(s.close[i]! / s.close[i - 1]!).toBeCloseTo(rawClose[i]! / rawPre[i]!, 12);
      expect(rawClose[i]! / rawClose[i - 1]!).not.toBeCloseTo(rawClose[i]! / rawPre[i]!, 3);
    }
  });

  it('adjust none keeps raw prices (factors 1) and still reports the ex-days', async () => {
    const result = await loadBarSeries(MOUTAI_1D, { adjust: 'none' });
    expect(Array.from(result.series.close)).toEqual(rawClose);
    expect(Array.from(result.series.adjustmentFactor!).every((x) => x === 1)).toBe(true);
    expect(result.exRightsDates).toEqual(['2024-01-08', '2024-01-15']);
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

const MOUTAI_REAL = join(SHARED_DATA, 'ashare/daily/600519.SH-1d-2001-08-27_2022-01-14.csv');

describe.runIf(existsSync(MOUTAI_REAL))('real 600519.SH daily (../shared)', () => {
  it('last close stays raw; every ex-day keeps the raw close/pre_close return', async () => {
    const adjusted = await loadBarSeries(MOUTAI_REAL);
    const raw = await loadBarSeries(MOUTAI_REAL, { adjust: 'none' });
    const s = adjusted.series;
    const r = raw.series;
    expect(s.length).toBe(4874);
    expect(adjusted.exRightsDates.length).toBe(22);
    expect(adjusted.exRightsDates).toContain('2021-06-25');
    expect(s.close[s.length - 1]).toBe(r.close[r.length - 1]);
    expect(s.close[s.length - 1]).toBe(1867);
    const day = (t: number): string => new Date(t).toISOString().slice(0, 10);
    for (const date of adjusted.exRightsDates) {
      const i = Array.from(s.openTime, day).indexOf(date);
      expect(i).toBeGreaterThan(0);
      expect(s.close[i]! / s.close[i - 1]!).toBeCloseTo(r.close[i]! / r.preClose![i]!, 10);
    }
    // 2021-06-25: 2068.05 -> pre_close 2048.76 (cash dividend 19.293 per share).
    const i = Array.from(s.openTime, day).indexOf('2021-06-25');
    expect([r.close[i - 1], r.preClose![i]]).toEqual([2068.05, 2048.76]);
    // The factor only changes across ex-days, by pre_close / previous close.
    const exIndex = new Set(adjusted.exRightsDates.map((d) => Array.from(s.openTime, day).indexOf(d)));
    const f = s.adjustmentFactor!;
    expect(f[s.length - 1]).toBe(1);
    for (let k = 1; k < s.length; k++) {
      if (exIndex.has(k)) expect(f[k - 1]! / f[k]!).toBeCloseTo(r.preClose![k]! / r.close[k - 1]!, 12);
      else expect(f[k - 1]).toBe(f[k]);
    }
  });
});
