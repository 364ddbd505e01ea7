// docs/tutorial.md cannot rot: every command of its ```sh blocks runs here, in order, in a temporary folder laid out
// like a fresh clone (test/support/tutorial-sandbox.ts), the way a reader types it: `npx traider` is this checkout's
// bin/traider.js, `npx vitest` its vitest. Each must exit 0, except one marked `# fails:`, which must fail; the output
// lines the page shows in ```text checked blocks must be in the output; its ```ts from FILE excerpts must be in the
// file. What the page promises a reader (the report files, a paper session that traded, the journal listing both
// runs, an intact audit log) is checked after the command that promises it. The commands come from the page only;
// the conventions are in test/support/tutorial-markdown.ts. About a minute: `npm run test:long`.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../cli/run-cli.ts';
import { type Command, missingLines, parseTutorial } from '../support/tutorial-markdown.ts';
import { type Background, freePort, makeClone, runShell, type ShellResult, startBackground } from '../support/tutorial-sandbox.ts';

const PAGE = join(ROOT, 'docs/tutorial.md');
const tutorial = parseTutorial(readFileSync(PAGE, 'utf8'));
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
/** The port the page uses for the local exchange; replaced by a free one. */
const PAGE_PORT = '8765';

/** What the reader types, as this test runs it: this checkout's CLI and vitest, a free port, RUN_ID filled in. */
function shellCommand(text: string, port: number, runId: string | undefined): string {
  const node = JSON.stringify(process.execPath);
  let command = text
    .replace(/^npx traider(?= |$)/, `${node} ${JSON.stringify(join(ROOT, 'bin/traider.js'))}`)
    .replace(/^npx vitest(?= |$)/, `${node} ${JSON.stringify(join(ROOT, 'node_modules/vitest/vitest.mjs'))}`)
    .replaceAll(new RegExp(`\\b${PAGE_PORT}\\b`, 'g'), String(port));
  if (command.includes('RUN_ID')) {
    if (runId === undefined) throw new Error('RUN_ID: the command before it printed no run id');
    command = command.replaceAll('RUN_ID', runId);
  }
  if (/^np[mx] /.test(command)) throw new Error(`the test does not know how to run "${text}" (npx traider, npx vitest and npm ci only)`);
  return command;
}

/** A line starting with an 8-hex-digit run id (`runs list`'s first column): the first one is the newest run. */
const listedRunId = (stdout: string): string | undefined => /^([0-9a-f]{8})\s/m.exec(stdout)?.[1];

const count = (pattern: RegExp, text: string): number => Number(pattern.exec(text)?.[1] ?? Number.NaN);

/**
 * What the page promises after each kind of command, checked against its output and the files it wrote. Each must be
 * checked at least once (the last test), so a page that drops a step fails too.
 */
interface PagePromise {
  readonly name: string;
  /** The commands (as the page writes them) that make it. */
  readonly command: RegExp;
  /** `runId`: the one filled in for RUN_ID. */
  check(result: ShellResult, context: { readonly command: string; readonly clone: string; readonly runId?: string | undefined }): void;
}

const PROMISES: readonly PagePromise[] = [
  {
    name: 'the version',
    command: /^npx traider --version$/,
    check: ({ stdout }) => expect(stdout.trim()).toBe(VERSION),
  },
  {
    name: 'the demo trades on the local exchange and prints a summary',
    command: /^npx traider demo\b/,
    check: ({ stdout }) => {
      expect(stdout).toContain('paper session on binance (BTC/USDT)');
      expect(count(/^data\s+(\d+) bars/m, stdout)).toBeGreaterThan(0);
    },
  },
  {
    name: 'new strategy writes the strategy and its test',
    command: /^npx traider new strategy\b/,
    check: (_result, { command, clone }) => {
      const [, name, dir] = /new strategy (\S+)(?: --dir (\S+))?/.exec(command)!;
      for (const file of [`${name}.ts`, `${name}.test.ts`]) expect(existsSync(join(clone, dir ?? '.', file)), file).toBe(true);
    },
  },
  {
    name: "the strategy's test passes",
    command: /^npx vitest run\b/,
    check: ({ stdout }) => {
      expect(stdout).toMatch(/Tests\s+\d+ passed \(\d+\)/);
      expect(stdout).not.toMatch(/failed/);
    },
  },
  {
    name: 'a backtest with --out writes the report and the files the page lists',
    command: /^npx traider backtest .*--out /,
    check: (_result, { command, clone }) => {
      const out = /--out (\S+)/.exec(command)![1]!;
      for (const file of ['report.html', 'trades.csv', 'fills.csv', 'equity.csv', 'denials.csv', 'log.txt', 'run.json']) expect(existsSync(join(clone, out, file)), file).toBe(true);
      expect(readFileSync(join(clone, out, 'report.html'), 'utf8')).toContain('<html');
    },
  },
  {
    name: 'the paper session receives bars and trades',
    command: /^npx traider paper\b/,
    check: ({ stdout, stderr }) => {
      expect(count(/^data\s+(\d+) bars/m, stdout), stdout).toBeGreaterThan(0);
      expect(count(/^trading\s+\d+ orders, (\d+) fills/m, stdout), stdout).toBeGreaterThan(0);
      expect(stderr).toMatch(/^status: \d+ bars \| BTC\/USDT last /m);
      expect(stderr).toMatch(/^journaling run [0-9a-f-]{36} to /m);
    },
  },
  {
    name: 'runs list shows the backtest and the paper session, finished',
    command: /^npx traider runs list\b/,
    check: ({ stdout }) => {
      expect(stdout).toMatch(/^[0-9a-f]{8}\s+PAPER\s+FINISHED\s/m);
      expect(stdout).toMatch(/^[0-9a-f]{8}\s+BACKTEST\s+FINISHED\s/m);
    },
  },
  {
    name: 'runs show prints the run it was given',
    command: /^npx traider runs show\b/,
    check: ({ stdout }, { runId }) => {
      expect(runId).toMatch(/^[0-9a-f]{8}$/);
      expect(stdout).toMatch(new RegExp(`^run ${runId}[0-9a-f-]{28}\\n`));
      expect(stdout).toMatch(/^fills \(\d+\)/m);
    },
  },
  {
    name: 'the audit log is intact',
    command: /^npx traider audit verify\b/,
    check: ({ stdout }) => expect(stdout).toMatch(/^audit log intact: [1-9]\d* entries/m),
  },
];

describe('docs/tutorial.md is read by its conventions', () => {
  it('finds the blocks of the page: commands in order, one left running, checked outputs and an excerpt', () => {
    expect(tutorial.blockCounts['sh']).toBeGreaterThanOrEqual(7);
    expect(tutorial.blockCounts['sh background']).toBe(1);
    expect(tutorial.blockCounts['text checked']).toBeGreaterThanOrEqual(2);
    expect(tutorial.blockCounts['ts from']).toBe(1);
    expect(tutorial.commands.length).toBeGreaterThanOrEqual(12);
    expect(tutorial.commands.filter((command) => command.fails)).toHaveLength(1);
    expect(tutorial.commands.filter((command) => command.background).map((command) => command.text)).toEqual([expect.stringMatching(/^npx traider exchange-sim /)]);
  });

  it('skips HTML comments, joins continued lines, marks `# fails:` and background commands, attaches checked output to the command before', () => {
    const page = [
      '<!-- a note: ```sh in a comment is no block',
      '```sh -->',
      '```sh',
      'npx traider one \\',
      '  --flag x',
      '# a comment',
      '# fails: on purpose',
      'npx traider two',
      '```',
      'prose',
      '```text checked',
      'error: two',
      '...',
      '```',
      '```text',
      'not checked',
      '```',
      '```sh background',
      'npx traider server',
      '```',
      '```ts from a/b.ts',
      '  const x = 1;',
      '```',
    ].join('\n');
    const parsed = parseTutorial(page);
    expect(parsed.commands).toEqual<Command[]>([
      { text: 'npx traider one --flag x', line: 4, background: false, fails: false, expectedLines: [] },
      { text: 'npx traider two', line: 8, background: false, fails: true, expectedLines: ['error: two'] },
      { text: 'npx traider server', line: 19, background: true, fails: false, expectedLines: [] },
    ]);
    expect(parsed.excerpts).toEqual([{ file: 'a/b.ts', lines: ['const x = 1;'], line: 22, afterCommands: 3 }]);
    expect(parsed.blockCounts).toEqual({ sh: 1, 'text checked': 1, text: 1, 'sh background': 1, 'ts from': 1 });
    expect(() => parseTutorial('```sh\nnpx traider x\n')).toThrow(/never closed/);
    expect(() => parseTutorial('```sh\nnpx traider x\n# fails: nothing after\n```\n')).toThrow(/no command after it/);
    expect(missingLines(['a', 'b c'], 'x\nb c  \na\n')).toEqual([]);
    expect(missingLines(['a', 'b'], 'ab\n')).toEqual(['a', 'b']);
  });
});

describe('docs/tutorial.md: every command, in order, in a fresh clone', () => {
  const clone = makeClone(ROOT);
  const port = freePort();
  const running: Background[] = [];
  const promisesChecked = new Set<string>();
  let excerptsChecked = 0;
  let previousStdout = '';
  let broken: string | undefined;

  afterAll(async () => {
    await Promise.all(running.map((background) => background.interrupt()));
    rmSync(clone, { recursive: true, force: true });
  });

  const run = async (command: Command, index: number): Promise<void> => {
    if (command.text === 'npm ci') {
      // The checkout this test runs from is installed already (the clone links its node_modules); installing from
      // the lock file is test/long/packed-install.test.ts's part.
      expect(existsSync(join(ROOT, 'node_modules/.package-lock.json'))).toBe(true);
      return;
    }
    const runId = listedRunId(previousStdout);
    const shell = shellCommand(command.text, await port, runId);
    if (command.background) {
      const background = await startBackground(shell, clone, /listening on http:\/\/127\.0\.0\.1:\d+/, 60_000);
      running.push(background);
      expect(missingLines(command.expectedLines, background.output().replaceAll(String(await port), PAGE_PORT))).toEqual([]);
      return;
    }
    const result = await runShell(shell, clone, 120_000);
    const shown = `$ ${command.text}\n--- exit code ${result.code}\n--- stdout\n${result.stdout.slice(-3000)}\n--- stderr\n${result.stderr.slice(-3000)}`;
    if (command.fails) expect(result.code, shown).not.toBe(0);
    else expect(result.code, shown).toBe(0);
    const output = `${result.stdout}\n${result.stderr}`.replaceAll(String(await port), PAGE_PORT);
    expect(missingLines(command.expectedLines, output), `lines the page shows that the output lacks\n${shown}`).toEqual([]);
    for (const promise of PROMISES.filter((candidate) => candidate.command.test(command.text))) {
      promise.check(result, { command: command.text, clone, runId });
      promisesChecked.add(promise.name);
    }
    for (const excerpt of tutorial.excerpts.filter((candidate) => candidate.afterCommands === index + 1)) {
      const lines = readFileSync(join(clone, excerpt.file), 'utf8')
        .split('\n')
        .map((line) => line.trim())
        .join('\n');
      expect(missingLines(excerpt.lines, lines), `docs/tutorial.md line ${excerpt.line}: lines not in ${excerpt.file}`).toEqual([]);
      excerptsChecked++;
    }
    previousStdout = result.stdout;
  };

  tutorial.commands.forEach((command, index) => {
    it(`line ${command.line}: ${command.text}`, async () => {
      // After a failure the later commands would fail for its sake: name the first one instead.
      if (broken !== undefined) throw new Error(`not run: ${broken} failed first`);
      try {
        await run(command, index);
      } catch (error) {
        broken = `line ${command.line}`;
        throw error;
      }
    });
  });

  it('the local exchange stops on Ctrl-C with exit code 0', async () => {
    expect(running).toHaveLength(1);
    expect(await running[0]!.interrupt()).toBe(0);
  });

  it('every promise of the page was checked (no step dropped from it)', () => {
    expect([...promisesChecked].sort()).toEqual(PROMISES.map((promise) => promise.name).sort());
    expect(excerptsChecked).toBe(tutorial.excerpts.length);
  });
});
