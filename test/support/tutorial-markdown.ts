// Reads docs/tutorial.md as test/long/tutorial.test.ts runs it: the commands of its ```sh blocks in document order,
// and the output samples and file excerpts the page promises. The page itself carries everything; the test keeps
// no copy of a command. The conventions (invisible once the page is rendered):
//
//   ```sh                 each line is a command (a trailing `\` continues it), run in order; it must exit 0
//   ```sh background      a long-running command (the local exchange): started, left running, stopped at the end
//   # fails: WHY          a comment line in a ```sh block: the next command must exit non-zero
//   # any other comment   ignored
//   ```text checked       every line (but `...`) must be a whole line of the output of the command just before
//   ```ts from FILE       every line (but `...`) must be a line of FILE as the commands above left it (indentation
//                         ignored)
//   ```text, ```ts, ...   for readers only
//
// An upper-case placeholder such as RUN_ID in a command is for the reader to fill in; the test fills it in from the
// output of the command before (see the test).

export interface Command {
  /** The command as a reader types it, continuation lines joined with single spaces. */
  readonly text: string;
  /** 1-based line of the page where it starts (for failure messages). */
  readonly line: number;
  readonly background: boolean;
  /** `# fails:` came right before it: it must exit non-zero. */
  readonly fails: boolean;
  /** Lines promised in its output (```text checked blocks that follow it, before the next command). */
  readonly expectedLines: string[];
}

export interface FileExcerpt {
  readonly file: string;
  readonly lines: readonly string[];
  readonly line: number;
  /** How many commands precede it: the file is checked once they have run. */
  readonly afterCommands: number;
}

export interface Tutorial {
  readonly commands: readonly Command[];
  readonly excerpts: readonly FileExcerpt[];
  /** Blocks by info string's first two words (`sh`, `sh background`, `text checked`, `ts from`, ...): for checking the parse. */
  readonly blockCounts: Readonly<Record<string, number>>;
}

interface Block {
  readonly info: string[];
  readonly body: string[];
  /** 1-based line of the first body line. */
  readonly line: number;
}

function blocksOf(markdown: string): Block[] {
  // An HTML comment (the page's note to maintainers) is not rendered and holds no blocks; blanked, lines keep their numbers.
  const lines = markdown.replace(/<!--[\s\S]*?-->/g, (comment) => comment.replace(/[^\n]/g, '')).split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(`{3,})(.*)$/.exec(lines[i]!);
    if (!open) continue;
    const fence = open[1]!;
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && !lines[j]!.startsWith(fence)) body.push(lines[j++]!);
    if (j === lines.length) throw new Error(`tutorial line ${i + 1}: code block never closed`);
    blocks.push({ info: open[2]!.trim().split(/\s+/).filter(Boolean), body, line: i + 2 });
    i = j;
  }
  return blocks;
}

/** The promised lines of a checked block or excerpt: trailing spaces dropped, `...` (elision) and blank lines skipped. */
const promised = (body: readonly string[]): string[] => body.map((line) => line.trimEnd()).filter((line) => line.trim() !== '...' && line.trim() !== '');

function commandsOf(block: Block): Command[] {
  const commands: Command[] = [];
  let fails = false;
  for (let i = 0; i < block.body.length; i++) {
    const start = i;
    const raw = block.body[i]!.trim();
    if (raw === '') continue;
    if (raw.startsWith('#')) {
      if (/^#\s*fails:/.test(raw)) fails = true;
      continue;
    }
    let text = raw;
    while (text.endsWith('\\')) {
      if (++i >= block.body.length) throw new Error(`tutorial line ${block.line + start}: a \`\\\` continues past the end of the block`);
      text = `${text.slice(0, -1).trimEnd()} ${block.body[i]!.trim()}`;
    }
    commands.push({ text, line: block.line + start, background: block.info[1] === 'background', fails, expectedLines: [] });
    fails = false;
  }
  if (fails) throw new Error(`tutorial line ${block.line}: \`# fails:\` with no command after it`);
  return commands;
}

export function parseTutorial(markdown: string): Tutorial {
  const commands: Command[] = [];
  const excerpts: FileExcerpt[] = [];
  const blockCounts: Record<string, number> = {};
  for (const block of blocksOf(markdown)) {
    const kind = block.info.slice(0, 2).join(' ');
    blockCounts[kind] = (blockCounts[kind] ?? 0) + 1;
    if (block.info[0] === 'sh') {
      if (block.info.length > 1 && block.info[1] !== 'background') throw new Error(`tutorial line ${block.line - 1}: unknown sh block kind "${block.info[1]}" (use \`sh\` or \`sh background\`)`);
      commands.push(...commandsOf(block));
    } else if (kind === 'text checked') {
      const last = commands.at(-1);
      if (!last) throw new Error(`tutorial line ${block.line - 1}: a checked output block before any command`);
      last.expectedLines.push(...promised(block.body));
    } else if (block.info[1] === 'from') {
      const file = block.info[2];
      if (!file) throw new Error(`tutorial line ${block.line - 1}: \`from\` needs a file`);
      excerpts.push({ file, lines: promised(block.body).map((line) => line.trim()), line: block.line, afterCommands: commands.length });
    }
  }
  return { commands, excerpts, blockCounts };
}

/** The promised lines missing from `output` (each must be a whole line of it, trailing spaces ignored). */
export function missingLines(expected: readonly string[], output: string): string[] {
  const present = new Set(output.split('\n').map((line) => line.trimEnd()));
  return expected.filter((line) => !present.has(line));
}
