// `npm run bench`: every benchmark, one JSON object on stdout (progress on stderr).
import { benchBacktest } from './backtest.ts';

async function main(): Promise<void> {
  const results: Record<string, unknown> = {};
  const log = (message: string): void => void process.stderr.write(`bench: ${message}\n`);
  log('backtest (1,000,000 bars through the kernel vs a typed-array loop)');
  results.backtest = await benchBacktest();
  try {
    const { benchIndicators } = await import('./indicators.ts');
    log('indicators vs trading-signals');
    results.indicators = await benchIndicators();
  } catch (error) {
    log(`indicators skipped: ${(error as Error).message}`);
  }
  try {
    const { benchVar } = await import('./var.ts');
    log('portfolio VaR');
    results.var = await benchVar();
  } catch (error) {
    log(`var skipped: ${(error as Error).message}`);
  }
  process.stdout.write(`${JSON.stringify(results)}\n`);
}

await main();
