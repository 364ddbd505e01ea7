// Lint: only the clock reads wall time or sets wall-clock timers. An AST check (TypeScript compiler API, no type
// checking) over src/, bench/, examples/, scripts/ and bin/ for:
//   Date.now, new Date() without arguments, Date() called without new, performance.now, process.hrtime,
//   setTimeout, setInterval, setImmediate (called or passed as a value), each also through globalThis./global.,
//   and imports of node:perf_hooks and node:timers[/promises] (another way to the same reads and timers).
// Everything else schedules through the injected Clock (src/common/clock.ts: now, setTimer, setInterval), so a
// backtest, a replay and a live session run the same code on simulated or venue time.
// test/ is not checked: tests drive real servers, sockets and child processes and wait for them on wall time.
// Output: one `file:line:col: what: why` line per problem, exit code 1.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';

export type ClockUse = 'Date.now' | 'new Date()' | 'Date()' | 'performance.now' | 'process.hrtime' | 'setTimeout' | 'setInterval' | 'setImmediate';

interface Exception {
  readonly allow: readonly ClockUse[];
  readonly why: string;
}

// Files that may read wall time or set timers, what they may use, and why. An entry that is no longer needed fails
// the lint too (remove it), so this list stays the true list.
export const EXCEPTIONS: Readonly<Record<string, Exception>> = {
  // The clocks.
  'src/common/clock.ts': { allow: ['Date.now', 'setTimeout'], why: 'the clock: LiveClock reads wall time and runs its timers on the event loop' },
  'src/exchange-sim/wall-clock.ts': { allow: ['Date.now'], why: "the local exchange's own wall clock: it checks signatures and recvWindow against real time, as Binance does" },
  // The local exchange is a venue in its own process, on wall time like a real one.
  'src/exchange-sim/exchange-sim.ts': { allow: ['setInterval'], why: "the exchange's matching step loop (every stepMs of wall time)" },
  'src/exchange-sim/http-server.ts': { allow: ['setTimeout'], why: 'transport: injected response latency (faults)' },
  'src/exchange-sim/ws-api.ts': { allow: ['setTimeout'], why: 'transport: injected latency of WebSocket API replies (faults)' },
  'src/exchange-sim/ws-protocol.ts': { allow: ['setTimeout'], why: 'transport: grace period before destroying a socket after a close frame' },
  // Adapters talk to a real venue on its wall time.
  'src/adapters/ccxt/ccxt-data-client.ts': { allow: ['setTimeout'], why: "polling and reconnect back-off against the venue's REST/WebSocket API" },
  'src/adapters/ccxt/ccxt-execution-client.ts': { allow: ['setTimeout'], why: 'default sleep between order retries (injectable through options.sleep)' },
  // Session process control: how long a process runs and waits is wall time, whatever the venue clock says.
  'src/app/session/run-session.ts': { allow: ['setTimeout', 'setInterval'], why: '--duration, the data-quality tick, the status line every --status-every seconds, the reconciliation poll and bounded waits at shutdown' },
  'src/app/session/shutdown.ts': { allow: ['setTimeout', 'performance.now'], why: 'bounded waits for cancel confirmations and closing fills (a stalled venue clock must not stall them)' },
  'src/app/session/staleness-watch.ts': { allow: ['setInterval'], why: 'the staleness watch ticks on wall time: a silent feed advances no other clock' },
  'src/app/session/replay-session.ts': { allow: ['setTimeout'], why: '--bar-delay: wall-time pause between replayed bars, for watching a replay' },
  'src/app/deployments/session-host.ts': { allow: ['setTimeout'], why: 'the growing wall-time pause before restarting a failed deployment session' },
  'src/app/book/replay.ts': { allow: ['performance.now'], why: 'measures replay throughput (events per second) for the report; no result depends on it' },
  'src/audit/journal.ts': { allow: ['setImmediate'], why: 'group commit: records staged in one event-loop turn share one transaction' },
  'src/cli/stop-signals.ts': { allow: ['setInterval'], why: 'orphan watch: a server or local exchange started through npx stops when npx was killed' },
  'src/cli/session-command.ts': { allow: ['setTimeout'], why: 'exit 2 s after the summary when sockets to a dead venue keep the process alive (unref timer)' },
  // bench/ measures: elapsed time is its result. It never reads the date (Date.now, new Date()).
  'bench/audit.ts': { allow: ['performance.now', 'setImmediate'], why: 'measures journal throughput; yields to the event loop between bursts' },
  'bench/backtest.ts': { allow: ['performance.now'], why: 'measures backtest time against the reference loop' },
  'bench/book.ts': { allow: ['performance.now'], why: "measures order-book updates per second against ccxt's" },
  'bench/deployment-reads.ts': { allow: ['performance.now'], why: "measures the deployment views' journal reads" },
  'bench/indicators.ts': { allow: ['process.hrtime', 'setImmediate'], why: 'measures ns per bar against trading-signals; yields between indicators' },
  'bench/paper.ts': { allow: ['performance.now', 'setTimeout'], why: 'measures paper-session latency over a wall-time run' },
  'bench/risk.ts': { allow: ['process.hrtime'], why: 'measures pre-trade risk check latency' },
  'bench/risk-backtest.ts': { allow: ['performance.now'], why: 'measures backtest time with and without risk' },
  'bench/sessions.ts': { allow: ['performance.now'], why: 'measures live-day and resume time' },
  'bench/emergency.ts': { allow: ['Date.now', 'setTimeout'], why: "times the kill switch and event delivery against the server's own wall-clock event times (another process: only the wall clock is shared); waits for the sessions" },
  'bench/server.ts': { allow: ['performance.now', 'setTimeout'], why: 'measures API latency under 100 clients; a short wait for the servers to exit' },
  'bench/stale.ts': { allow: ['performance.now', 'setTimeout'], why: 'measures time from a silent feed to DATA_STALE on wall time, with a 30 s bound' },
  'bench/var.ts': { allow: ['performance.now'], why: 'measures VaR computation time' },
};

const ROOTS = ['src', 'bench', 'examples', 'scripts', 'bin'];
const SOURCE = /\.(ts|mts|cts|js|mjs|cjs)$/;

const TIMERS = new Set(['setTimeout', 'setInterval', 'setImmediate']);
const GLOBALS = new Set(['globalThis', 'global', 'window', 'self']);

const WHY: Record<ClockUse, string> = {
  'Date.now': 'wall-clock read outside the clock: use the injected Clock (clock.now())',
  'new Date()': 'wall-clock read outside the clock: use new Date(clock.now())',
  'Date()': 'wall-clock read outside the clock (Date() is the current time as text): format new Date(clock.now())',
  'performance.now': 'wall-clock read outside the clock: use the injected Clock (clock.now())',
  'process.hrtime': 'wall-clock read outside the clock: use the injected Clock (clock.now())',
  setTimeout: 'wall-clock timer outside the clock: schedule through the injected Clock (clock.setTimer)',
  setInterval: 'wall-clock timer outside the clock: schedule through the injected Clock (clock.setInterval)',
  setImmediate: 'event-loop scheduling outside the clock: schedule through the injected Clock (clock.setTimer)',
};

export interface ClockProblem {
  readonly line: number;
  readonly col: number;
  readonly use: ClockUse;
  /** What was written, e.g. `globalThis.setTimeout`, `import { performance } from 'node:perf_hooks'`. */
  readonly what: string;
}

/** `name` or `globalThis.name` (also global., window., self.). */
function isGlobal(node: ts.Expression, name: string): boolean {
  if (ts.isIdentifier(node)) return node.text === name;
  return (
    ts.isPropertyAccessExpression(node) &&
    node.name.text === name &&
    ts.isIdentifier(node.expression) &&
    GLOBALS.has(node.expression.text)
  );
}

function unwrap(node: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(node) || ts.isNonNullExpression(node) || ts.isAsExpression(node) || ts.isSatisfiesExpression(node)) node = node.expression;
  return node;
}

/** A timer identifier used as a value (called, passed, assigned), not a name of something else or a type. */
function isValueReference(id: ts.Identifier): boolean {
  const parent = id.parent;
  if (ts.isPropertyAccessExpression(parent) && parent.name === id) return false; // x.setTimeout (e.g. clock.setInterval)
  if (ts.isQualifiedName(parent)) return false;
  if (
    (ts.isPropertyAssignment(parent) ||
      ts.isMethodDeclaration(parent) ||
      ts.isPropertyDeclaration(parent) ||
      ts.isPropertySignature(parent) ||
      ts.isMethodSignature(parent) ||
      ts.isGetAccessorDeclaration(parent) ||
      ts.isSetAccessorDeclaration(parent) ||
      ts.isVariableDeclaration(parent) ||
      ts.isParameter(parent) ||
      ts.isFunctionDeclaration(parent) ||
      ts.isFunctionExpression(parent) ||
      ts.isClassDeclaration(parent) ||
      ts.isBindingElement(parent) ||
      ts.isEnumMember(parent) ||
      ts.isLabeledStatement(parent)) &&
    (parent as { name?: ts.Node }).name === id
  ) {
    return false;
  }
  if (ts.isBindingElement(parent) && parent.propertyName === id) return false;
  if (ts.isImportSpecifier(parent) || ts.isExportSpecifier(parent) || ts.isImportClause(parent) || ts.isNamespaceImport(parent)) return false;
  // Inside a type: ReturnType<typeof setTimeout>.
  for (let node: ts.Node = parent; !ts.isSourceFile(node); node = node.parent) {
    if (ts.isTypeNode(node)) return false;
    if (ts.isStatement(node) || ts.isBlock(node)) break;
  }
  return true;
}

const PERF_MODULES = new Set(['perf_hooks', 'node:perf_hooks']);
const TIMER_MODULES = new Set(['timers', 'node:timers', 'timers/promises', 'node:timers/promises']);

/** Every wall-clock read and timer in one file's text. */
export function findClockUses(fileName: string, text: string): ClockProblem[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, /\.[cm]?js$/.test(fileName) ? ts.ScriptKind.JS : ts.ScriptKind.TS);
  const found: ClockProblem[] = [];
  const report = (node: ts.Node, use: ClockUse, what: string): void => {
    const { line, character } = source.getLineAndCharacterOfPosition(node.getStart(source));
    found.push({ line: line + 1, col: character + 1, use, what });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier) && !node.importClause?.isTypeOnly) {
      const from = node.moduleSpecifier.text;
      const perf = PERF_MODULES.has(from);
      if (perf || TIMER_MODULES.has(from)) {
        const bindings = node.importClause?.namedBindings;
        const names =
          bindings && ts.isNamedImports(bindings)
            ? bindings.elements.filter((e) => !e.isTypeOnly).map((e) => (e.propertyName ?? e.name).text)
            : [perf ? 'performance' : 'setTimeout'];
        for (const name of names) {
          const use: ClockUse | undefined = perf ? (name === 'performance' ? 'performance.now' : undefined) : TIMERS.has(name) ? (name as ClockUse) : name === 'scheduler' ? 'setTimeout' : undefined;
          if (use) report(node, use, `import { ${name} } from '${from}'`);
        }
      }
    } else if (ts.isPropertyAccessExpression(node)) {
      const target = unwrap(node.expression);
      if (node.name.text === 'now' && isGlobal(target, 'Date')) report(node, 'Date.now', `${node.getText(source)}`);
      else if (node.name.text === 'now' && isGlobal(target, 'performance')) report(node, 'performance.now', node.getText(source));
      else if (node.name.text === 'hrtime' && isGlobal(target, 'process')) report(node, 'process.hrtime', node.getText(source));
      else if (TIMERS.has(node.name.text) && ts.isIdentifier(target) && GLOBALS.has(target.text)) report(node, node.name.text as ClockUse, node.getText(source));
    } else if (ts.isNewExpression(node) && isGlobal(unwrap(node.expression), 'Date') && (node.arguments?.length ?? 0) === 0) {
      report(node, 'new Date()', 'new Date() without arguments');
    } else if (ts.isCallExpression(node) && isGlobal(unwrap(node.expression), 'Date')) {
      report(node, 'Date()', 'Date() without new');
    } else if (ts.isIdentifier(node) && TIMERS.has(node.text) && isValueReference(node)) {
      report(node, node.text as ClockUse, ts.isCallExpression(node.parent) && node.parent.expression === node ? `${node.text}()` : node.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (name === 'node_modules') return [];
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : SOURCE.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Problems (as `file:line:col: what: why` lines) over the project at `root`. */
export function checkClock(root: string): string[] {
  const problems: string[] = [];
  const used = new Map<string, Set<ClockUse>>();
  for (const dir of ROOTS) {
    if (!existsSync(join(root, dir))) continue;
    for (const file of files(join(root, dir))) {
      const rel = relative(root, file).replaceAll('\\', '/');
      const allowed = EXCEPTIONS[rel]?.allow ?? [];
      for (const p of findClockUses(rel, readFileSync(file, 'utf8'))) {
        if (allowed.includes(p.use)) {
          if (!used.has(rel)) used.set(rel, new Set());
          used.get(rel)!.add(p.use);
        } else {
          problems.push(`${rel}:${p.line}:${p.col}: ${p.what}: ${WHY[p.use]}`);
        }
      }
    }
  }
  for (const [rel, { allow }] of Object.entries(EXCEPTIONS)) {
    const stale = allow.filter((use) => !used.get(rel)?.has(use));
    if (stale.length > 0) {
      problems.push(`${rel}:1:1: exception for ${stale.join(', ')} no longer needed: remove it from EXCEPTIONS in scripts/check-clock.ts`);
    }
  }
  return problems;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const problems = checkClock(join(import.meta.dirname, '..'));
  if (problems.length > 0) {
    process.stderr.write(
      `${problems.join('\n')}\n` +
        `clock check: ${problems.length} problem(s). Route time through the injected Clock, or (a clock, transport or bench measurement) name the file in EXCEPTIONS in scripts/check-clock.ts with a reason.\n`,
    );
    process.exit(1);
  }
  process.stdout.write(`clock check: no wall-clock reads or timers outside the clock and the ${Object.keys(EXCEPTIONS).length} named exceptions\n`);
}
