// A-share reference prices and point-in-time adjustment factors (fixture with two ex-days, plus the real 600519 file).
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadBarSeries } from '../../src/adapters/files/index.ts';
import { SHARED_DATA, tempDir } from '../data/helpers.ts';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const MOUTAI_REAL = join(SHARED_DATA, 'ashare/daily/600519.SH-1d-2001-08-27_2022-01-14.csv');

describe('real 600519.SH daily', () => {
  it('prices stay raw; every ex-day keeps the raw close/pre_close return in the adjusted series', async () => {
    const loaded = await loadBarSeries(MOUTAI_REAL);
    const s = loaded.series;
    expect(s.length).toBe(4874);
    expect(loaded.exRightsDates.length).toBe(22);
    expect(loaded.exRightsDates).toContain('2021-06-25');
    expect(s.close[s.length - 1]).toBe(1867);
    const f = s.adjustmentFactor!;
    expect(f[0]).toBe(1);
    const day = (t: number): string => new Date(t).toISOString().slice(0, 10);
    const days = Array.from(s.openTime, day);
    for (const date of loaded.exRightsDates) {
      const i = days.indexOf(date);
      expect(i).toBeGreaterThan(0);
      expect((s.close[i]! * f[i]!) / (s.close[i - 1]! * f[i - 1]!)).toBeCloseTo(s.close[i]! / s.preClose![i]!, 10);
    }
    // 2021-06-25: 2068.05 -> pre_close 2048.76 (cash dividend 19.293 per share).
    const i = days.indexOf('2021-06-25');
    expect([s.close[i - 1], s.preClose![i]]).toEqual([2068.05, 2048.76]);
    // The factor only changes across ex-days, by previous close / pre_close.
    const exIndex = new Set(loaded.exRightsDates.map((d) => days.indexOf(d)));
    for (let k = 1; k < s.length; k++) {
      if (exIndex.has(k)) expect(f[k]! / f[k - 1]!).toBeCloseTo(s.close[k - 1]! / s.preClose![k]!, 12);
      else expect(f[k - 1]).toBe(f[k]);
    }
  });
});
