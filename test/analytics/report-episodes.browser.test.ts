// Dense events in a real browser: hovering across the equity chart shows each episode's tooltip with its events, and
// a click on an episode scrolls the event table to it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { renderReportHtml } from '../../src/analytics/report/render.ts';
import type { ReportEvent } from '../../src/analytics/report/types.ts';
import { launchChromium } from '../support/browser.ts';
import { sampleReportInput } from './report-fixture.ts';

describe('episodes of dense events in a real browser', () => {
  it('shows every episode on hover and scrolls to its rows on click', async () => {
    const input = sampleReportInput(4000);
    const time = input.equity.time;
    const span = time[time.length - 1]! - time[0]!;
    // 12 bursts of 25 events an hour apart: 300 events, 12 episodes.
    const events: ReportEvent[] = [];
    for (let b = 0; b < 12; b++) {
      for (let k = 0; k < 25; k++) events.push({ time: time[0]! + (span * (b + 0.5)) / 12 + k * 3_600_000, text: `burst ${b + 1} event ${k + 1}`, color: '#dc2626' });
    }
    const dir = mkdtempSync(join(tmpdir(), 'traider-episodes-'));
    const file = join(dir, 'report.html');
    writeFileSync(file, renderReportHtml({ ...input, events }));
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const errors: string[] = [];
      page.on('pageerror', (err) => errors.push(err.message));
      await page.goto(pathToFileURL(file).href);
      await page.waitForSelector('body[data-charts]');
      expect(await page.getAttribute('body', 'data-charts')).toBe('ready');
      const box = (await page.locator('#equity-chart').boundingBox())!;
      // Record every tooltip shown while the mouse sweeps across the chart (one move of many small steps).
      await page.evaluate(() => {
        const tip = document.getElementById('episode-tip')!;
        const shown: Array<{ x: number; text: string }> = [];
        (window as unknown as { shown: typeof shown }).shown = shown;
        let x = 0;
        document.getElementById('equity-chart')!.addEventListener('mousemove', (e) => (x = e.offsetX), true);
        new MutationObserver(() => {
          if (!tip.hidden) shown.push({ x, text: tip.innerText });
        }).observe(tip, { childList: true, characterData: true, subtree: true, attributes: true });
      });
      await page.mouse.move(box.x + 2, box.y + box.height / 2);
      // Steps of about 20 px: an episode spans about 25 px, and the tooltip answers within 7 px of it.
      await page.mouse.move(box.x + box.width - 100, box.y + box.height / 2, { steps: 60 });
      const shown = await page.evaluate(() => (window as unknown as { shown: Array<{ x: number; text: string }> }).shown);
      const seen = new Map<string, { x: number; text: string }>();
      for (const s of shown) {
        const head = s.text.split('\n')[0]!;
        if (!seen.has(head)) seen.set(head, s);
      }
      expect([...seen.keys()]).toEqual(Array.from({ length: 12 }, (_, i) => `Episode ${i + 1}: 25 events`));
      const fifth = seen.get('Episode 5: 25 events')!;
      expect(fifth.text).toContain('burst 5 event 1');
      expect(fifth.text).toContain('… 15 more in the event table');
      expect(await page.evaluate(() => window.scrollY)).toBe(0);
      // offsetX is relative to the canvas the event hit, which starts at the chart's left edge.
      await page.mouse.click(box.x + fifth.x, box.y + box.height / 2);
      await page.waitForFunction(() => {
        const row = document.getElementById('episode-5')!.getBoundingClientRect();
        return row.top >= 0 && row.bottom <= window.innerHeight;
      });
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
