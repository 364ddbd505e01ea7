import { availableParallelism } from 'node:os';
import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // test/ is the suite; the starter's test in examples/ runs with it (it is what `traider new strategy` hands a user),
    // and so does a strategy test a user writes in the project's root or strategies/ (`npx vitest run NAME.test.ts`).
    include: ['test/**/*.test.ts', 'examples/**/*.test.ts', '*.test.ts', 'strategies/**/*.test.ts'],
    // Minutes-long end-to-end checks (npm pack, install, ...): `npm run test:long` (vitest.long.config.ts).
    // Checks on data that cannot ship with the repository: `npm run test:real-data` (vitest.real-data.config.ts).
    exclude: [...configDefaults.exclude, 'test/long/**', 'test/real-data/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // One file more than cores (vitest's default is one fewer): most of the suite's time is spent waiting on
    // spawned CLI processes and local exchanges, not computing. On 2 cores this takes the suite from ~430 s
    // (1 worker) to under 300 s.
    maxWorkers: availableParallelism() + 1,
  },
});
