// The report as the `traider` command renders it: under tsx, whose transform (esbuild with keepNames) differs
// from the test runner's, the page script inlined from its TypeScript source must still draw both charts.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

const RENDER = `
const { renderReportHtml } = await import('./src/analytics/report/render.ts');
const { sampleReportInput } = await import('./test/analytics/report-fixture.ts');
process.stdout.write(renderReportHtml(sampleReportInput(2000)));
`;

describe('report rendered under tsx, in a real browser', () => {
  it('draws both charts without errors', async () => {
    const html = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', RENDER], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const dir = mkdtempSync(join(tmpdir(), 'traider-report-tsx-'));
    const file = join(dir, 'report.html');
    writeFileSync(file, html);
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const errors: string[] = [];
      page.on('console', (msg) => {
        if (msg.type() === 'error') errors.push(msg.text());
      });
      page.on('pageerror', (err) => errors.push(err.message));
      await page.goto(pathToFileURL(file).href);
      await page.waitForSelector('body[data-charts]');
      expect(await page.getAttribute('body', 'data-charts'), await page.textContent('#chart-error') ?? '').toBe('ready');
      for (const id of ['equity-chart', 'drawdown-chart']) expect(await page.locator(`#${id} canvas`).count(), id).toBeGreaterThan(0);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
