// Opens a rendered report in a real headless Chromium (the system's, else the one in @sparticuz/chromium):
// both charts must draw, with no console errors and no request leaving the file.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { renderReportHtml } from '../../src/analytics/report/render.ts';
import { launchChromium } from '../support/browser.ts';
import { sampleReportInput } from './report-fixture.ts';

const SCREENSHOT = '/tmp/traider-report.png';

interface CanvasInfo {
  count: number;
  width: number;
  height: number;
  inked: number;
}

describe('report in a real browser', () => {
  it('draws the equity and drawdown charts without errors or network', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'traider-report-'));
    const file = join(dir, 'report.html');
    writeFileSync(file, renderReportHtml(sampleReportInput(10_000)));
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const errors: string[] = [];
      const external: string[] = [];
      page.on('console', (msg) => {
        if (msg.type() === 'error') errors.push(msg.text());
      });
      page.on('pageerror', (err) => errors.push(err.message));
      await page.route('**/*', async (route) => {
        const url = route.request().url();
        if (url.startsWith('file:')) await route.continue();
        else {
          external.push(url);
          await route.abort();
        }
      });
      await page.goto(pathToFileURL(file).href);
      await page.waitForSelector('body[data-charts]');
      expect(await page.getAttribute('body', 'data-charts')).toBe('ready');
      // let the charts paint their first frame
      await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));

      for (const id of ['equity-chart', 'drawdown-chart']) {
        const info = await page.evaluate((containerId): CanvasInfo => {
          const canvases = Array.from(document.querySelectorAll<HTMLCanvasElement>(`#${containerId} canvas`));
          let width = 0;
          let height = 0;
          let inked = 0;
          for (const c of canvases) {
            const r = c.getBoundingClientRect();
            width = Math.max(width, r.width);
            height = Math.max(height, r.height);
            const ctx = c.getContext('2d');
            if (ctx === null || c.width === 0 || c.height === 0) continue;
            const px = ctx.getImageData(0, 0, c.width, c.height).data;
            // count pixels that are neither transparent nor near-white: lines, fills and text
            for (let i = 0; i < px.length; i += 4) {
              if (px[i + 3]! > 0 && (px[i]! < 200 || px[i + 1]! < 200 || px[i + 2]! < 200)) inked++;
            }
          }
          return { count: canvases.length, width, height, inked };
        }, id);
        expect(info.count, id).toBeGreaterThan(0);
        expect(info.width, id).toBeGreaterThan(300);
        expect(info.height, id).toBeGreaterThan(100);
        expect(info.inked, id).toBeGreaterThan(1000);
      }
      expect(await page.locator('table.trades tbody tr').count()).toBe(12);
      await page.screenshot({ path: SCREENSHOT, fullPage: true });
      expect(errors).toEqual([]);
      expect(external).toEqual([]);
    } finally {
      await browser.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
