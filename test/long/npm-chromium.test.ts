// A fresh machine has no system Chromium: the browser tests then take the binary inside the
// @sparticuz/chromium npm package. This runs the report's browser test that way even where a system
// Chromium is installed, so CI exercises the path a new user's `npm test` takes.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

describe("the browser tests on the npm package's Chromium", () => {
  it('render and check the report with the packaged binary', () => {
    const result = spawnSync(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', 'test/analytics/report.browser.test.ts'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, TRAIDER_TEST_BROWSER: 'npm', CI: 'true' },
      timeout: 300_000,
    });
    const output = `${result.stdout}\n${result.stderr}`.replace(/\x1b\[[0-9;]*m/g, '');
    expect(result.status, output.slice(-2000)).toBe(0);
    expect(output, 'the npm binary was the one launched').toMatch(/browser: npm \S+/);
    expect(output).not.toMatch(/browser: system/);
    expect(output).toMatch(/Tests\s+1 passed \(1\)/);
  });
});
