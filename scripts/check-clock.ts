// Lint: only the clock reads wall time. Flags Date.now() and new Date() without arguments in src/.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

const ROOT = join(import.meta.dirname, '..');
// The kernel's clock, and the local exchange's own wall clock (it checks signatures against real time, as Binance does).
const ALLOWED = new Set(['src/kernel/clock.ts', 'src/exchange-sim/wall-clock.ts']);

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

const problems: string[] = [];
for (const file of files(join(ROOT, 'src'))) {
  const rel = relative(ROOT, file).replaceAll('\\', '/');
  if (ALLOWED.has(rel)) continue;
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const visit = (node: ts.Node): void => {
    const isDateNow =
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      node.expression.name.text === 'now' &&
      ts.isIdentifier(node.expression.expression) &&
      node.expression.expression.text === 'Date';
    const isNewDate = ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'Date' && (node.arguments?.length ?? 0) === 0;
    if (isDateNow || isNewDate) {
      const { line, character } = source.getLineAndCharacterOfPosition(node.getStart());
      problems.push(`${rel}:${line + 1}:${character + 1}: ${isDateNow ? 'Date.now()' : 'new Date()'} outside the clock: use the injected Clock`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
}
if (problems.length > 0) {
  process.stderr.write(`${problems.join('\n')}\n`);
  process.exit(1);
}
process.stdout.write(`clock check: no wall-clock reads outside src/kernel/clock.ts\n`);
