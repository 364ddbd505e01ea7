// `npm run lint`: the type check, the import rules (.dependency-cruiser.cjs over src/ and bench/) and the clock check
// (scripts/check-clock.ts), run at the same time; every failing step's output is printed, each problem naming its file.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { checkClock } from './check-clock.ts';

const ROOT = join(import.meta.dirname, '..');

interface Step {
  readonly name: string;
  readonly ok: boolean;
  readonly output: string;
}

function run(name: string, script: string, args: readonly string[]): Promise<Step> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, 'node_modules', script), ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', (error) => resolve({ name, ok: false, output: `${output}${error.message}\n` }));
    child.on('close', (code) => resolve({ name, ok: code === 0, output }));
  });
}

const steps = await Promise.all([
  run('types (tsc --noEmit)', 'typescript/bin/tsc', ['--noEmit', '-p', '.']),
  run('imports (dependency-cruiser: .dependency-cruiser.cjs)', 'dependency-cruiser/bin/dependency-cruise.mjs', ['src', 'bench', '--config', '.dependency-cruiser.cjs', '--output-type', 'err-long']),
  Promise.resolve().then((): Step => {
    const problems = checkClock(ROOT);
    return problems.length === 0
      ? { name: 'clock (scripts/check-clock.ts)', ok: true, output: 'no wall-clock reads or timers outside the clock and its named exceptions\n' }
      : {
          name: 'clock (scripts/check-clock.ts)',
          ok: false,
          output: `${problems.join('\n')}\n${problems.length} problem(s): route time through the injected Clock, or name the file in EXCEPTIONS in scripts/check-clock.ts with a reason\n`,
        };
  }),
]);

for (const step of steps) {
  const body = step.output.trim();
  if (step.ok) process.stdout.write(`lint: ${step.name}: ok${body ? ` (${body.split('\n').at(-1)!.trim()})` : ''}\n`);
  else process.stdout.write(`lint: ${step.name}: FAILED\n${body}\n\n`);
}
process.exitCode = steps.every((step) => step.ok) ? 0 : 1;
