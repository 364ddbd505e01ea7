// A headless Chromium for browser tests: the system's when installed, else the binary shipped inside the
// @sparticuz/chromium npm package (unpacked to /tmp on first use), so `npm test` needs nothing from apt.
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

const SYSTEM_CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];
// No connections beyond the page under test (a closed network makes Chromium's background services noisy).
const QUIET = ['--lang=en-US', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface BrowserChoice {
  readonly executablePath: string;
  readonly args: readonly string[];
  readonly source: 'system' | 'npm';
}

/** TRAIDER_TEST_BROWSER=npm takes the npm package's binary even where a system Chromium is installed (a fresh machine's path, run by test/long). */
export async function findChromium(): Promise<BrowserChoice> {
  const system = process.env.TRAIDER_TEST_BROWSER === 'npm' ? undefined : SYSTEM_CHROMIUM.find((path) => existsSync(path));
  if (system !== undefined) return { executablePath: system, args: ['--headless', '--no-sandbox', '--disable-gpu', ...QUIET], source: 'system' };
  // The package's own argument list is tuned for serverless hosts (single process, GL through SwiftShader);
  // with it playwright cannot open a page here, so only the binary is taken.
  const packaged = (await import('@sparticuz/chromium')).default;
  return { executablePath: await packaged.executablePath(), args: ['--no-sandbox', '--disable-gpu', '--no-zygote', '--disable-dev-shm-usage', ...QUIET], source: 'npm' };
}

export async function launchChromium(): Promise<Browser> {
  const choice = await findChromium();
  if (process.env.TRAIDER_TEST_BROWSER !== undefined) process.stderr.write(`browser: ${choice.source} ${choice.executablePath}\n`);
  // Under LANG=C.UTF-8 the bundled build calls its locale en-US@posix, which Intl refuses: the charts never draw.
  const env: Record<string, string | undefined> = { ...process.env, LANG: 'en_US.UTF-8', LANGUAGE: 'en_US' };
  delete env.LC_ALL;
  return chromium.launch({ executablePath: choice.executablePath, args: [...choice.args], headless: true, env });
}
