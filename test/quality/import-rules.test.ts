// The lint's import rules (.dependency-cruiser.cjs, run by `npm run lint`): public surfaces and the strategy API,
// planted in a scratch copy of src/ and bench/ so the real tree is never touched.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
let scratch = '';
let output = '';

/** Insert `line` after the last import of `file` (a path under the scratch copy). */
function plant(file: string, line: string): void {
  const path = join(scratch, file);
  const lines = readFileSync(path, 'utf8').split('\n');
  const last = lines.reduce((at, text, i) => (/^import\s|^\} from /.test(text) ? i : at), -1);
  lines.splice(last + 1, 0, line);
  writeFileSync(path, lines.join('\n'));
}

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'traider-import-rules-'));
  for (const entry of ['src', 'bench', 'tsconfig.json', '.dependency-cruiser.cjs']) cpSync(join(ROOT, entry), join(scratch, entry), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(scratch, 'node_modules'), 'dir');
  plant('src/app/session/run-session.ts', "import { Account as __probeA } from '../../core/account.ts'; void __probeA;");
  plant('bench/book.ts', "import { OrderBook as __probeB } from '../src/engines/data/book/order-book.ts'; void __probeB;");
  plant('src/strategies/sma-cross.ts', "import { Kernel as __probeC } from '../kernel/index.ts'; void __probeC;");
  plant('src/strategies/buy-and-hold.ts', "import { OrderSide as __probeD } from '../core/order.ts'; void __probeD;");
  try {
    execFileSync(process.execPath, [join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs'), 'src', 'bench', '--config', '.dependency-cruiser.cjs', '--output-type', 'err'], {
      cwd: scratch,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    output = String((error as { stdout?: string }).stdout ?? error);
  }
}, 60_000);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('import rules', () => {
  it('refuses an import of another unit\'s internal module, naming the importing file and the index to use', () => {
    expect(output).toMatch(/import-through-the-index: src\/app\/session\/run-session\.ts → src\/core\/account\.ts/);
  });

  it('holds bench/ to the same public surfaces', () => {
    expect(output).toMatch(/import-through-the-index: bench\/book\.ts → src\/engines\/data\/book\/order-book\.ts/);
  });

  it('lets a strategy import only what the traider package exports, even through an index', () => {
    expect(output).toMatch(/strategy-imports-only-the-strategy-api: src\/strategies\/sma-cross\.ts → src\/kernel\/index\.ts/);
    expect(output).toMatch(/strategy-imports-only-the-strategy-api: src\/strategies\/buy-and-hold\.ts → src\/core\/order\.ts/);
  });

  it('reports nothing else: the planted imports are the only violations', () => {
    expect(output).toMatch(/x 5 dependency violations/);
  });
});
