// Runs `traider` in the test's own process, capturing stdout and stderr: for commands that stop before doing
// anything heavy (bad input) or that do not exit the process, without the ~0.3 s start of a child process.
import { vi } from 'vitest';
import type { CliResult } from './run-cli.ts';

export async function runInProcess(args: string[], env: Record<string, string> = { TRAIDER_DB: '' }): Promise<CliResult> {
  const { main } = await import('../../src/cli/main.ts');
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
  const saved = Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]));
  Object.assign(process.env, env);
  try {
    const code = await main(['node', 'traider', ...args]);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}
