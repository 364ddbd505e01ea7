// Import rules of src/ (run by `npm run lint`; docs/architecture.md explains them). Every exception below is
// named, with the reason it is allowed: a new exception is a change to this file, made on purpose.
//
// Layers, innermost first. A unit may import itself and any lower layer, never an outer one, and a unit of
// its own layer only when SAME_LAYER_ALLOWED names the pair. Each adapter is a unit of its own: adapters are
// independent drivers, so adapters/ccxt importing adapters/store is a same-layer import like any other.
const LAYERS = [
  ['core'],
  ['signals', 'common'],
  ['engines', 'analytics', 'audit'],
  ['kernel'],
  ['strategies', 'adapters/binance', 'adapters/ccxt', 'adapters/files', 'adapters/kraken', 'adapters/sim', 'adapters/store', 'live'],
  ['app', 'exchange-sim'],
  ['cli', 'server'],
];

// Same-layer imports that exist on purpose: from unit -> to unit, and why. Any other pair fails.
const SAME_LAYER_ALLOWED = [
  { from: 'engines', to: 'analytics', why: 'the portfolio monitor computes VaR and correlation with analytics/risk' },
  { from: 'app', to: 'exchange-sim', why: '`traider demo` starts a local exchange-sim and trades against it' },
  { from: 'cli', to: 'server', why: '`traider serve` starts the HTTP server (loaded lazily, like every command\'s use-case)' },
];

// What runs the code: a module under src/ that none of these reaches (through static or dynamic imports) is dead.
// The server (src/server) is reached through the CLI's serve and demo commands.
const ENTRY_POINTS = ['src/cli/main.ts' /* bin/traider.js */, 'src/index.ts' /* the library: package.json "exports" */];

// Modules no entry point reaches that stay anyway (path -> why). None today.
const UNREACHABLE_ALLOWED = {};

// src/common and src/kernel are pure like src/core, except for these Node built-ins or packages (name -> why). None today.
const KERNEL_EXTERNALS = {};

// Drivers: these packages may be imported only by their adapter or transport (tests and bench may import anything).
const DRIVERS = [
  { pkg: 'ccxt', owner: 'src/adapters/ccxt/', what: 'the ccxt adapter' },
  { pkg: 'pg', owner: 'src/adapters/store/postgres', what: 'the Postgres store adapter' },
  { pkg: 'better-sqlite3', owner: 'src/adapters/store/sqlite', what: 'the SQLite store adapter' },
  { pkg: 'fastify', owner: 'src/server/', what: 'the HTTP server transport' },
];

// A strategy (src/strategies/*.ts) imports what a user strategy imports: the package entry (src/index.ts, `traider`),
// plus the named helpers below (modules under src/, or package names); nothing else. src/strategies/index.ts is
// not a strategy: it is the registry that loads built-ins by name and user strategy files by path (node:fs,
// node:url, node:child_process).
const STRATEGY_API = ['src/index.ts'];
const STRATEGY_HELPERS = {
  'src/strategies/params.ts': 'parameter parsing shared by the built-in strategies',
  zod: 'parameter schemas (zod), validated by params.ts',
};
const STRATEGY_REGISTRY = 'src/strategies/index.ts';

// Public surfaces. Each unit exports what other units use from its index.ts, and everything outside the unit
// (other units, src/index.ts, bench/) imports that file, never the unit's internals; tests may import anything.
// Two folders are split into surfaces of their own, each with an index.ts, because they are loaded piecemeal:
const SPLIT_SURFACES = {
  adapters: 'each adapter pulls in its own driver (ccxt, pg, better-sqlite3): importing one must not load the others',
  app: 'each use-case folder is loaded lazily by the CLI command that runs it, so a command loads only what it runs',
};

// ---------------------------------------------------------------------------------------------------------------
const fs = require('node:fs');
const path = require('node:path');
const esc = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const units = LAYERS.flat();
const surfaces = units.flatMap((unit) => {
  const top = unit.split('/')[0];
  if (!(top in SPLIT_SURFACES)) return [unit];
  if (unit !== top) return [unit];
  const dir = path.join(__dirname, 'src', top);
  return fs.existsSync(dir) ? fs.readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => `${top}/${d.name}`) : [];
});
const rank = Object.fromEntries(LAYERS.flatMap((names, level) => names.map((name) => [name, level])));
const under = (names) => `^src/(${names.map(esc).join('|')})/`;
const exactly = (paths) => `^(${paths.map(esc).join('|')})$`;
// A package: resolved into node_modules (wherever that is: a linked node_modules resolves to its real path, outside
// the project), or unresolved (its bare name). Its @types and `name-*` companions count as the package.
const NODE_MODULES = '(^|/)node_modules/';
const pkgPath = (name) => `(^|${NODE_MODULES})(@types/)?${esc(name)}([-/]|$)`;
const EXTERNAL = ['core', 'npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-bundled', 'npm-no-pkg', 'npm-unknown', 'unknown', 'undetermined'];

const forbidden = [];

for (const from of units) {
  const outer = units.filter((to) => rank[to] > rank[from]);
  if (outer.length > 0) {
    forbidden.push({
      name: 'imports-point-inward',
      comment: `src/${from} may not import an outer layer (${outer.join(', ')}): see LAYERS`,
      severity: 'error',
      from: { path: under([from]) },
      to: { path: under(outer) },
    });
  }
  const allowed = SAME_LAYER_ALLOWED.filter((pair) => pair.from === from).map((pair) => pair.to);
  const sameLayer = units.filter((to) => to !== from && rank[to] === rank[from] && !allowed.includes(to));
  if (sameLayer.length > 0) {
    forbidden.push({
      name: 'same-layer-import-not-allowed',
      comment: `src/${from} may not import ${sameLayer.join(', ')} (same layer): name the pair in SAME_LAYER_ALLOWED, with a reason, if it must`,
      severity: 'error',
      from: { path: under([from]) },
      to: { path: under(sameLayer) },
    });
  }
}

forbidden.push(
  {
    name: 'src-folder-without-layer',
    comment: 'every module under src/ belongs to a unit of LAYERS (or is src/index.ts): give the new folder a layer',
    severity: 'error',
    from: { path: '^src/', pathNot: [under(units), '^src/index\\.ts$'] },
    to: {},
  },
  {
    name: 'src-folder-without-layer',
    comment: 'every module under src/ belongs to a unit of LAYERS (or is src/index.ts): give the new folder a layer',
    severity: 'error',
    from: { path: '^src/' },
    to: { path: '^src/', pathNot: [under(units), '^src/index\\.ts$'] },
  },
  {
    name: 'core-is-pure',
    comment: 'src/core imports no Node built-in (node:*) and no npm package: it is plain domain code',
    severity: 'error',
    from: { path: '^src/core/' },
    to: { dependencyTypes: EXTERNAL },
  },
  {
    name: 'kernel-is-pure',
    comment: 'src/common and src/kernel import no Node built-in (node:*) and no npm package except those KERNEL_EXTERNALS names',
    severity: 'error',
    from: { path: '^src/(common|kernel)/' },
    to: {
      dependencyTypes: EXTERNAL,
      ...(Object.keys(KERNEL_EXTERNALS).length > 0 ? { pathNot: Object.keys(KERNEL_EXTERNALS).map((name) => pkgPath(name.replace(/^node:/, ''))) } : {}),
    },
  },
  ...DRIVERS.map(({ pkg, owner, what }) => ({
    name: `${pkg}-only-in-its-adapter`,
    comment: `${pkg} is imported only by ${what} (${owner}...)`,
    severity: 'error',
    from: { path: '^src/', pathNot: `^${esc(owner)}` },
    to: { path: pkgPath(pkg) },
  })),
  {
    name: 'strategy-imports-only-the-strategy-api',
    comment: `a strategy imports only the strategy API (${STRATEGY_API.join(', ')}, what the traider package exports) and STRATEGY_HELPERS`,
    severity: 'error',
    from: { path: '^src/strategies/', pathNot: exactly([STRATEGY_REGISTRY]) },
    to: { pathNot: [exactly(STRATEGY_API), ...Object.keys(STRATEGY_HELPERS).map((p) => (p.startsWith('src/') ? exactly([p]) : pkgPath(p)))] },
  },
  ...surfaces.map((surface) => ({
    name: 'import-through-the-index',
    comment: `outside src/${surface}, import what it offers from src/${surface}/index.ts, not from its internal modules (export the name there if it is missing)`,
    severity: 'error',
    from: { path: '^(src|bench)/', pathNot: `^src/${esc(surface)}/` },
    to: { path: `^src/${esc(surface)}/`, pathNot: `^src/${esc(surface)}/index\\.ts$` },
  })),
  {
    name: 'src-not-tests-or-bench',
    comment: 'src/ never imports test/ or bench/ code',
    severity: 'error',
    from: { path: '^src/' },
    to: { path: '^(test|bench)/' },
  },
  {
    name: 'src-reachable-from-an-entry-point',
    comment: `every module under src/ is reached from an entry point (${ENTRY_POINTS.join(', ')}), or named in UNREACHABLE_ALLOWED`,
    severity: 'error',
    from: { path: exactly(ENTRY_POINTS) },
    to: { path: '^src/', pathNot: [exactly(ENTRY_POINTS), ...(Object.keys(UNREACHABLE_ALLOWED).length > 0 ? [exactly(Object.keys(UNREACHABLE_ALLOWED))] : [])], reachable: false },
  },
  // bench/: it may import anything (it measures src against ccxt, trading-signals, Postgres...), but every file
  // in it runs: bench/run.ts, or one of the files it starts as a child process by path.
  {
    name: 'bench-reachable-from-run',
    comment: 'every file under bench/ is reached from bench/run.ts or a child-process entry (backtest-memory.ts, risk-backtest.ts)',
    severity: 'error',
    from: { path: '^bench/(run|backtest-memory|risk-backtest)\\.ts$' },
    to: { path: '^bench/', pathNot: '^bench/(run|backtest-memory|risk-backtest)\\.ts$', reachable: false },
  },
  { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
);

// test/ is not cruised: tests may import anything, and vitest finds them by name (test/**/*.test.ts), not by import.

module.exports = {
  forbidden,
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
