// `npm run golden:update`: run the golden configurations and (re)write test/golden/fixtures/<name>.json from the
// current code. Review the diff before committing: a changed fixture means changed results.
// Same as `TRAIDER_GOLDEN_UPDATE=1 npx vitest run test/golden`, without vitest and on any shell.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { CONFIGURATIONS, prepareInputs, ROOT } from './configurations.ts';
import { fixturePath, formatFixture, readFixture, runAll, writeFixture } from './golden.ts';

const tmp = mkdtempSync(join(tmpdir(), 'traider-golden-'));
let failed = false;
try {
  const inputs = prepareInputs(tmp);
  const runs = runAll(CONFIGURATIONS, inputs, tmp);
  for (const [k, configuration] of CONFIGURATIONS.entries()) {
    try {
      const { fixture, ms } = await runs[k]!;
      if (fixture.fills.count <= 5) throw new Error(`only ${fixture.fills.count} fills: a golden that hardly trades guards nothing`);
      const previous = readFixture(configuration.name);
      const state = previous === undefined ? 'created' : formatFixture(previous) === formatFixture(fixture) ? 'unchanged' : 'UPDATED';
      writeFixture(fixture);
      process.stdout.write(`${state.padEnd(9)} ${relative(ROOT, fixturePath(configuration.name))}  (${fixture.fills.count} fills, ${Math.round(ms)} ms)\n`);
    } catch (error) {
      failed = true;
      process.stderr.write(`FAILED    ${configuration.name}: ${(error as Error).message}\n`);
    }
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;
