// Module-customization hooks of the `traider` command (registered by bin/traider.js after tsx, so they run
// before tsx's). They let a user's strategy file run from any folder:
// - `import ... from 'traider'` (and 'traider/<subpath>') resolves to the traider package that is running,
//   through the package's own "exports", never to another copy or to nothing;
// - user code (a file named by path, outside this package and outside any node_modules folder) written as
//   .ts/.tsx/.js/.jsx is an ES module whatever the nearest package.json says. Without this, tsx compiles a .ts
//   file in a folder without "type": "module" to CommonJS, and its require() of the ES-module traider fails
//   ("Cannot require() ES Module ... in a cycle"). .cjs/.cts files stay CommonJS;
// - a file: URL to an existing .js/.mjs/.jsx file (how src/strategies/index.ts imports --strategy FILE) loads
//   that very file: tsx, seeing a TypeScript importer, would otherwise prefer a .ts file of the same name.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const PACKAGE_NAME = 'traider';
const PACKAGE_ROOT = new URL('../', import.meta.url).href;
const FORCED_EXTENSIONS = /\.(?:ts|tsx|js|jsx)$/;
const COMMONJS_FORMATS = new Set(['commonjs', 'commonjs-typescript']);

function isUserCode(url) {
  if (!url.startsWith('file:') || url.startsWith(PACKAGE_ROOT)) return false;
  const { pathname } = new URL(url);
  return !pathname.includes('/node_modules/') && FORCED_EXTENSIONS.test(pathname);
}

export async function resolve(specifier, context, nextResolve) {
  if (specifier === PACKAGE_NAME || specifier.startsWith(`${PACKAGE_NAME}/`)) {
    // Resolved as a self-reference from inside this package: its "exports" decide, wherever the importer lives.
    return nextResolve(specifier, { ...context, parentURL: import.meta.url });
  }
  const exactJsFile = specifier.startsWith('file:') && /\.(?:m?js|jsx)$/.test(specifier) && existsSync(fileURLToPath(specifier));
  const resolved = await nextResolve(specifier, exactJsFile ? { ...context, parentURL: import.meta.url } : context);
  // Only files named by path: a package (bare specifier) keeps its own format, even when linked from elsewhere.
  const byPath = specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('file:');
  const commonJs = resolved.format === undefined || resolved.format === null || COMMONJS_FORMATS.has(resolved.format);
  if (byPath && commonJs && isUserCode(resolved.url)) {
    return { ...resolved, format: 'module' };
  }
  return resolved;
}
