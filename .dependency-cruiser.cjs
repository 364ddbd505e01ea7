// Imports point inward: core <- signals, kernel <- engines, analytics, audit <- strategies, adapters
// <- app <- cli, server, exchange-sim. A folder may import its own layer or any lower one.
const LAYERS = [
  ['core'],
  ['signals', 'kernel'],
  ['engines', 'analytics', 'audit'],
  ['strategies', 'adapters', 'live'],
  ['app', 'exchange-sim'],
  ['cli', 'server'],
];

const rank = Object.fromEntries(LAYERS.flatMap((names, level) => names.map((name) => [name, level])));
const folders = Object.keys(rank);

const forbidden = folders.flatMap((from) => {
  const higher = folders.filter((to) => rank[to] > rank[from]);
  return higher.length === 0
    ? []
    : [
        {
          name: `${from}-imports-inward`,
          comment: `src/${from} may not import from outer layers (${higher.join(', ')})`,
          severity: 'error',
          from: { path: `^src/${from}/` },
          to: { path: `^src/(${higher.join('|')})/` },
        },
      ];
});

// signals and kernel share a level but stay independent of each other.
forbidden.push(
  { name: 'kernel-not-signals', severity: 'error', from: { path: '^src/kernel/' }, to: { path: '^src/signals/' } },
  { name: 'signals-not-kernel', severity: 'error', from: { path: '^src/signals/' }, to: { path: '^src/kernel/' } },
  { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
);

module.exports = {
  forbidden,
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
