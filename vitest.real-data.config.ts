// `npm run test:real-data`: cross-checks on market data whose licence keeps it out of this repository (the
// workspace's ../shared/data: Binance 1m/1h files without a licence or under GPL, real A-share dailies). They need
// that folder next to the checkout and fail, rather than skip, without it. `npm test` runs only on bundled data.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/real-data/**/*.test.ts'],
    setupFiles: ['test/real-data/require-shared-data.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
